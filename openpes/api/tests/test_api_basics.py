import pytest

from openpes.accounts.models import ApiToken


@pytest.mark.django_db
def test_reference_data_is_public(client, reference):
    response = client.get("/api/v1/reference/provinces")
    assert response.status_code == 200
    assert {"code": "15", "name_km": "ពោធិ៍សាត់", "name_en": "Pursat"} in response.json()


@pytest.mark.django_db
def test_isco_search_by_code_prefix_and_by_words(client, reference):
    by_code = client.get("/api/v1/reference/isco", {"q": "832"}).json()
    assert [g["code"] for g in by_code][:1] == ["832"]
    by_words = client.get("/api/v1/reference/isco", {"q": "drivers", "level": 4}).json()
    assert any(g["code"] == "8322" for g in by_words)


@pytest.mark.django_db
def test_bad_query_values_get_a_clear_error_in_the_callers_language(client, reference):
    response = client.get("/api/v1/reference/isco", {"level": "nine"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "level"
    assert body["errors"][0]["message"] == "Enter a number."


@pytest.mark.django_db
def test_private_endpoints_need_a_session_or_token(client, cast):
    assert client.get("/api/v1/me").status_code == 401
    client.force_login(cast.jobseeker_a)
    assert client.get("/api/v1/me").json()["role"] == "jobseeker"


@pytest.mark.django_db
def test_a_bearer_token_acts_as_its_user_until_it_expires(client, cast):
    token, clear = ApiToken.issue(user=cast.national, name="LMI dashboard")
    response = client.get("/api/v1/centres", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert response.status_code == 200
    assert {c["code"] for c in response.json()} >= {"jc-15", "jc-02", "hq"}
    assert client.get("/api/v1/centres", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at="2000-01-01T00:00:00Z")
    assert client.get("/api/v1/centres", HTTP_AUTHORIZATION=f"Bearer {clear}").status_code == 401


@pytest.mark.django_db
def test_centres_api_is_scoped_like_the_pages(client, cast):
    _, clear = ApiToken.issue(user=cast.counsellor_battambang, name="x")
    codes = {c["code"] for c in client.get("/api/v1/centres", HTTP_AUTHORIZATION=f"Bearer {clear}").json()}
    assert codes == {"jc-02"}
    _, clear = ApiToken.issue(user=cast.jobseeker_a, name="y")
    assert client.get("/api/v1/centres", HTTP_AUTHORIZATION=f"Bearer {clear}").json() == []


@pytest.mark.django_db
def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "OpenPES API"
    assert "/api/v1/reference/isco" in schema["paths"]
