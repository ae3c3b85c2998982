"""Who may see and change jobseeker records. Views and the API load jobseekers only through these helpers.

* staff see jobseekers owned by centres in their scope (centre / province / nation, see lib.access);
  counsellors and centre managers may change them, national officers and administrators only read;
* a jobseeker sees and changes their own record;
* employers never load jobseeker records here: they see what an applicant shares, through applications;
* WG-SS answers are shown only to the person and to counsellors and managers in scope (S14).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from openpes.accounts.enums import Role
from openpes.jobseekers.models import Document, JobSeeker
from openpes.lib.access import Level, get_object_or_404, scope_for

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})


def get_jobseekers_for_user(user: Any) -> QuerySet[JobSeeker]:
    scope = scope_for(user)
    records = JobSeeker.objects.current().select_related("owner_centre", "province")
    if scope.level is not Level.NONE:
        return scope.filter(records, centre="owner_centre", province="owner_centre__province")
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.JOBSEEKER:
        return records.filter(user=user)
    return records.none()


def get_jobseeker_for_user(user: Any, pk: Any) -> JobSeeker:
    return get_object_or_404(get_jobseekers_for_user(user), pk=pk)


def get_own_jobseeker(user: Any) -> JobSeeker | None:
    """The signed-in jobseeker's own record (None if they have not completed registration)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.JOBSEEKER:
        return None
    return JobSeeker.objects.current().filter(user=user).first()


def can_edit_jobseeker(user: Any, jobseeker: JobSeeker) -> bool:
    if jobseeker.user_id is not None and jobseeker.user_id == getattr(user, "pk", None):
        return True
    return user.role in CASEWORKERS and get_jobseekers_for_user(user).filter(pk=jobseeker.pk).exists()


def get_jobseeker_for_edit(user: Any, pk: Any) -> JobSeeker:
    jobseeker = get_jobseeker_for_user(user, pk)
    if not can_edit_jobseeker(user, jobseeker):
        raise PermissionDenied
    return jobseeker


def can_see_wgss(user: Any, jobseeker: JobSeeker) -> bool:
    return can_edit_jobseeker(user, jobseeker)


def get_document_for_user(user: Any, pk: Any) -> Document:
    """A CV, for the person, staff in scope, or an employer the person applied to (see applications.access)."""
    document = get_object_or_404(Document.objects.select_related("jobseeker"), pk=pk)
    if get_jobseekers_for_user(user).filter(pk=document.jobseeker_id).exists():
        return document
    from openpes.applications.access import employer_may_see_cv

    if employer_may_see_cv(user, document.jobseeker):
        return document
    from django.http import Http404

    raise Http404
