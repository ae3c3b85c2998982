"""The vacancy search index and the search itself (public, jobseekers, staff; API and pages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from openpes.lib.search import TextIndex
from openpes.taxonomy.models import IscoGroup


def _source(pks: Iterable[int]) -> dict[int, str]:
    from openpes.vacancies.models import Vacancy

    out: dict[int, str] = {}
    vacancies = (
        Vacancy.objects.filter(pk__in=list(pks))
        .select_related("employer", "isco_group__parent__parent", "province", "district")
        .prefetch_related("skills__skill")
    )
    for vacancy in vacancies:
        parts = [vacancy.title, vacancy.description, vacancy.employer.name_km, vacancy.employer.name_en]
        group: IscoGroup | None = vacancy.isco_group
        while group is not None and group.level >= 2:
            parts += [group.title_en, group.title_km]
            group = group.parent
        parts += [vacancy.province.name_km, vacancy.province.name_en]
        if vacancy.district:
            parts += [vacancy.district.name_km, vacancy.district.name_en]
        parts += [link.skill.label_en for link in vacancy.skills.all()]
        parts += [link.skill.label_km for link in vacancy.skills.all() if link.skill.label_km]
        out[vacancy.pk] = " ".join(p for p in parts if p)
    return out


vacancy_index = TextIndex("vacancies.Vacancy", _source)


@dataclass(frozen=True)
class VacancyFilters:
    """What a vacancy search can ask for. Every field is optional."""

    q: str = ""
    province: str = ""  # province code
    isco: str = ""  # an ISCO-08 code at any level
    sector: str = ""  # ISIC section letter
    employment_type: str = ""
    disability_friendly: bool = False
    posted_since: date | None = None
    sort: str = "relevance"  # or "date"


def search_vacancies(queryset: QuerySet, filters: VacancyFilters) -> QuerySet:  # type: ignore[type-arg]
    """Filter and order an (already access-scoped) vacancy queryset.

    Filters compare stored columns (no function of every row, no join for a classification prefix), so the
    database can use its indexes; measured in bench/search.py (P3)."""
    if filters.province:
        queryset = queryset.filter(province__code=filters.province)
    if filters.isco:
        groups = IscoGroup.objects.filter(code__startswith=filters.isco).values_list("pk", flat=True)
        queryset = queryset.filter(isco_group_id__in=list(groups))
    if filters.sector:
        queryset = queryset.filter(employer__sector__code=filters.sector)
    if filters.employment_type:
        queryset = queryset.filter(employment_type=filters.employment_type)
    if filters.disability_friendly:
        queryset = queryset.filter(disability_friendly=True)
    if filters.posted_since:
        since = datetime.combine(filters.posted_since, time.min, tzinfo=timezone.get_current_timezone())
        queryset = queryset.filter(published_at__gte=since)
    queryset = vacancy_index.filter(queryset, filters.q)
    if filters.q.strip() and filters.sort != "date":
        return queryset.order_by("-search_rank", "-published_at", "-id")
    return queryset.order_by("-published_at", "-id")
