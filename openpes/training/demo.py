"""The demo training programme (for `manage.py load_demo`): the seed article's four tiers with both funding
projects, the demo course, a ToT of about twenty officials (most certified), provincial sessions they led in
several provinces, a webinar whose attendance came from a platform report, reaction surveys and some
competency follow-ups.

Deterministic for a given seed and day (dates are relative to today so the demo always looks current) and
idempotent: a second run changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.geography.models import Province
from openpes.training.enums import (
    AttendanceMethod,
    QuizKind,
    RaterKind,
    Tier,
)
from openpes.training.models import (
    AttemptAnswer,
    Attendance,
    AttendanceImport,
    AttendanceImportRow,
    Choice,
    Competence,
    CompetencyFramework,
    CompetencyRating,
    Course,
    Event,
    FundingProject,
    Programme,
    Question,
    Quiz,
    QuizAttempt,
    ReactionResponse,
    Registration,
    StaffWgss,
    TeachBack,
    TrainerCertification,
)

DEMO_PROGRAMME = "Four-tier capacity building for PES counsellors"
DEMO_STAFF_DOMAIN = "@staff.openpes.example"
DEMO_TRAINER = "trainer@openpes.example"
DEMO_COUNSELLOR = "counsellor@openpes.example"
DEMO_COORDINATOR = "coordinator@openpes.example"


def build_training_demo(rng: random.Random, *, today: date | None = None) -> dict[str, int]:
    """Build the demo programme once; returns counts of what was created (empty if it already exists)."""
    if Programme.objects.filter(title_en=DEMO_PROGRAMME).exists():
        return {}
    staff = list(
        User.objects.filter(email__endswith=DEMO_STAFF_DOMAIN, is_active=True)
        .exclude(role=Role.NATIONAL_OFFICER)
        .select_related("centre__province")
        .order_by("email")
    )
    if len(staff) < 12:
        return {}  # the demo world's officials are needed (demo.world.build_staff)
    with transaction.atomic():
        return _Builder(rng, today or timezone.localdate(), staff).build()


class _Builder:
    def __init__(self, rng: random.Random, today: date, staff: list[User]) -> None:
        self.rng = rng
        self.today = today
        self.staff = staff
        self.coordinator = User.objects.filter(email=DEMO_COORDINATOR).first()
        self.trainer = User.objects.filter(email=DEMO_TRAINER).first()
        self.counsellor = User.objects.filter(email=DEMO_COUNSELLOR).first()
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, int]:
        projects = list(FundingProject.objects.order_by("code"))
        programme = Programme.objects.create(
            title_en=DEMO_PROGRAMME,
            title_km="ការកសាងសមត្ថភាពអ្នកប្រឹក្សាការងារ ៤ កម្រិត",
            description_en=(
                "An online self-paced course in Khmer, training of trainers, provincial sessions led by the "
                "certified trainers, and thematic webinars on current labour-market trends."
            ),
            description_km=(
                "វគ្គសិក្សាតាមអនឡាញជាភាសាខ្មែរ វគ្គបណ្តុះបណ្តាលគ្រូបង្គោល វគ្គថ្នាក់ខេត្តដឹកនាំដោយគ្រូបង្គោល "
                "និងសិក្ខាសាលាតាមអនឡាញអំពីនិន្នាការទីផ្សារការងារ។"
            ),
            framework=CompetencyFramework.objects.order_by("pk").first(),
            starts_on=self.today - timedelta(days=210),
            ends_on=self.today + timedelta(days=155),
            created_by=self.coordinator,
        )
        programme.funding_projects.set(projects)
        course = self._course(programme)
        self._wgss()
        tot = self._tot(programme, course, projects)
        certifications = self._certify(tot)
        sessions = self._sessions(programme, course, projects, certifications)
        self._webinars(programme, projects)
        self._reactions([tot, *sessions])
        self._follow_ups(tot, programme)
        self.counts["events"] = programme.events.count()
        return self.counts

    # ------------------------------------------------------------------------------------------ pieces

    def _course(self, programme: Programme) -> Course | None:
        """The Learning part's demo course (its item bank gives the ToT's pre/post test), if it is there."""
        try:
            from openpes.training import content
        except ImportError:  # pragma: no cover - before the Learning part lands
            return None
        loader = getattr(content, "load_demo_course", None)
        if loader is None:
            return None
        try:
            return loader(programme)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - the demo must still build without the course
            return None

    def _wgss(self) -> None:
        """About 40 % of officials answered the staff WG-SS; a few have a disability."""
        rows = []
        for person in self.staff:
            if self.rng.random() > 0.4:
                continue
            difficult = self.rng.random() < 0.12
            answers = dict.fromkeys(("seeing", "hearing", "walking", "cognition", "self_care", "communication"), 1)
            if difficult:
                answers[self.rng.choice(list(answers))] = self.rng.choice([3, 4])
            rows.append(StaffWgss(user=person, disability=difficult, **answers))
        existing = set(StaffWgss.objects.values_list("user_id", flat=True))
        StaffWgss.objects.bulk_create([r for r in rows if r.user_id not in existing])

    def _participants(self, count: int, exclude: set[int]) -> list[User]:
        pool = [p for p in self.staff if p.pk not in exclude]
        return self.rng.sample(pool, k=min(count, len(pool)))

    def _enrol(self, event: Event, people: list[User]) -> None:
        Registration.objects.bulk_create(
            [Registration(event=event, participant=p, enrolled_by=self.coordinator) for p in people]
        )

    def _attend(self, event: Event, people: list[User], *, method: str, miss: float = 0.0) -> list[User]:
        rows, attended = [], []
        for person in people:
            days = [d for d in event.days if self.rng.random() >= miss]
            if days:
                attended.append(person)
            rows += [
                Attendance(event=event, participant=person, day=d, method=method, recorded_by=self.coordinator)
                for d in days
            ]
        Attendance.objects.bulk_create(rows)
        self.counts["attendance"] = self.counts.get("attendance", 0) + len(rows)
        return attended

    def _scores(self, event: Event, people: list[User], *, gain: tuple[int, int]) -> None:
        """Pre- and post-test sittings with answers, so gains per competence can be computed."""
        if event.course_id is None:
            return
        quizzes = {q.kind: q for q in Quiz.objects.filter(course_id=event.course_id, kind__in=["pre", "post"])}
        if len(quizzes) < 2:
            return
        banks = {
            kind: list(Question.objects.filter(course_id=event.course_id, form=form).prefetch_related("choices"))
            for kind, form in ((QuizKind.PRE_TEST, "A"), (QuizKind.POST_TEST, "B"))
        }
        for person in people:
            pre = self.rng.randint(40, 65)
            post = min(100, pre + self.rng.randint(*gain))
            if person == self.counsellor:
                post = max(post, 80)  # the demo counsellor is a certified trainer
            for kind, target, offset in ((QuizKind.PRE_TEST, pre, 0), (QuizKind.POST_TEST, post, len(event.days) - 1)):
                self._sitting(
                    quizzes[kind], banks[kind], person, event, target, event.starts_on + timedelta(days=offset)
                )

    def _sitting(self, quiz: Quiz, bank: list[Question], person: User, event: Event, target: int, day: date) -> None:
        items = bank[: quiz.item_count] if len(bank) <= quiz.item_count else self.rng.sample(bank, quiz.item_count)
        if not items:
            return
        right = round(target * len(items) / 100)
        score = Decimal(100 * right / len(items)).quantize(Decimal("0.1"))
        moment = timezone.make_aware(datetime.combine(day, time(15)))
        attempt = QuizAttempt.objects.create(
            quiz=quiz,
            learner=person,
            event=event,
            question_ids=[q.pk for q in items],
            choice_order={str(q.pk): [c.pk for c in q.choices.all()] for q in items},
            started_at=moment - timedelta(minutes=25),
            submitted_at=moment,
            score=score,
            passed=score >= quiz.pass_mark,
        )
        answers = []
        for index, question in enumerate(self.rng.sample(items, len(items))):
            choices: list[Choice] = list(question.choices.all())
            correct = index < right
            chosen = [c.pk for c in choices if c.correct] if correct else [next(c.pk for c in choices if not c.correct)]
            answers.append(AttemptAnswer(attempt=attempt, question=question, choice_ids=chosen, correct=correct))
        AttemptAnswer.objects.bulk_create(answers)

    def _tot(self, programme: Programme, course: Course | None, projects: list[FundingProject]) -> Event:
        starts = self.today - timedelta(days=150)
        tot = Event.objects.create(
            programme=programme,
            tier=Tier.TOT,
            title_en="Training of trainers: client-centred and inclusive services",
            title_km="វគ្គបណ្តុះបណ្តាលគ្រូបង្គោល៖ សេវាផ្តោតលើអតិថិជន និងបរិយាប័ន្ន",
            starts_on=starts,
            ends_on=starts + timedelta(days=2),
            hours=Decimal(18),
            venue="NEA headquarters, Phnom Penh",
            province=Province.objects.filter(code="12").first(),
            course=course,
            post_test_threshold=70,
            capacity=24,
            created_by=self.coordinator,
        )
        tot.funding_projects.set(projects)
        if self.trainer:
            tot.facilitators.set([self.trainer])
        people = self._participants(19, exclude={self.trainer.pk} if self.trainer else set())
        if self.counsellor and self.counsellor not in people:
            people.append(self.counsellor)
        self._enrol(tot, people)
        attended = self._attend(tot, people, method=AttendanceMethod.ROSTER, miss=0.03)
        self._scores(tot, attended, gain=(20, 40))
        evaluator = self.trainer or self.coordinator
        TeachBack.objects.bulk_create(
            [
                TeachBack(
                    event=tot,
                    participant=p,
                    evaluator=evaluator,
                    result="pass" if self.rng.random() < 0.85 or p == self.counsellor else "not_yet",
                    observed_on=tot.ends_on,
                )
                for p in attended
                if evaluator is not None
            ]
        )
        self.tot_people = people
        return tot

    def _certify(self, tot: Event) -> list[TrainerCertification]:
        from openpes.training.actions.events import CERTIFICATION_YEARS, add_years, certification_status

        status = certification_status(tot)
        on = tot.ends_on + timedelta(days=2)
        certifications = [
            TrainerCertification(
                trainer_id=pk,
                tot_event=tot,
                certified_by=self.coordinator,
                certified_on=on,
                valid_until=add_years(on, CERTIFICATION_YEARS),
            )
            for pk, condition in sorted(status.items())
            if condition.eligible or (tot.course_id is None and condition.attended)
        ]
        TrainerCertification.objects.bulk_create(certifications)
        self.counts["certified trainers"] = len(certifications)
        return list(TrainerCertification.objects.filter(tot_event=tot).select_related("trainer__centre__province"))

    def _sessions(
        self,
        programme: Programme,
        course: Course | None,
        projects: list[FundingProject],
        certs: list[TrainerCertification],
    ) -> list[Event]:
        """About two thirds of the certified trainers led one or two sessions in their province; the demo
        counsellor has one coming next week."""
        sessions = []
        dey = next((p for p in projects if p.code == "dey-3"), None)
        for cert in certs:
            trainer = cert.trainer
            upcoming = trainer == self.counsellor
            if not upcoming and self.rng.random() > 0.65:
                continue
            for n in range(1 if upcoming else self.rng.choice([1, 1, 2])):
                if upcoming:
                    starts = self.today + timedelta(days=7)
                else:
                    starts = cert.certified_on + timedelta(days=self.rng.randint(20, 120) + 30 * n)
                    if starts >= self.today:
                        continue
                province = trainer.centre.province if trainer.centre else None
                place = province.name_en if province else "Province"
                session = Event.objects.create(
                    programme=programme,
                    tier=Tier.PROVINCIAL,
                    title_en=f"Client-centred counselling — {place}",
                    title_km=f"ការប្រឹក្សាផ្តោតលើអតិថិជន — {province.name_km if province else ''}".strip(" —"),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=1),
                    hours=Decimal(12),
                    venue=trainer.centre.name_en if trainer.centre else "",
                    province=province,
                    lead_trainer=trainer,
                    trainer_certification=cert,
                    course=course,
                    post_test_threshold=70,
                    self_enrolment=True,
                    capacity=15,
                    created_by=self.coordinator,
                )
                session.facilitators.set([trainer])
                if dey:
                    session.funding_projects.set([dey])
                people = self._participants(self.rng.randint(6, 11), exclude={trainer.pk})
                self._enrol(session, people)
                if not upcoming:
                    attended = self._attend(session, people, method=AttendanceMethod.ROSTER, miss=0.1)
                    self._scores(session, attended, gain=(5, 30))
                sessions.append(session)
        self.counts["provincial sessions"] = len(sessions)
        return sessions

    def _webinars(self, programme: Programme, projects: list[FundingProject]) -> None:
        prossce = next((p for p in projects if p.code == "prossce-asean"), None)
        held_on = self.today - timedelta(days=20)
        webinar = Event.objects.create(
            programme=programme,
            tier=Tier.WEBINAR,
            title_en="Labour-market trends: garment, construction and tourism jobs",
            title_km="និន្នាការទីផ្សារការងារ៖ ការងារកាត់ដេរ សំណង់ និងទេសចរណ៍",
            starts_on=held_on,
            ends_on=held_on,
            hours=Decimal(2),
            link="https://meet.jit.si/openpes-demo-labour-market-trends",
            self_enrolment=True,
            created_by=self.coordinator,
        )
        if prossce:
            webinar.funding_projects.set([prossce])
        if self.coordinator:
            webinar.facilitators.set([self.coordinator])
        people = self._participants(24, exclude=set())
        self._enrol(webinar, people)
        batch = AttendanceImport.objects.create(
            event=webinar, file_name="participants_jitsi.csv", imported_by=self.coordinator
        )
        rows: list[AttendanceImportRow] = []
        attendance: list[Attendance] = []
        for line, person in enumerate(people, start=2):
            if self.rng.random() < 0.2:
                continue  # registered but did not join
            by_hand = len(rows) in (1, 2)  # two rows had no e-mail: a coordinator matched them by hand
            minutes = self.rng.randint(35, 120)
            rows.append(
                AttendanceImportRow(
                    batch=batch,
                    line=line,
                    display_name=person.full_name,
                    email="" if by_hand else (person.email or ""),
                    day=held_on,
                    minutes=minutes,
                    matched=person,
                    matched_by_hand=by_hand,
                )
            )
            attendance.append(
                Attendance(
                    event=webinar,
                    participant=person,
                    day=held_on,
                    method=AttendanceMethod.PLATFORM,
                    minutes=minutes,
                    recorded_by=self.coordinator,
                )
            )
        rows.append(
            AttendanceImportRow(
                batch=batch, line=len(people) + 2, display_name="Guest (phone)", minutes=12, day=held_on
            )
        )
        AttendanceImportRow.objects.bulk_create(rows)
        Attendance.objects.bulk_create(attendance)
        upcoming = self.today + timedelta(days=10)
        coming = Event.objects.create(
            programme=programme,
            tier=Tier.WEBINAR,
            title_en="Occupations in demand this quarter",
            title_km="មុខរបរដែលមានតម្រូវការក្នុងត្រីមាសនេះ",
            starts_on=upcoming,
            ends_on=upcoming,
            hours=Decimal("1.5"),
            link="https://bbb.example.org/b/nea-occupations-in-demand",
            self_enrolment=True,
            created_by=self.coordinator,
        )
        if prossce:
            coming.funding_projects.set([prossce])

    def _reactions(self, events: list[Event]) -> None:
        comments = [
            "Very practical, especially the role plays.",
            "ការហ្វឹកហាត់សម្ភាសន៍មានប្រយោជន៍ណាស់។",
            "More time on working with persons with disabilities, please.",
            "",
            "",
        ]
        rows: list[ReactionResponse] = []
        for event in events:
            for person_id in set(event.attendance.values_list("participant_id", flat=True)):
                if self.rng.random() > 0.8:
                    continue

                def rating() -> int:
                    return self.rng.choice([3, 4, 4, 5, 5])

                rows.append(
                    ReactionResponse(
                        event=event,
                        participant_id=person_id,
                        relevance=rating(),
                        trainer=rating(),
                        materials=rating(),
                        overall=rating(),
                        comment=self.rng.choice(comments),
                    )
                )
        ReactionResponse.objects.bulk_create(rows)
        self.counts["survey answers"] = len(rows)

    def _follow_ups(self, tot: Event, programme: Programme) -> None:
        """Half of the ToT participants rated themselves three months on; some supervisors did too."""
        competences = list(Competence.objects.filter(area__framework=programme.framework).order_by("pk"))
        if not competences:
            return
        managers = {
            u.centre_id: u for u in User.objects.filter(role=Role.CENTRE_MANAGER, is_active=True).order_by("email")
        }
        rated_on = tot.ends_on + timedelta(days=100)
        rows: list[CompetencyRating] = []
        for person in self.tot_people:
            if person == self.counsellor or self.rng.random() > 0.5:
                continue
            base = self.rng.randint(2, 3)
            rows += [
                CompetencyRating(
                    person=person,
                    competence=c,
                    rater_kind=RaterKind.SELF,
                    rater=person,
                    level=min(4, base + self.rng.choice([0, 0, 1])),
                    rated_on=rated_on,
                    event=tot,
                )
                for c in competences
            ]
            supervisor = managers.get(person.centre_id)
            if supervisor is not None and supervisor != person and self.rng.random() < 0.6:
                rows += [
                    CompetencyRating(
                        person=person,
                        competence=c,
                        rater_kind=RaterKind.SUPERVISOR,
                        rater=supervisor,
                        level=max(1, base + self.rng.choice([-1, 0, 0])),
                        rated_on=rated_on + timedelta(days=3),
                        event=tot,
                    )
                    for c in competences
                ]
        CompetencyRating.objects.bulk_create(rows)
        self.counts["competency ratings"] = len(rows)
