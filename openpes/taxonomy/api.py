from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from openpes.taxonomy.coder.service import suggest
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


class IscoSuggestQuery(Schema):
    title: str = Field(
        ..., min_length=1, max_length=200, description="A job title as people write it, Khmer or English"
    )
    description: str = Field("", max_length=2000, description="Main tasks or a short description (optional)")
    sector: str = Field("", max_length=200, description="Sector or workplace, in words (optional)")
    limit: int = Field(3, ge=1, le=10)


class IscoSuggestionOut(Schema):
    code: str = Field(..., description="ISCO-08 unit group")
    title_en: str
    title_km: str
    confidence: float = Field(..., ge=0, le=1)


class NamedOut(Schema):
    code: str
    name_en: str
    name_km: str


@router.get("/isco", response=list[IscoOut], auth=None, summary="ISCO-08 groups, searchable")
def isco(request: HttpRequest, filters: Query[IscoQuery]) -> list[IscoGroup]:
    return search_isco(filters.q, level=filters.level, limit=filters.limit)


@router.get(
    "/isco/suggest",
    response=list[IscoSuggestionOut],
    auth=None,
    summary="ISCO-08 unit groups for a free-text job title (best first, with confidence)",
)
def isco_suggest(request: HttpRequest, query: Query[IscoSuggestQuery]) -> list[dict[str, object]]:
    return [
        {"code": s.code, "title_en": s.title_en, "title_km": s.title_km, "confidence": round(s.confidence, 4)}
        for s in suggest(query.title, query.description, query.sector, limit=query.limit)
    ]


@router.get("/education-levels", response=list[NamedOut], auth=None, summary="ISCED 2011 levels")
def education_levels(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": str(e.code), "name_en": e.name_en, "name_km": e.name_km} for e in EducationLevel.objects.all()]


@router.get("/sectors", response=list[NamedOut], auth=None, summary="ISIC Rev.4 sections")
def sectors(request: HttpRequest) -> list[Sector]:
    return list(Sector.objects.all())
