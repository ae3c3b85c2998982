"""Who may see and change employer records.

* staff see employers served by centres in their scope; counsellors and managers may change and verify them;
* an employer user sees and changes the employers they are a member of;
* jobseekers and the public see only an employer's public name, through published vacancies.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from openpes.accounts.enums import Role
from openpes.employers.models import Employer, EmployerMember
from openpes.lib.access import Level, get_object_or_404, scope_for

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})


def get_employers_for_user(user: Any) -> QuerySet[Employer]:
    scope = scope_for(user)
    employers = Employer.objects.select_related("sector", "province", "owner_centre")
    if scope.level is not Level.NONE:
        return scope.filter(employers, centre="owner_centre", province="owner_centre__province")
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.EMPLOYER:
        return employers.filter(pk__in=EmployerMember.objects.filter(user=user).values("employer_id"))
    return employers.none()


def get_employer_for_user(user: Any, pk: Any) -> Employer:
    return get_object_or_404(get_employers_for_user(user), pk=pk)


def can_manage_employer(user: Any, employer: Employer) -> bool:
    """Change the employer's details and post vacancies for it."""
    if user.role == Role.EMPLOYER:
        return employer.members.filter(user=user).exists()
    return user.role in CASEWORKERS and get_employers_for_user(user).filter(pk=employer.pk).exists()


def can_verify_employer(user: Any, employer: Employer) -> bool:
    return user.role in CASEWORKERS and get_employers_for_user(user).filter(pk=employer.pk).exists()


def get_employer_for_edit(user: Any, pk: Any) -> Employer:
    employer = get_employer_for_user(user, pk)
    if not can_manage_employer(user, employer):
        raise PermissionDenied
    return employer


def get_own_employers(user: Any) -> QuerySet[Employer]:
    if not getattr(user, "is_authenticated", False) or user.role != Role.EMPLOYER:
        return Employer.objects.none()
    return Employer.objects.filter(pk__in=EmployerMember.objects.filter(user=user).values("employer_id"))
