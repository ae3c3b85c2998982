"""Who may see and change vacancies.

* everyone, signed in or not, sees published vacancies;
* employer users see all vacancies of their employers, and may edit drafts and returned ones;
* staff see vacancies of employers served by centres in their scope (for review) and all published ones;
  counsellors and managers review (publish or return) and may post and edit on an employer's behalf.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from openpes.accounts.enums import Role
from openpes.employers.models import EmployerMember
from openpes.lib.access import Level, get_object_or_404, scope_for
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})
EDITABLE = frozenset({VacancyStatus.DRAFT, VacancyStatus.REJECTED, VacancyStatus.SUBMITTED})


def _member_employer_ids(user: Any) -> QuerySet[EmployerMember, int]:
    return EmployerMember.objects.filter(user=user).values_list("employer_id", flat=True)


def get_public_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.published().select_related("employer", "province", "isco_group")


def get_vacancies_for_user(user: Any) -> QuerySet[Vacancy]:
    """Vacancies `user` may open: published ones for everybody, plus unpublished ones they manage."""
    vacancies = Vacancy.objects.select_related("employer", "province", "isco_group", "owner_centre")
    visible = Q(status=VacancyStatus.PUBLISHED)
    scope = scope_for(user)
    if scope.level is not Level.NONE:
        visible |= scope.q(centre="owner_centre", province="owner_centre__province")
    elif getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.EMPLOYER:
        visible |= Q(employer_id__in=_member_employer_ids(user))
    return vacancies.filter(visible)


def get_vacancy_for_user(user: Any, pk: Any) -> Vacancy:
    return get_object_or_404(get_vacancies_for_user(user), pk=pk)


def get_managed_vacancies(user: Any) -> QuerySet[Vacancy]:
    """Vacancies `user` manages: their employers' (employer users) or their scope's (staff)."""
    scope = scope_for(user)
    vacancies = Vacancy.objects.select_related("employer", "province", "isco_group", "owner_centre")
    if scope.level is not Level.NONE:
        return scope.filter(vacancies, centre="owner_centre", province="owner_centre__province")
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.EMPLOYER:
        return vacancies.filter(employer_id__in=_member_employer_ids(user))
    return vacancies.none()


def get_managed_vacancy(user: Any, pk: Any) -> Vacancy:
    return get_object_or_404(get_managed_vacancies(user), pk=pk)


def can_edit_vacancy(user: Any, vacancy: Vacancy) -> bool:
    if vacancy.status not in EDITABLE and user.role == Role.EMPLOYER:
        return False
    if user.role == Role.EMPLOYER:
        return get_managed_vacancies(user).filter(pk=vacancy.pk).exists()
    return user.role in CASEWORKERS and get_managed_vacancies(user).filter(pk=vacancy.pk).exists()


def can_review_vacancy(user: Any, vacancy: Vacancy) -> bool:
    return user.role in CASEWORKERS and get_managed_vacancies(user).filter(pk=vacancy.pk).exists()


def get_vacancy_for_edit(user: Any, pk: Any) -> Vacancy:
    vacancy = get_managed_vacancy(user, pk)
    if not can_edit_vacancy(user, vacancy):
        raise PermissionDenied
    return vacancy
