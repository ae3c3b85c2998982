"""The matching rules, one pair at a time, with reasons and gaps.

This is the reference implementation: the in-memory index (`engine.py`) computes the same scores for many
pairs at once and is tested against this module; explanations shown to people come from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures
from openpes.matching.weights import (
    ESSENTIAL_FACTOR,
    FRESHNESS_DAYS,
    ISCO_SIMILARITY,
    LOCATION_SCORES,
    PAST_JOB_FACTOR,
    normalised,
)


@dataclass
class Explanation:
    """A reason or a gap: a code with parameters, rendered in the reader's language by the templates."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Score:
    total: float
    signals: dict[str, float]
    reasons: list[Explanation]
    gaps: list[Explanation]


def excluded(js: JobseekerFeatures, v: VacancyFeatures) -> bool:
    """Hard constraints: closed vacancy, already applied/referred/dismissed, jobseeker unavailable."""
    return not v.open or not js.available or v.id in js.excluded


def occupation_signal(js: JobseekerFeatures, v: VacancyFeatures, ctx: Context) -> tuple[float, int, bool]:
    """(similarity, shared digits, from a desired occupation?)"""
    best, digits, desired = 0.0, 0, False
    for unit in js.desired:
        shared = ctx.shared_digits(unit, v.unit)
        if ISCO_SIMILARITY[shared] > best:
            best, digits, desired = ISCO_SIMILARITY[shared], shared, True
    for unit in js.past:
        shared = ctx.shared_digits(unit, v.unit)
        value = ISCO_SIMILARITY[shared] * PAST_JOB_FACTOR
        if value > best:
            best, digits, desired = value, shared, False
    return best, digits, desired


def skills_signal(js: JobseekerFeatures, v: VacancyFeatures, ctx: Context) -> float:
    total = sum(ctx.idf(s) * ESSENTIAL_FACTOR for s in v.essential) + sum(ctx.idf(s) for s in v.optional)
    if total == 0:
        return 0.0
    have = sum(ctx.idf(s) * ESSENTIAL_FACTOR for s in v.essential & js.skills) + sum(
        ctx.idf(s) for s in v.optional & js.skills
    )
    return have / total


def location_kind(js: JobseekerFeatures, v: VacancyFeatures, ctx: Context) -> str:
    if js.district >= 0 and js.district == v.district:
        return "district"
    if js.province == v.province:
        return "province"
    if v.province in js.preferred:
        return "preferred"
    if js.province >= 0 and v.province >= 0 and ctx.neighbours(js.province, v.province):
        return "neighbour"
    if js.relocate:
        return "relocate"
    return "none"


def education_signal(js: JobseekerFeatures, v: VacancyFeatures) -> float:
    if v.education < 0:
        return 1.0
    if js.education < 0:
        return 0.5
    if js.education >= v.education:
        return 1.0
    return 0.5 if js.education == v.education - 1 else 0.0


def experience_signal(js: JobseekerFeatures, v: VacancyFeatures) -> float:
    if v.experience_months <= 0:
        return 1.0
    return min(1.0, js.experience_months / v.experience_months)


def languages_signal(js: JobseekerFeatures, v: VacancyFeatures) -> tuple[float, list[str]]:
    if not v.languages:
        return 1.0, []
    spoken = dict(js.languages)
    missing = [code for code, level in v.languages if spoken.get(code, 0) < level]
    return 1.0 - len(missing) / len(v.languages), missing


def wage_signal(js: JobseekerFeatures, v: VacancyFeatures) -> float:
    if js.expected_wage is None or v.wage_max is None or v.wage_max >= js.expected_wage:
        return 1.0
    if js.expected_wage <= 0:
        return 1.0
    return max(0.0, 1.0 - 2.0 * (js.expected_wage - v.wage_max) / js.expected_wage)


def employment_signal(js: JobseekerFeatures, v: VacancyFeatures) -> float:
    kind = 1.0 if not js.employment_types or v.employment_type in js.employment_types else 0.0
    return 0.5 * kind + 0.5 * wage_signal(js, v)


def accommodation_signal(js: JobseekerFeatures, v: VacancyFeatures) -> float:
    if not js.accommodations:
        return 1.0
    return len(js.accommodations & v.accommodations) / len(js.accommodations)


def licences_signal(js: JobseekerFeatures, v: VacancyFeatures) -> float:
    if not v.licences:
        return 1.0
    return len(v.licences & js.licences) / len(v.licences)


def freshness_signal(v: VacancyFeatures) -> float:
    return math.exp(-max(v.age_days, 0) / FRESHNESS_DAYS)


def signals(js: JobseekerFeatures, v: VacancyFeatures, ctx: Context) -> dict[str, float]:
    occupation, _, _ = occupation_signal(js, v, ctx)
    return {
        "occupation": occupation,
        "skills": skills_signal(js, v, ctx),
        "location": LOCATION_SCORES[location_kind(js, v, ctx)],
        "education": education_signal(js, v),
        "experience": experience_signal(js, v),
        "languages": languages_signal(js, v)[0],
        "employment": employment_signal(js, v),
        "accommodation": accommodation_signal(js, v),
        "licences": licences_signal(js, v),
        "freshness": freshness_signal(v),
    }


def direction_weights(weights: dict[str, float] | None, direction: str) -> dict[str, float]:
    """People are never ranked for a job on their accommodation needs: that signal only ranks jobs for a
    person ("jobs" direction). In the "people" direction its weight is 0 and the rest renormalised."""
    chosen = normalised(weights)
    if direction == "people":
        chosen = normalised({**chosen, "accommodation": 0.0})
    return chosen


def total(values: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights[name] * value for name, value in values.items())


def score(
    js: JobseekerFeatures,
    v: VacancyFeatures,
    ctx: Context,
    *,
    weights: dict[str, float] | None = None,
    direction: str = "jobs",
) -> Score:
    """Score one pair with its reasons and gaps ("jobs": ranking vacancies for a person; "people": the reverse)."""
    values = signals(js, v, ctx)
    chosen = direction_weights(weights, direction)
    reasons: list[Explanation] = []
    gaps: list[Explanation] = []
    occupation, digits, desired = occupation_signal(js, v, ctx)
    if digits:
        reasons.append(Explanation("occupation", {"digits": digits, "desired": desired}))
    matched = sorted((v.essential | v.optional) & js.skills)
    if matched:
        reasons.append(Explanation("skills", {"skills": matched, "count": len(matched)}))
    missing_essential = sorted(v.essential - js.skills)
    for skill in missing_essential[:3]:
        gaps.append(Explanation("missing_skill", {"skill": skill}))
    place = location_kind(js, v, ctx)
    if place != "none":
        reasons.append(Explanation("location", {"kind": place}))
    else:
        gaps.append(Explanation("far_away", {}))
    if values["education"] < 1.0 and v.education >= 0:
        gaps.append(Explanation("education", {"required": v.education}))
    elif v.education >= 0:
        reasons.append(Explanation("education_met", {"required": v.education}))
    if values["experience"] < 1.0:
        gaps.append(Explanation("experience", {"required": v.experience_months, "has": js.experience_months}))
    for language in languages_signal(js, v)[1]:
        gaps.append(Explanation("language", {"language": language}))
    for licence in sorted(v.licences - js.licences):
        gaps.append(Explanation("licence", {"licence": licence}))
    if wage_signal(js, v) < 1.0:
        gaps.append(Explanation("wage", {"offered": v.wage_max, "expected": js.expected_wage}))
    if js.accommodations:
        offered = sorted(js.accommodations & v.accommodations)
        if offered:
            reasons.append(Explanation("accommodation", {"offered": offered}))
        for need in sorted(js.accommodations - v.accommodations):
            gaps.append(Explanation("accommodation_missing", {"need": need}))
    return Score(total=total(values, chosen), signals=values, reasons=reasons, gaps=gaps)
