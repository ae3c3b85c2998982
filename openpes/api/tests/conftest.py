"""A small world for API tests: two employers in two provinces, their vacancies, jobseekers of three centres
with WG-SS answers, applications, and a client that calls the API as any member of the cast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from openpes.accounts.models import ApiToken, User
from openpes.applications.models import Application
from openpes.applications.tests.factories import ApplicationFactory
from openpes.employers.models import Employer
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.vacancies.models import Vacancy
from openpes.vacancies.tests.factories import VacancyFactory


@dataclass
class World:
    employer_pursat: Employer  # verified, served by jc-15, employer_a acts for it
    employer_battambang: Employer  # verified, served by jc-02, employer_b acts for it
    employer_pending: Employer  # waiting for verification, served by jc-15, employer_a acts for it
    vacancy_pursat: Vacancy  # published
    draft_pursat: Vacancy
    vacancy_battambang: Vacancy  # published
    draft_battambang: Vacancy
    jobseeker_a: JobSeeker  # jobseeker_a's own record, jc-15, with WG-SS answers
    jobseeker_b: JobSeeker  # jobseeker_b's own record, jc-02, with WG-SS answers
    jobseeker_van: JobSeeker  # registered by the Pursat mobile unit, no account
    application_a: Application  # jobseeker_a → vacancy_pursat
    application_b: Application  # jobseeker_b → vacancy_battambang


@pytest.fixture
def world(cast) -> World:
    employer_pursat = EmployerFactory(name_en="Pursat Garments")
    employer_battambang = EmployerFactory(province_code="02", name_en="Battambang Rice Mill")
    employer_pending = EmployerFactory(pending=True, name_en="New Workshop")
    EmployerMemberFactory(employer=employer_pursat, user=cast.employer_a)
    EmployerMemberFactory(employer=employer_pending, user=cast.employer_a)
    EmployerMemberFactory(employer=employer_battambang, user=cast.employer_b)
    jobseeker_a = JobSeekerFactory(user=cast.jobseeker_a, national_id="100200300", name_latin="Sok Dara")
    jobseeker_b = JobSeekerFactory(
        user=cast.jobseeker_b, province_code="02", national_id="400500600", name_latin="Chan Bopha"
    )
    jobseeker_van = JobSeekerFactory(owner_centre=cast.pursat_van, national_id="700800900", name_latin="Keo Vanna")
    for jobseeker in (jobseeker_a, jobseeker_b, jobseeker_van):
        WgssAnswersFactory(jobseeker=jobseeker)
    vacancy_pursat = VacancyFactory(employer=employer_pursat)
    vacancy_battambang = VacancyFactory(
        employer=employer_battambang, province_code="02", title="Rice mill operator", isco_code="8160"
    )
    return World(
        employer_pursat=employer_pursat,
        employer_battambang=employer_battambang,
        employer_pending=employer_pending,
        vacancy_pursat=vacancy_pursat,
        draft_pursat=VacancyFactory(employer=employer_pursat, draft=True, title="Quality inspector"),
        vacancy_battambang=vacancy_battambang,
        draft_battambang=VacancyFactory(employer=employer_battambang, draft=True, province_code="02"),
        jobseeker_a=jobseeker_a,
        jobseeker_b=jobseeker_b,
        jobseeker_van=jobseeker_van,
        application_a=ApplicationFactory(vacancy=vacancy_pursat, jobseeker=jobseeker_a),
        application_b=ApplicationFactory(vacancy=vacancy_battambang, jobseeker=jobseeker_b),
    )


class Caller:
    """Calls the API with a bearer token for `user` (or anonymously), in `language`."""

    def __init__(self, client: Any, user: User | None, language: str = "en") -> None:
        self.client = client
        self.user = user
        self.language = language
        self.headers: dict[str, str] = {"HTTP_ACCEPT_LANGUAGE": language}
        if user is not None:
            _token, clear = ApiToken.issue(user=user, name="tests")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {clear}"

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", **self.headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", **self.headers)


@pytest.fixture
def api():
    """`api(cast.counsellor_pursat)` calls as that user; `api(None)` anonymously; `language="km"` for Khmer.
    The client enforces CSRF like a real server: token callers never send a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    callers: dict[tuple[int | None, str], Caller] = {}

    def caller(user: User | None, language: str = "en") -> Caller:
        key = (user.pk if user else None, language)
        if key not in callers:
            callers[key] = Caller(client, user, language)
        return callers[key]

    return caller


def all_keys(value: Any) -> set[str]:
    """Every key at any depth of a JSON value (to assert what a response never contains)."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in all_keys(item)}
    return set()
