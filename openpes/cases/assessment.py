"""The needs assessment: transparent, published rules that place a jobseeker in a support group.

Each rule looks at one barrier, adds its weight when it fires, and says why in words the jobseeker can read.
Sex, age, ethnicity, religion, health and disability are never inputs. The rules, weights and thresholds
are shown to staff and jobseekers on the "How the assessment works" page; change them only with a new
RULES_VERSION so old results stay explainable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openpes.cases.enums import BarrierTheme, DigitalAccess, Situation, SupportGroup

RULES_VERSION = "2026.1"
# Total weight at or above which a group applies (below SOME_SUPPORT: job-ready).
SOME_SUPPORT_FROM = 2
INTENSIVE_FROM = 5


@dataclass(frozen=True)
class Inputs:
    """What the rules may look at — nothing else."""

    months_without_work: int = 0
    months_of_experience: int = 0
    education_level: int | None = None  # ISCED 0–8, None when unknown
    has_caring_duties: bool = False
    has_transport: bool = True
    returning_migrant: bool = False
    digital_access: str = DigitalAccess.SMARTPHONE
    can_use_apps: bool = True
    has_id_documents: bool = True
    can_read_write: bool = True


@dataclass(frozen=True)
class Rule:
    code: str
    weight: int
    theme: str
    description: Promise
    fires: Callable[[Inputs], bool]


RULES: tuple[Rule, ...] = (
    Rule("no_experience", 2, BarrierTheme.EMPLOYMENT, _("Has never had a job (no work experience)."),
         lambda i: i.months_of_experience == 0),
    Rule("long_unemployment", 2, BarrierTheme.EMPLOYMENT, _("Without work for 12 months or more."),
         lambda i: i.months_without_work >= 12),
    Rule("medium_unemployment", 1, BarrierTheme.EMPLOYMENT, _("Without work for 6 to 11 months."),
         lambda i: 6 <= i.months_without_work < 12),
    Rule("low_education", 2, BarrierTheme.TRAINING, _("Finished primary school or less."),
         lambda i: i.education_level is not None and i.education_level <= 1),
    Rule("literacy", 2, BarrierTheme.LANGUAGE, _("Finds reading and writing Khmer difficult."),
         lambda i: not i.can_read_write),
    Rule("no_documents", 2, BarrierTheme.DOCUMENTS, _("Has no ID card or other documents needed to work."),
         lambda i: not i.has_id_documents),
    Rule("caring_duties", 1, BarrierTheme.CHILDCARE, _("Cares for children or relatives."),
         lambda i: i.has_caring_duties),
    Rule("no_transport", 1, BarrierTheme.MOBILITY, _("Has no way to travel to work."),
         lambda i: not i.has_transport),
    Rule("returning_migrant", 1, BarrierTheme.EMPLOYMENT, _("Has just returned from working abroad."),
         lambda i: i.returning_migrant),
    Rule("low_digital", 1, BarrierTheme.DIGITAL, _("Has no smartphone or cannot use apps to look for work."),
         lambda i: i.digital_access in (DigitalAccess.NONE, DigitalAccess.BASIC_PHONE) or not i.can_use_apps),
)  # fmt: skip


@dataclass(frozen=True)
class Result:
    group: str
    score: int
    fired: list[str] = field(default_factory=list)

    def reasons(self) -> list[Rule]:
        return [rule for rule in RULES if rule.code in self.fired]


def group_for(score: int) -> str:
    if score >= INTENSIVE_FROM:
        return SupportGroup.INTENSIVE
    if score >= SOME_SUPPORT_FROM:
        return SupportGroup.SOME_SUPPORT
    return SupportGroup.JOB_READY


def assess(inputs: Inputs) -> Result:
    fired = [rule for rule in RULES if rule.fires(inputs)]
    score = sum(rule.weight for rule in fired)
    return Result(group=group_for(score), score=score, fired=[rule.code for rule in fired])


def inputs_as_dict(inputs: Inputs) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(inputs)


def inputs_from_case(case: Any) -> Inputs:
    """Collect the inputs from the intake interview and the jobseeker's profile."""
    jobseeker = case.jobseeker
    intake = getattr(case, "intake", None)
    months_of_experience = sum(e.months for e in jobseeker.experience.all())
    return Inputs(
        months_without_work=intake.months_without_work if intake else 0,
        months_of_experience=months_of_experience,
        education_level=jobseeker.education_level.code if jobseeker.education_level else None,
        has_caring_duties=intake.has_caring_duties if intake else False,
        has_transport=intake.has_transport if intake else True,
        returning_migrant=jobseeker.returning_migrant
        or bool(intake and intake.situation == Situation.RETURNING_MIGRANT),
        digital_access=intake.digital_access if intake else DigitalAccess.SMARTPHONE,
        can_use_apps=intake.can_use_apps if intake else True,
        has_id_documents=intake.has_id_documents if intake else True,
        can_read_write=intake.can_read_write if intake else True,
    )
