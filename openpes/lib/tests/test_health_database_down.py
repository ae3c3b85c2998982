"""R4: while the database is down a request gets 503 "try again" (page or JSON), never a 500 "bug"."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, OperationalError
from django.test import Client
from django.urls import path

from openpes import urls


@login_not_required
def down(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@login_not_required
def api_down(request):
    raise OperationalError("terminating connection due to administrator command")


@login_not_required
def bug(request):
    raise IntegrityError("duplicate key value violates unique constraint")


class Urls:
    urlpatterns = [path("down/", down), path("api/v1/down", api_down), path("bug/", bug)]
    handler500 = urls.handler500


@pytest.fixture
def broken(settings):
    settings.ROOT_URLCONF = Urls
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_page_gets_503_with_retry_after_in_the_visitors_language(broken):
    broken.cookies["openpes_language"] = "en"
    response = broken.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Back in a moment" in body
    assert "Connection refused" not in body
    broken.cookies["openpes_language"] = "km"
    assert 'lang="km"' in broken.get("/down/").content.decode()


@pytest.mark.django_db
def test_an_api_call_gets_503_json(broken):
    response = broken.get("/api/v1/down", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response.json() == {"detail": "The service is briefly unavailable. Try again in a minute."}


@pytest.mark.django_db
def test_a_bug_in_a_query_is_still_a_500(broken):
    assert broken.get("/bug/").status_code == 500


@pytest.mark.django_db
def test_a_database_error_raised_before_the_view_also_gives_503(client, cast):
    """Loading the session happens in middleware, before any view: the error handler decides the same way."""
    client.force_login(cast.counsellor_pursat)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("server closed")
    ):
        response = client.get("/jobseekers/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_health_says_down_when_the_database_does_not_answer(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("refused")):
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
