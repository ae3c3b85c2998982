"""Case-file actions: open, assign, transfer, close and reopen a case; the intake interview; the needs
assessment and its override; the individual employment plan; case notes.

Each function is one atomic change that writes its CaseEvent (indicators are computed from them, with the
case's owner centre at the time) and an audit row. Free text (notes, reasons) never goes into events or
audit details.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Role
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.cases import assessment as rules
from openpes.cases.enums import (
    ActionOwner,
    ActionStatus,
    BarrierTheme,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    NoteCategory,
    PlanStatus,
    SupportGroup,
)
from openpes.cases.models import (
    Assessment,
    Barrier,
    Case,
    CaseEvent,
    CaseNote,
    CaseTransfer,
    Intake,
    Objective,
    Partner,
    Plan,
    PlanAction,
)

# Events that mean the person and the service were in touch (for "no contact for 60 days").
CONTACT_KINDS = frozenset(
    {
        CaseEventKind.OPENED,
        CaseEventKind.REOPENED,
        CaseEventKind.INTAKE_DONE,
        CaseEventKind.PLAN_AGREED,
        CaseEventKind.PLAN_REVIEWED,
        CaseEventKind.APPOINTMENT_ATTENDED,
        CaseEventKind.FOLLOW_UP_DONE,
    }
)
CASEWORKER_ROLES = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})
MAX_REVIEW_DAYS = 365


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def record_event(case: Case, kind: str, actor: Any, **detail: Any) -> CaseEvent:
    """Append a CaseEvent, attributed to the case's owner centre now. Contact events also move the case's
    `last_contact_at`. Put only codes and ids in `detail`, never free text."""
    event = CaseEvent.objects.create(
        case=case, kind=kind, actor=_user_or_none(actor), centre_id=case.owner_centre_id, detail=detail
    )
    if kind in CONTACT_KINDS:
        Case.objects.filter(pk=case.pk).update(last_contact_at=event.at)
        case.last_contact_at = event.at
    return event


def _audit(actor: Any, action: AuditAction, obj: Any, case: Case, request: Any, **detail: Any) -> None:
    record(actor=actor, action=action, obj=obj, subject_id=case.jobseeker_id, detail=detail or None, request=request)


def _locked(case: Case) -> Case:
    """The case row again, locked for the rest of the transaction (two people acting at once)."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    case.status, case.owner_centre_id, case.counsellor_id = fresh.status, fresh.owner_centre_id, fresh.counsellor_id
    return case


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is closed. Open a new episode to work on it."), code="closed")


def eligible_counsellors(centre: Any) -> Any:
    """Staff of `centre` who can hold cases."""
    from openpes.accounts.models import User

    return User.objects.filter(centre=centre, role__in=sorted(CASEWORKER_ROLES), is_active=True).order_by(
        "full_name", "pk"
    )


def _check_counsellor(counsellor: Any, centre: Any) -> None:
    if not eligible_counsellors(centre).filter(pk=counsellor.pk).exists():
        raise ValidationError(
            {"counsellor": _("Choose a counsellor of %(centre)s.") % {"centre": centre}}, code="counsellor"
        )


# -- the case itself ---------------------------------------------------------------------------------------------


@transaction.atomic
def open_case(*, actor: Any, jobseeker: Any, counsellor: Any = None, request: Any = None) -> Case:
    """Open a new episode for `jobseeker`, owned by the jobseeker's centre. A counsellor who opens a case
    holds it; a manager may name a counsellor of that centre or leave it unassigned."""
    from openpes.jobseekers.models import JobSeeker

    # Lock the person: two counsellors opening a case at the same moment get one case and one clear error.
    jobseeker = JobSeeker.objects.select_for_update().get(pk=jobseeker.pk)
    if jobseeker.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one."), code="merged")
    if Case.objects.filter(jobseeker=jobseeker, status=CaseStatus.OPEN).exists():
        raise ValidationError(_("This person already has an open case."), code="open_case_exists")
    centre = jobseeker.owner_centre
    if counsellor is None and getattr(actor, "role", None) == Role.COUNSELLOR and actor.centre_id == centre.pk:
        counsellor = actor
    if counsellor is not None:
        _check_counsellor(counsellor, centre)
    episode = (Case.objects.filter(jobseeker=jobseeker).aggregate(last=Max("episode"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            case = Case.objects.create(jobseeker=jobseeker, episode=episode, owner_centre=centre, counsellor=counsellor)
    except IntegrityError:
        raise ValidationError(_("This person already has an open case."), code="open_case_exists") from None
    record_event(case, CaseEventKind.REOPENED if episode > 1 else CaseEventKind.OPENED, actor, episode=episode)
    if counsellor is not None:
        record_event(case, CaseEventKind.ASSIGNED, actor, counsellor=counsellor.pk)
    _audit(actor, AuditAction.CREATE, case, case, request)
    return case


@transaction.atomic
def reopen_case(*, actor: Any, case: Case, request: Any = None) -> Case:
    """Reopening is a new episode: the closed case stays as it was."""
    if case.status == CaseStatus.OPEN:
        raise ValidationError(_("This case is still open."), code="open")
    return open_case(actor=actor, jobseeker=case.jobseeker, request=request)


@transaction.atomic
def assign_counsellor(*, actor: Any, case: Case, counsellor: Any, request: Any = None) -> Case:
    """A manager gives the case to a counsellor of the owner centre."""
    case = _locked(case)
    _require_open(case)
    _check_counsellor(counsellor, case.owner_centre)
    if case.counsellor_id == counsellor.pk:
        return case
    previous = case.counsellor_id
    case.counsellor = counsellor
    case.save(update_fields=["counsellor"])
    record_event(case, CaseEventKind.ASSIGNED, actor, counsellor=counsellor.pk, previous=previous)
    _audit(actor, AuditAction.UPDATE, case, case, request, fields=["counsellor"])
    return case


@transaction.atomic
def transfer_case(
    *, actor: Any, case: Case, to_centre: Any, to_counsellor: Any = None, reason: str, request: Any = None
) -> CaseTransfer:
    """Hand the case to another counsellor or centre. Moving to another centre moves the jobseeker's record
    too, so the old centre loses access to both; the transfer history stays with the case."""
    from openpes.jobseekers.actions import move_to_centre

    case = _locked(case)
    _require_open(case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is transferred.")}, code="reason")
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")}, code="reason")
    if not to_centre.is_active:
        raise ValidationError({"to_centre": _("This job centre is closed.")}, code="centre")
    same_centre = to_centre.pk == case.owner_centre_id
    if same_centre and to_counsellor is None:
        raise ValidationError(
            {"to_counsellor": _("Choose the counsellor who takes the case.")}, code="counsellor_required"
        )
    if to_counsellor is not None:
        if not eligible_counsellors(to_centre).filter(pk=to_counsellor.pk).exists():
            raise ValidationError(
                {"to_counsellor": _("Choose a counsellor of %(centre)s.") % {"centre": to_centre}}, code="counsellor"
            )
        if same_centre and to_counsellor.pk == case.counsellor_id:
            raise ValidationError(
                {"to_counsellor": _("The case is already with this counsellor.")}, code="same_counsellor"
            )
    transfer = CaseTransfer.objects.create(
        case=case,
        from_centre_id=case.owner_centre_id,
        to_centre=to_centre,
        from_counsellor_id=case.counsellor_id,
        to_counsellor=to_counsellor,
        reason=reason,
        by=_user_or_none(actor),
    )
    # The event belongs to the centre that hands the case over; the next ones to the new centre.
    record_event(
        case,
        CaseEventKind.TRANSFERRED,
        actor,
        from_centre=case.owner_centre_id,
        to_centre=to_centre.pk,
        from_counsellor=case.counsellor_id,
        to_counsellor=to_counsellor.pk if to_counsellor else None,
    )
    case.owner_centre = to_centre
    case.counsellor = to_counsellor
    case.save(update_fields=["owner_centre", "counsellor"])
    if not same_centre:
        move_to_centre(actor=actor, jobseeker=case.jobseeker, centre=to_centre, request=request)
    _audit(actor, AuditAction.UPDATE, case, case, request, fields=["owner_centre", "counsellor"])
    return transfer


@transaction.atomic
def close_case(*, actor: Any, case: Case, reason: str, request: Any = None) -> Case:
    case = _locked(case)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is already closed."), code="already_closed")
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": _("Choose why the case is closed.")}, code="reason")
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.closure_reason = reason
    case.save(update_fields=["status", "closed_at", "closure_reason"])
    record_event(case, CaseEventKind.CLOSED, actor, reason=reason)
    _audit(actor, AuditAction.UPDATE, case, case, request, fields=["status"])
    return case


# -- intake and assessment ---------------------------------------------------------------------------------------

INTAKE_FIELDS = (
    "situation",
    "months_without_work",
    "has_caring_duties",
    "has_transport",
    "health_limits_work",
    "has_id_documents",
    "can_read_write",
    "digital_access",
    "can_use_apps",
    "contact_channel",
    "goals",
    "constraints",
)


@transaction.atomic
def save_intake(*, actor: Any, case: Case, fields: dict[str, Any], request: Any = None) -> Intake:
    """Record (or correct) the intake interview."""
    case = _locked(case)
    _require_open(case)
    intake = Intake.objects.filter(case=case).first()
    created = intake is None
    intake = intake or Intake(case=case)
    for name in INTAKE_FIELDS:
        if name in fields:
            setattr(intake, name, fields[name])
    intake.done_by = _user_or_none(actor)
    intake.done_at = timezone.now()
    intake.full_clean(exclude=["case", "done_by"])
    intake.save()
    record_event(case, CaseEventKind.INTAKE_DONE, actor, first=created)
    _audit(actor, AuditAction.CREATE if created else AuditAction.UPDATE, intake, case, request)
    return intake


@transaction.atomic
def run_assessment(*, actor: Any, case: Case, request: Any = None) -> Assessment:
    """Apply the published rules to the intake and the profile, and keep the inputs, the rules that fired
    and the group, so the result can be explained later even if the rules change."""
    case = _locked(case)
    _require_open(case)
    if not Intake.objects.filter(case=case).exists():
        raise ValidationError(_("Record the intake interview first."), code="no_intake")
    inputs = rules.inputs_from_case(Case.objects.select_related("jobseeker__education_level", "intake").get(pk=case.pk))
    result = rules.assess(inputs)
    stored_inputs = {
        key: (str(value) if isinstance(value, str) else value) for key, value in rules.inputs_as_dict(inputs).items()
    }
    assessment = Assessment.objects.create(
        case=case,
        inputs=stored_inputs,
        fired_rules=list(result.fired),
        group=str(result.group),
        rules_version=rules.RULES_VERSION,
        assessed_by=_user_or_none(actor),
    )
    record_event(
        case,
        CaseEventKind.ASSESSED,
        actor,
        group=str(result.group),
        score=result.score,
        fired=list(result.fired),
        rules_version=rules.RULES_VERSION,
    )
    _audit(actor, AuditAction.CREATE, assessment, case, request)
    return assessment


@transaction.atomic
def override_assessment(
    *, actor: Any, assessment: Assessment, group: str, reason: str, request: Any = None
) -> Assessment:
    """The counsellor decides on another group than the rules; the reason is required and kept."""
    case = _locked(assessment.case)
    _require_open(case)
    reason = (reason or "").strip()
    if group not in SupportGroup.values:
        raise ValidationError({"group": _("Choose a support group.")}, code="group")
    if not reason:
        raise ValidationError({"reason": _("Say why you decide differently from the rules.")}, code="reason")
    if group == assessment.group:
        raise ValidationError(
            {"group": _("This is the group the rules gave. Choose another one or keep the result.")}, code="same"
        )
    previous = assessment.final_group
    assessment.override_group = group
    assessment.override_reason = reason[:1000]
    assessment.overridden_by = _user_or_none(actor)
    assessment.save(update_fields=["override_group", "override_reason", "overridden_by"])
    record_event(case, CaseEventKind.OVERRIDDEN, actor, assessment=assessment.pk, previous=previous, group=group)
    _audit(actor, AuditAction.UPDATE, assessment, case, request, fields=["override_group"])
    return assessment


# -- the employment plan -----------------------------------------------------------------------------------------


def current_plan(case: Case) -> Plan | None:
    """The latest version of the case's plan (draft or agreed)."""
    return case.plans.order_by("-version").first()


def _fresh(plan: Plan) -> Plan:
    """Lock the plan and bring the caller's copy up to date (another page may have agreed it meanwhile)."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    for name in ("status", "version", "agreed_at", "agreed_by_id", "review_every_days", "next_review_on"):
        setattr(plan, name, getattr(fresh, name))
    _locked(plan.case)
    return plan


def _require_draft(plan: Plan) -> None:
    _fresh(plan)
    _require_open(plan.case)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("This plan is agreed. Start a new version to change it."), code="agreed")


@transaction.atomic
def start_plan(*, actor: Any, case: Case, request: Any = None) -> Plan:
    """The case's current plan, or a first draft."""
    case = _locked(case)
    _require_open(case)
    plan = current_plan(case)
    if plan is not None:
        return plan
    plan = Plan.objects.create(case=case, version=1)
    _audit(actor, AuditAction.CREATE, plan, case, request)
    return plan


@transaction.atomic
def add_barrier(*, actor: Any, plan: Plan, theme: str, description: str, request: Any = None) -> Barrier:
    _require_draft(plan)
    if theme not in BarrierTheme.values:
        raise ValidationError({"theme": _("Choose a theme.")}, code="theme")
    barrier = Barrier(plan=plan, theme=theme, description=(description or "").strip())
    barrier.full_clean(exclude=["plan"])
    barrier.save()
    _audit(actor, AuditAction.UPDATE, plan, plan.case, request, fields=["barriers"])
    return barrier


@transaction.atomic
def add_objective(
    *, actor: Any, plan: Plan, text: str, barrier: Barrier | None = None, request: Any = None
) -> Objective:
    _require_draft(plan)
    if barrier is not None and barrier.plan_id != plan.pk:
        raise ValidationError({"barrier": _("Choose a barrier of this plan.")}, code="barrier")
    objective = Objective(plan=plan, barrier=barrier, text=(text or "").strip())
    objective.full_clean(exclude=["plan", "barrier"])
    objective.save()
    _audit(actor, AuditAction.UPDATE, plan, plan.case, request, fields=["objectives"])
    return objective


@transaction.atomic
def add_plan_action(
    *,
    actor: Any,
    objective: Objective,
    text: str,
    owner: str,
    due_on: date | None = None,
    partner: Partner | None = None,
    request: Any = None,
) -> PlanAction:
    plan = objective.plan
    _require_draft(plan)
    if owner not in ActionOwner.values:
        raise ValidationError({"owner": _("Choose who does it.")}, code="owner")
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The date is in the past. Choose today or a later day.")}, code="past")
    if partner is not None and owner != ActionOwner.PARTNER:
        partner = None
    action = PlanAction(objective=objective, text=(text or "").strip(), owner=owner, due_on=due_on, partner=partner)
    action.full_clean(exclude=["objective", "partner"])
    action.save()
    _audit(actor, AuditAction.UPDATE, plan, plan.case, request, fields=["actions"])
    return action


@transaction.atomic
def remove_plan_item(*, actor: Any, item: Barrier | Objective | PlanAction, request: Any = None) -> None:
    """Take a barrier, objective or action out of a draft plan."""
    plan = item.objective.plan if isinstance(item, PlanAction) else item.plan
    _require_draft(plan)
    item.delete()
    _audit(actor, AuditAction.UPDATE, plan, plan.case, request, fields=["items"])


@transaction.atomic
def set_action_status(*, actor: Any, action: PlanAction, status: str, request: Any = None) -> PlanAction:
    """Move an action along (the jobseeker ticks their own, staff any). Works on agreed plans too."""
    plan = action.objective.plan
    _require_open(plan.case)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")}, code="status")
    if action.status == status:
        return action
    action.status = status
    action.done_at = timezone.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_at"])
    if status == ActionStatus.DONE:
        record_event(plan.case, CaseEventKind.ACTION_DONE, actor, action=action.pk, owner=action.owner)
    _audit(actor, AuditAction.UPDATE, action, plan.case, request, fields=["status"])
    return action


def _check_review_days(days: int) -> None:
    if not 1 <= days <= MAX_REVIEW_DAYS:
        raise ValidationError(
            {"review_every_days": _("Choose between 1 and %(max)s days.") % {"max": MAX_REVIEW_DAYS}}, code="days"
        )


@transaction.atomic
def agree_plan(*, actor: Any, plan: Plan, review_every_days: int, request: Any = None) -> Plan:
    """The jobseeker and the counsellor agree the plan: who recorded it and when, and the first review."""
    _require_draft(plan)
    _check_review_days(review_every_days)
    if not PlanAction.objects.filter(objective__plan=plan).exists():
        raise ValidationError(_("Add at least one action before agreeing the plan."), code="empty")
    today = timezone.localdate()
    plan.status = PlanStatus.AGREED
    plan.agreed_at = timezone.now()
    plan.agreed_by = _user_or_none(actor)
    plan.review_every_days = review_every_days
    plan.next_review_on = today + timedelta(days=review_every_days)
    plan.save(update_fields=["status", "agreed_at", "agreed_by", "review_every_days", "next_review_on"])
    record_event(plan.case, CaseEventKind.PLAN_AGREED, actor, plan=plan.pk, version=plan.version)
    _audit(actor, AuditAction.UPDATE, plan, plan.case, request, fields=["status"])
    return plan


@transaction.atomic
def new_plan_version(*, actor: Any, plan: Plan, request: Any = None) -> Plan:
    """A major change: copy the agreed plan into a new draft version; the agreed one stays as it was."""
    _fresh(plan)
    _require_open(plan.case)
    latest = current_plan(plan.case)
    if latest is None or latest.pk != plan.pk:
        raise ValidationError(_("A newer version of this plan exists."), code="not_latest")
    if plan.status != PlanStatus.AGREED:
        raise ValidationError(_("This version is still a draft: change it directly."), code="draft")
    copy = Plan.objects.create(
        case=plan.case,
        version=plan.version + 1,
        review_every_days=plan.review_every_days,
        next_review_on=plan.next_review_on,
    )
    barriers: dict[int, Barrier] = {}
    for barrier in plan.barriers.all():
        barriers[barrier.pk] = Barrier.objects.create(plan=copy, theme=barrier.theme, description=barrier.description)
    for objective in plan.objectives.prefetch_related("actions"):
        new_objective = Objective.objects.create(
            plan=copy, barrier=barriers.get(objective.barrier_id or 0), text=objective.text
        )
        PlanAction.objects.bulk_create(
            PlanAction(
                objective=new_objective,
                text=action.text,
                owner=action.owner,
                partner_id=action.partner_id,
                due_on=action.due_on,
                status=action.status,
                done_at=action.done_at,
            )
            for action in objective.actions.all()
        )
    _audit(actor, AuditAction.CREATE, copy, plan.case, request)
    return copy


@transaction.atomic
def review_plan(*, actor: Any, plan: Plan, note: str = "", request: Any = None) -> Plan:
    """A scheduled review with the jobseeker: recorded as an event; the next one is set. A short summary,
    when given, becomes a case note (notes are restricted; events carry no text)."""
    _fresh(plan)
    _require_open(plan.case)
    if plan.status != PlanStatus.AGREED:
        raise ValidationError(_("Agree the plan before reviewing it."), code="draft")
    plan.next_review_on = timezone.localdate() + timedelta(days=plan.review_every_days)
    plan.save(update_fields=["next_review_on"])
    record_event(plan.case, CaseEventKind.PLAN_REVIEWED, actor, plan=plan.pk, version=plan.version)
    if note.strip():
        add_note(actor=actor, case=plan.case, category=NoteCategory.GUIDANCE, text=note, request=request)
    _audit(actor, AuditAction.UPDATE, plan, plan.case, request, fields=["next_review_on"])
    return plan


# -- notes -------------------------------------------------------------------------------------------------------


@transaction.atomic
def add_note(*, actor: Any, case: Case, category: str, text: str, request: Any = None) -> CaseNote:
    text = (text or "").strip()
    if category not in NoteCategory.values:
        raise ValidationError({"category": _("Choose a category.")}, code="category")
    if not text:
        raise ValidationError({"text": _("Write the note.")}, code="required")
    note = CaseNote(case=case, category=category, text=text, author=actor)
    note.full_clean(exclude=["case", "author"])
    note.save()
    _audit(actor, AuditAction.CREATE, note, case, request, category=category)
    return note
