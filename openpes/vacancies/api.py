"""Vacancies in the JSON API: the public job search, and posting and reviewing vacancies.

Scoped like the pages, through `vacancies.access`: everyone sees published vacancies; employer users also see
and change their employers' vacancies; staff see those of employers served by centres in their scope, and
counsellors and centre managers review them. Changes go through `vacancies.actions`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from openpes.accounts.enums import Role
from openpes.accounts.models import ApiToken
from openpes.api.pagination import PageOut, PageQuery, page_of
from openpes.api.schemas import Id, InputSchema, Text, errors, invalid_field
from openpes.employers.access import can_manage_employer, get_employer_for_user
from openpes.geography.models import District, Province
from openpes.lib.http import AuthedRequest
from openpes.taxonomy.enums import Accommodation, DrivingLicence, EmploymentType, Language, LanguageLevel, SkillRelation
from openpes.taxonomy.models import EducationLevel, IscoGroup, Skill
from openpes.vacancies import actions
from openpes.vacancies.access import (
    can_edit_vacancy,
    can_review_vacancy,
    get_managed_vacancy,
    get_public_vacancies,
    get_vacancy_for_edit,
    get_vacancy_for_user,
)
from openpes.vacancies.enums import CloseReason, RejectReason
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import VacancyFilters, search_vacancies

router = Router(tags=["vacancies"])

POSTING_ROLES = frozenset({Role.EMPLOYER, Role.COUNSELLOR, Role.CENTRE_MANAGER})


class PublicOrSignedIn:
    """Public operations: anyone may call them, and a session or bearer token adds what the caller manages.
    A bearer token that is not valid is refused (401) rather than silently treated as anonymous."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, token = header.partition(" ")
            user = ApiToken.user_for(token.strip()) if scheme.lower() == "bearer" else None
            if user is not None:
                request.user = user
            return user
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else True


PUBLIC = [PublicOrSignedIn()]

# ------------------------------------------------------------------------------------------------ output


class EmployerNameOut(Schema):
    id: int
    name: str = Field(description="In the caller's language where the employer gave one")
    name_km: str
    name_en: str


class VacancySkillOut(Schema):
    skill: int
    label: str
    relation: str

    @staticmethod
    def resolve_skill(obj: Any) -> int:
        return int(obj.skill_id)

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.skill.label)


class VacancyLanguageOut(Schema):
    language: str
    level: int


class VacancySummaryOut(Schema):
    id: int
    title: str
    employer: EmployerNameOut
    isco_group: str = Field(description="ISCO-08 unit group code")
    occupation: str = Field(description="ISCO-08 unit group title in the caller's language")
    province: str = Field(description="Province code")
    province_name: str
    district: str | None = Field(description="District code")
    employment_type: str
    positions: int
    wage_min: int | None = Field(description="Monthly wage from, USD")
    wage_max: int | None = Field(description="Monthly wage up to, USD")
    disability_friendly: bool
    closing_date: date
    status: str
    published_at: datetime | None

    @staticmethod
    def resolve_isco_group(obj: Vacancy) -> str:
        return obj.isco_group.code

    @staticmethod
    def resolve_occupation(obj: Vacancy) -> str:
        return obj.isco_group.title

    @staticmethod
    def resolve_province(obj: Vacancy) -> str:
        return obj.province.code

    @staticmethod
    def resolve_province_name(obj: Vacancy) -> str:
        return obj.province.name

    @staticmethod
    def resolve_district(obj: Vacancy) -> str | None:
        return obj.district.code if obj.district else None


class VacancyOut(VacancySummaryOut):
    description: str
    hours_per_week: int | None
    education_level: int | None = Field(description="Minimum ISCED 2011 level")
    experience_months: int
    driving_licences: list[str]
    accommodations: list[str] = Field(description="Workplace adjustments offered")
    skills: list[VacancySkillOut]
    languages: list[VacancyLanguageOut]
    is_open: bool = Field(description="Published and the closing date has not passed")
    status_reason: str = Field(description="Why the vacancy was returned or closed (a reason code)")
    status_note: str

    @staticmethod
    def resolve_education_level(obj: Vacancy) -> int | None:
        return obj.education_level.code if obj.education_level else None

    @staticmethod
    def resolve_skills(obj: Vacancy) -> list[Any]:
        return list(obj.skills.select_related("skill").order_by("relation", "skill__label_en"))

    @staticmethod
    def resolve_languages(obj: Vacancy) -> list[Any]:
        return list(obj.languages.order_by("language"))


class VacancyPage(PageOut):
    count_is_capped: bool = Field(
        False, description="True when more vacancies match than `count` (counting stops at 1,000): narrow the search"
    )
    items: list[VacancySummaryOut]


# ------------------------------------------------------------------------------------------------ input


class VacancyQuery(PageQuery):
    q: Text = Field("", max_length=200, description="Words in Khmer or English (title, employer, occupation, place)")
    province: str = Field("", pattern=r"^[0-9]{0,2}$", description="Province code")
    isco: str = Field("", pattern=r"^[0-9]{0,4}$", description="ISCO-08 code at any level (a prefix)")
    sector: str = Field("", pattern=r"^[A-Za-z]?$", description="ISIC Rev.4 section letter")
    employment_type: EmploymentType | None = None
    disability_friendly: bool = Field(False, description="Only vacancies that encourage persons with disabilities")
    posted_since: date | None = None
    sort: Literal["relevance", "date"] = "relevance"


class VacancySkillIn(InputSchema):
    skill: Id
    relation: SkillRelation = SkillRelation.ESSENTIAL


class VacancyLanguageIn(InputSchema):
    language: Language
    level: LanguageLevel


class VacancyChanges(InputSchema):
    """Every field optional: PATCH changes only what it sends."""

    title: Text | None = Field(None, min_length=1, max_length=200)
    isco_group: str | None = Field(None, pattern=r"^[0-9]{4}$", description="ISCO-08 unit group code (4 digits)")
    description: Text | None = Field(None, min_length=1, max_length=5000)
    positions: int | None = Field(None, ge=1, le=10_000)
    province: str | None = Field(None, pattern=r"^[0-9]{2}$", description="Province code")
    district: str | None = Field(None, pattern=r"^[0-9]{4}$", description="District code, in the province")
    employment_type: EmploymentType | None = None
    hours_per_week: int | None = Field(None, ge=1, le=84)
    wage_min: int | None = Field(None, ge=0, le=100_000, description="Monthly wage from, USD")
    wage_max: int | None = Field(None, ge=0, le=100_000, description="Monthly wage up to, USD")
    education_level: int | None = Field(None, ge=0, le=8, description="Minimum ISCED 2011 level")
    experience_months: int | None = Field(None, ge=0, le=600)
    driving_licences: list[DrivingLicence] | None = Field(None, max_length=10)
    disability_friendly: bool | None = None
    accommodations: list[Accommodation] | None = Field(None, max_length=20, description="Adjustments offered")
    closing_date: date | None = None
    skills: list[VacancySkillIn] | None = Field(None, max_length=50, description="Replaces the required skills")
    languages: list[VacancyLanguageIn] | None = Field(None, max_length=10, description="Replaces the languages")


class VacancyIn(VacancyChanges):
    employer: Id = Field(description="The employer the vacancy is for (one you act for, or one in your scope)")
    title: Text = Field(min_length=1, max_length=200)
    isco_group: str = Field(pattern=r"^[0-9]{4}$", description="ISCO-08 unit group code (4 digits)")
    description: Text = Field(min_length=1, max_length=5000)
    province: str = Field(pattern=r"^[0-9]{2}$", description="Province code")
    employment_type: EmploymentType
    closing_date: date


class ReasonIn(InputSchema):
    note: Text = Field("", max_length=500)


class RejectIn(ReasonIn):
    reason: RejectReason


class CloseIn(ReasonIn):
    reason: CloseReason


# Fields that may be sent as null to clear them; the others must have a value when sent.
NULLABLE = frozenset({"district", "hours_per_week", "wage_min", "wage_max", "education_level"})


def _model_fields(data: dict[str, Any], vacancy: Vacancy | None) -> dict[str, Any]:
    """Turn API input (codes) into model field values (objects), with a 422 for unknown codes."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("employer", "skills", "languages"):
            continue
        if value is None and name not in NULLABLE:
            raise invalid_field(name, _("This field is required."), "required")
        if name == "isco_group":
            group = IscoGroup.objects.filter(code=value, level=4).first()
            if group is None:
                raise invalid_field(name, _("Choose a 4-digit ISCO-08 unit group."), "isco_level")
            fields[name] = group
        elif name == "province":
            province = Province.objects.filter(code=value).first()
            if province is None:
                raise invalid_field(name, _("There is no province with this code."), "unknown")
            fields[name] = province
        elif name == "district":
            fields[name] = District.objects.filter(code=value).first() if value else None
            if value and fields[name] is None:
                raise invalid_field(name, _("There is no place with this code."), "unknown")
        elif name == "education_level":
            fields[name] = EducationLevel.objects.filter(code=value).first() if value is not None else None
        elif name in ("driving_licences", "accommodations"):
            fields[name] = sorted({str(item) for item in value})
        else:
            fields[name] = str(value) if name == "employment_type" else value
    province_id = fields["province"].pk if "province" in fields else (vacancy.province_id if vacancy else None)
    district = fields.get("district")
    if district is not None and district.province_id != province_id:
        raise invalid_field("district", _("The district is not in this province."), "district")
    return fields


def _skills(items: list[VacancySkillIn] | None) -> dict[int, str] | None:
    if items is None:
        return None
    skills = {item.skill: str(item.relation) for item in items}
    if Skill.objects.filter(pk__in=list(skills)).count() != len(skills):
        raise invalid_field("skills", _("There is no skill with this id."), "unknown")
    return skills


def _languages(items: list[VacancyLanguageIn] | None) -> dict[str, int] | None:
    return None if items is None else {str(item.language): int(item.level) for item in items}


def _reloaded(vacancy: Vacancy) -> Vacancy:
    return Vacancy.objects.select_related(
        "employer", "province", "district", "isco_group", "education_level", "owner_centre"
    ).get(pk=vacancy.pk)


# ------------------------------------------------------------------------------------------------ operations


@router.get(
    "",
    response={200: VacancyPage, **errors(401, 422)},
    auth=PUBLIC,
    summary="Search published vacancies",
    description="The public job search over open vacancies, with the same filters as the vacancies page. Without "
    "`q` the newest come first; with `q` the vacancies whose title (with its occupation and employer) holds every "
    "word come first, then the others, newest first within each, unless `sort=date`. Counting stops past 1,000 "
    "(`count_is_capped`). No sign-in needed.",
)
def search(request: HttpRequest, filters: Query[VacancyQuery]) -> dict[str, Any]:
    queryset = search_vacancies(
        get_public_vacancies().select_related("district"),
        VacancyFilters(
            q=filters.q,
            province=filters.province,
            isco=filters.isco,
            sector=filters.sector.upper(),
            employment_type=str(filters.employment_type or ""),
            disability_friendly=filters.disability_friendly,
            posted_since=filters.posted_since,
            sort=filters.sort,
        ),
    )
    items, page = page_of(queryset, filters)
    return {**page, "count_is_capped": queryset.capped, "items": items}


@router.get(
    "/{vacancy_id}",
    response={200: VacancyOut, **errors(401, 404)},
    auth=PUBLIC,
    summary="One vacancy",
    description="Published vacancies are public; employer users and staff also get the vacancies they manage "
    "(drafts, submitted, returned, closed). Anything else is 404.",
)
def detail(request: HttpRequest, vacancy_id: int) -> Vacancy:
    return get_vacancy_for_user(request.user, vacancy_id)


@router.post(
    "",
    response={201: VacancyOut, **errors(401, 403, 404, 422)},
    summary="Post a vacancy (as a draft)",
    description="For an employer user of `employer`, or a counsellor or centre manager whose scope serves it. "
    "The vacancy starts as a draft; submit it for review with `/submit`.",
)
def create(request: AuthedRequest, payload: VacancyIn) -> Status[Vacancy]:
    if request.user.role not in POSTING_ROLES:
        raise PermissionDenied
    employer = get_employer_for_user(request.user, payload.employer)
    if not can_manage_employer(request.user, employer):
        raise PermissionDenied
    data = payload.model_dump(exclude_unset=True)
    vacancy = actions.save_vacancy(
        actor=request.user,
        employer=employer,
        fields=_model_fields(data, None),
        skills=_skills(payload.skills),
        languages=_languages(payload.languages),
        request=request,
    )
    return Status(201, _reloaded(vacancy))


@router.patch(
    "/{vacancy_id}",
    response={200: VacancyOut, **errors(401, 403, 404, 422)},
    summary="Change a vacancy",
    description="Only the fields sent change. Employer users may change drafts, submitted and returned "
    "vacancies; counsellors and centre managers in scope may change any of them.",
)
def update(request: AuthedRequest, vacancy_id: int, payload: VacancyChanges) -> Vacancy:
    vacancy = get_vacancy_for_edit(request.user, vacancy_id)
    data = payload.model_dump(exclude_unset=True)
    actions.save_vacancy(
        actor=request.user,
        employer=vacancy.employer,
        vacancy=vacancy,
        fields=_model_fields(data, vacancy),
        skills=_skills(payload.skills) if "skills" in data else None,
        languages=_languages(payload.languages) if "languages" in data else None,
        request=request,
    )
    return _reloaded(vacancy)


@router.post(
    "/{vacancy_id}/submit",
    response={200: VacancyOut, **errors(401, 403, 404, 409, 422)},
    summary="Send a draft or returned vacancy for review",
    description="Staff submitting for a verified employer publish it at once.",
)
def submit(request: AuthedRequest, vacancy_id: int) -> Vacancy:
    vacancy = get_managed_vacancy(request.user, vacancy_id)
    if not can_edit_vacancy(request.user, vacancy):
        raise PermissionDenied
    actions.submit_vacancy(actor=request.user, vacancy=vacancy, request=request)
    return _reloaded(vacancy)


@router.post(
    "/{vacancy_id}/publish",
    response={200: VacancyOut, **errors(401, 403, 404, 409, 422)},
    summary="Approve a submitted vacancy (counsellors and centre managers)",
    description="Only vacancies of verified employers can be published (409 otherwise).",
)
def publish(request: AuthedRequest, vacancy_id: int) -> Vacancy:
    vacancy = get_managed_vacancy(request.user, vacancy_id)
    if not can_review_vacancy(request.user, vacancy):
        raise PermissionDenied
    actions.publish_vacancy(actor=request.user, vacancy=vacancy, request=request)
    return _reloaded(vacancy)


@router.post(
    "/{vacancy_id}/reject",
    response={200: VacancyOut, **errors(401, 403, 404, 409, 422)},
    summary="Return a submitted vacancy to the employer, with a reason (counsellors and centre managers)",
)
def reject(request: AuthedRequest, vacancy_id: int, payload: RejectIn) -> Vacancy:
    vacancy = get_managed_vacancy(request.user, vacancy_id)
    if not can_review_vacancy(request.user, vacancy):
        raise PermissionDenied
    actions.reject_vacancy(
        actor=request.user, vacancy=vacancy, reason=str(payload.reason), note=payload.note, request=request
    )
    return _reloaded(vacancy)


@router.post(
    "/{vacancy_id}/close",
    response={200: VacancyOut, **errors(401, 403, 404, 409, 422)},
    summary="Close a vacancy, with a reason",
    description="By an employer user of its employer or a counsellor or centre manager in scope. A published "
    "vacancy closed because it was filled becomes `filled`, otherwise `closed`.",
)
def close(request: AuthedRequest, vacancy_id: int, payload: CloseIn) -> Vacancy:
    vacancy = get_managed_vacancy(request.user, vacancy_id)
    if request.user.role not in POSTING_ROLES:
        raise PermissionDenied
    actions.close_vacancy(
        actor=request.user, vacancy=vacancy, reason=str(payload.reason), note=payload.note, request=request
    )
    return _reloaded(vacancy)
