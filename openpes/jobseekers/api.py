"""Jobseekers in the JSON API: staff look-ups, assisted registration, profiles and register status.

Scoped like the pages, through `jobseekers.access`: staff see jobseekers owned by centres in their scope
(counsellors and centre managers change them, national officers and administrators only read); a jobseeker
sees and changes their own record; employers never load jobseeker records here (they see what an applicant
shares, through applications). WG-SS answers are health data: they appear only where `can_see_wgss` allows.
Every read is audited; national ID and phone numbers are masked in lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from openpes.accounts.enums import STAFF_ROLES, Sex
from openpes.api.pagination import PageOut, PageQuery, page_of
from openpes.api.schemas import ErrorOut, Id, InputSchema, Text, errors, invalid_field
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.centres.enums import CentreKind
from openpes.geography.models import Commune, District, Province
from openpes.jobseekers import actions
from openpes.jobseekers.access import (
    CASEWORKERS,
    can_see_wgss,
    get_jobseeker_for_edit,
    get_jobseeker_for_user,
    get_jobseekers_for_user,
    get_own_jobseeker,
)
from openpes.jobseekers.duplicates import find_possible_duplicates
from openpes.jobseekers.enums import (
    ConsentPurpose,
    DeregistrationReason,
    JobSeekerStatus,
    RegistrationChannel,
)
from openpes.jobseekers.models import JobSeeker, WgssAnswers
from openpes.jobseekers.search import jobseeker_index
from openpes.lib.http import AuthedRequest
from openpes.lib.idempotency import idempotent_operation
from openpes.lib.phone import mask_phone, normalize_phone
from openpes.taxonomy.enums import DrivingLicence, EmploymentType, Language, LanguageLevel
from openpes.taxonomy.models import EducationLevel, IscoGroup, Skill

router = Router(tags=["jobseekers"])

MINIMUM_AGE = 15  # the minimum working age in Cambodia's Labour Law
MAXIMUM_AGE = 100

# ------------------------------------------------------------------------------------------------ output


class JobSeekerListItemOut(Schema):
    id: int
    name_km: str
    name_latin: str
    sex: str
    date_of_birth: date
    national_id_masked: str = Field(description="Only the last three characters")
    phone_masked: str = Field(description="Only the last three digits")
    province: str = Field(description="Province code")
    owner_centre: str = Field(description="Code of the job centre that owns the record")
    status: str
    created_at: datetime

    @staticmethod
    def resolve_national_id_masked(obj: JobSeeker) -> str:
        return obj.masked_national_id

    @staticmethod
    def resolve_phone_masked(obj: JobSeeker) -> str:
        return obj.masked_phone

    @staticmethod
    def resolve_province(obj: JobSeeker) -> str:
        return obj.province.code

    @staticmethod
    def resolve_owner_centre(obj: JobSeeker) -> str:
        return obj.owner_centre.code


class JobSeekerPage(PageOut):
    items: list[JobSeekerListItemOut]


class ExperienceOut(Schema):
    id: int
    title: str
    isco_group: str | None
    employer_name: str
    country: str
    started_on: date | None
    ended_on: date | None
    description: str


class SkillOut(Schema):
    skill: int
    label: str


class LanguageOut(Schema):
    language: str
    level: int


class DesiredOccupationOut(Schema):
    rank: int
    isco_group: str
    title: str


class AccommodationNeedOut(Schema):
    kind: str
    note: str


class DocumentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class WgssOut(Schema):
    """Washington Group Short Set: 1 no difficulty, 2 some, 3 a lot, 4 cannot do at all."""

    seeing: int
    hearing: int
    walking: int
    cognition: int
    self_care: int
    communication: int
    disability: bool = Field(description="The WG disability identifier (a lot of difficulty or worse in a domain)")
    answered_at: datetime


class JobSeekerOut(Schema):
    id: int
    has_account: bool = Field(description="The person signs in themself")
    owner_centre: str = Field(description="Code of the job centre that owns the record")
    channel: str
    name_km: str
    name_latin: str
    sex: str
    date_of_birth: date
    national_id: str
    phone: str = Field(description="E.164")
    phone_alt: str = Field(description="E.164")
    email: str
    province: str = Field(description="Province code")
    district: str | None
    commune: str | None
    address: str
    education_level: int | None = Field(description="ISCED 2011 level")
    field_of_study: str
    institution: str
    preferred_provinces: list[str]
    willing_to_relocate: bool
    employment_types: list[str]
    expected_wage: int | None = Field(description="Monthly, USD")
    available_from: date | None
    driving_licences: list[str]
    skills_free_text: str
    returning_migrant: bool
    migration_country: str
    returned_on: date | None
    status: str
    inactive_reason: str
    created_at: datetime
    updated_at: datetime
    experience: list[ExperienceOut]
    skills: list[SkillOut]
    languages: list[LanguageOut]
    desired_occupations: list[DesiredOccupationOut]
    accommodation_needs: list[AccommodationNeedOut]
    consents: dict[str, bool] = Field(description="The latest answer for each purpose asked")
    documents: list[DocumentOut] = Field(description="Uploaded CVs (metadata only)")
    wgss: WgssOut | None = Field(
        None,
        description="WG-SS answers (null: none recorded). Present only for the person and for counsellors and "
        "centre managers in scope; absent for everyone else.",
    )


class DuplicateOut(Schema):
    id: int | None = Field(description="Null when the record is outside your scope")
    name: str | None
    date_of_birth: date | None
    national_id_masked: str | None
    phone_masked: str | None
    owner_centre: str = Field(description="Code of the job centre that owns the record")
    reasons: list[str] = Field(description="national_id, phone, name_and_birth_date")


class DuplicatesOut(ErrorOut):
    duplicates: list[DuplicateOut]


def jobseeker_out(jobseeker: JobSeeker, *, with_wgss: bool) -> JobSeekerOut:
    """The full record; `wgss` only when the caller may see it (the key is absent otherwise)."""
    data: dict[str, Any] = {
        "id": jobseeker.pk,
        "has_account": jobseeker.user_id is not None,
        "owner_centre": jobseeker.owner_centre.code,
        "province": jobseeker.province.code,
        "district": jobseeker.district.code if jobseeker.district else None,
        "commune": jobseeker.commune.code if jobseeker.commune else None,
        "education_level": jobseeker.education_level.code if jobseeker.education_level else None,
        "preferred_provinces": sorted(p.code for p in jobseeker.preferred_provinces.all()),
        "experience": [
            {**vars_of(e, ExperienceOut), "isco_group": e.isco_group.code if e.isco_group else None}
            for e in jobseeker.experience.select_related("isco_group")
        ],
        "skills": [
            {"skill": link.skill_id, "label": link.skill.label}
            for link in jobseeker.skills.select_related("skill").order_by("skill__label_en")
        ],
        "languages": [{"language": s.language, "level": s.level} for s in jobseeker.languages.order_by("language")],
        "desired_occupations": [
            {"rank": d.rank, "isco_group": d.isco_group.code, "title": d.isco_group.title}
            for d in jobseeker.desired_occupations.select_related("isco_group")
        ],
        "accommodation_needs": [
            {"kind": n.kind, "note": n.note} for n in jobseeker.accommodation_needs.order_by("kind")
        ],
        "consents": actions.current_consents(jobseeker),
        "documents": [vars_of(d, DocumentOut) for d in jobseeker.documents.all()],
    }
    for name in JobSeekerOut.model_fields:
        if name not in data and name != "wgss":
            data[name] = getattr(jobseeker, name)
    if with_wgss:
        answers = WgssAnswers.objects.filter(jobseeker=jobseeker).first()
        data["wgss"] = vars_of(answers, WgssOut) if answers else None
    return JobSeekerOut(**data)


def vars_of(obj: Any, schema: type[Schema]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in schema.model_fields}


def _show(request: AuthedRequest, jobseeker: JobSeeker) -> JobSeekerOut:
    """The record for the caller, with the audit row for the read (noting when WG-SS answers were shown)."""
    with_wgss = can_see_wgss(request.user, jobseeker)
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=jobseeker,
        subject_id=jobseeker.pk,
        detail={"wgss": True} if with_wgss else None,
        request=request,
    )
    return jobseeker_out(_reloaded(jobseeker), with_wgss=with_wgss)


def _reloaded(jobseeker: JobSeeker) -> JobSeeker:
    return JobSeeker.objects.select_related("owner_centre", "province", "district", "commune", "education_level").get(
        pk=jobseeker.pk
    )


# ------------------------------------------------------------------------------------------------ input


class JobSeekerQuery(PageQuery):
    q: Text = Field("", max_length=100, description="Name (either script), phone number, national ID or record id")
    status: JobSeekerStatus | None = None


class LanguageIn(InputSchema):
    language: Language
    level: LanguageLevel


class ProfileChanges(InputSchema):
    """Every field optional: PATCH changes only what it sends. Lists replace what was there."""

    name_km: Text | None = Field(None, max_length=150)
    name_latin: Text | None = Field(None, max_length=150)
    sex: Sex | None = None
    date_of_birth: date | None = None
    national_id: Text | None = Field(None, max_length=20, description="Letters and digits; spaces are ignored")
    phone: Text | None = Field(None, max_length=30, description="Local or international form")
    phone_alt: Text | None = Field(None, max_length=30)
    email: Text | None = Field(None, max_length=254)
    province: str | None = Field(None, pattern=r"^[0-9]{2}$", description="Province code")
    district: str | None = Field(None, pattern=r"^[0-9]{4}$", description="District code, in the province")
    commune: str | None = Field(None, pattern=r"^[0-9]{6}$", description="Commune code, in the district")
    address: Text | None = Field(None, max_length=250)
    education_level: int | None = Field(None, ge=0, le=8, description="ISCED 2011 level")
    field_of_study: Text | None = Field(None, max_length=150)
    institution: Text | None = Field(None, max_length=150)
    preferred_provinces: list[str] | None = Field(None, max_length=25, description="Province codes")
    willing_to_relocate: bool | None = None
    employment_types: list[EmploymentType] | None = Field(None, max_length=5)
    expected_wage: int | None = Field(None, ge=0, le=100_000, description="Monthly, USD")
    available_from: date | None = None
    driving_licences: list[DrivingLicence] | None = Field(None, max_length=8)
    skills_free_text: Text | None = Field(None, max_length=2000)
    returning_migrant: bool | None = None
    migration_country: Text | None = Field(None, max_length=60)
    returned_on: date | None = None
    desired_occupations: list[str] | None = Field(
        None, max_length=3, description="Up to three ISCO-08 unit group codes, in order of preference"
    )
    languages: list[LanguageIn] | None = Field(None, max_length=10)
    skills: list[Id] | None = Field(None, max_length=100, description="ESCO skill ids")


class RegistrationIn(ProfileChanges):
    sex: Sex
    date_of_birth: date
    province: str = Field(pattern=r"^[0-9]{2}$", description="Province code")
    channel: Literal["centre", "mobile", "fair"] | None = Field(
        None, description="Where the person registered (default: a mobile unit's staff register at the mobile unit)"
    )
    consents: list[ConsentPurpose] = Field(
        default_factory=lambda: [ConsentPurpose.REGISTRATION],
        max_length=3,
        description="What the person agreed to; `registration` is needed to keep a record",
    )
    consent_method: Literal["verbal", "paper"] = "verbal"
    confirm_not_duplicate: bool = Field(
        False, description="Register even though possible duplicates were reported (409) and checked"
    )


class StatusIn(InputSchema):
    status: JobSeekerStatus
    reason: DeregistrationReason | None = Field(None, description="Needed when the status becomes inactive")


NULLABLE = frozenset({"district", "commune", "education_level", "expected_wage", "available_from", "returned_on"})
RELATED = frozenset({"desired_occupations", "languages", "skills"})
POST_ONLY = frozenset({"channel", "consents", "consent_method", "confirm_not_duplicate"})
BLANK_IF_NULL = frozenset(
    {"national_id", "phone", "phone_alt", "email", "address", "field_of_study", "institution", "skills_free_text",
     "migration_country", "name_km", "name_latin"}
)  # fmt: skip


def _national_id(value: str) -> str:
    cleaned = value.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")).replace(" ", "").replace("-", "").upper()
    if cleaned and (len(cleaned) > 12 or not cleaned.isascii() or not cleaned.isalnum()):
        raise invalid_field("national_id", _("Enter the ID number as written on the card: letters and digits."))
    return cleaned


def _phone(name: str, value: str) -> str:
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except DjangoValidationError as exc:
        raise invalid_field(name, exc.messages[0], "invalid_phone") from None


def _model_fields(data: dict[str, Any], jobseeker: JobSeeker | None) -> dict[str, Any]:
    """Turn API input (codes, local phone numbers) into model field values, with a 422 for what is wrong."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name in RELATED or name in POST_ONLY:
            continue
        if value is None:
            if name in BLANK_IF_NULL:
                value = ""
            elif name not in NULLABLE:
                raise invalid_field(name, _("This field is required."), "required")
        if name == "province":
            fields[name] = Province.objects.filter(code=value).first()
            if fields[name] is None:
                raise invalid_field(name, _("There is no province with this code."), "unknown")
        elif name in ("district", "commune"):
            model = District if name == "district" else Commune
            fields[name] = model.objects.filter(code=value).first() if value else None
            if value and fields[name] is None:
                raise invalid_field(name, _("There is no place with this code."), "unknown")
        elif name == "education_level":
            fields[name] = EducationLevel.objects.filter(code=value).first() if value is not None else None
        elif name == "preferred_provinces":
            codes = set(value)
            fields[name] = list(Province.objects.filter(code__in=codes))
            if len(fields[name]) != len(codes):
                raise invalid_field(name, _("There is no province with this code."), "unknown")
        elif name == "national_id":
            fields[name] = _national_id(value)
        elif name in ("phone", "phone_alt"):
            fields[name] = _phone(name, value)
        elif name in ("employment_types", "driving_licences"):
            fields[name] = sorted({str(item) for item in value})
        elif name == "sex":
            fields[name] = str(value)
        else:
            fields[name] = value

    def current(name: str) -> Any:
        return fields[name] if name in fields else (getattr(jobseeker, name) if jobseeker else None)

    if not current("name_km") and not current("name_latin"):
        raise invalid_field("name_km", _("Enter the name in Khmer script or in Latin script."), "name")
    born = current("date_of_birth")
    if born is not None and "date_of_birth" in fields:
        today = timezone.localdate()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if not MINIMUM_AGE <= age <= MAXIMUM_AGE:
            raise invalid_field(
                "date_of_birth",
                _("Check the date of birth: the person must be %(low)s to %(high)s years old.")
                % {"low": MINIMUM_AGE, "high": MAXIMUM_AGE},
                "age",
            )
    province, district, commune = current("province"), current("district"), current("commune")
    if district is not None and province is not None and district.province_id != province.pk:
        raise invalid_field("district", _("The district is not in this province."), "district")
    if commune is not None and (district is None or commune.district_id != district.pk):
        raise invalid_field("commune", _("The commune is not in this district."), "commune")
    return fields


def _desired_ids(codes: list[str]) -> list[int]:
    groups = {g.code: g.pk for g in IscoGroup.objects.filter(code__in=codes, level=4)}
    if any(code not in groups for code in codes):
        raise invalid_field("desired_occupations", _("Choose a 4-digit ISCO-08 unit group."), "isco_level")
    return [groups[code] for code in codes]


def _save_related(request: AuthedRequest, jobseeker: JobSeeker, payload: ProfileChanges, sent: set[str]) -> None:
    if "desired_occupations" in sent:
        actions.set_desired_occupations(
            actor=request.user,
            jobseeker=jobseeker,
            isco_group_ids=_desired_ids(payload.desired_occupations or []),
            request=request,
        )
    if "languages" in sent:
        levels = {str(item.language): int(item.level) for item in payload.languages or []}
        actions.set_languages(actor=request.user, jobseeker=jobseeker, levels=levels, request=request)
    if "skills" in sent:
        skill_ids = set(payload.skills or [])
        if Skill.objects.filter(pk__in=skill_ids).count() != len(skill_ids):
            raise invalid_field("skills", _("There is no skill with this id."), "unknown")
        actions.set_skills(actor=request.user, jobseeker=jobseeker, skill_ids=skill_ids, request=request)


def _duplicates(request: AuthedRequest, fields: dict[str, Any]) -> list[DuplicateOut]:
    matches = find_possible_duplicates(
        name_km=fields.get("name_km", ""),
        name_latin=fields.get("name_latin", ""),
        date_of_birth=fields.get("date_of_birth"),
        national_id=fields.get("national_id", ""),
        phones=[fields.get("phone", ""), fields.get("phone_alt", "")],
    )
    visible = set(
        get_jobseekers_for_user(request.user).filter(pk__in=[m.pk for m, _r in matches]).values_list("pk", flat=True)
    )
    out = []
    for match, reasons in matches:
        shown = match.pk in visible
        out.append(
            DuplicateOut(
                id=match.pk if shown else None,
                name=match.display_name if shown else None,
                date_of_birth=match.date_of_birth if shown else None,
                national_id_masked=match.masked_national_id if shown else None,
                phone_masked=mask_phone(match.phone) if shown else None,
                owner_centre=match.owner_centre.code,
                reasons=reasons,
            )
        )
    return out


# ------------------------------------------------------------------------------------------------ operations


@router.get(
    "",
    response={200: JobSeekerPage, **errors(401, 403, 422)},
    summary="Find jobseekers (staff)",
    description="Jobseekers owned by centres in the caller's scope; national ID and phone are masked. Search "
    "by name in either script, phone number, national ID or record id. Jobseekers use `/jobseekers/me`; "
    "employers get 403. The list is audited.",
)
def jobseeker_list(request: AuthedRequest, filters: Query[JobSeekerQuery]) -> dict[str, Any]:
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied
    queryset = get_jobseekers_for_user(request.user)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.q:
        # search_rank is the index's annotation (an extra select), unknown to the type checker.
        queryset = jobseeker_index.filter(queryset, filters.q).order_by(  # type: ignore[misc]
            "-search_rank", "-created_at", "-id"
        )
    items, page = page_of(queryset, filters)
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="jobseekers.jobseeker",
        count=len(items),
        detail={"search": bool(filters.q), "status": str(filters.status or "")},
        request=request,
    )
    return {**page, "items": items}


@router.get(
    "/me",
    response={200: JobSeekerOut, **errors(401, 404)},
    exclude_unset=True,
    summary="The signed-in jobseeker's own record",
    description="404 until the person has completed their registration.",
)
def jobseeker_me(request: AuthedRequest) -> JobSeekerOut:
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        raise Http404
    return _show(request, jobseeker)


@router.get(
    "/{jobseeker_id}",
    response={200: JobSeekerOut, **errors(401, 404, 422)},
    exclude_unset=True,
    summary="One jobseeker's full record",
    description="For staff in scope and the person. WG-SS answers only for the person and counsellors and centre "
    "managers in scope. Anything else is 404. The read is audited.",
)
def jobseeker_detail(request: AuthedRequest, jobseeker_id: int) -> JobSeekerOut:
    return _show(request, get_jobseeker_for_user(request.user, jobseeker_id))


@router.post(
    "",
    response={201: JobSeekerOut, 409: DuplicatesOut, **errors(401, 403, 422)},
    exclude_unset=True,
    summary="Register a jobseeker at a centre (counsellors and centre managers)",
    description="The record belongs to the caller's centre. When existing records may be the same person (same "
    "national ID or phone, or a similar name and the same date of birth) the answer is 409 with them; check "
    "and send again with `confirm_not_duplicate=true`. Records outside your scope are shown only by centre.",
)
@idempotent_operation(exclude_unset=True)  # R4: a retried registration does not register the person twice
def jobseeker_create(request: AuthedRequest, payload: RegistrationIn) -> Status[Any]:
    user = request.user
    if user.role not in CASEWORKERS or user.centre is None:
        raise PermissionDenied
    if ConsentPurpose.REGISTRATION not in payload.consents:
        raise invalid_field("consents", _("The person must agree to the registration for a record to be kept."))
    sent = payload.model_dump(exclude_unset=True)
    fields = _model_fields(sent, None)
    duplicates = _duplicates(request, fields)
    if duplicates and not payload.confirm_not_duplicate:
        record(
            actor=user,
            action=AuditAction.LIST,
            object_type="jobseekers.jobseeker",
            count=len(duplicates),
            detail={"possible_duplicates": [d.id for d in duplicates if d.id is not None]},
            request=request,
        )
        detail = _("This person may already be registered. Check the records, then confirm to register anyway.")
        return Status(409, DuplicatesOut(detail=detail, duplicates=duplicates))
    channel = payload.channel or (
        RegistrationChannel.MOBILE if user.centre.kind == CentreKind.MOBILE else RegistrationChannel.CENTRE
    )
    with transaction.atomic():
        jobseeker = actions.register_jobseeker(
            actor=user,
            fields=fields,
            channel=channel,
            centre=user.centre,
            consents=[str(purpose) for purpose in dict.fromkeys(payload.consents)],
            consent_method=payload.consent_method,
            request=request,
        )
        _save_related(request, jobseeker, payload, set(sent))
        for duplicate in duplicates:
            if duplicate.id is not None:  # the caller saw this record and confirmed it is someone else
                other = get_jobseeker_for_user(user, duplicate.id)
                actions.dismiss_duplicate(actor=user, first=jobseeker, second=other, request=request)
    return Status(201, jobseeker_out(_reloaded(jobseeker), with_wgss=can_see_wgss(user, jobseeker)))


@router.patch(
    "/{jobseeker_id}",
    response={200: JobSeekerOut, **errors(401, 403, 404, 422)},
    exclude_unset=True,
    summary="Change a jobseeker's profile",
    description="Only the fields sent change; lists replace what was there. For the person and counsellors and "
    "centre managers in scope (others in scope: 403).",
)
def jobseeker_update(request: AuthedRequest, jobseeker_id: int, payload: ProfileChanges) -> JobSeekerOut:
    jobseeker = get_jobseeker_for_edit(request.user, jobseeker_id)
    sent = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        actions.update_jobseeker(
            actor=request.user, jobseeker=jobseeker, fields=_model_fields(sent, jobseeker), request=request
        )
        _save_related(request, jobseeker, payload, set(sent))
    return jobseeker_out(_reloaded(jobseeker), with_wgss=can_see_wgss(request.user, jobseeker))


@router.post(
    "/{jobseeker_id}/status",
    response={200: JobSeekerOut, **errors(401, 403, 404, 422)},
    exclude_unset=True,
    summary="Move a jobseeker between active, placed and inactive (counsellors and centre managers)",
    description="Inactive needs a de-registration reason.",
)
def jobseeker_status(request: AuthedRequest, jobseeker_id: int, payload: StatusIn) -> JobSeekerOut:
    jobseeker = get_jobseeker_for_edit(request.user, jobseeker_id)
    if request.user.role not in CASEWORKERS:
        raise PermissionDenied
    actions.change_status(
        actor=request.user,
        jobseeker=jobseeker,
        status=str(payload.status),
        reason=str(payload.reason or ""),
        request=request,
    )
    return jobseeker_out(_reloaded(jobseeker), with_wgss=can_see_wgss(request.user, jobseeker))
