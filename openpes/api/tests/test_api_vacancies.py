import datetime

import pytest
from django.utils import timezone

from openpes.audit.models import AuditEvent
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy, VacancyEvent
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def _new_vacancy(employer, **extra):
    return {
        "employer": employer.pk,
        "title": "Warehouse assistant",
        "isco_group": "9321",
        "description": "Pack and label goods for shipping.",
        "province": "15",
        "employment_type": "full_time",
        "closing_date": str(timezone.localdate() + datetime.timedelta(days=20)),
        **extra,
    }


# ------------------------------------------------------------------------------------------------ search


def test_anyone_can_search_published_vacancies_without_signing_in(api, world):
    body = api(None).get("/vacancies").json()
    assert body["count"] == 2
    assert {v["id"] for v in body["items"]} == {world.vacancy_pursat.pk, world.vacancy_battambang.pk}
    assert body["items"][0]["employer"]["name"] in ("Pursat Garments", "Battambang Rice Mill")


def test_search_takes_the_same_filters_as_the_page(api, world):
    anonymous = api(None)
    assert [v["id"] for v in anonymous.get("/vacancies", {"province": "02"}).json()["items"]] == [
        world.vacancy_battambang.pk
    ]
    assert [v["id"] for v in anonymous.get("/vacancies", {"isco": "815"}).json()["items"]] == [world.vacancy_pursat.pk]
    assert [v["id"] for v in anonymous.get("/vacancies", {"q": "rice"}).json()["items"]] == [
        world.vacancy_battambang.pk
    ]
    assert anonymous.get("/vacancies", {"disability_friendly": "true"}).json()["count"] == 0
    assert anonymous.get("/vacancies", {"employment_type": "part_time"}).json()["count"] == 0
    assert anonymous.get("/vacancies", {"sector": "c", "sort": "date"}).json()["count"] == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert anonymous.get("/vacancies", {"posted_since": str(tomorrow)}).json()["count"] == 0


def test_search_finds_khmer_words(api, world):
    VacancyFactory(employer=world.employer_pursat, title="អ្នកបើកបររថយន្ត", description="បើកបរ")
    body = api(None).get("/vacancies", {"q": "អ្នកបើកបរ"}).json()
    assert [v["title"] for v in body["items"]] == ["អ្នកបើកបររថយន្ត"]


def test_search_is_paginated_with_a_total_count_and_a_maximum_page_size(api, world):
    for _ in range(3):
        VacancyFactory(employer=world.employer_pursat)
    anonymous = api(None)
    page = anonymous.get("/vacancies", {"limit": 2, "offset": 2}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 2, 2)
    assert anonymous.get("/vacancies", {"offset": 10}).json()["items"] == []
    too_many = anonymous.get("/vacancies", {"limit": 1000})
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "limit"


def test_search_never_shows_drafts_even_to_their_employer(api, world, cast):
    ids = {v["id"] for v in api(cast.employer_a).get("/vacancies").json()["items"]}
    assert world.draft_pursat.pk not in ids


def test_the_search_runs_a_bounded_number_of_queries(api, world, django_assert_max_num_queries):
    for _ in range(10):
        VacancyFactory(employer=world.employer_battambang, province_code="02")
    anonymous = api(None)
    # Vacancies waiting for the expiry task, the count, the count of title matches, the page's ids (title
    # matches, then the others), its rows; on PostgreSQL also choosing the plan (twice at most) and resetting it.
    with django_assert_max_num_queries(9):
        assert len(anonymous.get("/vacancies", {"q": "operator"}).json()["items"]) == 12


def test_bad_filters_get_a_clear_error(api, world):
    response = api(None).get("/vacancies", {"posted_since": "yesterday", "employment_type": "gig"})
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        "posted_since": "Enter a date as YYYY-MM-DD.",
        "employment_type": "Choose one of the allowed values.",
    }


# ------------------------------------------------------------------------------------------------ detail


@pytest.mark.parametrize(
    ("who", "vacancy", "status"),
    [
        (None, "vacancy_pursat", 200),
        (None, "draft_pursat", 404),
        ("jobseeker_a", "draft_pursat", 404),
        ("employer_a", "draft_pursat", 200),
        ("employer_b", "draft_pursat", 404),
        ("employer_b", "vacancy_pursat", 200),
        ("counsellor_pursat", "draft_pursat", 200),
        ("counsellor_battambang", "draft_pursat", 404),
        ("manager_battambang", "draft_battambang", 200),
        ("manager_pursat", "draft_battambang", 404),
        ("national", "draft_battambang", 200),
        ("trainer", "draft_pursat", 404),
    ],
)
def test_a_vacancy_is_public_once_published_and_otherwise_only_for_who_manages_it(
    api, world, cast, who, vacancy, status
):
    response = api(getattr(cast, who) if who else None).get(f"/vacancies/{getattr(world, vacancy).pk}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == getattr(world, vacancy).pk


def test_a_guessed_id_is_404_with_a_json_body(api, world):
    response = api(None).get("/vacancies/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_bad_or_expired_token_is_refused_on_public_operations_too(api, world, cast, client):
    assert client.get("/api/v1/vacancies", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert api(cast.deactivated).get("/vacancies").status_code == 401


# ------------------------------------------------------------------------------------------------ posting


def test_an_employer_user_posts_a_draft_for_their_employer(api, world, cast):
    response = api(cast.employer_a).post(
        "/vacancies",
        _new_vacancy(
            world.employer_pursat,
            wage_min=210,
            wage_max=250,
            accommodations=["step_free", "step_free"],
            languages=[{"language": "en", "level": 1}],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["isco_group"], body["employer"]["id"]) == ("draft", "9321", world.employer_pursat.pk)
    assert body["accommodations"] == ["step_free"]
    assert body["languages"] == [{"language": "en", "level": 1}]
    vacancy = Vacancy.objects.get(pk=body["id"])
    assert vacancy.owner_centre == world.employer_pursat.owner_centre
    assert not vacancy.posted_by_staff
    assert AuditEvent.objects.filter(action="create", object_type="vacancies.vacancy", object_id=str(vacancy.pk))


@pytest.mark.parametrize(
    ("who", "employer", "status"),
    [
        ("employer_a", "employer_pursat", 201),
        ("employer_b", "employer_pursat", 404),
        ("counsellor_pursat", "employer_pursat", 201),
        ("manager_pursat", "employer_pursat", 201),
        ("counsellor_battambang", "employer_pursat", 404),
        ("manager_battambang", "employer_pursat", 404),
        ("national", "employer_pursat", 403),
        ("jobseeker_a", "employer_pursat", 403),
        ("trainer", "employer_pursat", 403),
        ("deactivated", "employer_pursat", 401),
        (None, "employer_pursat", 401),
    ],
)
def test_who_may_post_a_vacancy_for_an_employer(api, world, cast, who, employer, status):
    before = Vacancy.objects.count()
    response = api(getattr(cast, who) if who else None).post("/vacancies", _new_vacancy(getattr(world, employer)))
    assert response.status_code == status, response.content
    assert Vacancy.objects.count() == before + (1 if status == 201 else 0)
    if status == 201 and who != "employer_a":
        assert Vacancy.objects.get(pk=response.json()["id"]).posted_by_staff


def test_a_vacancy_with_bad_fields_is_refused_with_field_messages_and_nothing_saved(api, world, cast):
    before = Vacancy.objects.count()
    employer = api(cast.employer_a)
    past = str(timezone.localdate() - datetime.timedelta(days=1))
    cases = {
        "closing_date": _new_vacancy(world.employer_pursat, closing_date=past),
        "isco_group": _new_vacancy(world.employer_pursat, isco_group="8100"),
        "district": _new_vacancy(world.employer_pursat, district="0201"),
        "wage_max": _new_vacancy(world.employer_pursat, wage_min=300, wage_max=200),
        "skills": _new_vacancy(world.employer_pursat, skills=[{"skill": 999999}]),
        "status": _new_vacancy(world.employer_pursat, status="published"),
        "title": _new_vacancy(world.employer_pursat, title="   "),
    }
    for field, body in cases.items():
        response = employer.post("/vacancies", body)
        assert response.status_code == 422, (field, response.content)
        assert response.json()["errors"][0]["field"] == field, response.content
    assert Vacancy.objects.count() == before
    assert api(cast.employer_a).post("/vacancies", _new_vacancy(world.employer_pursat, closing_date=past)).json()[
        "errors"
    ][0]["message"] == ("The closing date is in the past.")


def test_an_employer_changes_a_draft_but_not_a_published_vacancy(api, world, cast):
    employer = api(cast.employer_a)
    response = employer.patch(f"/vacancies/{world.draft_pursat.pk}", {"positions": 3, "district": "1501"})
    assert response.status_code == 200, response.content
    assert (response.json()["positions"], response.json()["district"]) == (3, "1501")
    assert employer.patch(f"/vacancies/{world.vacancy_pursat.pk}", {"positions": 3}).status_code == 403
    assert employer.patch(f"/vacancies/{world.draft_battambang.pk}", {"positions": 3}).status_code == 404
    assert (
        api(cast.counsellor_pursat).patch(f"/vacancies/{world.vacancy_pursat.pk}", {"positions": 2}).json()["positions"]
        == 2
    )
    assert api(cast.national).patch(f"/vacancies/{world.vacancy_pursat.pk}", {"positions": 2}).status_code == 403


def test_a_patch_that_clears_a_required_field_is_refused(api, world, cast):
    response = api(cast.employer_a).patch(f"/vacancies/{world.draft_pursat.pk}", {"title": None})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "title", "message": "This field is required.", "type": "required"}]
    world.draft_pursat.refresh_from_db()
    assert world.draft_pursat.title == "Quality inspector"


# ------------------------------------------------------------------------------------------------ lifecycle


def test_a_draft_goes_through_review_to_publication(api, world, cast):
    draft = world.draft_pursat
    assert api(cast.employer_a).post(f"/vacancies/{draft.pk}/submit").json()["status"] == "submitted"
    assert api(cast.employer_a).post(f"/vacancies/{draft.pk}/publish").status_code == 403
    assert api(cast.counsellor_battambang).post(f"/vacancies/{draft.pk}/publish").status_code == 404
    assert api(cast.national).post(f"/vacancies/{draft.pk}/publish").status_code == 403
    response = api(cast.counsellor_pursat).post(f"/vacancies/{draft.pk}/publish")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert draft.pk in {v["id"] for v in api(None).get("/vacancies").json()["items"]}
    assert list(VacancyEvent.objects.filter(vacancy=draft).values_list("to_status", flat=True)) == [
        "submitted",
        "published",
    ]


def test_a_transition_that_is_not_allowed_is_a_409(api, world, cast):
    response = api(cast.counsellor_pursat).post(f"/vacancies/{world.draft_pursat.pk}/publish")
    assert response.status_code == 409
    assert response.json()["detail"] == "A vacancy that is Draft cannot become Published."


def test_an_unverified_employers_vacancy_cannot_be_published(api, world, cast):
    vacancy = VacancyFactory(employer=world.employer_pending, submitted=True)
    response = api(cast.counsellor_pursat).post(f"/vacancies/{vacancy.pk}/publish")
    assert response.status_code == 409
    assert "verified" in response.json()["detail"]
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.SUBMITTED


def test_staff_return_a_submitted_vacancy_with_a_reason(api, world, cast):
    vacancy = VacancyFactory(employer=world.employer_pursat, submitted=True)
    counsellor = api(cast.counsellor_pursat)
    missing = counsellor.post(f"/vacancies/{vacancy.pk}/reject", {"note": "no reason"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0] == {"field": "reason", "message": "This field is required.", "type": "missing"}
    response = counsellor.post(f"/vacancies/{vacancy.pk}/reject", {"reason": "discriminatory", "note": "Age limit"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == ("rejected", "discriminatory")
    assert api(cast.employer_a).get(f"/vacancies/{vacancy.pk}").json()["status_note"] == "Age limit"


def test_the_employer_or_staff_close_a_vacancy_and_filled_ones_say_so(api, world, cast):
    assert (
        api(cast.employer_b)
        .post(f"/vacancies/{world.vacancy_pursat.pk}/close", {"reason": "filled_elsewhere"})
        .status_code
        == 404
    )
    assert (
        api(cast.jobseeker_a)
        .post(f"/vacancies/{world.vacancy_pursat.pk}/close", {"reason": "filled_elsewhere"})
        .status_code
        == 404
    )
    assert (
        api(cast.national)
        .post(f"/vacancies/{world.vacancy_pursat.pk}/close", {"reason": "filled_elsewhere"})
        .status_code
        == 403
    )
    response = api(cast.employer_a).post(f"/vacancies/{world.vacancy_pursat.pk}/close", {"reason": "filled_elsewhere"})
    assert response.json()["status"] == "filled"
    response = api(cast.counsellor_battambang).post(
        f"/vacancies/{world.draft_battambang.pk}/close", {"reason": "cancelled"}
    )
    assert response.json()["status"] == "closed"
