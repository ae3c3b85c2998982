"""Who may export or anonymise a person's data. Records are loaded through `jobseekers.access`, so anything
outside the user's scope is a 404 here too.

* the person downloads their own export;
* counsellors and centre managers download the export of a record in their scope;
* only a centre manager anonymises a record (in their province), after confirming.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from openpes.accounts.enums import Role
from openpes.jobseekers.access import CASEWORKERS, get_jobseeker_for_user, get_own_jobseeker
from openpes.jobseekers.models import JobSeeker

ANONYMISERS = frozenset({Role.CENTRE_MANAGER})


def get_jobseeker_for_export(user: Any, pk: Any) -> JobSeeker:
    """A record in a caseworker's scope (404 outside it; 403 for staff who only read)."""
    jobseeker = get_jobseeker_for_user(user, pk)
    if user.role not in CASEWORKERS:
        raise PermissionDenied
    return jobseeker


def get_own_jobseeker_for_export(user: Any) -> JobSeeker:
    jobseeker = get_own_jobseeker(user)
    if jobseeker is None:
        raise Http404
    return jobseeker


def can_anonymise(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in ANONYMISERS)


def get_jobseeker_for_anonymisation(user: Any, pk: Any) -> JobSeeker:
    jobseeker = get_jobseeker_for_export(user, pk)
    if not can_anonymise(user):
        raise PermissionDenied
    return jobseeker
