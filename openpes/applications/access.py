"""Who may see and move applications.

* a jobseeker sees their own applications and may withdraw them;
* an employer user sees applications to their employers' vacancies, with only what the applicant shares
  (never WG-SS answers, national ID or case notes — S14), and moves them through the selection states;
* staff see applications of jobseekers or vacancies in their scope; counsellors and managers refer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from openpes.accounts.enums import Role
from openpes.applications.models import Application
from openpes.employers.models import EmployerMember
from openpes.jobseekers.models import JobSeeker
from openpes.lib.access import Level, get_object_or_404, scope_for


def get_applications_for_user(user: Any) -> QuerySet[Application]:
    applications = Application.objects.select_related(
        "vacancy", "vacancy__employer", "jobseeker", "jobseeker__owner_centre"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return applications.none()
    scope = scope_for(user)
    if scope.level is not Level.NONE:
        return applications.filter(
            scope.q(centre="jobseeker__owner_centre", province="jobseeker__owner_centre__province")
            | scope.q(centre="vacancy__owner_centre", province="vacancy__owner_centre__province")
        )
    if user.role == Role.JOBSEEKER:
        return applications.filter(jobseeker__user=user)
    if user.role == Role.EMPLOYER:
        employer_ids = EmployerMember.objects.filter(user=user).values("employer_id")
        return applications.filter(vacancy__employer_id__in=employer_ids)
    return applications.none()


def get_application_for_user(user: Any, pk: Any) -> Application:
    return get_object_or_404(get_applications_for_user(user), pk=pk)


def employer_may_see_cv(user: Any, jobseeker: JobSeeker) -> bool:
    """An employer sees the CV of someone who applied (or was referred) to one of its vacancies."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.EMPLOYER:
        return False
    return get_applications_for_user(user).filter(jobseeker=jobseeker).exclude(status="withdrawn").exists()


def can_refer(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.COUNSELLOR, Role.CENTRE_MANAGER)


@dataclass(frozen=True)
class SharedProfile:
    """What an employer sees of an applicant: chosen by the jobseeker, never health data or ID numbers."""

    name: str
    phone: str
    email: str
    province: str
    education: str
    experience: list[str]
    skills: list[str]
    languages: list[str]
    cv_id: int | None


def shared_profile(jobseeker: JobSeeker) -> SharedProfile:
    latest_cv = jobseeker.documents.first()
    return SharedProfile(
        name=jobseeker.display_name,
        phone=jobseeker.phone,
        email=jobseeker.email,
        province=jobseeker.province.name,
        education=str(jobseeker.education_level or ""),
        experience=[
            f"{e.title} — {e.employer_name}" if e.employer_name else e.title for e in jobseeker.experience.all()
        ],
        skills=[str(s.skill) for s in jobseeker.skills.select_related("skill")],
        languages=[str(language) for language in jobseeker.languages.all()],
        cv_id=latest_cv.pk if latest_cv else None,
    )
