import pytest
from django.urls import reverse

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.accounts.tests.factories import PASSWORD, UserFactory
from openpes.centres.tests.factories import JobCentreFactory


@pytest.fixture
def signup_url():
    return reverse("account_signup")


def _signup(client, **data):
    # Sign-up also registers the jobseeker (see jobseekers/tests/test_self_signup.py): it needs the person's
    # details and a job centre serving their province.
    centre = JobCentreFactory(province_code="15", code="jc-15")
    payload = {
        "name_latin": "Sok Sreymom",
        "sex": "F",
        "date_of_birth": "1998-04-13",
        "province": centre.province_id,
        "consent": "on",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
    }
    payload.update(data)
    return client.post(reverse("account_signup"), payload)


@pytest.mark.django_db
def test_a_jobseeker_registers_with_only_a_local_phone_number(client):
    response = _signup(client, phone="012 345 678", email="")
    assert response.status_code == 302
    user = User.objects.get(phone="+85512345678")
    assert user.email is None
    assert user.role == Role.JOBSEEKER
    assert user.full_name == "Sok Sreymom"


@pytest.mark.django_db
def test_two_people_without_e_mail_can_both_register(client):
    assert _signup(client, phone="012 345 678", email="").status_code == 302
    client.logout()
    assert _signup(client, phone="097 765 4321", email="").status_code == 302
    assert User.objects.filter(email__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_jobseeker_registers_with_an_e_mail_address(client):
    assert _signup(client, phone="", email="Sreymom@Example.org").status_code == 302
    assert User.objects.get(email__iexact="sreymom@example.org").phone is None


@pytest.mark.django_db
def test_registration_without_phone_or_e_mail_is_refused_and_saves_nothing(client):
    client.cookies["openpes_language"] = "en"
    response = _signup(client, phone="", email="")
    assert response.status_code == 200
    assert "Enter a phone number or an e-mail address." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_malformed_phone_number_gets_a_clear_error_in_khmer(client):
    client.cookies["openpes_language"] = "km"
    response = _signup(client, phone="12ab", email="")
    assert response.status_code == 200
    assert "សូមបញ្ចូលលេខទូរស័ព្ទឱ្យបានត្រឹមត្រូវ" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_in_with_the_phone_number_in_local_form(client):
    UserFactory(phone_only=True, phone="+85512345678")
    response = client.post(reverse("account_login"), {"login": "012 345 678", "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_sign_in_with_e_mail(client):
    user = UserFactory(email="dara@example.org")
    response = client.post(reverse("account_login"), {"login": "dara@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_wrong_password_and_unknown_account_get_the_same_answer(client):
    client.cookies["openpes_language"] = "en"
    UserFactory(email="dara@example.org")
    wrong = client.post(reverse("account_login"), {"login": "dara@example.org", "password": "nope-nope-nope"})
    unknown = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    assert "not correct" in wrong.content.decode()
    assert "not correct" in unknown.content.decode()


@pytest.mark.django_db
def test_seven_failed_sign_ins_lock_the_account_even_with_the_right_password(client):
    """S5: at most 6 failures per 15 minutes; then even the right password is refused for a while."""
    UserFactory(email="dara@example.org")
    for _ in range(6):
        client.post(reverse("account_login"), {"login": "dara@example.org", "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": "dara@example.org", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_deactivated_user_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = client.post(reverse("account_login"), {"login": "gone@example.org", "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated
