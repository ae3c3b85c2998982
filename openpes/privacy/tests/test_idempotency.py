"""R4: a write retried with the same Idempotency-Key (after a time-out or a 503) is made once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from openpes.accounts.models import ApiToken
from openpes.applications.models import Application
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.privacy.models import IdempotencyKey
from openpes.vacancies.tests.factories import VacancyFactory

PERSON = {
    "name_km": "ចាន់ សុភា",
    "name_latin": "Chan Sophea",
    "sex": "F",
    "date_of_birth": "2001-04-13",
    "province": "15",
    "phone": "097 765 4321",
    "national_id": "123 456 789",
}


def caller(user):
    _token, clear = ApiToken.issue(user=user, name="tests")
    client = Client(enforce_csrf_checks=True)

    def post(path, body, key=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {clear}", "HTTP_ACCEPT_LANGUAGE": "en"}
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return client.post(f"/api/v1{path}", body, content_type="application/json", **headers)

    return post


@pytest.mark.django_db
def test_a_retried_registration_registers_the_person_once_and_gets_the_same_answer(cast):
    post = caller(cast.counsellor_pursat)
    first = post("/jobseekers", PERSON, key="reg-7f3a")
    again = post("/jobseekers", PERSON, key="reg-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert JobSeeker.objects.filter(name_latin="Chan Sophea").count() == 1


@pytest.mark.django_db
def test_without_a_key_each_request_is_a_new_write(cast):
    post = caller(cast.counsellor_pursat)
    assert post("/jobseekers", PERSON).status_code == 201
    second = post("/jobseekers", PERSON)
    assert second.status_code == 409  # the duplicate check speaks, as before
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_the_same_key_for_another_request_is_refused(cast):
    post = caller(cast.counsellor_pursat)
    assert post("/jobseekers", PERSON, key="k-1").status_code == 201
    other = post("/jobseekers", {**PERSON, "name_latin": "Keo Dara", "national_id": "", "phone": ""}, key="k-1")
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert not JobSeeker.objects.filter(name_latin="Keo Dara").exists()


@pytest.mark.django_db
def test_keys_belong_to_one_caller(cast):
    assert caller(cast.counsellor_pursat)("/jobseekers", PERSON, key="shared").status_code == 201
    other = {
        **PERSON,
        "name_km": "កែវ ដារា",
        "name_latin": "Keo Dara",
        "date_of_birth": "1990-01-02",
        "national_id": "222333444",
        "phone": "",
        "province": "02",
    }
    assert caller(cast.counsellor_battambang)("/jobseekers", other, key="shared").status_code == 201
    assert JobSeeker.objects.filter(name_latin__in=["Chan Sophea", "Keo Dara"]).count() == 2


@pytest.mark.django_db
def test_a_refused_request_is_not_remembered_so_the_corrected_retry_goes_through(cast):
    post = caller(cast.counsellor_pursat)
    refused = post("/jobseekers", {**PERSON, "date_of_birth": "not a date"}, key="k-2")
    assert refused.status_code == 422
    assert not IdempotencyKey.objects.exists()
    # A 409 "may be a duplicate" is not remembered either: the caller confirms with the same key.
    JobSeekerFactory(national_id="123456789")
    assert post("/jobseekers", PERSON, key="k-3").status_code == 409
    confirmed = post("/jobseekers", {**PERSON, "confirm_not_duplicate": True}, key="k-3")
    assert confirmed.status_code == 201


@pytest.mark.django_db
def test_a_bad_key_is_refused_with_a_clear_message(cast):
    response = caller(cast.counsellor_pursat)("/jobseekers", PERSON, key="x" * 101)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not JobSeeker.objects.filter(name_latin="Chan Sophea").exists()


@pytest.mark.django_db
def test_a_retried_application_is_sent_once(cast):
    jobseeker = JobSeekerFactory(user=cast.jobseeker_a)
    vacancy = VacancyFactory()
    post = caller(cast.jobseeker_a)
    first = post("/applications", {"vacancy": vacancy.pk, "note": "I can start Monday"}, key="apply-1")
    again = post("/applications", {"vacancy": vacancy.pk, "note": "I can start Monday"}, key="apply-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Application.objects.filter(jobseeker=jobseeker, vacancy=vacancy).count() == 1
    # Without the key the retry is refused as a second application, as before.
    assert post("/applications", {"vacancy": vacancy.pk, "note": "I can start Monday"}).status_code == 409


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_the_same_key_write_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need a server database (SQLite runs one writer at a time anyway)")
    post = caller(cast.counsellor_pursat)
    answers: list[Any] = []

    def send():
        try:
            answers.append(post("/jobseekers", PERSON, key="race-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json()["id"] for a in answers}) == 1
    assert JobSeeker.objects.filter(name_latin="Chan Sophea").count() == 1
