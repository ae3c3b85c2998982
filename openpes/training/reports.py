"""Programme reports: who was trained (by tier, sex, disability, province, centre, funding project), training
hours, pass rates, learning gain (L2), reactions (L1) and competency follow-ups (L3).

Everything is computed from stored rows (attendance, quiz attempts, certifications, ratings), never from
counters. Each table is a `Table` that the pages render and the exports write; disability counts below 5 are
suppressed in exports. The cascade is in `cascade.py`, casework before and after training (L4) in
`casework.py`, webinar topic ideas in `topics.py`; the metrics themselves are in `metrics.py` (no Django).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Sex
from openpes.accounts.models import User
from openpes.training import metrics
from openpes.training.enums import QuizKind, TeachBackResult, Tier
from openpes.training.models import (
    AttemptAnswer,
    Attendance,
    Competence,
    Enrolment,
    Event,
    FundingProject,
    QuizAttempt,
    ReactionResponse,
    StaffWgss,
    TeachBack,
    TrainerCertification,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
FOLLOW_UP_FROM_DAYS, FOLLOW_UP_TO_DAYS = 90, 180  # L3: 3 to 6 months after an event


@dataclass
class Table:
    """A report table: what the page shows and the export writes."""

    key: str
    title: StrOrPromise
    columns: list[StrOrPromise]
    rows: list[list[Any]]
    suppress: bool = False  # small counts (1–4) are hidden in exports (disability)
    note: StrOrPromise = ""

    def export_rows(self) -> list[list[Any]]:
        if not self.suppress:
            return self.rows
        return [[_suppressed(v) if i else v for i, v in enumerate(row)] for row in self.rows]


def _suppressed(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# ------------------------------------------------------------------------------------------ filters


@dataclass(frozen=True)
class ReportFilters:
    programme_id: int | None = None
    funding_project_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def events(self) -> QuerySet[Event]:
        events = Event.objects.all()
        if self.programme_id:
            events = events.filter(programme_id=self.programme_id)
        if self.funding_project_id:
            events = events.filter(funding_projects=self.funding_project_id)
        if self.date_from:
            events = events.filter(starts_on__gte=self.date_from)
        if self.date_to:
            events = events.filter(starts_on__lte=self.date_to)
        return events

    def completions(self) -> QuerySet[Enrolment]:
        """Tier 1: completed course enrolments (the course's programme carries its funding projects)."""
        enrolments = Enrolment.objects.filter(completed_at__isnull=False)
        if self.programme_id:
            enrolments = enrolments.filter(course__programme_id=self.programme_id)
        if self.funding_project_id:
            enrolments = enrolments.filter(course__programme__funding_projects=self.funding_project_id)
        if self.date_from:
            enrolments = enrolments.filter(completed_at__gte=start_of(self.date_from))
        if self.date_to:
            enrolments = enrolments.filter(completed_at__lt=start_of(self.date_to + timedelta(days=1)))
        return enrolments


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# ------------------------------------------------------------------------------------------ participation


@dataclass(frozen=True)
class Participation:
    """One person trained in one event (or one completed course): the unit every breakdown counts."""

    person_id: int
    tier: str
    event_id: int | None
    course_id: int | None
    hours: float
    project_ids: frozenset[int]


def participations(filters: ReportFilters) -> list[Participation]:
    """Attended events (≥ 1 day; hours in proportion to days attended) and completed courses."""
    events = {
        e.pk: e
        for e in filters.events()
        .prefetch_related("funding_projects")
        .only("pk", "tier", "hours", "starts_on", "ends_on")
    }
    days: Counter[tuple[int, int]] = Counter(
        Attendance.objects.filter(event_id__in=list(events)).values_list("event_id", "participant_id")
    )
    out = []
    for (event_id, person_id), attended in days.items():
        event = events[event_id]
        total = (event.ends_on - event.starts_on).days + 1
        out.append(
            Participation(
                person_id=person_id,
                tier=event.tier,
                event_id=event_id,
                course_id=None,
                hours=float(event.hours) * min(attended, total) / total,
                project_ids=frozenset(p.pk for p in event.funding_projects.all()),
            )
        )
    projects_by_programme: dict[int, set[int]] = defaultdict(set)
    for programme_id, project_id in FundingProject.objects.filter(programme__isnull=False).values_list(
        "programme", "pk"
    ):
        projects_by_programme[programme_id].add(project_id)
    for person_id, course_id, programme_id, hours in filters.completions().values_list(
        "learner_id", "course_id", "course__programme_id", "course__hours"
    ):
        out.append(
            Participation(
                person_id=person_id,
                tier=Tier.ONLINE,
                event_id=None,
                course_id=course_id,
                hours=float(hours or 0),
                project_ids=frozenset(projects_by_programme.get(programme_id, ())),
            )
        )
    return out


@dataclass(frozen=True)
class Person:
    sex: str
    province: str
    centre: str
    disability: bool | None


def people_info(ids: Iterable[int]) -> dict[int, Person]:
    ids = set(ids)
    disability = dict(StaffWgss.objects.filter(user_id__in=ids).values_list("user_id", "disability"))
    out = {}
    for user in User.objects.filter(pk__in=ids).select_related("centre__province"):
        centre = user.centre
        out[user.pk] = Person(
            sex=user.sex,
            province=str(centre.province) if centre else "—",
            centre=str(centre) if centre else "—",
            disability=disability.get(user.pk),
        )
    return out


def _breakdown(
    items: list[Participation], people: dict[int, Person], key: Callable[[Participation, Person], Iterable[str]]
) -> list[tuple[str, int, float]]:
    """(group, distinct people, person-hours) for each group `key` puts a participation in."""
    persons: dict[str, set[int]] = defaultdict(set)
    hours: dict[str, float] = defaultdict(float)
    for item in items:
        for group in key(item, people[item.person_id]):
            persons[group].add(item.person_id)
            hours[group] += item.hours
    return [(group, len(persons[group]), round(hours[group], 1)) for group in persons]


def _sex_label(code: str) -> str:
    return str(Sex(code).label) if code in Sex.values else str(_("Not recorded"))


def _disability_label(value: bool | None) -> str:
    if value is None:
        return str(_("Not answered"))
    return str(_("With a disability (WG-SS)") if value else _("Without a disability"))


def tier_label(code: str) -> str:
    return str(Tier(code).label) if code in Tier.values else code


def trained_tables(filters: ReportFilters) -> list[Table]:
    items = participations(filters)
    people = people_info({p.person_id for p in items})
    events = filters.events()
    event_counts = dict(events.values("tier").annotate(n=Count("pk")).values_list("tier", "n"))
    tables = []

    rows: list[list[Any]] = []
    for tier in Tier.values:
        tier_items = [p for p in items if p.tier == tier]
        ids = {p.person_id for p in tier_items}
        women = sum(1 for pk in ids if people[pk].sex == Sex.FEMALE)
        events_or_courses = len({p.course_id for p in tier_items}) if tier == Tier.ONLINE else event_counts.get(tier, 0)
        rows.append([tier_label(tier), events_or_courses, len(ids), women, round(sum(p.hours for p in tier_items), 1)])
    all_ids = {p.person_id for p in items}
    rows.append(
        [
            str(_("All tiers")),
            sum(r[1] for r in rows),
            len(all_ids),
            sum(1 for pk in all_ids if people[pk].sex == Sex.FEMALE),
            round(sum(p.hours for p in items), 1),
        ]
    )
    tables.append(
        Table(
            "tiers",
            _("Trained persons and events by tier"),
            [_("Tier"), _("Events or courses"), _("Persons trained"), _("Women"), _("Training hours (person-hours)")],
            rows,
            note=_("A person counts once per row; the last row counts each person once across all tiers."),
        )
    )

    by_sex = _breakdown(items, people, lambda p, person: [_sex_label(person.sex)])
    tables.append(
        Table(
            "sex", _("By sex"), [_("Sex"), _("Persons trained"), _("Training hours")], [list(r) for r in sorted(by_sex)]
        )
    )
    disability_rows = []
    for value in (True, False, None):
        label = _disability_label(value)
        ids = {p.person_id for p in items if people[p.person_id].disability is value}
        disability_rows.append([label, len(ids)])
    tables.append(
        Table(
            "disability",
            _("By disability (Washington Group identifier)"),
            [_("WG-SS disability identifier"), _("Persons trained")],
            disability_rows,
            suppress=True,
            note=_("Counts only. In exports, counts from 1 to 4 are shown as <5 so that nobody can be identified."),
        )
    )
    by_province = _breakdown(items, people, lambda p, person: [person.province])
    tables.append(
        Table(
            "province",
            _("By province"),
            [_("Province"), _("Persons trained"), _("Training hours")],
            [list(r) for r in sorted(by_province)],
        )
    )
    by_centre = _breakdown(items, people, lambda p, person: [person.centre])
    tables.append(
        Table(
            "centre",
            _("By job centre"),
            [_("Job centre"), _("Persons trained"), _("Training hours")],
            [list(r) for r in sorted(by_centre)],
        )
    )
    projects = {p.pk: str(p) for p in FundingProject.objects.all()}
    project_events = Counter(events.filter(funding_projects__isnull=False).values_list("funding_projects", flat=True))
    persons: dict[int | None, set[int]] = defaultdict(set)
    hours: dict[int | None, float] = defaultdict(float)
    for item in items:
        for project_id in item.project_ids or {None}:
            persons[project_id].add(item.person_id)
            hours[project_id] += item.hours
    project_rows = [
        [projects[pk], project_events.get(pk, 0), len(persons[pk]), round(hours[pk], 1)]
        for pk in sorted(projects, key=lambda k: projects[k])
    ]
    if persons.get(None):
        project_rows.append([str(_("No project")), "", len(persons[None]), round(hours[None], 1)])
    tables.append(
        Table(
            "projects",
            _("By funding project"),
            [_("Funding project"), _("Events"), _("Persons trained"), _("Training hours")],
            project_rows,
            note=_("An event funded by two projects counts for both."),
        )
    )
    return tables


# ------------------------------------------------------------------------------------------ tests and gains


def best_post_scores(event: Event, person_ids: Iterable[int]) -> dict[int, float]:
    """Each participant's best submitted post-test score for the event (the event course's post-test)."""
    if event.course_id is None:
        return {}
    rows = (
        QuizAttempt.objects.filter(
            event=event,
            quiz__course_id=event.course_id,
            quiz__kind=QuizKind.POST_TEST,
            submitted_at__isnull=False,
            learner_id__in=list(person_ids),
        )
        .values("learner_id")
        .annotate(best=Max("score"))
    )
    return {row["learner_id"]: float(row["best"]) for row in rows if row["best"] is not None}


def _pairs_from(
    attempts: Iterable[tuple[int | None, int, str, Decimal | None, Any]],
) -> dict[int | None, list[metrics.ScorePair]]:
    """(group, learner, kind, score, submitted_at) → paired scores: first pre-test, best post-test."""
    pre: dict[tuple[int | None, int], tuple[Any, float]] = {}
    post: dict[tuple[int | None, int], float] = {}
    for group, learner, kind, score, submitted in attempts:
        if score is None:
            continue
        key = (group, learner)
        if kind == QuizKind.PRE_TEST:
            if key not in pre or submitted < pre[key][0]:
                pre[key] = (submitted, float(score))
        elif kind == QuizKind.POST_TEST:
            post[key] = max(post.get(key, 0.0), float(score))
    out: dict[int | None, list[metrics.ScorePair]] = defaultdict(list)
    for key, (_when, pre_score) in pre.items():
        if key in post:
            out[key[0]].append(metrics.ScorePair(key[1], pre_score, post[key]))
    return out


def event_score_pairs(event_ids: Iterable[int]) -> dict[int, list[metrics.ScorePair]]:
    """L2 per event: each participant's pre/post pair from the event course's tests taken for the event — the
    pairing of `actions.learning.paired_attempts` (first pre-test, best post-test), for many events at once."""
    attempts = QuizAttempt.objects.filter(
        event_id__in=list(event_ids),
        quiz__course_id=F("event__course_id"),
        submitted_at__isnull=False,
        quiz__kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST],
    ).values_list("event_id", "learner_id", "quiz__kind", "score", "submitted_at")
    return {k: v for k, v in _pairs_from(attempts).items() if k is not None}


def course_score_pairs(filters: ReportFilters) -> list[metrics.ScorePair]:
    """L2 for tier 1: pre/post pairs of the self-paced course tests taken outside any event."""
    attempts = QuizAttempt.objects.filter(
        event__isnull=True, submitted_at__isnull=False, quiz__kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST]
    )
    if filters.programme_id:
        attempts = attempts.filter(quiz__course__programme_id=filters.programme_id)
    if filters.funding_project_id:
        attempts = attempts.filter(quiz__course__programme__funding_projects=filters.funding_project_id)
    rows = attempts.values_list("quiz__course_id", "learner_id", "quiz__kind", "score", "submitted_at")
    return [pair for pairs in _pairs_from(rows).values() for pair in pairs]


def _gain_row(label: Any, pairs: Sequence[metrics.ScorePair], *extra: Any) -> list[Any]:
    return [
        str(label),
        *extra,
        len(pairs),
        metrics.mean_or_none(p.pre for p in pairs),
        metrics.mean_or_none(p.post for p in pairs),
        metrics.mean_gain(pairs),
    ]


GAIN_COLUMNS: list[StrOrPromise] = [
    _("Pairs (pre and post)"),
    _("Mean pre-test (%)"),
    _("Mean post-test (%)"),
    _("Mean gain (points)"),
]


def learning_tables(filters: ReportFilters) -> list[Table]:
    events = list(filters.events().select_related("lead_trainer").prefetch_related("facilitators"))
    pairs = event_score_pairs(e.pk for e in events)
    tier_rows = [_gain_row(tier_label(Tier.ONLINE), course_score_pairs(filters))]
    for tier in (Tier.TOT, Tier.PROVINCIAL, Tier.WEBINAR):
        tier_pairs = [p for e in events if e.tier == tier for p in pairs.get(e.pk, [])]
        tier_rows.append(_gain_row(tier_label(tier), tier_pairs))
    event_rows = [_gain_row(e.title, pairs[e.pk], tier_label(e.tier), e.starts_on) for e in events if pairs.get(e.pk)]
    by_trainer: dict[int, list[metrics.ScorePair]] = defaultdict(list)
    sessions: Counter[int] = Counter()
    names: dict[int, str] = {}
    for event in events:
        leaders = [event.lead_trainer] if event.lead_trainer else list(event.facilitators.all())
        for trainer in leaders:
            names[trainer.pk] = str(trainer)
            sessions[trainer.pk] += 1
            by_trainer[trainer.pk].extend(pairs.get(event.pk, []))
    trainer_rows = [
        _gain_row(names[pk], by_trainer[pk], sessions[pk])
        for pk in sorted(names, key=lambda k: names[k])
        if by_trainer[pk]
    ]
    return [
        Table("gain_tier", _("Learning gain (L2) by tier"), [_("Tier"), *GAIN_COLUMNS], tier_rows),
        Table(
            "gain_event",
            _("Learning gain (L2) by event"),
            [_("Event"), _("Tier"), _("First day"), *GAIN_COLUMNS],
            event_rows,
        ),
        Table(
            "gain_trainer",
            _("Learning gain (L2) by trainer"),
            [_("Trainer"), _("Events led or facilitated"), *GAIN_COLUMNS],
            trainer_rows,
        ),
        Table(
            "gain_competence",
            _("Learning gain (L2) by competence"),
            [
                _("Competence"),
                _("Answers before"),
                _("Correct before (%)"),
                _("Answers after"),
                _("Correct after (%)"),
                _("Change (points)"),
            ],
            competence_rows(filters, [e.pk for e in events]),
            note=_("Share of right answers to questions tagged with each competence, in pre-tests and post-tests."),
        ),
    ]


def competence_rows(filters: ReportFilters, event_ids: Sequence[int]) -> list[list[Any]]:
    answers = AttemptAnswer.objects.filter(
        attempt__submitted_at__isnull=False,
        attempt__quiz__kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST],
        question__competence__isnull=False,
    ).filter(Q(attempt__event_id__in=list(event_ids)) | Q(attempt__event__isnull=True))
    if filters.programme_id:
        answers = answers.filter(attempt__quiz__course__programme_id=filters.programme_id)
    counts = answers.values("question__competence_id", "attempt__quiz__kind", "correct").annotate(n=Count("pk"))
    totals: dict[int, dict[str, list[int]]] = defaultdict(
        lambda: {QuizKind.PRE_TEST: [0, 0], QuizKind.POST_TEST: [0, 0]}
    )
    for row in counts:
        cell = totals[row["question__competence_id"]][row["attempt__quiz__kind"]]
        cell[0] += row["n"]
        cell[1] += row["n"] if row["correct"] else 0
    rows = []
    for competence in Competence.objects.filter(pk__in=list(totals)).select_related("area"):
        pre_n, pre_ok = totals[competence.pk][QuizKind.PRE_TEST]
        post_n, post_ok = totals[competence.pk][QuizKind.POST_TEST]
        before, after = _pct(pre_ok, pre_n), _pct(post_ok, post_n)
        change = round(after - before, 1) if before is not None and after is not None else None
        rows.append([str(competence), pre_n, before, post_n, after, change])
    return rows


def pass_rate_table(filters: ReportFilters) -> Table:
    events = list(filters.events())
    rows: list[list[Any]] = []
    online = QuizAttempt.objects.filter(event__isnull=True, submitted_at__isnull=False, quiz__kind=QuizKind.POST_TEST)
    if filters.programme_id:
        online = online.filter(quiz__course__programme_id=filters.programme_id)
    took = online.values("learner_id", "quiz__course_id").distinct().count()
    passed = online.filter(passed=True).values("learner_id", "quiz__course_id").distinct().count()
    rows.append([tier_label(Tier.ONLINE), str(_("Course post-test passed")), took, passed, _pct(passed, took)])
    for tier in (Tier.TOT, Tier.PROVINCIAL):
        tier_events = [e for e in events if e.tier == tier]
        took = passed = 0
        for event in tier_events:
            scores = best_post_scores(event, event.registrations.values_list("participant_id", flat=True))
            took += len(scores)
            passed += sum(1 for s in scores.values() if s >= event.post_test_threshold)
        rows.append([tier_label(tier), str(_("Post-test at the event's threshold")), took, passed, _pct(passed, took)])
    tots = [e.pk for e in events if e.tier == Tier.TOT]
    latest: dict[tuple[int, int], bool] = {}
    for event_id, person_id, result in (
        TeachBack.objects.filter(event_id__in=tots)
        .order_by("observed_on", "id")
        .values_list("event_id", "participant_id", "result")
    ):
        latest[(event_id, person_id)] = result == TeachBackResult.PASS
    rows.append(
        [
            tier_label(Tier.TOT),
            str(_("Teach-back passed")),
            len(latest),
            sum(latest.values()),
            _pct(sum(latest.values()), len(latest)),
        ]
    )
    tot_participants = (
        Attendance.objects.filter(event_id__in=tots).values("event_id", "participant_id").distinct().count()
    )
    certified = (
        TrainerCertification.objects.filter(tot_event_id__in=tots, renews__isnull=True)
        .values("tot_event_id", "trainer_id")
        .distinct()
        .count()
    )
    rows.append(
        [
            tier_label(Tier.TOT),
            str(_("Certified as trainer")),
            tot_participants,
            certified,
            _pct(certified, tot_participants),
        ]
    )
    return Table(
        "pass_rates",
        _("Pass rates"),
        [_("Tier"), _("Measure"), _("Persons assessed"), _("Passed"), _("Pass rate (%)")],
        rows,
    )


def reaction_table(filters: ReportFilters) -> Table:
    rows = []
    summary = (
        ReactionResponse.objects.filter(event__in=filters.events())
        .values("event_id", "event__title_km", "event__title_en", "event__tier")
        .annotate(n=Count("pk"))
        .order_by("event_id")
    )
    from django.db.models import Avg

    averages = {
        row["event_id"]: row
        for row in ReactionResponse.objects.filter(event__in=filters.events())
        .values("event_id")
        .annotate(r=Avg("relevance"), t=Avg("trainer"), m=Avg("materials"), o=Avg("overall"))
    }
    from openpes.lib.i18n import pick

    for row in summary:
        avg = averages[row["event_id"]]
        rows.append(
            [
                pick(row["event__title_km"], row["event__title_en"]),
                tier_label(row["event__tier"]),
                row["n"],
                *(round(float(avg[k]), 1) for k in ("r", "t", "m", "o")),
            ]
        )
    return Table(
        "reactions",
        _("Reaction survey (L1), average out of 5"),
        [
            _("Event"),
            _("Tier"),
            _("Answers"),
            _("Useful for my work"),
            _("The trainer"),
            _("The materials"),
            _("Overall"),
        ],
        rows,
    )


def reaction_summary(event: Event) -> dict[str, Any]:
    """L1 for one event: number of answers, the average of each rating and the spread of 'overall'."""
    from django.db.models import Avg

    answers = ReactionResponse.objects.filter(event=event)
    averages = answers.aggregate(
        relevance=Avg("relevance"), trainer=Avg("trainer"), materials=Avg("materials"), overall=Avg("overall")
    )
    spread = Counter(answers.values_list("overall", flat=True))
    return {
        "count": answers.count(),
        "averages": [
            (label, round(float(averages[key]), 1) if averages[key] is not None else None)
            for key, label in (
                ("relevance", _("Useful for my work")),
                ("trainer", _("The trainer")),
                ("materials", _("The materials")),
                ("overall", _("Overall")),
            )
        ],
        "spread": [(score, spread.get(score, 0)) for score in range(5, 0, -1)],
        "comments": list(answers.exclude(comment="").order_by("-answered_at").values_list("comment", flat=True)[:50]),
    }


# ------------------------------------------------------------------------------------------ L3 follow-ups


@dataclass(frozen=True)
class FollowUp:
    event: Event
    person: User
    due_from: date
    due_to: date
    self_done: bool
    supervisor_done: bool


def follow_ups_due(people: QuerySet[User], today: date | None = None, *, include_done: bool = False) -> list[FollowUp]:
    """L3 competency follow-ups due now: participants of ToTs and provincial sessions that ended 3 to 6 months
    ago, who have not been rated (self and supervisor) for that event yet."""
    from openpes.training.models import CompetencyRating

    today = today or timezone.localdate()
    events = Event.objects.filter(
        tier__in=[Tier.TOT, Tier.PROVINCIAL],
        ends_on__lte=today - timedelta(days=FOLLOW_UP_FROM_DAYS),
        ends_on__gte=today - timedelta(days=FOLLOW_UP_TO_DAYS),
    )
    pairs: list[tuple[int, int]] = list(
        Attendance.objects.filter(event__in=events, participant__in=people)
        .values_list("event_id", "participant_id")
        .distinct()
    )
    done = set(
        CompetencyRating.objects.filter(event__in=events, person_id__in={p for _, p in pairs}).values_list(
            "event_id", "person_id", "rater_kind"
        )
    )
    event_map = {e.pk: e for e in events}
    person_map = {u.pk: u for u in User.objects.filter(pk__in={p for _, p in pairs}).select_related("centre")}
    out = []
    for event_id, person_id in sorted(pairs, key=lambda p: (event_map[p[0]].ends_on, p[1])):
        self_done = (event_id, person_id, "self") in done
        supervisor_done = (event_id, person_id, "supervisor") in done
        if (self_done and supervisor_done) and not include_done:
            continue
        event = event_map[event_id]
        out.append(
            FollowUp(
                event=event,
                person=person_map[person_id],
                due_from=event.ends_on + timedelta(days=FOLLOW_UP_FROM_DAYS),
                due_to=event.ends_on + timedelta(days=FOLLOW_UP_TO_DAYS),
                self_done=self_done,
                supervisor_done=supervisor_done,
            )
        )
    return out


def competency_table(filters: ReportFilters) -> Table:
    """L3 summary: mean rating per competence, self vs supervisor."""
    from django.db.models import Avg

    from openpes.training.models import CompetencyRating

    ratings = CompetencyRating.objects.filter(Q(event__in=filters.events()) | Q(event__isnull=True))
    rows_by: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for row in ratings.values("competence_id", "rater_kind").annotate(n=Count("pk"), avg=Avg("level")):
        rows_by[row["competence_id"]][row["rater_kind"]] = (row["n"], round(float(row["avg"]), 2))
    rows = []
    for competence in Competence.objects.filter(pk__in=list(rows_by)).select_related("area"):
        self_n, self_avg = rows_by[competence.pk].get("self", (0, None))
        sup_n, sup_avg = rows_by[competence.pk].get("supervisor", (0, None))
        rows.append([str(competence), self_n, self_avg, sup_n, sup_avg])
    return Table(
        "competency",
        _("Competency follow-up (L3), mean level out of 4"),
        [_("Competence"), _("Self ratings"), _("Self mean"), _("Supervisor ratings"), _("Supervisor mean")],
        rows,
    )
