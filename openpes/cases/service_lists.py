"""Work lists of the services part: follow-ups by state, employers due for a contact, and one calendar of
appointments and free slots. Read-only filters over querysets the access helpers already scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from openpes.cases.actions.services import local_day_bounds
from openpes.cases.enums import AppointmentStatus
from openpes.cases.models import Appointment, AppointmentSlot, EmployerContact, FollowUp

FOLLOW_UP_STATES = ("due", "upcoming", "done")
UPCOMING_DAYS = 30
# An employer nobody has contacted for this long is due for a call (unless a next contact was planned).
CONTACT_EVERY_DAYS = 180


def follow_ups_in(queryset: QuerySet[FollowUp], state: str, today: date) -> QuerySet[FollowUp]:
    """`due`: not done and due today or before (oldest first); `upcoming`: due in the next 30 days; `done`."""
    if state == "upcoming":
        return queryset.filter(
            done_at__isnull=True, due_on__gt=today, due_on__lte=today + timedelta(days=UPCOMING_DAYS)
        ).order_by("due_on", "pk")
    if state == "done":
        return queryset.filter(done_at__isnull=False).order_by("-done_at", "-pk")
    return queryset.filter(done_at__isnull=True, due_on__lte=today).order_by("due_on", "pk")


def employers_due_for_contact(employers: QuerySet[Any], today: date) -> QuerySet[Any]:
    """Verified employers whose planned next contact has come, or that nobody contacted for six months.
    Annotated with `last_contact_at` and `next_contact_on` (of the latest contact)."""
    latest = EmployerContact.objects.filter(employer=OuterRef("pk")).order_by("-at", "-pk")
    annotated = employers.annotate(
        last_contact_at=Max("contacts__at"),
        next_contact_on=Subquery(latest.values("next_contact_on")[:1]),
    )
    since = timezone.now() - timedelta(days=CONTACT_EVERY_DAYS)
    planned = Q(next_contact_on__isnull=False, next_contact_on__lte=today)
    forgotten = Q(next_contact_on__isnull=True) & (Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=since))
    due: QuerySet[Any] = (
        annotated.filter(verification="verified")
        .filter(planned | forgotten)
        .order_by("next_contact_on", "last_contact_at", "pk")
    )
    return due


@dataclass(frozen=True)
class CalendarRow:
    """One line of the calendar: a booked (or past) appointment, or a free slot."""

    starts_at: datetime
    ends_at: datetime
    appointment: Appointment | None = None
    slot: AppointmentSlot | None = None

    @property
    def counsellor(self) -> Any:
        return self.appointment.counsellor if self.appointment else self.slot.counsellor if self.slot else None


@dataclass(frozen=True)
class CalendarDay:
    day: date
    rows: list[CalendarRow]


def calendar_days(
    appointments: QuerySet[Appointment], slots: QuerySet[AppointmentSlot], first: date, days: int
) -> list[CalendarDay]:
    """Appointments (not cancelled) and free slots from `first` for `days` days, by day and time."""
    start, _ = local_day_bounds(first)
    _, end = local_day_bounds(first + timedelta(days=days - 1))
    rows = [
        CalendarRow(a.starts_at, a.ends_at, appointment=a)
        for a in appointments.filter(starts_at__gte=start, starts_at__lt=end).exclude(
            status=AppointmentStatus.CANCELLED
        )
    ]
    rows += [
        CalendarRow(s.starts_at, s.ends_at, slot=s)
        for s in slots.filter(starts_at__gte=start, starts_at__lt=end, appointment__isnull=True)
    ]
    rows.sort(key=lambda row: (row.starts_at, row.appointment is None))
    by_day: dict[date, list[CalendarRow]] = {first + timedelta(days=n): [] for n in range(days)}
    for row in rows:
        by_day.setdefault(timezone.localdate(row.starts_at), []).append(row)
    return [CalendarDay(day, by_day[day]) for day in sorted(by_day)]
