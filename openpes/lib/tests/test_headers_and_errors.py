import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_pages_for_signed_in_users_are_never_cached(client, cast):
    client.force_login(cast.jobseeker_a)
    assert "no-store" in client.get("/")["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("en", "We could not find this page"), ("km", 'lang="km"')])
def test_not_found_page_in_both_languages(client, language, text):
    client.cookies["openpes_language"] = language
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_explains_what_to_do(client, cast):
    client.cookies["openpes_language"] = "en"
    client.force_login(cast.jobseeker_a)
    cast.jobseeker_a.preferred_language = "en"
    cast.jobseeker_a.save()
    response = client.get("/centres/")
    assert response.status_code == 403
    assert "ask your centre manager" in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_hides_the_traceback(settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret internals +85512345678")

    from openpes import urls

    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [path("boom/", boom)], "handler500": urls.handler500})
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body or 'lang="km"' in body
    assert "secret internals" not in body
    assert "Traceback" not in body


@pytest.mark.django_db
def test_health_reports_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
