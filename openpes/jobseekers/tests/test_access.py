"""S4 for jobseeker records: who may view and change a profile, side by side. Outside the scope is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openpes.jobseekers.models import WorkExperience
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cast):
    """A Pursat jobseeker with an account (jobseeker A) and one job in the work history."""
    record = JobSeekerFactory(user=cast.jobseeker_a, name_latin="Sok Sreymom")
    WorkExperience.objects.create(jobseeker=record, title="Driver")
    return record


VIEW = {
    "counsellor_pursat": 200,
    "manager_pursat": 200,
    "national": 200,
    "admin": 200,
    "counsellor_pursat_van": 404,
    "counsellor_battambang": 404,
    "manager_battambang": 404,
    "trainer": 403,
    "coordinator": 403,
    "jobseeker_a": 403,  # the person uses /me/profile/
    "jobseeker_b": 403,
    "employer_a": 403,
    "deactivated": 302,
}
EDIT = {**VIEW, "national": 403, "admin": 403}


@pytest.mark.parametrize(("who", "status"), sorted(VIEW.items()))
def test_who_may_view_the_staff_record(client, cast, person, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("jobseekers:detail", args=[person.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), sorted(EDIT.items()))
def test_who_may_edit_the_record(client, cast, person, who, status):
    client.force_login(getattr(cast, who))
    url = reverse("jobseekers:edit_section", args=[person.pk, "education"])
    assert client.get(url).status_code == status
    response = client.post(url, {"field_of_study": "Changed"})
    assert response.status_code == (302 if status == 200 else status)
    person.refresh_from_db()
    assert (person.field_of_study == "Changed") == (status == 200)


@pytest.mark.parametrize(("who", "status"), sorted(EDIT.items()))
def test_who_may_delete_a_job_from_the_work_history(client, cast, person, who, status):
    job = person.experience.get()
    client.force_login(getattr(cast, who))
    response = client.post(reverse("jobseekers:experience_delete", args=[person.pk, job.pk]))
    assert response.status_code == (302 if status == 200 else status)
    assert WorkExperience.objects.filter(pk=job.pk).exists() == (status != 200)


def test_a_guessed_id_is_simply_not_found(client, cast, person):
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("jobseekers:detail", args=[person.pk + 1000])).status_code == 404
    job = person.experience.get()
    other = JobSeekerFactory()
    assert client.get(reverse("jobseekers:edit_experience", args=[other.pk, job.pk])).status_code == 404


@pytest.mark.parametrize("who", ["employer_a", "counsellor_pursat", "national", "trainer"])
def test_only_jobseekers_have_a_my_profile_page(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("jobseekers:my_profile")).status_code == 403
    assert client.get(reverse("jobseekers:my_section", args=["personal"])).status_code == 403


def test_a_jobseeker_only_ever_edits_their_own_record(client, cast, person):
    other = JobSeekerFactory(user=cast.jobseeker_b, field_of_study="")
    client.force_login(cast.jobseeker_b)
    client.post(reverse("jobseekers:my_section", args=["education"]), {"field_of_study": "Mine"})
    other.refresh_from_db()
    person.refresh_from_db()
    assert (other.field_of_study, person.field_of_study) == ("Mine", "")


def test_anonymous_visitors_are_sent_to_sign_in(client, person):
    for url in (reverse("jobseekers:my_profile"), reverse("jobseekers:list"), reverse("jobseekers:register"),
                reverse("jobseekers:detail", args=[person.pk])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
