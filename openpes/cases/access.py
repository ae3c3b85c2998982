"""Who may see and change cases, notes, plans and service referrals.

* counsellors see the cases of their centre (and work on them); centre managers those of their province
  (and assign, transfer); national officers and administrators read all for oversight (no notes);
* after a transfer to another centre, the old centre no longer sees the case;
* a jobseeker sees their own case: assessment (with its reasons), plan, appointments, referrals — never notes;
* employers never see cases or notes (S14).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from openpes.accounts.enums import Role
from openpes.cases.enums import ActionOwner
from openpes.cases.models import Case, CaseNote, PlanAction
from openpes.lib.access import Level, get_object_or_404, scope_for

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})


def get_cases_for_user(user: Any) -> QuerySet[Case]:
    cases = Case.objects.select_related("jobseeker", "owner_centre", "counsellor")
    scope = scope_for(user)
    if scope.level is not Level.NONE:
        return scope.filter(cases, centre="owner_centre", province="owner_centre__province")
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.JOBSEEKER:
        return cases.filter(jobseeker__user=user)
    return cases.none()


def get_case_for_user(user: Any, pk: Any) -> Case:
    return get_object_or_404(get_cases_for_user(user), pk=pk)


def can_work_on_case(user: Any, case: Case) -> bool:
    """Record intake, assessment, plan, notes, appointments, referrals and follow-ups."""
    return user.role in CASEWORKERS and get_cases_for_user(user).filter(pk=case.pk).exists()


def get_case_for_work(user: Any, pk: Any) -> Case:
    case = get_case_for_user(user, pk)
    if not can_work_on_case(user, case):
        raise PermissionDenied
    return case


def can_manage_caseloads(user: Any) -> bool:
    return getattr(user, "role", None) == Role.CENTRE_MANAGER


def get_notes_for_user(user: Any, case: Case) -> QuerySet[CaseNote]:
    """Case notes: only caseworkers with access to the case (never the jobseeker, employers or HQ)."""
    if not can_work_on_case(user, case):
        return CaseNote.objects.none()
    return case.notes.select_related("author")


def get_plan_action_for_user(user: Any, pk: Any) -> PlanAction:
    """A plan action of a case the user may see."""
    actions = PlanAction.objects.select_related("objective__plan__case__jobseeker")
    return get_object_or_404(actions.filter(objective__plan__case__in=get_cases_for_user(user)), pk=pk)


def can_tick_action(user: Any, action: PlanAction) -> bool:
    """The jobseeker moves their own actions along; caseworkers any action of a case they work on."""
    case = action.objective.plan.case
    if getattr(user, "role", None) == Role.JOBSEEKER:
        return action.owner == ActionOwner.JOBSEEKER and case.jobseeker.user_id == user.pk
    return can_work_on_case(user, case)
