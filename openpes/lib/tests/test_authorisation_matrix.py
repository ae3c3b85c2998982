"""S4: the authorisation matrix, declared in one table and checked cell by cell.

Objects (a jobseeker's profile, CV, WG-SS answers and case notes; an application; a vacancy; an employer; a
training certificate; a training export) × actors (two jobseekers, two employers, counsellors of two centres,
managers of two provinces, HQ, a training coordinator, a deactivated user) × actions. A cell either succeeds
(200, or a redirect after a successful POST) or is refused (403/404, or the sign-in page for a deactivated
user). Records of the world: jobseeker A and employer A live in Pursat (jc-15), B in Battambang (jc-02).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from openpes.applications.tests.factories import ApplicationFactory
from openpes.cases.actions.casefile import add_note, open_case
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.jobseekers.actions import attach_cv
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.lib.uploads import CheckedFile
from openpes.vacancies.tests.factories import VacancyFactory

ACTORS = [
    "jobseeker_a", "jobseeker_b", "employer_a", "employer_b", "counsellor_pursat", "counsellor_battambang",
    "manager_pursat", "manager_battambang", "national", "coordinator", "deactivated",
]  # fmt: skip
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
CANARY_WGSS = "WG-SS"


@dataclass
class World:
    jobseeker: object
    other_jobseeker: object
    cv: object
    employer: object
    vacancy: object
    application: object
    case: object
    certificate: object


@pytest.fixture
def world(cast):
    jobseeker = JobSeekerFactory(user=cast.jobseeker_a, national_id="111222333")
    WgssAnswersFactory(jobseeker=jobseeker)
    other = JobSeekerFactory(user=cast.jobseeker_b, province_code="02")
    cv = attach_cv(
        actor=cast.jobseeker_a,
        jobseeker=jobseeker,
        checked=CheckedFile(kind="png", content_type="image/png", data=PNG),
        original_name="cv.png",
    )
    employer = EmployerFactory()
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    EmployerMemberFactory(employer=EmployerFactory(province_code="02"), user=cast.employer_b)
    vacancy = VacancyFactory(employer=employer)
    application = ApplicationFactory(vacancy=vacancy, jobseeker=jobseeker)
    case = open_case(actor=cast.counsellor_pursat, jobseeker=jobseeker, counsellor=cast.counsellor_pursat)
    add_note(actor=cast.counsellor_pursat, case=case, category="general", text="Needs a bus pass — private note")
    from openpes.training.actions.certificates import issue_certificates
    from openpes.training.tests.factories import EventFactory

    event = EventFactory()
    [certificate] = issue_certificates(
        actor=cast.coordinator, kind="participation", people=[cast.counsellor_pursat], event=event
    )
    return World(jobseeker, other, cv, employer, vacancy, application, case, certificate)


@dataclass(frozen=True)
class Cell:
    name: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    method: str = "get"
    data: dict[str, str] | None = None
    must_not_contain: str | None = None  # for allowed actors who may see the page but not this content


CASEWORK = {"counsellor_pursat", "manager_pursat"}
READERS = CASEWORK | {"national"}

CELLS = [
    Cell("jobseeker profile: view", lambda w: reverse("jobseekers:detail", args=[w.jobseeker.pk]), frozenset(READERS)),
    Cell("jobseeker profile: edit", lambda w: reverse("jobseekers:edit_section", args=[w.jobseeker.pk, "personal"]),
         frozenset(CASEWORK)),
    Cell("CV: download", lambda w: reverse("jobseekers:cv_download", args=[w.cv.pk]),
         frozenset(READERS | {"jobseeker_a", "employer_a"})),
    Cell("CV: delete", lambda w: reverse("jobseekers:cv_delete", args=[w.cv.pk]),
         frozenset(CASEWORK | {"jobseeker_a"}), method="post"),
    Cell("WG-SS answers: edit", lambda w: reverse("jobseekers:edit_section", args=[w.jobseeker.pk, "wgss"]),
         frozenset(CASEWORK)),
    Cell("case notes: view", lambda w: reverse("cases:notes", args=[w.case.pk]), frozenset(CASEWORK)),
    Cell("case: view", lambda w: reverse("cases:detail", args=[w.case.pk]), frozenset(READERS),
         must_not_contain="Needs a bus pass"),
    Cell("application: view", lambda w: reverse("applications:detail", args=[w.application.pk]),
         frozenset(READERS | {"jobseeker_a", "employer_a"}), must_not_contain="111222333"),
    Cell("vacancy: manage", lambda w: reverse("vacancies:detail_manage", args=[w.vacancy.pk]),
         frozenset(READERS | {"employer_a"})),
    Cell("vacancy: edit", lambda w: reverse("vacancies:edit", args=[w.vacancy.pk]), frozenset(CASEWORK)),
    Cell("employer: view", lambda w: reverse("employers:detail", args=[w.employer.pk]),
         frozenset(READERS | {"employer_a"})),
    Cell("employer: edit", lambda w: reverse("employers:edit", args=[w.employer.pk]),
         frozenset(CASEWORK | {"employer_a"})),
    Cell("training certificate: download", lambda w: reverse("training:certificate_download", args=[w.certificate.pk]),
         frozenset({"counsellor_pursat", "coordinator"})),
    Cell("training report: export", lambda w: reverse("training:report_export", args=["report", "csv"]),
         frozenset({"national", "coordinator"})),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.name)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_cell_of_the_matrix_matches_the_policy(client, cast, world, cell, actor):
    user = getattr(cast, actor)
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    url = cell.url(world)
    response = getattr(client, cell.method)(url, cell.data or {})
    response.close()  # file downloads stream from disk
    if actor in cell.allowed:
        assert response.status_code in (200, 302), (cell.name, actor, response.status_code)
        if response.status_code == 302:
            assert "/login/" not in response["Location"], (cell.name, actor)
        if (
            cell.must_not_contain
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text")
        ):
            assert cell.must_not_contain not in response.content.decode(), (cell.name, actor)
    elif actor == "deactivated":
        assert response.status_code in (302, 403, 404), (cell.name, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404), (cell.name, actor, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    ["jobseekers:detail", "jobseekers:cv_download", "cases:detail", "cases:notes", "applications:detail",
     "vacancies:detail_manage", "employers:detail", "training:certificate_download"],
)  # fmt: skip
def test_guessed_ids_give_404_even_to_the_most_powerful_staff(client, cast, world, route):
    powerful = {"training:certificate_download": cast.coordinator, "cases:notes": cast.manager_pursat}
    client.force_login(powerful.get(route, cast.national))
    response = client.get(reverse(route, args=[987654321]))
    response.close()
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["national", "employer_a"])
def test_wgss_answers_are_not_shown_to_hq_or_employers(client, cast, world, actor):
    client.force_login(getattr(cast, actor))
    pages = [reverse("applications:detail", args=[world.application.pk])]
    if actor == "national":
        pages.append(reverse("jobseekers:detail", args=[world.jobseeker.pk]))
    for page in pages:
        body = client.get(page).content.decode()
        assert "disability identifier" not in body.lower()
        assert "walking" not in body.lower()


@pytest.mark.django_db
def test_the_counsellor_in_scope_does_see_the_wgss_answers(client, cast, world):
    cast.counsellor_pursat.preferred_language = "en"
    cast.counsellor_pursat.save()
    client.force_login(cast.counsellor_pursat)
    body = client.get(reverse("jobseekers:detail", args=[world.jobseeker.pk])).content.decode().lower()
    assert "walking" in body or "disability" in body
