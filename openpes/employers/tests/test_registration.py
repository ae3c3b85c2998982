"""Employer self-registration at /employers/register/: one form for the account and the business."""

import pytest
from django.urls import reverse

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.models import AuditEvent
from openpes.employers.enums import EmployerEventKind, MemberRole, Verification
from openpes.employers.models import Employer, EmployerEvent
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory, employer_form_data
from openpes.geography.models import District

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "full_name": "Chan Dara",
    "login_phone": "012 345 678",
    "login_email": "",
    "password1": "a-long-pass-phrase",
    "password2": "a-long-pass-phrase",
}


@pytest.fixture
def register(client, reference, cast):
    client.cookies["openpes_language"] = "en"

    def post(**overrides):
        return client.post(reverse("employers:register"), {**employer_form_data(), **ACCOUNT, **overrides})

    return post


def test_the_registration_page_is_public(client, reference):
    response = client.get(reverse("employers:register"))
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()


def test_a_business_registers_with_a_phone_number_and_waits_for_verification(client, register):
    response = register()
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:home")
    user = User.objects.get(phone="+85512345678")
    assert user.role == Role.EMPLOYER
    assert user.email is None
    employer = Employer.objects.get()
    assert employer.verification == Verification.PENDING
    assert employer.owner_centre.code == "jc-15"  # the provincial centre where the business is
    assert employer.members.get().user == user
    assert employer.members.get().role == MemberRole.OWNER
    assert employer.phone == "+85512888999"
    assert employer.declared_staff == 250
    assert EmployerEvent.objects.filter(employer=employer, kind=EmployerEventKind.REGISTERED).count() == 1
    assert AuditEvent.objects.filter(object_type="employers.employer", object_id=str(employer.pk), action="create")
    # Signed in, and the home page says what happens next.
    home = client.get(reverse("employers:home"))
    assert home.wsgi_request.user == user
    text = home.content.decode()
    assert "waiting for verification" in text
    assert "What happens next" in text


def test_the_front_page_of_an_employer_user_is_their_business_home(client, register):
    register()
    text = client.get("/").content.decode()
    assert "Pursat Garments" in text
    assert "waiting for verification" in text


def test_a_business_can_give_only_an_english_name_and_an_e_mail_address(register):
    assert register(name_km="", login_phone="", login_email="Dara@Example.org").status_code == 302
    assert User.objects.get(email="dara@example.org").phone is None
    assert Employer.objects.get().name_en == "Pursat Garments Co., Ltd."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_km": "", "name_en": ""}, "Enter the business name in Khmer or in English."),
        ({"declared_staff": "10", "declared_staff_with_disabilities": "11"}, "cannot be more than the total staff"),
        ({"declared_staff": "", "declared_staff_with_disabilities": "2"}, "Enter the total number of staff too."),
        ({"login_phone": "", "login_email": ""}, "Enter a phone number or an e-mail address to sign in with."),
        ({"login_phone": "12ab"}, "Enter a valid phone number"),
        ({"password2": "something-else-entirely"}, "The two passwords are different."),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"sector": "999999"}, "Select a valid choice"),
        ({"size_band": "huge"}, "Select a valid choice"),
        ({"website": "not a website"}, "Enter a valid URL."),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(register, overrides, message):
    users = User.objects.count()
    response = register(**overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == users
    assert not Employer.objects.exists()


def test_a_district_of_another_province_is_refused(register):
    battambang_district = District.objects.filter(province__code="02").first()
    response = register(district=battambang_district.pk)
    assert response.status_code == 200
    assert "is not in" in response.content.decode()
    assert not Employer.objects.exists()


def test_a_phone_number_that_already_has_an_account_is_refused(register):
    User.objects.create_user(phone="+85512345678", password="x-long-pass-phrase")
    response = register()
    assert "An account already uses this phone number" in response.content.decode()
    assert not Employer.objects.exists()
    assert User.objects.filter(phone="+85512345678").count() == 1


def test_the_errors_are_in_khmer_for_a_khmer_visitor(client, reference, cast):
    client.cookies["openpes_language"] = "km"
    response = client.post(reverse("employers:register"), {**employer_form_data(), **ACCOUNT, "login_phone": "12ab"})
    assert response.status_code == 200
    assert "សូមបញ្ចូលលេខទូរស័ព្ទឱ្យបានត្រឹមត្រូវ" in response.content.decode()


def test_registrations_are_rate_limited_per_connection(client, register, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    assert register().status_code == 302
    client.logout()
    assert register(login_phone="012 345 679").status_code == 302
    client.logout()
    client.cookies["openpes_language"] = "en"  # logging out clears the test client's cookies
    response = register(login_phone="012 345 670")
    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()
    assert Employer.objects.count() == 2


def test_a_signed_in_employer_user_without_a_business_registers_one(client, reference, cast):
    client.force_login(cast.employer_a)
    page = client.get(reverse("employers:register"))
    assert 'name="password1"' not in page.content.decode()
    response = client.post(reverse("employers:register"), employer_form_data())
    assert response.status_code == 302
    employer = Employer.objects.get()
    assert employer.members.get().user == cast.employer_a
    assert employer.created_by == cast.employer_a


def test_staff_are_sent_to_the_staff_form_and_jobseekers_are_refused(client, reference, cast):
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("employers:register"))["Location"] == reverse("employers:new")
    client.force_login(cast.jobseeker_a)
    assert client.get(reverse("employers:register")).status_code == 403


def test_a_refused_employer_sees_the_reason_on_its_home(client, reference, cast):
    employer = EmployerFactory(
        verification=Verification.REFUSED, refusal_reason="registration_not_found", refusal_note="Please send a copy."
    )
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    client.force_login(cast.employer_a)
    text = client.get(reverse("employers:home")).content.decode()
    assert "Your registration was refused." in text
    assert "Business registration number not found" in text
    assert "Please send a copy." in text
    assert "Post a vacancy" not in text


def test_a_verified_employer_home_lists_its_vacancies_with_their_states(client, reference, cast):
    from openpes.vacancies.tests.factories import VacancyFactory

    employer = EmployerFactory()
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    VacancyFactory(employer=employer, title="Sewing line leader")
    VacancyFactory(employer=employer, title="Cutter", draft=True)
    VacancyFactory(title="Someone else's job")
    client.force_login(cast.employer_a)
    text = client.get(reverse("employers:home")).content.decode()
    assert "Sewing line leader" in text and "Published" in text
    assert "Cutter" in text and "Draft" in text
    assert "Someone else" not in text


def test_the_employer_home_is_only_for_employer_users(client, reference, cast):
    client.force_login(cast.jobseeker_a)
    assert client.get(reverse("employers:home")).status_code == 403
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("employers:home")).status_code == 403
