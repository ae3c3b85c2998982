"""The lists of suggestions people see, shared by the pages and the API: ranked within what the reader may see
(`access`), explained in their language (`explain`), and logged as shown for the fairness audit (`actions`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openpes.jobseekers.models import JobSeeker
from openpes.matching import actions, service
from openpes.matching.access import (
    consenting_jobseekers,
    open_vacancies,
    ranked_jobseekers,
    recommended_jobs,
)
from openpes.matching.engine import Match
from openpes.matching.explain import Audience, Explained, explain_matches, matches_to_triples
from openpes.matching.models import Invitation
from openpes.vacancies.models import Vacancy


@dataclass
class JobItem:
    vacancy: Vacancy
    fit: Explained
    invited: bool = False


@dataclass
class PersonItem:
    jobseeker: JobSeeker
    fit: Explained


@dataclass
class AnonymousProfile:
    """What an employer sees of a suggested person: no name, contact, sex, age or health."""

    number: int
    suggestion_id: int  # the logged Recommendation: the only handle the employer gets
    fit: Explained
    skills: list[str] = field(default_factory=list)
    experience: list[str] = field(default_factory=list)
    education: str = ""
    area: str = ""
    invited_on: datetime | None = None


def _explain(matches: list[Match], *, audience: Audience, direction: str, **one: int) -> list[Explained]:
    jobseeker_ids, vacancy_ids, scores = matches_to_triples(matches, **one)
    return explain_matches(
        index=service.get_index(),
        jobseeker_ids=jobseeker_ids,
        vacancy_ids=vacancy_ids,
        scores=scores,
        audience=audience,
        direction=direction,
        weights=service.current_weights(),
    )


def job_items(jobseeker: JobSeeker, *, audience: Audience, k: int = 20) -> list[JobItem]:
    """Recommended open vacancies for a person, explained, best first; logged as shown ("jobs")."""
    fits = _explain(recommended_jobs(jobseeker, k), audience=audience, direction="jobs", jobseeker_id=jobseeker.pk)
    vacancies = {v.pk: v for v in open_vacancies().filter(pk__in=[f.vacancy_id for f in fits])}
    items = [JobItem(vacancies[f.vacancy_id], f) for f in fits if f.vacancy_id in vacancies]
    actions.log_recommendations(
        direction="jobs",
        jobseeker_ids=[jobseeker.pk] * len(items),
        vacancy_ids=[i.vacancy.pk for i in items],
        scores=[i.fit.score for i in items],
    )
    invited = set(
        Invitation.objects.filter(jobseeker=jobseeker, vacancy_id__in=vacancies).values_list("vacancy_id", flat=True)
    )
    for item in items:
        item.invited = item.vacancy.pk in invited
    return items


def candidate_items(vacancy: Vacancy, pool: QuerySet[JobSeeker], k: int = 20) -> list[PersonItem]:
    """A shortlist of people from `pool` (the reader's scope) for a vacancy, explained; logged ("people")."""
    ranked = ranked_jobseekers(vacancy, pool, k)
    fits = _explain(ranked, audience="staff", direction="people", vacancy_id=vacancy.pk)
    people = {
        js.pk: js for js in pool.filter(pk__in=[f.jobseeker_id for f in fits]).select_related("district", "province")
    }
    items = [PersonItem(people[f.jobseeker_id], f) for f in fits if f.jobseeker_id in people]
    actions.log_recommendations(
        direction="people",
        jobseeker_ids=[i.jobseeker.pk for i in items],
        vacancy_ids=[vacancy.pk] * len(items),
        scores=[i.fit.score for i in items],
    )
    return items


def anonymous_profiles(vacancy: Vacancy) -> list[AnonymousProfile]:
    """Suggested people for an employer's vacancy, from those who agreed to be shown, without their identity;
    logged ("employer"). Each is named only by the number of its logged suggestion."""
    allowed = consenting_jobseekers()
    fits = _explain(ranked_jobseekers(vacancy, allowed), audience="employer", direction="people", vacancy_id=vacancy.pk)
    people = {
        js.pk: js
        for js in allowed.filter(pk__in=[f.jobseeker_id for f in fits])
        .select_related("education_level", "province")
        .prefetch_related("skills__skill", "experience__isco_group")
    }
    fits = [f for f in fits if f.jobseeker_id in people]
    logged = actions.log_recommendations(
        direction="employer",
        jobseeker_ids=[f.jobseeker_id for f in fits],
        vacancy_ids=[vacancy.pk] * len(fits),
        scores=[f.score for f in fits],
    )
    invited = dict(
        Invitation.objects.filter(vacancy=vacancy, jobseeker_id__in=list(people)).values_list("jobseeker_id", "at")
    )
    profiles = []
    for number, (fit, shown) in enumerate(zip(fits, logged, strict=True), start=1):
        person = people[fit.jobseeker_id]
        jobs = person.experience.all()
        experience = [_job_line(job.isco_group.title if job.isco_group else "", job.months) for job in jobs]
        profiles.append(
            AnonymousProfile(
                number=number,
                suggestion_id=shown.pk,
                fit=fit,
                skills=sorted(str(s.skill) for s in person.skills.all()),
                experience=[line for line in experience if line],
                education=str(person.education_level or ""),
                area=person.province.name,
                invited_on=invited.get(person.pk),
            )
        )
    return profiles


def _job_line(occupation: str, months: int) -> str:
    """A past job without its employer or title as typed (either could identify the person)."""
    if occupation and months:
        return _("%(occupation)s, %(months)s months") % {"occupation": occupation, "months": months}
    if months:
        return _("%(months)s months of work") % {"months": months}
    return occupation
