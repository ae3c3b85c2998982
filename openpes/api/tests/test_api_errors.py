"""Error bodies of the casework API: JSON with a `detail` in the caller's language, whatever went wrong."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_validation_errors_are_in_khmer_for_a_khmer_caller(api, world, cast):
    response = api(cast.counsellor_pursat, language="km").post("/jobseekers", {"name_latin": "Dara"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "សំណើនេះមិនត្រឹមត្រូវទេ។"
    assert {e["field"] for e in body["errors"]} == {"sex", "date_of_birth", "province"}
    assert {e["message"] for e in body["errors"]} == {"ត្រូវតែបំពេញវាលនេះ។"}


def test_the_same_errors_are_in_english_for_an_english_caller(api, world, cast):
    body = api(cast.counsellor_pursat, language="en").post("/jobseekers", {"name_latin": "Dara"}).json()
    assert body["detail"] == "The request is not valid."
    assert {e["message"] for e in body["errors"]} == {"This field is required."}


def test_a_phone_number_error_from_the_domain_layer_is_translated_too(api, world, cast):
    response = api(cast.counsellor_pursat, language="km").patch(f"/jobseekers/{world.jobseeker_a.pk}", {"phone": "0"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phone"
    assert response.json()["errors"][0]["message"].startswith("សូមបញ្ចូលលេខទូរស័ព្ទ")


def test_a_missing_sign_in_is_a_401_in_the_callers_language(api, world):
    response = api(None, language="km").get("/jobseekers")
    assert response.status_code == 401
    assert response.json() == {"detail": "សូមចូលគណនី ឬផ្ញើថូខឹន API ដែលត្រឹមត្រូវ។"}


def test_forbidden_and_not_found_are_json_not_html_pages(api, world, cast):
    forbidden = api(cast.national).post(f"/vacancies/{world.vacancy_pursat.pk}/close", {"reason": "cancelled"})
    assert (forbidden.status_code, forbidden["Content-Type"]) == (403, "application/json; charset=utf-8")
    assert forbidden.json() == {"detail": "Your account may not do this."}
    missing = api(cast.national).get("/employers/987654")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})


def test_a_body_that_is_not_json_is_a_400(api, world, cast):
    caller = api(cast.counsellor_pursat)
    response = caller.client.post("/api/v1/employers", "{oops", content_type="application/json", **caller.headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_unknown_fields_are_refused_rather_than_ignored(api, world, cast):
    response = api(cast.employer_a).patch(f"/vacancies/{world.draft_pursat.pk}", {"owner_centre": 3})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_centre"


def test_text_the_database_cannot_store_is_refused_not_a_server_error(api, world, cast):
    response = api(cast.counsellor_pursat).post("/employers", {"name_en": "A\x00B", "sector": "C",
                                                              "size_band": "1-9", "province": "15"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name_en"


def test_a_browser_session_needs_the_csrf_token_for_changes(world, cast):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(cast.counsellor_pursat)
    assert browser.get("/api/v1/employers").status_code == 200
    refused = browser.post(f"/api/v1/employers/{world.employer_pending.pk}/verify")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token = "x" * 32  # what a page would have put in its CSRF cookie and hx-headers
    browser.cookies["csrftoken"] = token
    accepted = browser.post(f"/api/v1/employers/{world.employer_pending.pk}/verify", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert accepted.json()["verification"] == "verified"
