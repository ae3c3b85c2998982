"""Services actions: appointment slots and bookings (with reminders), the partner directory and referrals to
partner services, placements recorded by counsellors and the follow-ups at 1, 3 and 6 months after any
placement, employer contacts and shortlists.

Each function is one atomic change that writes its CaseEvent (through `casefile.record_event`, so indicators
see the case's owner centre at the time) and an audit row. Free text (notes, summaries) never goes into events
or audit details. Messages to people (reminders, follow-up questions) go through the notifications queue: they
are rows first, so a gateway that is down never stops the change that queued them (R10).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Role
from openpes.applications.models import Application, Placement
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.cases.actions.casefile import close_case, eligible_counsellors, open_case, record_event
from openpes.cases.enums import (
    AppointmentKind,
    AppointmentStatus,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactChannel,
    ContactKind,
    FollowUpChannel,
    PartnerKind,
    ServiceOutcome,
)
from openpes.cases.models import (
    Appointment,
    AppointmentSlot,
    Case,
    EmployerContact,
    FollowUp,
    Intake,
    Partner,
    PartnerService,
    PlacementEvidence,
    PlanAction,
    ServiceReferral,
    Shortlist,
)
from openpes.lib.uploads import CheckedFile

CASEWORKER_ROLES = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})
FOLLOW_UP_MONTHS = (1, 3, 6)
SLOT_MINUTES = (15, 30, 45, 60, 90, 120)
MAX_REPEAT_WEEKS = 12
# Reminders go out the day before, in daytime only (nobody wants an SMS at midnight).
REMINDER_HOURS = (8, 20)
MAX_WAGE = 100_000
MAX_SHORTLIST = 20
# A follow-up may be recorded a little before it is due (the person called in early).
FOLLOW_UP_EARLY_DAYS = 14
FINAL_OUTCOMES = frozenset({ServiceOutcome.COMPLETED, ServiceOutcome.DID_NOT_ATTEND, ServiceOutcome.DECLINED})


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(actor: Any, action: AuditAction, obj: Any, subject_id: Any, request: Any, **detail: Any) -> None:
    record(actor=actor, action=action, obj=obj, subject_id=subject_id, detail=detail or None, request=request)


def _locked_case(case: Case) -> Case:
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    case.status, case.owner_centre_id, case.counsellor_id = fresh.status, fresh.owner_centre_id, fresh.counsellor_id
    return case


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is closed. Open a new episode to work on it."), code="closed")


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that month is shorter (31 Jan + 1 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _language_of(jobseeker: Any) -> str:
    user = getattr(jobseeker, "user", None)
    language = getattr(user, "preferred_language", "") if user is not None else ""
    return language if language in ("km", "en") else "km"


def _queue(to: str, body: str) -> Any:
    from openpes.notifications.actions import queue_message

    return queue_message(to=to, body=body)


# -- appointment slots -------------------------------------------------------------------------------------------


def _check_counsellor(counsellor: Any) -> None:
    if (
        counsellor is None
        or counsellor.role not in CASEWORKER_ROLES
        or not counsellor.is_active
        or counsellor.centre_id is None
    ):
        raise ValidationError({"counsellor": _("Choose a counsellor of a job centre.")}, code="counsellor")


def _overlaps(counsellor: Any, start: datetime, end: datetime) -> Q:
    return Q(counsellor=counsellor, starts_at__lt=end, ends_at__gt=start)


def _clash(counsellor: Any, start: datetime, end: datetime) -> str:
    """A description of what the counsellor already has at that time ('' when free)."""
    if AppointmentSlot.objects.filter(_overlaps(counsellor, start, end)).exists():
        return "slot"
    if Appointment.objects.filter(_overlaps(counsellor, start, end), status=AppointmentStatus.BOOKED).exists():
        return "appointment"
    return ""


@transaction.atomic
def publish_slots(
    *,
    actor: Any,
    counsellor: Any,
    starts_at: datetime,
    minutes: int,
    kind: str = AppointmentKind.IN_PERSON,
    open_to_jobseekers: bool = True,
    weeks: int = 1,
    count: int = 1,
    request: Any = None,
) -> list[AppointmentSlot]:
    """Publish `count` consecutive slots of `minutes` from `starts_at`, repeated on the same weekday for
    `weeks` weeks. All or nothing: if any of them clashes with the counsellor's slots or appointments, none is
    published and the error names the first clash."""
    from openpes.accounts.models import User

    _check_counsellor(counsellor)
    User.objects.select_for_update().filter(pk=counsellor.pk).first()  # one publisher per counsellor at a time
    if minutes not in SLOT_MINUTES:
        raise ValidationError({"minutes": _("Choose how long each appointment lasts.")}, code="minutes")
    if not 1 <= weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError({"weeks": _("Repeat for 1 to %(max)s weeks.") % {"max": MAX_REPEAT_WEEKS}}, code="weeks")
    if not 1 <= count <= 16:
        raise ValidationError({"count": _("Publish 1 to 16 slots in a row.")}, code="count")
    if kind not in AppointmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of appointment.")}, code="kind")
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")}, code="past")
    length = timedelta(minutes=minutes)
    slots = []
    for week in range(weeks):
        for index in range(count):
            start = starts_at + timedelta(weeks=week) + index * length
            end = start + length
            if _clash(counsellor, start, end):
                when = formats.date_format(timezone.localtime(start), "SHORT_DATETIME_FORMAT")
                raise ValidationError(
                    _("The counsellor already has a slot or an appointment at %(when)s.") % {"when": when},
                    code="clash",
                )
            slots.append(
                AppointmentSlot.objects.create(
                    counsellor=counsellor,
                    centre_id=counsellor.centre_id,
                    starts_at=start,
                    ends_at=end,
                    kind=kind,
                    open_to_jobseekers=open_to_jobseekers,
                )
            )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="cases.appointmentslot",
        count=len(slots),
        detail={"counsellor": counsellor.pk},
        request=request,
    )
    return slots


@transaction.atomic
def delete_slot(*, actor: Any, slot: AppointmentSlot, request: Any = None) -> None:
    """Withdraw a slot nobody has booked."""
    slot = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
    if Appointment.objects.filter(slot=slot).exists():
        raise ValidationError(_("This slot is booked. Cancel the appointment first."), code="booked")
    record(actor=actor, action=AuditAction.DELETE, obj=slot, request=request)
    slot.delete()


def slot_is_free(slot: AppointmentSlot) -> bool:
    return not Appointment.objects.filter(slot=slot).exists()


# -- booking -----------------------------------------------------------------------------------------------------


def _create_appointment(
    *,
    actor: Any,
    case: Case,
    counsellor: Any,
    centre_id: int,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    purpose: str,
    slot: AppointmentSlot | None,
    by: str,
    request: Any,
) -> Appointment:
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                case=case,
                counsellor=counsellor,
                centre_id=centre_id,
                slot=slot,
                starts_at=starts_at,
                ends_at=ends_at,
                kind=kind,
                purpose=purpose[:250],
                booked_by=_user_or_none(actor),
            )
    except IntegrityError:
        raise ValidationError(_("Someone has just booked this time. Choose another one."), code="taken") from None
    record_event(
        case, CaseEventKind.APPOINTMENT_BOOKED, actor, appointment=appointment.pk, appointment_kind=kind, by=by
    )
    _audit(actor, AuditAction.CREATE, appointment, case.jobseeker_id, request)
    return appointment


def _lock_free_slot(slot: AppointmentSlot) -> AppointmentSlot:
    slot = AppointmentSlot.objects.select_for_update().select_related("counsellor").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": _("This time has passed. Choose another one.")}, code="past")
    if not slot_is_free(slot):
        raise ValidationError({"slot": _("Someone has just booked this time. Choose another one.")}, code="taken")
    return slot


@transaction.atomic
def book_appointment(
    *,
    actor: Any,
    case: Case,
    slot: AppointmentSlot | None = None,
    counsellor: Any = None,
    starts_at: datetime | None = None,
    minutes: int | None = None,
    kind: str = AppointmentKind.IN_PERSON,
    purpose: str = "",
    request: Any = None,
) -> Appointment:
    """Staff book an appointment for a case: in a published slot, or at a time agreed with the person (then
    the counsellor must be free)."""
    case = _locked_case(case)
    _require_open(case)
    purpose = (purpose or "").strip()
    if slot is not None:
        slot = _lock_free_slot(slot)
        return _create_appointment(
            actor=actor,
            case=case,
            counsellor=slot.counsellor,
            centre_id=slot.centre_id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            kind=slot.kind,
            purpose=purpose,
            slot=slot,
            by="staff",
            request=request,
        )
    _check_counsellor(counsellor)
    if starts_at is None or minutes not in SLOT_MINUTES:
        raise ValidationError(_("Choose a free slot, or a day, a time and a length."), code="when")
    if kind not in AppointmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of appointment.")}, code="kind")
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")}, code="past")
    from openpes.accounts.models import User

    User.objects.select_for_update().filter(pk=counsellor.pk).first()
    ends_at = starts_at + timedelta(minutes=minutes)
    if Appointment.objects.filter(_overlaps(counsellor, starts_at, ends_at), status=AppointmentStatus.BOOKED).exists():
        raise ValidationError({"starts_at": _("The counsellor already has an appointment at that time.")}, code="clash")
    return _create_appointment(
        actor=actor,
        case=case,
        counsellor=counsellor,
        centre_id=counsellor.centre_id,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        purpose=purpose,
        slot=None,
        by="staff",
        request=request,
    )


def bookable_centre_id(jobseeker: Any) -> int:
    """The centre whose open slots a jobseeker may book: their open case's, else the centre that owns them."""
    case = Case.objects.filter(jobseeker=jobseeker, status=CaseStatus.OPEN).only("owner_centre_id").first()
    return case.owner_centre_id if case else int(jobseeker.owner_centre_id)


def upcoming_appointments(jobseeker: Any) -> Any:
    return Appointment.objects.filter(
        case__jobseeker=jobseeker, status=AppointmentStatus.BOOKED, starts_at__gt=timezone.now()
    )


@transaction.atomic
def book_open_slot(*, actor: Any, jobseeker: Any, slot: AppointmentSlot, request: Any = None) -> Appointment:
    """A jobseeker books an open slot of their own centre. Someone without an open case gets one, held by
    the slot's counsellor. One upcoming appointment at a time, so nobody holds several counsellors' time."""
    from openpes.jobseekers.models import JobSeeker

    jobseeker = JobSeeker.objects.select_for_update().get(pk=jobseeker.pk)
    slot = _lock_free_slot(slot)
    if not slot.open_to_jobseekers or slot.centre_id != bookable_centre_id(jobseeker):
        raise ValidationError({"slot": _("This time cannot be booked online. Call the job centre.")}, code="closed")
    upcoming = upcoming_appointments(jobseeker).order_by("starts_at").first()
    if upcoming is not None:
        when = formats.date_format(timezone.localtime(upcoming.starts_at), "SHORT_DATETIME_FORMAT")
        raise ValidationError(
            _("You already have an appointment on %(when)s. Cancel it first to choose another time.") % {"when": when},
            code="has_upcoming",
        )
    case = Case.objects.filter(jobseeker=jobseeker, status=CaseStatus.OPEN).first()
    if case is None:
        holder_ok = eligible_counsellors(jobseeker.owner_centre).filter(pk=slot.counsellor_id).exists()
        holder = slot.counsellor if holder_ok else None
        case = open_case(actor=actor, jobseeker=jobseeker, counsellor=holder, request=request)
    case = _locked_case(case)
    return _create_appointment(
        actor=actor,
        case=case,
        counsellor=slot.counsellor,
        centre_id=slot.centre_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        kind=slot.kind,
        purpose="",
        slot=slot,
        by="jobseeker",
        request=request,
    )


def _locked_appointment(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().select_related("case").get(pk=appointment.pk)


@transaction.atomic
def cancel_appointment(*, actor: Any, appointment: Appointment, request: Any = None) -> Appointment:
    """Cancel a booked appointment; its slot opens again for someone else."""
    appointment = _locked_appointment(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Only a booked appointment can be cancelled."), code="not_booked")
    if getattr(actor, "role", None) == Role.JOBSEEKER and appointment.starts_at <= timezone.now():
        raise ValidationError(_("This appointment has already started."), code="past")
    by_jobseeker = getattr(actor, "role", None) == Role.JOBSEEKER
    appointment.status = AppointmentStatus.CANCELLED
    appointment.slot = None
    appointment.save(update_fields=["status", "slot"])
    record_event(
        appointment.case,
        CaseEventKind.APPOINTMENT_CANCELLED,
        actor,
        appointment=appointment.pk,
        by="jobseeker" if by_jobseeker else "staff",
    )
    _audit(actor, AuditAction.UPDATE, appointment, appointment.case.jobseeker_id, request, status="cancelled")
    return appointment


@transaction.atomic
def record_attendance(*, actor: Any, appointment: Appointment, attended: bool, request: Any = None) -> Appointment:
    """The counsellor records whether the person came (or answered the call)."""
    appointment = _locked_appointment(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("This appointment is already recorded or cancelled."), code="not_booked")
    if appointment.starts_at > timezone.now():
        raise ValidationError(_("This appointment has not started yet."), code="future")
    appointment.status = AppointmentStatus.ATTENDED if attended else AppointmentStatus.NO_SHOW
    appointment.save(update_fields=["status"])
    record_event(
        appointment.case,
        CaseEventKind.APPOINTMENT_ATTENDED if attended else CaseEventKind.NO_SHOW,
        actor,
        appointment=appointment.pk,
    )
    _audit(actor, AuditAction.UPDATE, appointment, appointment.case.jobseeker_id, request, status=appointment.status)
    return appointment


# -- reminders ---------------------------------------------------------------------------------------------------


def reminder_text(appointment: Appointment, language: str) -> str:
    """Nothing sensitive: when and where, and whom to call. No counsellor, purpose or case detail."""
    with translation.override(language):
        local = timezone.localtime(appointment.starts_at)
        values = {
            "date": formats.date_format(local, "DATE_FORMAT"),
            "time": formats.time_format(local, "TIME_FORMAT"),
            "centre": appointment.centre.name,
            "phone": appointment.centre.phone,
        }
        if appointment.kind in (AppointmentKind.PHONE, AppointmentKind.VIDEO):
            text = gettext("Reminder: the job centre will call you tomorrow, %(date)s, at %(time)s.") % values
        else:
            text = gettext("Reminder: your appointment at %(centre)s is tomorrow, %(date)s, at %(time)s.") % values
        if values["phone"]:
            text += " " + gettext("To change it, call %(phone)s.") % values
        return text


def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue an SMS the day before each booked appointment, once, in the person's language. Runs hourly; sends
    only in daytime. Returns the number of messages queued."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if not REMINDER_HOURS[0] <= local.hour < REMINDER_HOURS[1]:
        return 0
    start, end = local_day_bounds(local.date() + timedelta(days=1))
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, reminder_queued=False, starts_at__gte=start, starts_at__lt=end
    ).select_related("centre", "case__jobseeker__user")
    queued = 0
    for appointment in due:
        with transaction.atomic():
            # Claim the reminder: two workers running at once queue it once.
            claimed = Appointment.objects.filter(
                pk=appointment.pk, reminder_queued=False, status=AppointmentStatus.BOOKED
            ).update(reminder_queued=True)
            phone = appointment.case.jobseeker.phone
            if claimed and phone:
                _queue(phone, reminder_text(appointment, _language_of(appointment.case.jobseeker)))
                queued += 1
    return queued


# -- the partner directory ---------------------------------------------------------------------------------------

PARTNER_FIELDS = ("name_km", "name_en", "kind", "phone", "email", "address", "is_active")
SERVICE_FIELDS = ("name_km", "name_en", "description_km", "description_en", "themes")


@transaction.atomic
def save_partner(*, actor: Any, fields: dict[str, Any], partner: Partner | None = None, request: Any = None) -> Partner:
    created = partner is None
    partner = partner or Partner()
    for name in PARTNER_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(partner, name, value.strip() if isinstance(value, str) else value)
    if not partner.name_km and not partner.name_en:
        raise ValidationError({"name_km": _("Give the organisation's name in Khmer or in English.")}, code="name")
    if partner.kind not in PartnerKind.values:
        raise ValidationError({"kind": _("Choose what kind of organisation it is.")}, code="kind")
    partner.full_clean()
    partner.save()
    record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=partner, request=request)
    return partner


@transaction.atomic
def save_partner_service(
    *,
    actor: Any,
    partner: Partner,
    fields: dict[str, Any],
    provinces: Iterable[Any],
    service: PartnerService | None = None,
    request: Any = None,
) -> PartnerService:
    created = service is None
    service = service or PartnerService(partner=partner)
    if service.partner_id != partner.pk:
        raise ValidationError(_("This service belongs to another organisation."), code="partner")
    for name in SERVICE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(service, name, value.strip() if isinstance(value, str) else value)
    if not service.name_km and not service.name_en:
        raise ValidationError({"name_km": _("Give the service's name in Khmer or in English.")}, code="name")
    provinces = list(provinces)
    if not provinces:
        raise ValidationError({"provinces": _("Choose at least one province.")}, code="provinces")
    service.full_clean(exclude=["partner"])
    service.save()
    service.provinces.set(provinces)
    record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=service, request=request)
    return service


# -- referrals to partner services --------------------------------------------------------------------------------


@transaction.atomic
def refer_to_service(
    *,
    actor: Any,
    case: Case,
    service: PartnerService,
    action: PlanAction | None = None,
    note: str = "",
    request: Any = None,
) -> ServiceReferral:
    """Refer the person to a partner's service, optionally as a step of their plan."""
    case = _locked_case(case)
    _require_open(case)
    service = PartnerService.objects.select_related("partner").get(pk=service.pk)
    if not service.partner.is_active:
        raise ValidationError({"service": _("This organisation no longer takes referrals.")}, code="inactive")
    if action is not None and action.objective.plan.case_id != case.pk:
        raise ValidationError({"action": _("Choose a step of this person's plan.")}, code="action")
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": _("Keep the note under 1,000 characters.")}, code="note")
    if ServiceReferral.objects.filter(case=case, service=service, outcome=ServiceOutcome.PENDING).exists():
        raise ValidationError(
            {"service": _("This person is already waiting for this service.")}, code="already_referred"
        )
    referral = ServiceReferral.objects.create(
        case=case, service=service, action=action, note=note, referred_by=_user_or_none(actor)
    )
    record_event(
        case,
        CaseEventKind.SERVICE_REFERRAL,
        actor,
        referral=referral.pk,
        service=service.pk,
        partner=service.partner_id,
        partner_kind=service.partner.kind,
    )
    _audit(actor, AuditAction.CREATE, referral, case.jobseeker_id, request)
    return referral


@transaction.atomic
def record_service_outcome(
    *, actor: Any, referral: ServiceReferral, outcome: str, request: Any = None
) -> ServiceReferral:
    """Started, completed, did not attend or declined. A final outcome cannot change any more; a started
    service can still end as completed or not attended."""
    referral = (
        ServiceReferral.objects.select_for_update().select_related("case", "service__partner").get(pk=referral.pk)
    )
    if outcome not in ServiceOutcome.values or outcome == ServiceOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")}, code="outcome")
    if referral.outcome in FINAL_OUTCOMES:
        raise ValidationError(_("The outcome of this referral is already recorded."), code="final")
    if referral.outcome == outcome:
        return referral
    if referral.outcome == ServiceOutcome.STARTED and outcome == ServiceOutcome.DECLINED:
        raise ValidationError({"outcome": _("The service has started: it can no longer be declined.")}, code="started")
    previous = referral.outcome
    referral.outcome = outcome
    referral.outcome_at = timezone.now()
    referral.save(update_fields=["outcome", "outcome_at"])
    record_event(
        referral.case,
        CaseEventKind.SERVICE_OUTCOME,
        actor,
        referral=referral.pk,
        service=referral.service_id,
        partner_kind=referral.service.partner.kind,
        outcome=outcome,
        previous=previous,
    )
    _audit(actor, AuditAction.UPDATE, referral, referral.case.jobseeker_id, request, outcome=outcome)
    return referral


# -- placements and follow-ups -----------------------------------------------------------------------------------


def _open_case_of(jobseeker_id: int) -> Case | None:
    return Case.objects.select_for_update().filter(jobseeker_id=jobseeker_id, status=CaseStatus.OPEN).first()


@transaction.atomic
def schedule_follow_ups(*, placement: Placement, case: Case | None = None) -> list[FollowUp]:
    """The follow-ups at 1, 3 and 6 months after the start date. Idempotent: months already scheduled stay as
    they are, so it can be called wherever a placement is created and again by the daily check."""
    existing = set(FollowUp.objects.filter(placement=placement).values_list("month", flat=True))
    created = []
    for month in FOLLOW_UP_MONTHS:
        if month in existing:
            continue
        try:
            with transaction.atomic():
                created.append(
                    FollowUp.objects.create(
                        placement=placement, case=case, month=month, due_on=add_months(placement.start_date, month)
                    )
                )
        except IntegrityError:  # scheduled meanwhile by another caller
            continue
    return created


@transaction.atomic
def placement_recorded(*, actor: Any, placement: Placement, source: str = "hire", request: Any = None) -> Case | None:
    """What follows any new placement: a PLACED event on the person's open case and the follow-ups. Called by
    `applications.actions.record_hire` and by `record_placement`. The case stays open: the counsellor closes
    it (or keeps it open) from the case page."""
    case = _open_case_of(placement.jobseeker_id)
    if case is not None:
        record_event(
            case,
            CaseEventKind.PLACED,
            actor,
            placement=placement.pk,
            employer=placement.employer_id,
            vacancy=placement.vacancy_id,
            via_referral=placement.via_referral,
            source=source,
        )
    schedule_follow_ups(placement=placement, case=case)
    return case


@transaction.atomic
def record_placement(
    *,
    actor: Any,
    case: Case,
    employer: Any,
    start_date: date,
    note: str,
    monthly_wage: int | None = None,
    evidence: CheckedFile | None = None,
    original_name: str = "",
    keep_open: bool = False,
    request: Any = None,
) -> Placement:
    """The counsellor records a job the person found, with evidence (a note on how it was confirmed and,
    optionally, the contract or a letter). The case closes as "placed" unless the counsellor keeps it open."""
    from openpes.jobseekers.actions import change_status
    from openpes.jobseekers.enums import JobSeekerStatus

    case = _locked_case(case)
    _require_open(case)
    note = (note or "").strip()
    today = timezone.localdate()
    if not note:
        raise ValidationError({"note": _("Say how the job was confirmed.")}, code="note")
    if start_date < today - timedelta(days=365) or start_date > today + timedelta(days=90):
        raise ValidationError(
            {"start_date": _("The start date must be within the last year or the next three months.")},
            code="start_date",
        )
    if monthly_wage is not None and not 0 < monthly_wage <= MAX_WAGE:
        raise ValidationError({"monthly_wage": _("Enter the monthly wage in US dollars.")}, code="wage")
    placement = Placement.objects.create(
        jobseeker_id=case.jobseeker_id,
        employer=employer,
        via_referral=False,
        centre_id=case.owner_centre_id,
        start_date=start_date,
        monthly_wage=monthly_wage,
        recorded_by=_user_or_none(actor),
    )
    proof = PlacementEvidence(placement=placement, case=case, note=note[:2000], recorded_by=_user_or_none(actor))
    if evidence is not None:
        proof.original_name = (original_name or "evidence")[:200]
        proof.content_type = evidence.content_type
        proof.size = len(evidence.data)
        proof.file.save("upload", ContentFile(evidence.data), save=False)
    try:
        proof.save()
    except Exception:
        if proof.file:
            proof.file.storage.delete(proof.file.name or "")  # no orphan file when the row cannot be saved
        raise
    _audit(actor, AuditAction.CREATE, placement, case.jobseeker_id, request, source="counsellor")
    placement_recorded(actor=actor, placement=placement, source="counsellor", request=request)
    change_status(actor=actor, jobseeker=case.jobseeker, status=JobSeekerStatus.PLACED, request=request)
    if not keep_open:
        close_case(actor=actor, case=case, reason=ClosureReason.PLACED, request=request)
    return placement


def _follow_up_case(follow_up: FollowUp) -> Case | None:
    """The case the follow-up's event belongs to: its own, else the person's latest episode."""
    if follow_up.case_id:
        return follow_up.case
    return Case.objects.filter(jobseeker_id=follow_up.placement.jobseeker_id).order_by("-episode").first()


@transaction.atomic
def record_follow_up(
    *,
    actor: Any,
    follow_up: FollowUp,
    channel: str,
    reached: bool,
    still_employed: bool | None = None,
    same_employer: bool | None = None,
    monthly_wage: int | None = None,
    satisfaction: int | None = None,
    notes: str = "",
    try_again: bool = False,
    request: Any = None,
) -> FollowUp:
    """Record the answers of a follow-up. When the person could not be reached, the counsellor either keeps
    it on the list to try again (nothing is counted yet) or closes it as "not reached"."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",)).select_related("placement", "case").get(pk=follow_up.pk)
    )
    if follow_up.done_at is not None:
        raise ValidationError(_("This follow-up is already recorded."), code="done")
    if follow_up.due_on > timezone.localdate() + timedelta(days=FOLLOW_UP_EARLY_DAYS):
        raise ValidationError(
            _("This follow-up is due on %(date)s.") % {"date": formats.date_format(follow_up.due_on)}, code="early"
        )
    if channel not in FollowUpChannel.values:
        raise ValidationError({"channel": _("Choose how you followed up.")}, code="channel")
    notes = (notes or "").strip()[:2000]
    if reached:
        if still_employed is None:
            raise ValidationError({"still_employed": _("Say whether the person still works.")}, code="employed")
        if still_employed and same_employer is None:
            raise ValidationError({"same_employer": _("Say whether it is the same employer.")}, code="same")
        if monthly_wage is not None and not 0 < monthly_wage <= MAX_WAGE:
            raise ValidationError({"monthly_wage": _("Enter the monthly wage in US dollars.")}, code="wage")
        if satisfaction is not None and not 1 <= satisfaction <= 5:
            raise ValidationError({"satisfaction": _("Choose a number from 1 to 5.")}, code="satisfaction")
    if not reached:
        still_employed = same_employer = monthly_wage = satisfaction = None
    elif not still_employed:
        same_employer = monthly_wage = satisfaction = None  # about the job they no longer have
    follow_up.channel = channel
    follow_up.reached = reached
    follow_up.still_employed = still_employed
    follow_up.same_employer = same_employer
    follow_up.monthly_wage = monthly_wage
    follow_up.satisfaction = satisfaction
    follow_up.notes = notes
    subject = follow_up.placement.jobseeker_id
    if not reached and try_again:
        follow_up.save(update_fields=["channel", "reached", "still_employed", "same_employer", "monthly_wage",
                                      "satisfaction", "notes"])  # fmt: skip
        _audit(actor, AuditAction.UPDATE, follow_up, subject, request, attempt=True)
        return follow_up
    follow_up.done_at = timezone.now()
    follow_up.done_by = _user_or_none(actor)
    follow_up.save()
    case = _follow_up_case(follow_up)
    if case is not None:
        record_event(
            case,
            CaseEventKind.FOLLOW_UP_DONE,
            actor,
            follow_up=follow_up.pk,
            placement=follow_up.placement_id,
            month=follow_up.month,
            channel=channel,
            reached=reached,
            still_employed=still_employed,
            same_employer=same_employer,
            monthly_wage=monthly_wage,
            satisfaction=satisfaction,
        )
    _audit(actor, AuditAction.UPDATE, follow_up, subject, request)
    return follow_up


def follow_up_text(follow_up: FollowUp, language: str) -> str:
    """The follow-up question by SMS: nothing sensitive (no employer, wage or case detail)."""
    centre = follow_up.placement.centre
    with translation.override(language):
        values = {"centre": centre.name, "phone": centre.phone}
        text = (
            gettext(
                "%(centre)s: how is your work going? Reply to this message or call us: are you still working "
                "there, and how happy are you with the job, from 1 to 5?"
            )
            % values
        )
        if centre.phone:
            text += " " + gettext("Phone: %(phone)s.") % values
        return text


@transaction.atomic
def queue_follow_up_message(*, actor: Any, follow_up: FollowUp, request: Any = None) -> Any:
    """Ask the person by SMS; the counsellor records the answers when they reply or call back."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("placement__jobseeker__user", "placement__centre")
        .get(pk=follow_up.pk)
    )
    if follow_up.done_at is not None:
        raise ValidationError(_("This follow-up is already recorded."), code="done")
    if follow_up.message_queued:
        raise ValidationError(_("The message was already sent."), code="sent")
    jobseeker = follow_up.placement.jobseeker
    if not jobseeker.phone:
        raise ValidationError(_("This person has no phone number. Follow up by a visit or through the employer."),
                              code="no_phone")  # fmt: skip
    message = _queue(jobseeker.phone, follow_up_text(follow_up, _language_of(jobseeker)))
    follow_up.message_queued = True
    follow_up.save(update_fields=["message_queued"])
    _audit(actor, AuditAction.UPDATE, follow_up, jobseeker.pk, request, message=True)
    return message


def ensure_follow_ups() -> int:
    """Schedule the follow-ups of any placement that has none yet (a placement made by an import, the API or
    before this feature existed). Returns the number of follow-ups created."""
    from django.db.models import Count

    missing = Placement.objects.annotate(n=Count("follow_ups")).filter(n__lt=len(FOLLOW_UP_MONTHS))
    created = 0
    for placement in missing.order_by("pk").iterator(chunk_size=500):
        case = Case.objects.filter(jobseeker_id=placement.jobseeker_id, status=CaseStatus.OPEN).first()
        created += len(schedule_follow_ups(placement=placement, case=case))
    return created


def queue_due_follow_up_messages(now: datetime | None = None) -> int:
    """Ask by SMS, in daytime, the people who said they prefer SMS (intake interview) when their follow-up is
    due (or was due in the last week, if the worker was down). Each message is queued once."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if not REMINDER_HOURS[0] <= local.hour < REMINDER_HOURS[1]:
        return 0
    today = local.date()
    prefers_sms = Intake.objects.filter(contact_channel=ContactChannel.SMS).values("case_id")
    due = FollowUp.objects.filter(
        due_on__lte=today,
        due_on__gt=today - timedelta(days=7),
        done_at__isnull=True,
        message_queued=False,
        case_id__in=prefers_sms,
    ).exclude(placement__jobseeker__phone="")
    queued = 0
    for follow_up in due:
        try:
            queue_follow_up_message(actor=None, follow_up=follow_up)
        except ValidationError:
            continue
        queued += 1
    return queued


# -- employer services -------------------------------------------------------------------------------------------


@transaction.atomic
def record_employer_contact(
    *,
    actor: Any,
    employer: Any,
    kind: str,
    summary: str,
    at: datetime | None = None,
    next_contact_on: date | None = None,
    request: Any = None,
) -> EmployerContact:
    summary = (summary or "").strip()
    at = at or timezone.now()
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose the kind of contact.")}, code="kind")
    if not summary:
        raise ValidationError({"summary": _("Write what was discussed.")}, code="summary")
    if len(summary) > 2000:
        raise ValidationError({"summary": _("Keep the summary under 2,000 characters.")}, code="summary")
    if at > timezone.now() + timedelta(hours=1):
        raise ValidationError({"at": _("A contact cannot be in the future.")}, code="future")
    if at < timezone.now() - timedelta(days=365):
        raise ValidationError({"at": _("Record contacts of the last twelve months only.")}, code="old")
    if next_contact_on is not None and next_contact_on < timezone.localdate(at):
        raise ValidationError({"next_contact_on": _("The next contact must come after this one.")}, code="next")
    contact = EmployerContact.objects.create(
        employer=employer, staff=actor, kind=kind, at=at, summary=summary, next_contact_on=next_contact_on
    )
    record(actor=actor, action=AuditAction.CREATE, obj=contact, detail={"employer": employer.pk}, request=request)
    return contact


@transaction.atomic
def send_shortlist(
    *,
    actor: Any,
    vacancy: Any,
    candidates: Sequence[tuple[Any, str]],
    message: str = "",
    request: Any = None,
) -> Shortlist:
    """Send pre-screened candidates to the employer: each becomes a referral (with the pre-screening note as
    the note for the employer), grouped in a shortlist. All or nothing: one refused candidate sends nobody."""
    from openpes.applications.actions import refer

    if not vacancy.is_open:
        raise ValidationError(_("This vacancy is no longer open."), code="closed")
    if not candidates:
        raise ValidationError(_("Choose at least one candidate."), code="empty")
    if len(candidates) > MAX_SHORTLIST:
        raise ValidationError(_("Send at most %(max)s candidates at a time.") % {"max": MAX_SHORTLIST}, code="too_many")
    if len({person.pk for person, _note in candidates}) != len(candidates):
        raise ValidationError(_("A candidate appears twice."), code="duplicate")
    message = (message or "").strip()
    if len(message) > 2000:
        raise ValidationError({"message": _("Keep the message under 2,000 characters.")}, code="message")
    applications: list[Application] = []
    problems: list[str] = []
    for person, note in candidates:
        note = (note or "").strip()
        if not note:
            problems.append(gettext("%(name)s: write the pre-screening note.") % {"name": person.display_name})
            continue
        try:
            with transaction.atomic():
                applications.append(refer(actor=actor, vacancy=vacancy, jobseeker=person, note=note, request=request))
        except ValidationError as error:
            problems.append(f"{person.display_name}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems, code="candidates")
    shortlist = Shortlist.objects.create(vacancy=vacancy, created_by=actor, sent_at=timezone.now(), message=message)
    shortlist.applications.set(applications)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=shortlist,
        count=len(applications),
        detail={"vacancy": vacancy.pk},
        request=request,
    )
    return shortlist


def vacancy_referral_recorded(*, actor: Any, application: Application) -> None:
    """A referral to a vacancy is a step of the person's open case (called by `applications.actions.refer`)."""
    case = Case.objects.filter(jobseeker_id=application.jobseeker_id, status=CaseStatus.OPEN).first()
    if case is not None:
        record_event(
            case,
            CaseEventKind.VACANCY_REFERRAL,
            actor,
            application=application.pk,
            vacancy=application.vacancy_id,
        )
