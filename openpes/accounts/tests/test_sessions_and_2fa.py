import pytest
import time_machine
from django.urls import reverse

from openpes.accounts.tests.factories import PASSWORD, UserFactory
from openpes.conftest import enrol_totp, totp_code


@pytest.mark.django_db
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, cast):
    newcomer = UserFactory(counsellor=True, centre=cast.pursat)
    client.force_login(newcomer)
    response = client.get(reverse("centres:detail", args=[cast.pursat.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_jobseekers_do_not_need_a_second_factor(client, cast):
    client.force_login(cast.jobseeker_a)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_staff_sign_in_asks_for_the_totp_code_and_accepts_it_once(client, reference, cast):
    user = UserFactory(counsellor=True, centre=cast.pursat, email="sophea@nea.example")
    secret = enrol_totp(user)
    response = client.post(reverse("account_login"), {"login": "sophea@nea.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get("/").wsgi_request.user.is_authenticated
    code = totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user
    # The same code cannot be used again (S6: single use).
    client.logout()
    client.post(reverse("account_login"), {"login": "sophea@nea.example", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert not client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_staff_session_ends_after_thirty_idle_minutes(client, cast):
    with time_machine.travel("2026-11-30 09:00 +0700", tick=False) as clock:
        client.force_login(cast.counsellor_pursat)
        assert client.get("/").wsgi_request.user.is_authenticated
        clock.shift(29 * 60)
        assert client.get("/").wsgi_request.user.is_authenticated
        clock.shift(31 * 60)
        response = client.get("/")
        assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_staff_session_ends_after_twelve_hours_even_when_busy(client, cast):
    with time_machine.travel("2026-11-30 07:00 +0700", tick=False) as clock:
        client.force_login(cast.counsellor_pursat)
        for _ in range(25):  # busy all day: a request every 29 minutes
            clock.shift(29 * 60)
            last = client.get("/")
        assert not last.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_jobseeker_session_survives_an_idle_hour(client, cast):
    with time_machine.travel("2026-11-30 09:00 +0700", tick=False) as clock:
        client.force_login(cast.jobseeker_a)
        clock.shift(3600)
        assert client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_sign_out_ends_the_session_on_the_server(client, cast):
    client.force_login(cast.jobseeker_a)
    session_key = client.session.session_key
    client.post(reverse("account_logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_session(client, cast):
    client.force_login(cast.counsellor_pursat)
    cast.counsellor_pursat.is_active = False
    cast.counsellor_pursat.save()
    assert not client.get("/").wsgi_request.user.is_authenticated
