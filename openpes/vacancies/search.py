"""The vacancy search index and the search itself (public, jobseekers, staff; API and pages).

Every filter of the public search is a tag in the index, and the sort key is the publication time, so a search
with any filters, its count and its page are answered by the index alone; only the page's 20 rows are then
read, through the caller's access-scoped queryset. Measured in bench/search.py (P3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, overload

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from openpes.lib.search import Entry, Found, TextIndex, since_key, tag
from openpes.taxonomy.models import IscoGroup
from openpes.vacancies.enums import VacancyStatus

# Counting stops here: past it the page says "more than 1,000 jobs" and pages go no further. Nobody reads 50
# pages of 20; a broader search is narrowed with a filter instead.
COUNT_CAP = 1000

# Each filter of the search: its field on VacancyFilters, the tag it is indexed as, the condition on a vacancy.
_FILTERS = (
    ("province", "province", "province__code"),
    ("isco", "isco", "isco_group__code__startswith"),  # any level: a vacancy is tagged with every level
    ("sector", "sector", "employer__sector__code"),
    ("employment_type", "type", "employment_type"),
    ("disability_friendly", "pwd", "disability_friendly"),
)


def _source(pks: Iterable[int]) -> dict[int, Entry]:
    from openpes.vacancies.models import Vacancy, VacancySkill

    out: dict[int, Entry] = {}
    vacancies = (
        Vacancy.objects.filter(pk__in=list(pks))
        .select_related("employer__sector", "isco_group__parent__parent__parent", "province", "district")
        # One join for the skills: an IN list of every skill id overflows SQLite's expression depth.
        .prefetch_related(Prefetch("skills", queryset=VacancySkill.objects.select_related("skill")))
    )
    for vacancy in vacancies:
        title = [vacancy.title, vacancy.employer.name_km, vacancy.employer.name_en]
        tags = [tag("province", vacancy.province.code), tag("type", vacancy.employment_type)]
        group: IscoGroup | None = vacancy.isco_group
        while group is not None:
            tags.append(tag("isco", group.code))
            if group.level >= 2:
                title += [group.title_en, group.title_km]
            group = group.parent
        if vacancy.employer.sector_id:
            tags.append(tag("sector", vacancy.employer.sector.code))
        if vacancy.disability_friendly:
            tags.append(tag("pwd", True))
        body = [vacancy.description, vacancy.province.name_km, vacancy.province.name_en]
        if vacancy.district:
            body += [vacancy.district.name_km, vacancy.district.name_en]
        body += [link.skill.label_en for link in vacancy.skills.all()]
        body += [link.skill.label_km for link in vacancy.skills.all() if link.skill.label_km]
        when = vacancy.published_at or vacancy.created_at
        out[vacancy.pk] = Entry(
            title=" ".join(p for p in title if p),
            body=" ".join(p for p in body if p),
            tags=tags,
            sort_value=int(when.timestamp()),
            listed=vacancy.status == VacancyStatus.PUBLISHED,
        )
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

    def tags(self) -> list[str]:
        """The filters as index terms."""
        return [tag(name, getattr(self, field)) for field, name, _ in _FILTERS if getattr(self, field)]

    def apply(self, queryset: QuerySet) -> QuerySet:  # type: ignore[type-arg]
        """The same filters as plain conditions (for the page's rows: the index is never the only check)."""
        conditions = {lookup: getattr(self, field) for field, _, lookup in _FILTERS if getattr(self, field)}
        queryset = queryset.filter(**conditions)
        if self.posted_since:
            queryset = queryset.filter(published_at__gte=self._since())
        return queryset

    def _since(self) -> datetime:
        assert self.posted_since is not None
        return datetime.combine(self.posted_since, time.min, tzinfo=timezone.get_current_timezone())


class VacancySearch:
    """The open published vacancies matching `filters`, newest or best first, as a lazy sequence.

    Django's paginator and the API's `page_of` use it like a queryset: `count()` (counting stops at `COUNT_CAP`;
    `capped` says when more match) and slices, which return Vacancy objects loaded through `queryset` (the
    caller's access helper, e.g. `get_public_vacancies()`), in the order the index gave."""

    def __init__(self, queryset: QuerySet, filters: VacancyFilters, exact_count: bool = False) -> None:  # type: ignore[type-arg]
        self.filters = filters
        self.cap = None if exact_count else COUNT_CAP
        today = timezone.localdate()
        self.queryset = filters.apply(queryset.filter(status=VacancyStatus.PUBLISHED, closing_date__gte=today))
        # Published vacancies past their closing date wait for the nightly expiry task: leave them out.
        self.stale = list(
            queryset.model._default_manager.filter(status=VacancyStatus.PUBLISHED, closing_date__lt=today)
            .order_by()
            .values_list("pk", flat=True)[:5000]
        )
        self._total: int | None = None
        self.capped = False

    def _search(self, offset: int, limit: int) -> Found:
        since = self.filters._since() if self.filters.posted_since else None
        return vacancy_index.search(
            self.filters.q,
            tags=self.filters.tags(),
            min_key=since_key(int(since.timestamp())) if since else None,
            listed_only=True,
            exclude=self.stale,
            relevance=self.filters.sort != "date",
            offset=offset,
            limit=limit,
            cap=self.cap,
            total=self._total,
            capped=self.capped,
        )

    def count(self) -> int:
        if self._total is None:
            found = self._search(0, 0)
            self._total, self.capped = found.total, found.capped
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Any:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, item: int) -> Any: ...
    @overload
    def __getitem__(self, item: slice) -> list[Any]: ...
    def __getitem__(self, item: int | slice) -> Any:
        if isinstance(item, int):
            return self[item : item + 1][0]
        offset, stop = item.start or 0, item.stop
        limit = max(0, (stop if stop is not None else offset + 20) - offset)
        if limit == 0:
            return []
        found = self._search(offset, limit)
        if self._total is None:  # the first page of a search counts too
            self._total, self.capped = found.total, found.capped
        rows = self.queryset.in_bulk(found.ids)
        return [rows[pk] for pk in found.ids if pk in rows]


def search_vacancies(
    queryset: QuerySet,  # type: ignore[type-arg]
    filters: VacancyFilters,
    exact_count: bool = False,
) -> VacancySearch:
    """Search the open published vacancies; `queryset` is the caller's access-scoped queryset the rows are read
    through (with its select_related). `exact_count` counts every match (for the benchmark's comparison)."""
    return VacancySearch(queryset, filters, exact_count)
