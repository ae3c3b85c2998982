"""What needs doing in a caseload: each case annotated with today's appointments, overdue plan actions,
follow-ups due, plan reviews due and how long since the last contact — in one query, whatever the number of
cases — and the centre manager's view of caseloads per counsellor.

Used by the caseload page, the manager's team page and the counsellor and manager home pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.cases.access import get_cases_for_user
from openpes.cases.enums import ActionStatus, AppointmentStatus, CaseEventKind, CaseStatus, PlanStatus
from openpes.cases.models import Appointment, Assessment, Case, CaseEvent, FollowUp, Plan, PlanAction
from openpes.lib.access import scope_for

NO_CONTACT_DAYS = 60
OUTCOME_DAYS = 90
DUE_KINDS = ("appointments", "overdue", "follow_ups", "review", "no_contact")


def _count(queryset: QuerySet[Any], key: str) -> Coalesce:
    """COUNT(*) of a correlated subquery, 0 when there are no rows."""
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _day_bounds(today: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


def annotate_work(cases: QuerySet[Case], *, today: date | None = None, now: datetime | None = None) -> QuerySet[Any]:
    """Add `appointments_today`, `overdue_actions`, `follow_ups_due`, `review_on`, `review_due`, `last_seen`,
    `no_contact`, `group` (the latest assessment's final group) and `urgency` to each case."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    start, end = _day_bounds(today)
    latest_version = Plan.objects.filter(case=OuterRef(OuterRef("pk"))).order_by("-version").values("version")[:1]
    appointments = Appointment.objects.filter(
        case=OuterRef("pk"), starts_at__gte=start, starts_at__lt=end, status=AppointmentStatus.BOOKED
    )
    overdue = PlanAction.objects.filter(
        objective__plan__case=OuterRef("pk"),
        objective__plan__version=Subquery(latest_version),
        status__in=[ActionStatus.TODO, ActionStatus.IN_PROGRESS],
        due_on__lt=today,
    )
    # Follow-ups hang off the placement; one recorded before the case existed still counts for the person.
    follow_ups = FollowUp.objects.filter(
        Q(case=OuterRef("pk")) | Q(case__isnull=True, placement__jobseeker=OuterRef("jobseeker_id")),
        due_on__lte=today,
        done_at__isnull=True,
    )
    review_on = (
        Plan.objects.filter(case=OuterRef("pk"), status=PlanStatus.AGREED)
        .order_by("-version")
        .values("next_review_on")[:1]
    )
    group = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by("-assessed_at", "-id")
        .annotate(final=Coalesce(NullIf("override_group", Value("")), "group"))
        .values("final")[:1]
    )
    no_contact_since = now - timedelta(days=NO_CONTACT_DAYS)
    return (
        cases.annotate(
            appointments_today=_count(appointments, "case"),
            overdue_actions=_count(overdue, "objective__plan__case"),
            follow_ups_due=_count(follow_ups, "placement"),
            review_on=Subquery(review_on, output_field=DateField()),
            group=Subquery(group),
            last_seen=Coalesce("last_contact_at", "opened_at"),
        )
        .annotate(
            review_due=When_(
                When(status=CaseStatus.OPEN, review_on__lte=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            no_contact=When_(
                When(status=CaseStatus.OPEN, last_seen__lt=no_contact_since, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            urgency=ExpressionWrapper(
                F("appointments_today")
                + F("overdue_actions")
                + F("follow_ups_due")
                + When_(When(review_due=True, then=Value(1)), default=Value(0))
                + When_(When(no_contact=True, then=Value(1)), default=Value(0)),
                output_field=IntegerField(),
            )
        )
    )


DUE_FILTERS: dict[str, Q] = {
    "appointments": Q(appointments_today__gt=0),
    "overdue": Q(overdue_actions__gt=0),
    "follow_ups": Q(follow_ups_due__gt=0),
    "review": Q(review_due=True),
    "no_contact": Q(no_contact=True),
}
DUE_FILTERS["today"] = (
    DUE_FILTERS["appointments"]
    | DUE_FILTERS["overdue"]
    | DUE_FILTERS["follow_ups"]
    | DUE_FILTERS["review"]
    | DUE_FILTERS["no_contact"]
)


@dataclass(frozen=True)
class Filters:
    due: str = ""
    group: str = ""
    status: str = CaseStatus.OPEN


def my_cases(user: User) -> QuerySet[Case]:
    """The cases this counsellor holds (within what they may see)."""
    return get_cases_for_user(user).filter(counsellor=user)


def caseload(user: User, filters: Filters = Filters(), *, today: date | None = None) -> QuerySet[Any]:
    """The counsellor's cases, most urgent first."""
    cases = annotate_work(my_cases(user), today=today)
    if filters.status == CaseStatus.OPEN:
        # A case closed as "placed" still has its 1/3/6-month follow-ups to do: keep it on the list until done.
        cases = cases.filter(Q(status=CaseStatus.OPEN) | Q(follow_ups_due__gt=0))
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.group:
        cases = cases.filter(group=filters.group)
    if filters.due in DUE_FILTERS:
        cases = cases.filter(DUE_FILTERS[filters.due])
    return cases.select_related("jobseeker", "owner_centre").order_by("-urgency", "last_seen", "pk")


@dataclass(frozen=True)
class Summary:
    open_cases: int
    appointments: int
    overdue: int
    follow_ups: int
    reviews: int
    no_contact: int

    @property
    def anything_due(self) -> bool:
        return any((self.appointments, self.overdue, self.follow_ups, self.reviews, self.no_contact))


def summarise(cases: QuerySet[Any]) -> Summary:
    """Counts over annotated open cases (and closed ones with follow-ups due): appointments today (a sum), and
    cases with each kind of work due."""
    # One group (all open cases) rather than aggregate(): aggregate() over these annotations wraps them in a
    # subquery and drops some of the columns the filters refer to.
    totals = (
        cases.filter(Q(status=CaseStatus.OPEN) | DUE_FILTERS["follow_ups"])
        .annotate(group_all=Value(1))
        .values("group_all")
        .annotate(
            open_cases=Count("pk", filter=Q(status=CaseStatus.OPEN)),
            appointments=Sum("appointments_today"),
            overdue=Count("pk", filter=DUE_FILTERS["overdue"]),
            follow_ups=Count("pk", filter=DUE_FILTERS["follow_ups"]),
            reviews=Count("pk", filter=DUE_FILTERS["review"]),
            no_contact=Count("pk", filter=DUE_FILTERS["no_contact"]),
        )
        .order_by("group_all")
        .first()
    ) or {}
    fields = ("open_cases", "appointments", "overdue", "follow_ups", "reviews", "no_contact")
    return Summary(**{key: int(totals.get(key) or 0) for key in fields})


# -- the centre manager ------------------------------------------------------------------------------------------


@dataclass
class CounsellorLoad:
    counsellor: User
    open_cases: int = 0
    overdue_cases: int = 0
    placements: int = 0
    closures: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        return sum(self.closures.values())


@dataclass
class Team:
    rows: list[CounsellorLoad]
    unassigned: list[Case]
    unassigned_count: int
    counsellors_by_centre: dict[int, list[User]]
    since: date
    closure_reasons: list[tuple[str, str]]


def team_members(user: User) -> QuerySet[User]:
    """Counsellors and managers in the manager's scope (their province)."""
    scope = scope_for(user)
    staff = User.objects.filter(role__in=[Role.COUNSELLOR, Role.CENTRE_MANAGER], is_active=True)
    return scope.filter(staff, centre="centre", province="centre__province").select_related("centre")


def team(user: User, *, unassigned_limit: int = 50) -> Team:
    """Caseloads per counsellor in the manager's scope: open cases, cases with overdue work, and outcomes over
    the last 90 days (placements and closures by reason), plus the open cases nobody holds yet. A fixed number
    of queries, whatever the size of the team."""
    from openpes.cases.enums import ClosureReason

    now = timezone.now()
    since = now - timedelta(days=OUTCOME_DAYS)
    members = list(team_members(user).order_by("centre__code", "full_name", "pk"))
    rows = {member.pk: CounsellorLoad(counsellor=member) for member in members}
    cases = get_cases_for_user(user)
    overdue_q = DUE_FILTERS["overdue"] | DUE_FILTERS["follow_ups"] | DUE_FILTERS["review"] | DUE_FILTERS["no_contact"]
    loads = (
        annotate_work(cases.filter(status=CaseStatus.OPEN, counsellor__isnull=False), now=now)
        .values("counsellor")
        .annotate(open_cases=Count("pk"), overdue_cases=Count("pk", filter=overdue_q))
        .order_by()
    )
    for load in loads:
        if load["counsellor"] in rows:
            rows[load["counsellor"]].open_cases = load["open_cases"]
            rows[load["counsellor"]].overdue_cases = load["overdue_cases"]
    placements = (
        CaseEvent.objects.filter(kind=CaseEventKind.PLACED, at__gte=since, case__in=cases.values("pk"))
        .values("case__counsellor")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    for placement in placements:
        if placement["case__counsellor"] in rows:
            rows[placement["case__counsellor"]].placements = placement["n"]
    closures = (
        cases.filter(status=CaseStatus.CLOSED, closed_at__gte=since)
        .values("counsellor", "closure_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for closure in closures:
        if closure["counsellor"] in rows:
            rows[closure["counsellor"]].closures[closure["closure_reason"]] = closure["n"]
    unassigned_qs = cases.filter(status=CaseStatus.OPEN, counsellor__isnull=True).order_by("opened_at", "pk")
    unassigned = list(unassigned_qs[:unassigned_limit])
    by_centre: dict[int, list[User]] = {}
    for member in members:
        if member.centre_id is not None:
            by_centre.setdefault(member.centre_id, []).append(member)
    return Team(
        rows=list(rows.values()),
        unassigned=unassigned,
        unassigned_count=len(unassigned) if len(unassigned) < unassigned_limit else unassigned_qs.count(),
        counsellors_by_centre=by_centre,
        since=timezone.localdate(since),
        closure_reasons=[(str(value), str(label)) for value, label in ClosureReason.choices],
    )


# -- home pages ----------------------------------------------------------------------------------------------------


def home_context(user: User) -> dict[str, Any]:
    """What the counsellor's and the manager's home pages show of the caseload."""
    context: dict[str, Any] = {}
    if user.role not in (Role.COUNSELLOR, Role.CENTRE_MANAGER):
        return context
    mine = annotate_work(my_cases(user))
    context["caseload_summary"] = summarise(mine)
    context["caseload_next"] = list(
        mine.filter(Q(status=CaseStatus.OPEN) | DUE_FILTERS["follow_ups"])
        .filter(DUE_FILTERS["today"])
        .select_related("jobseeker")
        .order_by("-urgency", "last_seen", "pk")[:5]
    )
    if user.role == Role.CENTRE_MANAGER:
        context["team"] = team(user, unassigned_limit=10)
    return context
