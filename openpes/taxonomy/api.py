from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from openpes.taxonomy.models import EducationLevel, IscoGroup, Sector
from openpes.taxonomy.search import search_isco

router = Router(tags=["reference"])


class IscoOut(Schema):
    code: str
    level: int
    title_en: str
    title_km: str
    km_status: str


class IscoQuery(Schema):
    q: str = Field("", max_length=100, description="Words or a code prefix, in Khmer or English")
    level: int | None = Field(None, ge=1, le=4)
    limit: int = Field(20, ge=1, le=100)


class NamedOut(Schema):
    code: str
    name_en: str
    name_km: str


@router.get("/isco", response=list[IscoOut], auth=None, summary="ISCO-08 groups, searchable")
def isco(request: HttpRequest, filters: Query[IscoQuery]) -> list[IscoGroup]:
    return search_isco(filters.q, level=filters.level, limit=filters.limit)


@router.get("/education-levels", response=list[NamedOut], auth=None, summary="ISCED 2011 levels")
def education_levels(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": str(e.code), "name_en": e.name_en, "name_km": e.name_km} for e in EducationLevel.objects.all()]


@router.get("/sectors", response=list[NamedOut], auth=None, summary="ISIC Rev.4 sections")
def sectors(request: HttpRequest) -> list[Sector]:
    return list(Sector.objects.all())
