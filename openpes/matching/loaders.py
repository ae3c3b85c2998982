"""Reading matching features from the database, in bulk (a few queries per batch, never one per record)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from openpes.matching.engine import MatchIndex
from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures, make_context

BATCH = 5000


def build_context() -> Context:
    from openpes.geography.models import Province
    from openpes.taxonomy.models import IscoGroup

    units = list(IscoGroup.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    provinces = list(Province.objects.order_by("code").values_list("code", flat=True))
    borders = [
        (a, b)
        for a, b in Province.neighbours.through.objects.values_list("from_province__code", "to_province__code")
        if a < b
    ]
    return make_context(units, provinces, borders)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def vacancy_features(queryset: QuerySet, ctx: Context, today: date | None = None) -> Iterator[VacancyFeatures]:  # type: ignore[type-arg]
    from openpes.vacancies.enums import VacancyStatus
    from openpes.vacancies.models import VacancyLanguage, VacancySkill

    today = today or timezone.localdate()
    ids = list(queryset.values_list("pk", flat=True))
    for batch in _batches(ids):
        essential: dict[int, set[int]] = defaultdict(set)
        optional: dict[int, set[int]] = defaultdict(set)
        for vacancy_id, skill_id, relation in VacancySkill.objects.filter(vacancy_id__in=batch).values_list(
            "vacancy_id", "skill_id", "relation"
        ):
            (essential if relation == "essential" else optional)[vacancy_id].add(skill_id)
        languages: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for vacancy_id, code, level in VacancyLanguage.objects.filter(vacancy_id__in=batch).values_list(
            "vacancy_id", "language", "level"
        ):
            languages[vacancy_id].append((code, level))
        rows = queryset.model.objects.filter(pk__in=batch).values_list(
            "pk", "isco_group__code", "province__code", "district_id", "education_level__code", "experience_months",
            "employment_type", "wage_max", "accommodations", "driving_licences", "published_at", "created_at",
            "status", "closing_date",
        )  # fmt: skip
        for (pk, unit, province, district, education, experience, kind, wage_max, accommodations, licences,
             published, created, status, closing) in rows:  # fmt: skip
            if unit not in ctx.unit_index:
                continue
            started = (published or created).date() if (published or created) else today
            yield VacancyFeatures(
                id=pk,
                unit=ctx.unit_index[unit],
                essential=frozenset(essential[pk]),
                optional=frozenset(optional[pk] - essential[pk]),
                province=ctx.province_index.get(province, -1),
                district=district if district is not None else -1,
                education=education if education is not None else -1,
                experience_months=experience or 0,
                languages=tuple(languages[pk]),
                employment_type=kind,
                wage_max=wage_max,
                accommodations=frozenset(accommodations or ()),
                licences=frozenset(licences or ()),
                age_days=(today - started).days,
                open=status == VacancyStatus.PUBLISHED and closing >= today,
            )


def jobseeker_features(queryset: QuerySet, ctx: Context, today: date | None = None) -> Iterator[JobseekerFeatures]:  # type: ignore[type-arg]
    from openpes.applications.models import Application
    from openpes.jobseekers.enums import JobSeekerStatus
    from openpes.jobseekers.models import (
        AccommodationNeed,
        DesiredOccupation,
        JobSeeker,
        JobSeekerSkill,
        LanguageSkill,
        WorkExperience,
    )
    from openpes.matching.models import MatchDismissal

    today = today or timezone.localdate()
    ids = list(queryset.values_list("pk", flat=True))
    for batch in _batches(ids):
        desired: dict[int, list[int]] = defaultdict(list)
        for js, code in (
            DesiredOccupation.objects.filter(jobseeker_id__in=batch)
            .order_by("rank")
            .values_list("jobseeker_id", "isco_group__code")
        ):
            if code in ctx.unit_index:
                desired[js].append(ctx.unit_index[code])
        past: dict[int, list[int]] = defaultdict(list)
        months: dict[int, int] = defaultdict(int)
        for experience in WorkExperience.objects.filter(jobseeker_id__in=batch).select_related("isco_group"):
            if experience.isco_group and experience.isco_group.code in ctx.unit_index:
                unit = ctx.unit_index[experience.isco_group.code]
                if unit not in past[experience.jobseeker_id]:
                    past[experience.jobseeker_id].append(unit)
            months[experience.jobseeker_id] += experience.months
        skills: dict[int, set[int]] = defaultdict(set)
        for js, skill in JobSeekerSkill.objects.filter(jobseeker_id__in=batch).values_list("jobseeker_id", "skill_id"):
            skills[js].add(skill)
        languages: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for js, code, level in LanguageSkill.objects.filter(jobseeker_id__in=batch).values_list(
            "jobseeker_id", "language", "level"
        ):
            languages[js].append((code, level))
        needs: dict[int, set[str]] = defaultdict(set)
        for js, kind in AccommodationNeed.objects.filter(jobseeker_id__in=batch).values_list("jobseeker_id", "kind"):
            needs[js].add(kind)
        excluded: dict[int, set[int]] = defaultdict(set)
        for js, vacancy in Application.objects.filter(jobseeker_id__in=batch).values_list("jobseeker_id", "vacancy_id"):
            excluded[js].add(vacancy)
        for js, vacancy in MatchDismissal.objects.filter(jobseeker_id__in=batch).values_list(
            "jobseeker_id", "vacancy_id"
        ):
            excluded[js].add(vacancy)
        preferred: dict[int, set[int]] = defaultdict(set)
        through = JobSeeker.preferred_provinces.through
        for js, code in through.objects.filter(jobseeker_id__in=batch).values_list("jobseeker_id", "province__code"):
            if code in ctx.province_index:
                preferred[js].add(ctx.province_index[code])
        rows = JobSeeker.objects.filter(pk__in=batch).values_list(
            "pk", "province__code", "district_id", "willing_to_relocate", "education_level__code",
            "employment_types", "expected_wage", "driving_licences", "available_from", "status", "merged_into_id",
        )  # fmt: skip
        for (pk, province, district, relocate, education, types, wage, licences, available_from, status,
             merged) in rows:  # fmt: skip
            yield JobseekerFeatures(
                id=pk,
                desired=tuple(desired[pk][:3]),
                past=tuple(past[pk][:2]),
                skills=frozenset(skills[pk]),
                province=ctx.province_index.get(province, -1),
                district=district if district is not None else -1,
                relocate=relocate,
                preferred=frozenset(preferred[pk]),
                education=education if education is not None else -1,
                experience_months=months[pk],
                languages=tuple(languages[pk]),
                employment_types=frozenset(types or ()),
                expected_wage=wage,
                accommodations=frozenset(needs[pk]),
                licences=frozenset(licences or ()),
                available=status == JobSeekerStatus.ACTIVE.value
                and not merged  # merged into another record
                and (available_from is None or (available_from - today).days <= 30),
                excluded=frozenset(excluded[pk]),
            )


def load_index(weights: dict[str, float] | None = None, today: date | None = None) -> MatchIndex:
    """Build a full index from the database (open vacancies, active jobseekers)."""
    from openpes.jobseekers.models import JobSeeker
    from openpes.vacancies.models import Vacancy

    ctx = build_context()
    index = MatchIndex(ctx, weights)
    for features in vacancy_features(Vacancy.objects.published(), ctx, today):
        index.put_vacancy(features)
    for person in jobseeker_features(JobSeeker.objects.current().filter(status="active"), ctx, today):
        index.put_jobseeker(person)
    index.build()
    return index
