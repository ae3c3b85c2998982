"""The main navigation, by role. Each entry is a URL name and a label; apps add theirs here as they land."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Role

_ALL_STAFF = frozenset(
    {
        Role.COUNSELLOR,
        Role.CENTRE_MANAGER,
        Role.NATIONAL_OFFICER,
        Role.TRAINER,
        Role.TRAINING_COORDINATOR,
        Role.ADMINISTRATOR,
    }
)

# (url name, label, roles that see it; None = everyone including the public)
_CASEWORK = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR})
_PUBLIC = frozenset({None, Role.JOBSEEKER})

NAV: list[tuple[str, Promise, frozenset[str | None] | None]] = [
    ("home", _("Home"), None),
    ("vacancies:search", _("Find a job"), _PUBLIC),
    ("matching:my_jobs", _("Jobs for you"), frozenset({Role.JOBSEEKER})),
    ("jobseekers:my_profile", _("My profile"), frozenset({Role.JOBSEEKER})),
    ("applications:mine", _("My applications"), frozenset({Role.JOBSEEKER})),
    ("employers:home", _("My business"), frozenset({Role.EMPLOYER})),
    ("cases:caseload", _("My caseload"), frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})),
    ("cases:my_case", _("My plan"), frozenset({Role.JOBSEEKER})),
    ("cases:my_appointments", _("My appointments"), frozenset({Role.JOBSEEKER})),
    ("cases:calendar", _("Appointments"), frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})),
    ("jobseekers:list", _("Jobseekers"), _CASEWORK),
    ("employers:list", _("Employers"), _CASEWORK),
    ("vacancies:manage", _("Vacancies"), _CASEWORK),
    ("training:home", _("Training"), _ALL_STAFF),
    ("centres:list", _("Job centres"), frozenset({Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR})),
    ("taxonomy:isco", _("Occupations"), _ALL_STAFF),
]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    items = []
    for name, label, roles in NAV:
        if roles is not None and role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append(NavItem(url=url, label=str(label), current=current))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": nav_items(request)}
