"""Applications in the JSON API: applying, referring, moving through selection, hiring, withdrawing.

Scoped like the pages, through `applications.access`: a jobseeker sees their own applications; an employer
user sees applications to their employers' vacancies with only the applicant's shared profile (never WG-SS
answers, national ID or case notes); staff see applications of jobseekers or vacancies in their scope.
Changes go through `applications.actions`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from openpes.accounts.enums import Role
from openpes.api.pagination import PageOut, PageQuery, page_of
from openpes.api.schemas import Id, InputSchema, Text, errors, invalid_field
from openpes.applications import actions
from openpes.applications.access import can_refer, get_application_for_user, get_applications_for_user, shared_profile
from openpes.applications.enums import ApplicationStatus, OutcomeReason
from openpes.applications.models import Application, Placement
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.access import get_jobseeker_for_user, get_own_jobseeker
from openpes.lib.http import AuthedRequest
from openpes.lib.idempotency import idempotent_operation
from openpes.vacancies.access import get_vacancy_for_user

router = Router(tags=["applications"])

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})
SELECTION = frozenset({Role.EMPLOYER}) | CASEWORKERS

# ------------------------------------------------------------------------------------------------ output


class VacancyRefOut(Schema):
    id: int
    title: str
    employer: int
    employer_name: str


class SharedProfileOut(Schema):
    """What the applicant shares with the employer: no health data, no ID numbers, no case notes."""

    name: str
    phone: str
    email: str
    province: str
    education: str
    experience: list[str]
    skills: list[str]
    languages: list[str]
    cv_id: int | None = Field(description="The latest CV, if any")


class ApplicationBaseOut(Schema):
    id: int
    vacancy: VacancyRefOut
    source: str = Field(description="applied or referred")
    status: str
    reason: str = Field(description="Why it ended without a hire (a reason code)")
    note: str = Field(description="The counsellor's note for the employer, for referrals")
    created_at: datetime
    updated_at: datetime


class ApplicationOut(ApplicationBaseOut):
    """As the jobseeker and staff see it."""

    jobseeker: int
    jobseeker_name: str
    referral_centre: str | None = Field(description="Code of the referring job centre")


class EmployerApplicationOut(ApplicationBaseOut):
    """As an employer user sees it: the applicant only through their shared profile."""

    applicant: SharedProfileOut


class ApplicationPage(PageOut):
    items: list[ApplicationOut]


class EmployerApplicationPage(PageOut):
    items: list[EmployerApplicationOut]


class PlacementOut(Schema):
    id: int
    application: int
    vacancy: int | None
    start_date: date
    monthly_wage: int | None = Field(description="USD")
    via_referral: bool

    @staticmethod
    def resolve_application(obj: Placement) -> int:
        return int(obj.application_id or 0)

    @staticmethod
    def resolve_vacancy(obj: Placement) -> int | None:
        return obj.vacancy_id


def _base(application: Application) -> dict[str, Any]:
    vacancy = application.vacancy
    return {
        "id": application.pk,
        "vacancy": {
            "id": vacancy.pk,
            "title": vacancy.title,
            "employer": vacancy.employer_id,
            "employer_name": vacancy.employer.name,
        },
        "source": application.source,
        "status": application.status,
        "reason": application.reason,
        "note": application.note,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
    }


def application_out(user: Any, application: Application) -> ApplicationOut | EmployerApplicationOut:
    """The application as `user` may see it (employers: shared profile only)."""
    if user.role == Role.EMPLOYER:
        profile = SharedProfileOut(**asdict(shared_profile(application.jobseeker)))
        return EmployerApplicationOut(**_base(application), applicant=profile)
    return ApplicationOut(
        **_base(application),
        jobseeker=application.jobseeker_id,
        jobseeker_name=application.jobseeker.display_name,
        referral_centre=application.referral_centre.code if application.referral_centre else None,
    )


def _visible(user: Any) -> QuerySet[Application]:
    applications = get_applications_for_user(user).select_related("referral_centre")
    if user.role == Role.EMPLOYER:
        return applications.select_related("jobseeker__province", "jobseeker__education_level").prefetch_related(
            "jobseeker__documents", "jobseeker__experience", "jobseeker__languages"
        )
    return applications


def _load(user: Any, application_id: int) -> Application:
    return get_application_for_user(user, application_id)


def _reloaded(user: Any, application: Application) -> Application:
    return _visible(user).get(pk=application.pk)


# ------------------------------------------------------------------------------------------------ input


class ApplicationQuery(PageQuery):
    vacancy: Id | None = Field(None, description="Only applications to this vacancy")
    status: ApplicationStatus | None = None


class ApplicationIn(InputSchema):
    vacancy: Id
    jobseeker: Id | None = Field(None, description="Staff referring someone; jobseekers apply for themselves")
    note: Text = Field("", max_length=1000, description="A note for the employer (the applicant's or the counsellor's)")


class MoveIn(InputSchema):
    status: Literal["in_review", "interview", "offered", "rejected"] = Field(
        description="Hires go through `/hire`, withdrawals through `/withdraw`"
    )
    reason: OutcomeReason | None = Field(None, description="Needed for `rejected`")


class HireIn(InputSchema):
    start_date: date
    monthly_wage: int | None = Field(None, ge=0, le=100_000, description="USD")


class WithdrawIn(InputSchema):
    reason: OutcomeReason


# ------------------------------------------------------------------------------------------------ operations

ONE = {200: ApplicationOut | EmployerApplicationOut}


@router.get(
    "",
    response={200: ApplicationPage | EmployerApplicationPage, **errors(401, 422)},
    summary="Applications visible to the caller",
    description="Jobseekers: their own. Employer users: those to their employers' vacancies, each with the "
    "applicant's shared profile only. Staff: those of jobseekers or vacancies in their scope. The list is audited.",
)
def application_list(
    request: AuthedRequest, filters: Query[ApplicationQuery]
) -> ApplicationPage | EmployerApplicationPage:
    queryset = _visible(request.user)
    if filters.vacancy:
        queryset = queryset.filter(vacancy_id=filters.vacancy)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    items, page = page_of(queryset, filters)
    if items:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="applications.application",
            count=len(items),
            request=request,
        )
    shown = [application_out(request.user, application) for application in items]
    if request.user.role == Role.EMPLOYER:
        return EmployerApplicationPage(**page, items=[a for a in shown if isinstance(a, EmployerApplicationOut)])
    return ApplicationPage(**page, items=[a for a in shown if isinstance(a, ApplicationOut)])


@router.get(
    "/{application_id}",
    response={**ONE, **errors(401, 404, 422)},
    summary="One application",
    description="404 for applications outside the caller's scope. The read is audited.",
)
def application_detail(request: AuthedRequest, application_id: int) -> ApplicationOut | EmployerApplicationOut:
    application = _reloaded(request.user, _load(request.user, application_id))
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=application,
        subject_id=application.jobseeker_id,
        request=request,
    )
    return application_out(request.user, application)


@router.post(
    "",
    response={201: ApplicationOut, **errors(401, 403, 404, 409, 422)},
    summary="Apply (jobseekers) or refer a jobseeker (counsellors and centre managers)",
    description="A jobseeker applies for themselves to a published, open vacancy. A counsellor or centre "
    "manager refers a jobseeker in their scope, with a note for the employer. 409 when the person already "
    "applied or was referred, or the vacancy is no longer open.",
)
@idempotent_operation()  # R4: a retried application is sent once
def application_create(request: AuthedRequest, payload: ApplicationIn) -> Status[ApplicationOut]:
    user = request.user
    if user.role == Role.JOBSEEKER:
        jobseeker = get_own_jobseeker(user)
        if jobseeker is None:
            raise DjangoValidationError(_("Complete your registration before you apply."), code="no_record")
        if payload.jobseeker is not None and payload.jobseeker != jobseeker.pk:
            raise Http404
        vacancy = get_vacancy_for_user(user, payload.vacancy)
        application = actions.apply(
            actor=user, vacancy=vacancy, jobseeker=jobseeker, note=payload.note, request=request
        )
    elif can_refer(user):
        if payload.jobseeker is None:
            raise invalid_field("jobseeker", _("This field is required."), "required")
        jobseeker = get_jobseeker_for_user(user, payload.jobseeker)
        vacancy = get_vacancy_for_user(user, payload.vacancy)
        application = actions.refer(
            actor=user, vacancy=vacancy, jobseeker=jobseeker, note=payload.note, request=request
        )
    else:
        raise PermissionDenied
    shown = application_out(user, _reloaded(user, application))
    assert isinstance(shown, ApplicationOut)
    return Status(201, shown)


@router.post(
    "/{application_id}/move",
    response={**ONE, **errors(401, 403, 404, 409, 422)},
    summary="Move an application through selection (employer users and counsellors and centre managers)",
    description="new → in_review → interview → offered; any open one may be rejected, with a reason.",
)
def application_move(
    request: AuthedRequest, application_id: int, payload: MoveIn
) -> ApplicationOut | EmployerApplicationOut:
    application = _load(request.user, application_id)
    if request.user.role not in SELECTION:
        raise PermissionDenied
    actions.move_application(
        actor=request.user,
        application=application,
        status=payload.status,
        reason=str(payload.reason or ""),
        request=request,
    )
    return application_out(request.user, _reloaded(request.user, application))


@router.post(
    "/{application_id}/hire",
    response={201: PlacementOut, **errors(401, 403, 404, 409, 422)},
    summary="Record a hire (employer users and counsellors and centre managers)",
    description="Records the placement; the jobseeker becomes placed and the vacancy is filled once every position is.",
)
def application_hire(request: AuthedRequest, application_id: int, payload: HireIn) -> Status[Placement]:
    application = _load(request.user, application_id)
    if request.user.role not in SELECTION:
        raise PermissionDenied
    if abs(payload.start_date - timezone.localdate()) > timedelta(days=366):
        raise invalid_field("start_date", _("The start date must be within a year of today."), "start_date")
    placement = actions.record_hire(
        actor=request.user,
        application=application,
        start_date=payload.start_date,
        monthly_wage=payload.monthly_wage,
        request=request,
    )
    return Status(201, placement)


@router.post(
    "/{application_id}/withdraw",
    response={**ONE, **errors(401, 403, 404, 409, 422)},
    summary="Withdraw an application (the jobseeker, or a counsellor or centre manager for them)",
)
def application_withdraw(
    request: AuthedRequest, application_id: int, payload: WithdrawIn
) -> ApplicationOut | EmployerApplicationOut:
    application = _load(request.user, application_id)
    if request.user.role not in CASEWORKERS | {Role.JOBSEEKER}:
        raise PermissionDenied
    actions.withdraw(actor=request.user, application=application, reason=str(payload.reason), request=request)
    return application_out(request.user, _reloaded(request.user, application))
