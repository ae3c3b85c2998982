"""Applications and referrals, their selection states, and hires (placements)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from openpes.applications.enums import NEEDS_REASON, ApplicationSource, ApplicationStatus, OutcomeReason
from openpes.applications.models import Application, ApplicationEvent, Placement
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.actions import change_status
from openpes.jobseekers.enums import JobSeekerStatus
from openpes.jobseekers.models import JobSeeker
from openpes.vacancies.actions import close_vacancy
from openpes.vacancies.enums import CloseReason, VacancyStatus
from openpes.vacancies.models import Vacancy


def _event(application: Application, actor: Any, previous: str, reason: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=previous,
        to_status=application.status,
        reason=reason,
    )


def _create(*, actor: Any, vacancy: Vacancy, jobseeker: JobSeeker, source: str, note: str, request: Any) -> Application:
    if not vacancy.is_open:
        raise ValidationError(_("This vacancy is no longer open."), code="closed")
    if jobseeker.status == JobSeekerStatus.INACTIVE or jobseeker.merged_into_id:
        raise ValidationError(_("This person is not on the active register."), code="inactive")
    if Application.objects.filter(vacancy=vacancy, jobseeker=jobseeker).exists():
        raise ValidationError(_("This person has already applied or been referred to this vacancy."), code="dup")
    is_referral = source == ApplicationSource.REFERRED
    try:
        with transaction.atomic():
            application = Application.objects.create(
                vacancy=vacancy,
                jobseeker=jobseeker,
                source=source,
                referred_by=actor if is_referral else None,
                referral_centre_id=actor.centre_id if is_referral else None,
                note=note[:1000],
            )
    except IntegrityError:
        raise ValidationError(
            _("This person has already applied or been referred to this vacancy."), code="dup"
        ) from None
    _event(application, actor, "")
    record(actor=actor, action=AuditAction.CREATE, obj=application, subject_id=jobseeker.pk, request=request)
    return application


@transaction.atomic
def apply(*, actor: Any, vacancy: Vacancy, jobseeker: JobSeeker, note: str = "", request: Any = None) -> Application:
    """The jobseeker applies; their shared profile becomes visible to the employer."""
    return _create(
        actor=actor, vacancy=vacancy, jobseeker=jobseeker, source=ApplicationSource.APPLIED, note=note, request=request
    )


@transaction.atomic
def refer(*, actor: Any, vacancy: Vacancy, jobseeker: JobSeeker, note: str = "", request: Any = None) -> Application:
    """A counsellor puts a jobseeker forward for a vacancy, with a note for the employer."""
    application = _create(
        actor=actor, vacancy=vacancy, jobseeker=jobseeker, source=ApplicationSource.REFERRED, note=note, request=request
    )
    from openpes.cases.actions.services import vacancy_referral_recorded  # a step of the person's open case

    vacancy_referral_recorded(actor=actor, application=application)
    return application


@transaction.atomic
def move_application(
    *, actor: Any, application: Application, status: str, reason: str = "", request: Any = None
) -> Application:
    """Move an application on (employer or staff). Rejection needs a structured reason; hiring goes through
    `record_hire` so that a placement is recorded."""
    if status == ApplicationStatus.HIRED:
        raise ValidationError(_("Record the hire with its start date."), code="use_hire")
    if not application.can_move_to(status):
        raise ValidationError(
            _("An application that is %(current)s cannot become %(new)s."),
            params={"current": application.get_status_display(), "new": ApplicationStatus(status).label},
            code="bad_transition",
        )
    if status in NEEDS_REASON and reason not in OutcomeReason.values:
        raise ValidationError({"reason": _("Choose a reason.")}, code="reason")
    previous = application.status
    application.status = status
    application.reason = reason if status in NEEDS_REASON else ""
    application.save(update_fields=["status", "reason", "updated_at"])
    _event(application, actor, previous, application.reason)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=application,
        subject_id=application.jobseeker_id,
        detail={"status": status},
        request=request,
    )
    return application


@transaction.atomic
def withdraw(*, actor: Any, application: Application, reason: str, request: Any = None) -> Application:
    return move_application(
        actor=actor, application=application, status=ApplicationStatus.WITHDRAWN, reason=reason, request=request
    )


@transaction.atomic
def record_hire(
    *,
    actor: Any,
    application: Application,
    start_date: date,
    monthly_wage: int | None = None,
    request: Any = None,
) -> Placement:
    """The employer hires the applicant: a placement linked to the application (and its referral), the
    jobseeker becomes "placed", and the vacancy is filled once every position is."""
    application = Application.objects.select_for_update().select_related("vacancy", "jobseeker").get(pk=application.pk)
    if not application.can_move_to(ApplicationStatus.HIRED):
        raise ValidationError(
            _("An application that is %(current)s cannot become %(new)s."),
            params={"current": application.get_status_display(), "new": ApplicationStatus.HIRED.label},
            code="bad_transition",
        )
    previous = application.status
    application.status = ApplicationStatus.HIRED
    application.reason = ""
    application.save(update_fields=["status", "reason", "updated_at"])
    _event(application, actor, previous)
    vacancy = application.vacancy
    placement = Placement.objects.create(
        jobseeker=application.jobseeker,
        vacancy=vacancy,
        employer_id=vacancy.employer_id,
        application=application,
        via_referral=application.source == ApplicationSource.REFERRED,
        centre_id=application.referral_centre_id or application.jobseeker.owner_centre_id,
        start_date=start_date,
        monthly_wage=monthly_wage,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action=AuditAction.CREATE, obj=placement, subject_id=application.jobseeker_id, request=request)
    from openpes.cases.actions.services import placement_recorded  # the case's event and the 1/3/6-month follow-ups

    placement_recorded(actor=actor, placement=placement, request=request)
    change_status(actor=actor, jobseeker=application.jobseeker, status=JobSeekerStatus.PLACED, request=request)
    hires = Placement.objects.filter(vacancy=vacancy).count()
    if hires >= vacancy.positions and vacancy.status == VacancyStatus.PUBLISHED:
        close_vacancy(actor=actor, vacancy=vacancy, reason=CloseReason.FILLED_BY_PES, request=request)
    return placement
