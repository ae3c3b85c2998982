"""Level 4: each trained counsellor's casework before and after their training, per person and per cohort.

Each indicator is a `CaseworkIndicator` counting rows attributable to a staff member (registrations they
handled, their referrals, placements from those referrals). Plans agreed and follow-ups completed join
`CASEWORK_INDICATORS` when case management lands: one function each, nothing else changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.models import User
from openpes.training.models import (
    Event,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from openpes.training.reports import Table, start_of


@dataclass(frozen=True)
class CaseworkIndicator:
    """A casework count attributable to one staff member. `rows(ids, start, end)` yields (person id, moment).
    Plans agreed and follow-ups completed join this list when case management lands."""

    code: str
    label: StrOrPromise
    rows: Callable[[Sequence[int], datetime, datetime], Iterable[tuple[int, datetime]]]


def _registrations(ids: Sequence[int], start: datetime, end: datetime) -> Iterable[tuple[int, datetime]]:
    from openpes.jobseekers.enums import EventKind
    from openpes.jobseekers.models import JobSeekerEvent

    return JobSeekerEvent.objects.filter(
        kind=EventKind.REGISTERED, actor_id__in=ids, at__gte=start, at__lt=end
    ).values_list("actor_id", "at")


def _referrals(ids: Sequence[int], start: datetime, end: datetime) -> Iterable[tuple[int, datetime]]:
    from openpes.applications.models import Application

    return Application.objects.filter(referred_by_id__in=ids, created_at__gte=start, created_at__lt=end).values_list(
        "referred_by_id", "created_at"
    )


def _placements(ids: Sequence[int], start: datetime, end: datetime) -> Iterable[tuple[int, datetime]]:
    from openpes.applications.models import Placement

    return Placement.objects.filter(
        application__referred_by_id__in=ids, recorded_at__gte=start, recorded_at__lt=end
    ).values_list("application__referred_by_id", "recorded_at")


CASEWORK_INDICATORS: list[CaseworkIndicator] = [
    CaseworkIndicator("registrations", _("Registrations handled"), _registrations),
    CaseworkIndicator("referrals", _("Referrals"), _referrals),
    CaseworkIndicator("placements", _("Placements from their referrals"), _placements),
]


@dataclass
class CaseworkRow:
    person: User
    trained_on: date
    days_after: int  # days observed after training (may be fewer than the window for recent training)
    before: dict[str, int]
    after: dict[str, int]


def casework_before_after(
    people: Sequence[tuple[User, date]], *, window_days: int = 90, today: date | None = None
) -> list[CaseworkRow]:
    """L4: each person's casework counts in the `window_days` before their training date and in as many days
    after it (or up to today)."""
    today = today or timezone.localdate()
    if not people:
        return []
    ids = [p.pk for p, _day in people]
    start = start_of(min(d for _p, d in people) - timedelta(days=window_days))
    end = start_of(min(max(d for _p, d in people) + timedelta(days=window_days), today) + timedelta(days=1))
    moments: dict[str, dict[int, list[datetime]]] = {}
    for indicator in CASEWORK_INDICATORS:
        by_person: dict[int, list[datetime]] = defaultdict(list)
        for person_id, moment in indicator.rows(ids, start, end):
            by_person[person_id].append(moment)
        moments[indicator.code] = by_person
    out = []
    for person, trained_on in people:
        split = start_of(trained_on)
        lower = start_of(trained_on - timedelta(days=window_days))
        upper = start_of(trained_on + timedelta(days=window_days))
        before, after = {}, {}
        for indicator in CASEWORK_INDICATORS:
            stamps = moments[indicator.code].get(person.pk, [])
            before[indicator.code] = sum(1 for m in stamps if lower <= m < split)
            after[indicator.code] = sum(1 for m in stamps if split <= m < upper)
        days_after = max(0, min(window_days, (today - trained_on).days))
        out.append(CaseworkRow(person, trained_on, days_after, before, after))
    return out


def cohort_people(event: Event) -> list[tuple[User, date]]:
    """The people an event trained, with the date their training ended (the event's last day)."""
    ids = set(event.attendance.values_list("participant_id", flat=True))
    return [(u, event.ends_on) for u in User.objects.filter(pk__in=ids).order_by("full_name", "pk")]


def casework_table(rows: Sequence[CaseworkRow], window_days: int) -> Table:
    columns: list[StrOrPromise] = [_("Person"), _("Training ended"), _("Days observed after")]
    for indicator in CASEWORK_INDICATORS:
        columns += [indicator.label, _("before"), _("after")]
    out = []
    for row in rows:
        cells: list[Any] = [str(row.person), row.trained_on, row.days_after]
        for indicator in CASEWORK_INDICATORS:
            cells += ["", row.before[indicator.code], row.after[indicator.code]]
        out.append(cells)
    return Table("casework", _("Casework before and after training (L4)"), columns, out)


def cohort_totals(rows: Sequence[CaseworkRow]) -> list[tuple[StrOrPromise, int, int]]:
    return [
        (indicator.label, sum(r.before[indicator.code] for r in rows), sum(r.after[indicator.code] for r in rows))
        for indicator in CASEWORK_INDICATORS
    ]
