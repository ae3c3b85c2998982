"""Employers in the JSON API: registration on an employer's behalf, details, verification.

Scoped like the pages, through `employers.access`: staff see employers served by centres in their scope
(counsellors and centre managers change and verify them); employer users see and change the employers they
act for. Changes go through `employers.actions`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from openpes.accounts.enums import Role
from openpes.api.pagination import PageOut, PageQuery, page_of
from openpes.api.schemas import InputSchema, Text, errors, invalid_field
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.employers import actions
from openpes.employers.access import (
    can_verify_employer,
    get_employer_for_edit,
    get_employer_for_user,
    get_employers_for_user,
)
from openpes.employers.enums import Ownership, RefusalReason, SizeBand, Verification
from openpes.employers.models import Employer
from openpes.geography.models import District, Province
from openpes.lib.http import AuthedRequest
from openpes.lib.phone import normalize_phone
from openpes.taxonomy.models import Sector

router = Router(tags=["employers"])

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})

# ------------------------------------------------------------------------------------------------ output


class EmployerSummaryOut(Schema):
    id: int
    name: str = Field(description="In the caller's language where the employer gave one")
    name_km: str
    name_en: str
    registration_number: str
    sector: str = Field(description="ISIC Rev.4 section letter")
    province: str = Field(description="Province code")
    owner_centre: str = Field(description="Code of the job centre that serves the employer")
    verification: str
    created_at: datetime

    @staticmethod
    def resolve_sector(obj: Employer) -> str:
        return obj.sector.code

    @staticmethod
    def resolve_province(obj: Employer) -> str:
        return obj.province.code

    @staticmethod
    def resolve_owner_centre(obj: Employer) -> str:
        return obj.owner_centre.code


class EmployerOut(EmployerSummaryOut):
    size_band: str
    ownership: str
    district: str | None = Field(description="District code")
    address: str
    contact_name: str
    phone: str = Field(description="E.164")
    email: str
    website: str
    declared_staff: int | None
    declared_staff_with_disabilities: int | None
    staff_declared_on: date | None
    refusal_reason: str
    refusal_note: str
    verified_at: datetime | None

    @staticmethod
    def resolve_district(obj: Employer) -> str | None:
        return obj.district.code if obj.district else None


class EmployerPage(PageOut):
    items: list[EmployerSummaryOut]


# ------------------------------------------------------------------------------------------------ input


class EmployerQuery(PageQuery):
    q: Text = Field("", max_length=100, description="Part of the name (Khmer or English) or registration number")
    verification: Verification | None = None
    province: str = Field("", pattern=r"^[0-9]{0,2}$", description="Province code")


class EmployerChanges(InputSchema):
    """Every field optional: PATCH changes only what it sends."""

    registration_number: Text | None = Field(None, max_length=40)
    name_km: Text | None = Field(None, max_length=200)
    name_en: Text | None = Field(None, max_length=200)
    sector: str | None = Field(None, pattern=r"^[A-Za-z]$", description="ISIC Rev.4 section letter")
    size_band: SizeBand | None = None
    ownership: Ownership | None = None
    province: str | None = Field(None, pattern=r"^[0-9]{2}$", description="Province code")
    district: str | None = Field(None, pattern=r"^[0-9]{4}$", description="District code, in the province")
    address: Text | None = Field(None, max_length=250)
    contact_name: Text | None = Field(None, max_length=150)
    phone: Text | None = Field(None, max_length=30, description="Local or international form")
    email: Text | None = Field(None, max_length=254)
    website: Text | None = Field(None, max_length=200)
    declared_staff: int | None = Field(None, ge=0, le=1_000_000)
    declared_staff_with_disabilities: int | None = Field(None, ge=0, le=1_000_000)


class EmployerIn(EmployerChanges):
    sector: str = Field(pattern=r"^[A-Za-z]$", description="ISIC Rev.4 section letter")
    size_band: SizeBand
    province: str = Field(pattern=r"^[0-9]{2}$", description="Province code")


class RefuseIn(InputSchema):
    reason: RefusalReason
    note: Text = Field("", max_length=500)


NULLABLE = frozenset({"district", "declared_staff", "declared_staff_with_disabilities"})


def _model_fields(data: dict[str, Any], employer: Employer | None) -> dict[str, Any]:
    """Turn API input (codes, local phone numbers) into model field values, with a 422 for what is wrong."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if value is None and name not in NULLABLE:
            raise invalid_field(name, _("This field is required."), "required")
        if name == "sector":
            sector = Sector.objects.filter(code=value.upper()).first()
            if sector is None:
                raise invalid_field(name, _("There is no sector with this code."), "unknown")
            fields[name] = sector
        elif name == "province":
            province = Province.objects.filter(code=value).first()
            if province is None:
                raise invalid_field(name, _("There is no province with this code."), "unknown")
            fields[name] = province
        elif name == "district":
            fields[name] = District.objects.filter(code=value).first() if value else None
            if value and fields[name] is None:
                raise invalid_field(name, _("There is no place with this code."), "unknown")
        elif name == "phone":
            try:
                fields[name] = normalize_phone(value) if value else ""
            except DjangoValidationError as exc:
                raise invalid_field(name, exc.messages[0], "invalid_phone") from None
        elif name in ("size_band", "ownership"):
            fields[name] = str(value)
        else:
            fields[name] = value

    def current(name: str) -> Any:
        return fields[name] if name in fields else (getattr(employer, name) if employer else None)

    if not current("name_km") and not current("name_en"):
        raise invalid_field("name_en", _("Enter the name in Khmer or in English."), "name")
    district, province = current("district"), current("province")
    if district is not None and province is not None and district.province_id != province.pk:
        raise invalid_field("district", _("The district is not in this province."), "district")
    total, disabled = current("declared_staff"), current("declared_staff_with_disabilities")
    if disabled is not None and (total is None or disabled > total):
        raise invalid_field(
            "declared_staff_with_disabilities", _("This cannot be more than the total staff."), "staff_total"
        )
    return fields


def _reloaded(employer: Employer) -> Employer:
    return Employer.objects.select_related("sector", "province", "district", "owner_centre").get(pk=employer.pk)


def _audited(request: AuthedRequest, employer: Employer) -> Employer:
    # The record names a contact person with their phone and e-mail: reading it is audited like other personal data.
    record(actor=request.user, action=AuditAction.VIEW, obj=employer, request=request)
    return employer


# ------------------------------------------------------------------------------------------------ operations


@router.get(
    "",
    response={200: EmployerPage, **errors(401, 422)},
    summary="Employers visible to the caller",
    description="Staff: employers served by centres in their scope. Employer users: the employers they act "
    "for. Others: none.",
)
def employer_list(request: AuthedRequest, filters: Query[EmployerQuery]) -> dict[str, Any]:
    queryset = get_employers_for_user(request.user)
    if filters.q:
        queryset = queryset.filter(
            Q(name_en__icontains=filters.q) | Q(name_km__icontains=filters.q) | Q(registration_number=filters.q)
        )
    if filters.verification:
        queryset = queryset.filter(verification=filters.verification)
    if filters.province:
        queryset = queryset.filter(province__code=filters.province)
    items, page = page_of(queryset, filters)
    return {**page, "items": items}


@router.get(
    "/{employer_id}",
    response={200: EmployerOut, **errors(401, 404, 422)},
    summary="One employer",
    description="404 for employers outside the caller's scope. The read is audited.",
)
def employer_detail(request: AuthedRequest, employer_id: int) -> Employer:
    employer = get_employer_for_user(request.user, employer_id)
    return _audited(request, _reloaded(employer))


@router.post(
    "",
    response={201: EmployerOut, **errors(401, 403, 422)},
    summary="Register an employer on its behalf (counsellors and centre managers)",
    description="The employer is served by the caller's centre and waits for verification.",
)
def employer_create(request: AuthedRequest, payload: EmployerIn) -> Status[Employer]:
    if request.user.role not in CASEWORKERS:
        raise PermissionDenied
    employer = actions.register_employer(
        actor=request.user, fields=_model_fields(payload.model_dump(exclude_unset=True), None), request=request
    )
    return Status(201, _reloaded(employer))


@router.patch(
    "/{employer_id}",
    response={200: EmployerOut, **errors(401, 403, 404, 422)},
    summary="Change an employer's details",
    description="Only the fields sent change. For employer users of this employer and counsellors and centre "
    "managers in scope.",
)
def employer_update(request: AuthedRequest, employer_id: int, payload: EmployerChanges) -> Employer:
    employer = get_employer_for_edit(request.user, employer_id)
    fields = _model_fields(payload.model_dump(exclude_unset=True), employer)
    actions.update_employer(actor=request.user, employer=employer, fields=fields, request=request)
    return _reloaded(employer)


@router.post(
    "/{employer_id}/verify",
    response={200: EmployerOut, **errors(401, 403, 404, 422)},
    summary="Mark an employer as verified (counsellors and centre managers in scope)",
    description="Only verified employers' vacancies can be published.",
)
def employer_verify(request: AuthedRequest, employer_id: int) -> Employer:
    employer = get_employer_for_user(request.user, employer_id)
    if not can_verify_employer(request.user, employer):
        raise PermissionDenied
    actions.verify_employer(actor=request.user, employer=employer, request=request)
    return _reloaded(employer)


@router.post(
    "/{employer_id}/refuse",
    response={200: EmployerOut, **errors(401, 403, 404, 422)},
    summary="Refuse an employer, with a reason (counsellors and centre managers in scope)",
    description="Its open vacancies are closed: nothing of a refused employer stays public.",
)
def employer_refuse(request: AuthedRequest, employer_id: int, payload: RefuseIn) -> Employer:
    employer = get_employer_for_user(request.user, employer_id)
    if not can_verify_employer(request.user, employer):
        raise PermissionDenied
    actions.refuse_employer(
        actor=request.user, employer=employer, reason=str(payload.reason), note=payload.note, request=request
    )
    return _reloaded(employer)
