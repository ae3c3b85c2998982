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
from openpes.applications.models import Placement
from openpes.cases.enums import ActionOwner
from openpes.cases.models import (
    Appointment,
    AppointmentSlot,
    Case,
    CaseNote,
    FollowUp,
    PlanAction,
    ServiceReferral,
    Shortlist,
)
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


# -- services: appointments, partner referrals, placements and follow-ups, employer services ------------------------
# (Staff reach these through the cases, jobseekers and employers in their scope; jobseekers their own
# appointments; employers only the shortlists sent to them — never appointments, referrals or follow-ups.)

PARTNER_EDITORS = frozenset({Role.CENTRE_MANAGER, Role.TRAINING_COORDINATOR, Role.ADMINISTRATOR})


def get_appointments_for_user(user: Any) -> QuerySet[Appointment]:
    """Appointments of the cases the user may see (a jobseeker: their own)."""
    return Appointment.objects.select_related("case__jobseeker", "counsellor", "centre").filter(
        case__in=get_cases_for_user(user).values("pk")
    )


def get_appointment_for_user(user: Any, pk: Any) -> Appointment:
    return get_object_or_404(get_appointments_for_user(user), pk=pk)


def can_work_on_appointment(user: Any, appointment: Appointment) -> bool:
    return can_work_on_case(user, appointment.case)


def get_slots_for_user(user: Any) -> QuerySet[AppointmentSlot]:
    """Staff: the slots of centres in their scope. Jobseekers reach open slots through `bookable_slots`."""
    slots = AppointmentSlot.objects.select_related("counsellor", "centre")
    scope = scope_for(user)
    if scope.level is Level.NONE:
        return slots.none()
    return scope.filter(slots, centre="centre", province="centre__province")


def get_slot_for_user(user: Any, pk: Any) -> AppointmentSlot:
    return get_object_or_404(get_slots_for_user(user), pk=pk)


def can_manage_slot(user: Any, slot: AppointmentSlot) -> bool:
    """A counsellor manages their own slots; a centre manager those of the centres in their scope."""
    if user.role == Role.COUNSELLOR:
        return bool(slot.counsellor_id == user.pk)
    return user.role == Role.CENTRE_MANAGER and get_slots_for_user(user).filter(pk=slot.pk).exists()


def bookable_slots(user: Any) -> QuerySet[AppointmentSlot]:
    """The open, free, future slots a jobseeker may book: those of their own centre."""
    from django.utils import timezone

    from openpes.cases.actions.services import bookable_centre_id
    from openpes.jobseekers.access import get_own_jobseeker

    jobseeker = get_own_jobseeker(user)
    if jobseeker is None:
        return AppointmentSlot.objects.none()
    return AppointmentSlot.objects.select_related("centre").filter(
        centre_id=bookable_centre_id(jobseeker),
        open_to_jobseekers=True,
        starts_at__gt=timezone.now(),
        appointment__isnull=True,
    )


def get_bookable_slot(user: Any, pk: Any) -> AppointmentSlot:
    return get_object_or_404(bookable_slots(user), pk=pk)


def get_service_referrals_for_user(user: Any) -> QuerySet[ServiceReferral]:
    return ServiceReferral.objects.select_related("case__jobseeker", "service__partner", "referred_by").filter(
        case__in=get_cases_for_user(user).values("pk")
    )


def get_service_referral_for_user(user: Any, pk: Any) -> ServiceReferral:
    return get_object_or_404(get_service_referrals_for_user(user), pk=pk)


def can_edit_partners(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in PARTNER_EDITORS


def get_placements_for_user(user: Any) -> QuerySet[Placement]:
    """Placements of jobseekers in the staff user's scope (follows the person when a case is transferred)."""
    placements = Placement.objects.select_related("jobseeker", "employer", "vacancy", "centre")
    scope = scope_for(user)
    if scope.level is Level.NONE:
        return placements.none()
    return scope.filter(placements, centre="jobseeker__owner_centre", province="jobseeker__owner_centre__province")


def get_placement_for_user(user: Any, pk: Any) -> Placement:
    return get_object_or_404(get_placements_for_user(user), pk=pk)


def get_follow_ups_for_user(user: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.select_related(
        "placement__jobseeker", "placement__employer", "placement__centre", "case"
    ).filter(placement__in=get_placements_for_user(user).values("pk"))


def get_follow_up_for_user(user: Any, pk: Any) -> FollowUp:
    return get_object_or_404(get_follow_ups_for_user(user), pk=pk)


def can_follow_up(user: Any) -> bool:
    """Record follow-ups and placements: counsellors and centre managers (within their scope)."""
    return getattr(user, "role", None) in CASEWORKERS


def get_shortlists_for_user(user: Any) -> QuerySet[Shortlist]:
    """Staff: shortlists for vacancies they manage; employer users: the sent shortlists for their vacancies."""
    from openpes.vacancies.access import get_managed_vacancies

    shortlists = Shortlist.objects.select_related("vacancy__employer", "created_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return shortlists.none()
    if scope_for(user).level is Level.NONE and user.role != Role.EMPLOYER:
        return shortlists.none()
    visible = shortlists.filter(vacancy__in=get_managed_vacancies(user).values("pk"))
    if user.role == Role.EMPLOYER:
        visible = visible.filter(sent_at__isnull=False)
    return visible


def get_shortlist_for_user(user: Any, pk: Any) -> Shortlist:
    return get_object_or_404(get_shortlists_for_user(user), pk=pk)
