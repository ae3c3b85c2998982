"""A small labour market for the matching tests: sewing jobs in Pursat, people who want them or not, skills
with Khmer labels, and the process-wide index rebuilt from the test database."""

from __future__ import annotations

from openpes.jobseekers.actions import record_consent
from openpes.jobseekers.models import DesiredOccupation, JobSeeker, JobSeekerSkill
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.matching import service
from openpes.taxonomy.models import IscoGroup, Skill
from openpes.vacancies.models import Vacancy, VacancySkill
from openpes.vacancies.tests.factories import VacancyFactory

SKILLS = {
    "sew": ("operate sewing machines", "ប្រើម៉ាស៊ីនដេរ"),
    "cut": ("cut fabrics", "កាត់ក្រណាត់"),
    "inspect": ("inspect quality of products", "ត្រួតពិនិត្យគុណភាពផលិតផល"),
    "drive": ("drive a forklift", "បើកបររថយន្តលើកទំនិញ"),
}


def skills() -> dict[str, Skill]:
    return {
        key: Skill.objects.get_or_create(uri=f"esco:test-{key}", defaults={"label_en": en, "label_km": km})[0]
        for key, (en, km) in SKILLS.items()
    }


def person(
    *,
    desired: tuple[str, ...] = ("8153",),
    has: tuple[str, ...] = (),
    **fields: object,
) -> JobSeeker:
    """A jobseeker (default: owned by jc-15 in Pursat) who wants `desired` ISCO units and has the skills `has`."""
    jobseeker: JobSeeker = JobSeekerFactory(**fields)  # type: ignore[assignment]
    known = skills()
    for rank, code in enumerate(desired, start=1):
        DesiredOccupation.objects.create(jobseeker=jobseeker, isco_group=IscoGroup.objects.get(code=code), rank=rank)
    for key in has:
        JobSeekerSkill.objects.create(jobseeker=jobseeker, skill=known[key])
    return jobseeker


def job(*, essential: tuple[str, ...] = ("sew", "cut"), optional: tuple[str, ...] = (), **fields: object) -> Vacancy:
    """A published vacancy (default: sewing machine operator, 8153, Pursat) needing the skills named."""
    vacancy: Vacancy = VacancyFactory(**fields)  # type: ignore[assignment]
    known = skills()
    for key in essential:
        VacancySkill.objects.create(vacancy=vacancy, skill=known[key], relation="essential")
    for key in optional:
        VacancySkill.objects.create(vacancy=vacancy, skill=known[key], relation="optional")
    return vacancy


def shares_with_employers(jobseeker: JobSeeker, given: bool = True, *, sms: bool | None = None) -> None:
    record_consent(actor=None, jobseeker=jobseeker, purpose="share_with_employers", given=given, method="verbal")
    if sms is not None:
        record_consent(actor=None, jobseeker=jobseeker, purpose="contact_sms", given=sms, method="verbal")


def fresh_index():
    """Forget the process-wide index and build it from the test database now."""
    service.reset()
    return service.get_index()
