"""Explanations people read: the reference scorer's reasons and gaps (`Explanation(code, params)`) turned into
sentences in the reader's language, with occupation, skill and education names in that language too.

Three audiences read them:

* the **jobseeker** ("Same occupation as one you want: Sewing machine operators"),
* **staff** — a counsellor looking at a person or a shortlist ("Same occupation as one they want: …"),
* an **employer** looking at anonymous suggestions: the same third-person sentences, but never anything about
  accommodation needs, which could reveal a disability.

Every shown result carries its top three reasons (ordered by how much each signal added to the score; an offered
adjustment the person needs is always added) and all its gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal
from weakref import WeakKeyDictionary

from django.utils.translation import gettext, ngettext

from openpes.lib.i18n import pick
from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures
from openpes.matching.scoring import Explanation, direction_weights, score

if TYPE_CHECKING:
    from openpes.matching.engine import Match, MatchIndex

Audience = Literal["jobseeker", "staff", "employer"]

MAX_REASONS = 3
MAX_SKILLS_NAMED = 4
# Which signal each reason comes from, to order reasons by what they added to the score.
REASON_SIGNAL = {
    "occupation": "occupation",
    "skills": "skills",
    "location": "location",
    "education_met": "education",
    "accommodation": "accommodation",
}
ALWAYS_SHOWN = frozenset({"accommodation"})
# Never shown to employers: a need for adjustments can reveal a disability (S14).
PRIVATE_CODES = frozenset({"accommodation", "accommodation_missing"})
# Score bands: the words shown with the bar (lower bound, key).
BANDS = ((0.75, "very_good"), (0.55, "good"), (0.35, "fair"), (0.0, "weak"))


@dataclass(frozen=True)
class Line:
    """One sentence of an explanation, with the code it came from (for the API and tests)."""

    code: str
    text: str


@dataclass
class Explained:
    """A scored pair as a person reads it."""

    jobseeker_id: int
    vacancy_id: int
    score: float
    reasons: list[Line] = field(default_factory=list)
    gaps: list[Line] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.score * 100)))

    @property
    def band(self) -> str:
        return next(key for bound, key in BANDS if self.score >= bound)

    @property
    def band_label(self) -> str:
        return band_label(self.band)


def band_label(band: str) -> str:
    labels = {
        "very_good": gettext("Very good match"),
        "good": gettext("Good match"),
        "fair": gettext("Fair match"),
        "weak": gettext("Weak match"),
    }
    return labels[band]


# ------------------------------------------------------------------------------------------------ labels


@dataclass
class Labels:
    """Names for the codes and ids in explanations, in the active language (loaded in bulk: one query each)."""

    groups: dict[str, str] = field(default_factory=dict)  # ISCO-08 code (any level) → title
    skills: dict[int, str] = field(default_factory=dict)
    education: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, *, isco_codes: Iterable[str], skill_ids: Iterable[int], education_codes: Iterable[int]) -> Labels:
        from openpes.taxonomy.models import EducationLevel, IscoGroup, Skill

        codes, skills, levels = set(isco_codes), set(skill_ids), set(education_codes)
        labels = cls()
        if codes:
            for code, km, en in IscoGroup.objects.filter(code__in=codes).values_list("code", "title_km", "title_en"):
                labels.groups[code] = pick(km, en)
        if skills:
            for pk, km, en in Skill.objects.filter(pk__in=skills).values_list("pk", "label_km", "label_en"):
                labels.skills[pk] = pick(km, en)
        if levels:
            rows = EducationLevel.objects.filter(code__in=levels).values_list("code", "name_km", "name_en")
            for level, km, en in rows:
                labels.education[level] = pick(km, en)
        return labels

    def group(self, code: str) -> str:
        return self.groups.get(code, code)

    def skill(self, skill_id: int) -> str:
        return self.skills.get(skill_id, "?")

    def level(self, code: int) -> str:
        return self.education.get(code, str(code))


def _listing(items: Sequence[str], limit: int = MAX_SKILLS_NAMED) -> str:
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        return gettext("%(items)s and %(count)s more") % {"items": shown, "count": len(items) - limit}
    return shown


def _choice_label(enum: Any, code: str) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return code


# ------------------------------------------------------------------------------------------------ sentences


def describe_reason(
    reason: Explanation, v: VacancyFeatures, ctx: Context, labels: Labels, audience: Audience
) -> str | None:
    """One reason as a sentence; None for a code this audience must not see or that we do not know."""
    you = audience == "jobseeker"
    p = reason.params
    if reason.code == "occupation":
        digits = int(p.get("digits", 0))
        unit = ctx.unit_codes[v.unit]
        values: dict[str, Any] = {"occupation": labels.group(unit), "group": labels.group(unit[:digits])}
        if digits >= 4 and p.get("desired"):
            text = (
                gettext("Same occupation as one you want: %(occupation)s")
                if you
                else gettext("Same occupation as one they want: %(occupation)s")
            )
        elif digits >= 4:
            text = (
                gettext("Same occupation as a job you had: %(occupation)s")
                if you
                else gettext("Same occupation as a job they had: %(occupation)s")
            )
        elif digits == 3:
            text = (
                gettext("Close to work you want or had: %(group)s")
                if you
                else gettext("Close to work they want or had: %(group)s")
            )
        elif digits == 2:
            text = gettext("In a related field: %(group)s")
        else:
            text = gettext("In the same broad field of work: %(group)s")
        return text % values
    if reason.code == "skills":
        matched = [labels.skill(s) for s in p.get("skills", [])]
        total = len(v.essential | v.optional)
        values = {"count": len(matched), "total": total, "skills": _listing(matched)}
        if len(matched) >= total:
            if you:
                return (
                    ngettext(
                        "You have the skill asked for: %(skills)s",
                        "You have all %(total)s skills asked for: %(skills)s",
                        total,
                    )
                    % values
                )
            return (
                ngettext("Has the skill asked for: %(skills)s", "Has all %(total)s skills asked for: %(skills)s", total)
                % values
            )
        if you:
            return gettext("You have %(count)s of the %(total)s skills asked for: %(skills)s") % values
        return gettext("Has %(count)s of the %(total)s skills asked for: %(skills)s") % values
    if reason.code == "location":
        kind = p.get("kind")
        if you:
            texts = {
                "district": gettext("In your district"),
                "province": gettext("In your province"),
                "preferred": gettext("In a province where you want to work"),
                "neighbour": gettext("In a neighbouring province"),
                "relocate": gettext("Further away, and you are willing to move"),
            }
        else:
            texts = {
                "district": gettext("Lives in the same district"),
                "province": gettext("Lives in the same province"),
                "preferred": gettext("Wants to work in this province"),
                "neighbour": gettext("Lives in a neighbouring province"),
                "relocate": gettext("Lives further away but is willing to move"),
            }
        return texts.get(str(kind))
    if reason.code == "education_met":
        level = labels.level(int(p["required"]))
        if you:
            return gettext("You have the education asked for: %(level)s") % {"level": level}
        return gettext("Has the education asked for: %(level)s") % {"level": level}
    if reason.code == "accommodation" and audience != "employer":
        items = ", ".join(_accommodation(code) for code in p.get("offered", []))
        if you:
            return gettext("Offers what you need: %(items)s") % {"items": items}
        return gettext("The employer offers the adjustments this person needs: %(items)s") % {"items": items}
    return None


def describe_gap(gap: Explanation, labels: Labels, audience: Audience) -> str | None:
    """One gap as a sentence; None for a code this audience must not see or that we do not know."""
    you = audience == "jobseeker"
    p = gap.params
    if gap.code == "missing_skill":
        skill = labels.skill(int(p["skill"]))
        if you:
            return gettext("Asks for a skill that is not on your profile: %(skill)s") % {"skill": skill}
        return gettext("Lacks a required skill: %(skill)s") % {"skill": skill}
    if gap.code == "far_away":
        return gettext("Far from where you live") if you else gettext("Lives far from the job")
    if gap.code == "education":
        return gettext("Requires at least: %(level)s") % {"level": labels.level(int(p["required"]))}
    if gap.code == "experience":
        values = {"required": p.get("required", 0), "has": p.get("has", 0)}
        if you:
            return gettext("Asks for %(required)s months of experience; your profile shows %(has)s") % values
        return gettext("Asks for %(required)s months of experience; the profile shows %(has)s") % values
    if gap.code == "language":
        from openpes.taxonomy.enums import Language

        language = _choice_label(Language, str(p.get("language", "")))
        if you:
            return gettext("Needs %(language)s at a level not on your profile") % {"language": language}
        return gettext("Needs %(language)s at a level not on the profile") % {"language": language}
    if gap.code == "licence":
        licence = str(p.get("licence", ""))
        if you:
            return gettext("Needs driving licence %(licence)s — not on your profile") % {"licence": licence}
        return gettext("Needs driving licence %(licence)s — not on the profile") % {"licence": licence}
    if gap.code == "wage":
        values = {"offered": p.get("offered"), "expected": p.get("expected")}
        if you:
            return gettext("Pays up to %(offered)s USD a month; you hope for %(expected)s") % values
        return gettext("Pays up to %(offered)s USD a month; the person hopes for %(expected)s") % values
    if gap.code == "accommodation_missing" and audience != "employer":
        need = _accommodation(str(p.get("need", "")))
        if you:
            return gettext("Does not say it offers what you need: %(need)s") % {"need": need}
        return gettext("The employer does not say it offers: %(need)s") % {"need": need}
    return None


def _accommodation(code: str) -> str:
    from openpes.taxonomy.enums import Accommodation

    return _choice_label(Accommodation, code)


# ------------------------------------------------------------------------------------------------ pairs

_contexts: WeakKeyDictionary[MatchIndex, Context] = WeakKeyDictionary()


def scoring_context(index: MatchIndex) -> Context:
    """The index's lookups with the skill rarity of its last build, so reference scores agree with it."""
    ctx = _contexts.get(index)
    if ctx is None:
        rarity = getattr(index, "skill_idf", None)  # without it, every skill weighs the same in explanations
        ctx = replace(index.ctx, skill_idf=rarity()) if callable(rarity) else index.ctx
        _contexts[index] = ctx
    return ctx


def labels_for(pairs: Iterable[tuple[JobseekerFeatures, VacancyFeatures]], ctx: Context) -> Labels:
    """Everything the explanations of these pairs will name, in one query per kind."""
    codes: set[str] = set()
    skills: set[int] = set()
    levels: set[int] = set()
    for js, v in pairs:
        unit = ctx.unit_codes[v.unit]
        codes.update(unit[:n] for n in range(1, 5))
        skills.update((v.essential | v.optional) & js.skills)
        skills.update(v.essential - js.skills)
        if v.education >= 0:
            levels.add(v.education)
    return Labels.load(isco_codes=codes, skill_ids=skills, education_codes=levels)


def explain(
    js: JobseekerFeatures,
    v: VacancyFeatures,
    ctx: Context,
    labels: Labels,
    *,
    audience: Audience,
    direction: str,
    weights: dict[str, float] | None = None,
    total: float | None = None,
) -> Explained:
    """The pair's score (the engine's `total` when given), its top reasons and all its gaps, as sentences."""
    result = score(js, v, ctx, weights=weights, direction=direction)
    chosen = direction_weights(weights, direction)

    def contribution(reason: Explanation) -> float:
        signal = REASON_SIGNAL.get(reason.code, "")
        return chosen.get(signal, 0.0) * result.signals.get(signal, 0.0)

    reasons: list[Line] = []
    for reason in sorted(result.reasons, key=contribution, reverse=True):
        if audience == "employer" and reason.code in PRIVATE_CODES:
            continue
        text = describe_reason(reason, v, ctx, labels, audience)
        if text:
            reasons.append(Line(reason.code, text))
    # The strongest reasons, plus an offered adjustment whatever its weight: for whoever needs it, it decides.
    reasons = [r for r in reasons if r.code not in ALWAYS_SHOWN][:MAX_REASONS] + [
        r for r in reasons if r.code in ALWAYS_SHOWN
    ]
    gaps: list[Line] = []
    for gap in result.gaps:
        if audience == "employer" and gap.code in PRIVATE_CODES:
            continue
        text = describe_gap(gap, labels, audience)
        if text:
            gaps.append(Line(gap.code, text))
    return Explained(
        jobseeker_id=js.id,
        vacancy_id=v.id,
        score=result.total if total is None else total,
        reasons=reasons,
        gaps=gaps,
    )


def explain_matches(
    *,
    index: MatchIndex,
    jobseeker_ids: Sequence[int],
    vacancy_ids: Sequence[int],
    scores: Sequence[float],
    audience: Audience,
    direction: str,
    weights: dict[str, float] | None = None,
) -> list[Explained]:
    """Explanations of aligned (jobseeker, vacancy, score) triples, reading features from the database in bulk.
    Pairs whose records cannot be read any more (deleted, or no longer codable) are left out."""
    from openpes.jobseekers.models import JobSeeker
    from openpes.matching.loaders import jobseeker_features, vacancy_features
    from openpes.vacancies.models import Vacancy

    ctx = scoring_context(index)
    people = {f.id: f for f in jobseeker_features(JobSeeker.objects.filter(pk__in=set(jobseeker_ids)), ctx)}
    jobs = {f.id: f for f in vacancy_features(Vacancy.objects.filter(pk__in=set(vacancy_ids)), ctx)}
    triples = [
        (people[j], jobs[v], s)
        for j, v, s in zip(jobseeker_ids, vacancy_ids, scores, strict=True)
        if j in people and v in jobs
    ]
    labels = labels_for(((js, v) for js, v, _ in triples), ctx)
    return [
        explain(js, v, ctx, labels, audience=audience, direction=direction, weights=weights, total=s)
        for js, v, s in triples
    ]


def matches_to_triples(
    matches: Sequence[Match], *, jobseeker_id: int | None = None, vacancy_id: int | None = None
) -> tuple[list[int], list[int], list[float]]:
    """Engine matches for one jobseeker (ids are vacancies) or one vacancy (ids are jobseekers) as aligned lists."""
    if jobseeker_id is not None:
        return [jobseeker_id] * len(matches), [m.id for m in matches], [m.score for m in matches]
    assert vacancy_id is not None
    return [m.id for m in matches], [vacancy_id] * len(matches), [m.score for m in matches]
