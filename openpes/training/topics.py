"""Webinar topic ideas from labour-market trends: occupations and sectors whose published vacancies grew most
in the last quarter, from our own vacancy data (a simple query; the LMI work refines it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

if TYPE_CHECKING:
    pass
from openpes.training.reports import start_of


@dataclass(frozen=True)
class Trend:
    code: str
    label: str
    recent: int
    previous: int

    @property
    def growth(self) -> int:
        return self.recent - self.previous

    @property
    def growth_pct(self) -> float | None:
        return round(100 * (self.recent - self.previous) / self.previous, 0) if self.previous else None


def trending_topics(today: date | None = None, *, limit: int = 5, days: int = 91) -> dict[str, list[Trend]]:
    """Occupations (ISCO-08 minor groups) and sectors (ISIC sections) whose number of published vacancies grew
    most in the last quarter compared with the quarter before, from our own vacancies."""
    from openpes.taxonomy.models import IscoGroup, Sector
    from openpes.vacancies.models import Vacancy

    today = today or timezone.localdate()
    split = start_of(today - timedelta(days=days - 1))
    start = start_of(today - timedelta(days=2 * days - 1))
    end = start_of(today + timedelta(days=1))
    vacancies = Vacancy.objects.filter(published_at__gte=start, published_at__lt=end)
    recent = Q(published_at__gte=split)

    def ranked(rows: Iterable[Any], key: str, labels: dict[Any, str]) -> list[Trend]:
        trends = [
            Trend(str(row[key]), labels.get(row[key], str(row[key])), row["recent"], row["previous"])
            for row in rows
            if row[key] is not None
        ]
        trends = [t for t in trends if t.growth > 0]
        trends.sort(key=lambda t: (-t.growth, -(t.growth_pct or 1000), t.code))
        return trends[:limit]

    occupations = vacancies.values("isco_group__parent__code").annotate(
        recent=Count("pk", filter=recent), previous=Count("pk", filter=~recent)
    )
    sectors = vacancies.values("employer__sector__code").annotate(
        recent=Count("pk", filter=recent), previous=Count("pk", filter=~recent)
    )
    occupation_rows = list(occupations)
    sector_rows = list(sectors)
    isco_labels = {
        g.code: f"{g.code} {g.title}"
        for g in IscoGroup.objects.filter(code__in=[r["isco_group__parent__code"] for r in occupation_rows])
    }
    sector_labels = {
        s.code: f"{s.code} {s}"
        for s in Sector.objects.filter(code__in=[r["employer__sector__code"] for r in sector_rows])
    }
    return {
        "occupations": ranked(occupation_rows, "isco_group__parent__code", isco_labels),
        "sectors": ranked(sector_rows, "employer__sector__code", sector_labels),
    }
