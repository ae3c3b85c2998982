import pytest
from django.urls import reverse

from openpes.accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_the_public_home_page_is_khmer_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="km">' in response.content.decode()


@pytest.mark.django_db
def test_switching_language_sets_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Find work. Find workers." in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_users_language_is_remembered_on_the_account(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "km", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "km"
    # On another device (a fresh browser with an English cookie) the account's language wins.
    other = client.__class__()
    other.cookies["openpes_language"] = "en"
    other.force_login(user)
    assert '<html lang="km">' in other.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_to_redirect_off_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"}, follow=True)
    assert '<html lang="km">' in response.content.decode()
