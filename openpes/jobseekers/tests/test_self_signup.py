"""Self-registration on allauth's sign-up page: one form creates the account and the jobseeker record."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, RegistrationChannel
from openpes.jobseekers.models import JobSeeker

pytestmark = pytest.mark.django_db


def _payload(**changes):
    data = {
        "name_km": "សុខ ស្រីមុំ",
        "name_latin": "Sok Sreymom",
        "sex": "F",
        "date_of_birth": "1998-04-13",
        "province": "",
        "phone": "012 345 678",
        "email": "",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
        "consent": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def pursat(cast):
    return cast.pursat.province


def _signup(client, where, **changes):
    return client.post(reverse("account_signup"), _payload(**{"province": where.pk, **changes}))


def test_signing_up_with_a_phone_creates_the_account_the_record_the_consent_the_event_and_the_audit_row(
    en, cast, pursat
):
    response = _signup(en, pursat)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(phone="+85512345678")
    assert user.role == Role.JOBSEEKER
    assert user.full_name == "Sok Sreymom"
    jobseeker = JobSeeker.objects.get(user=user)
    assert jobseeker.channel == RegistrationChannel.SELF
    assert jobseeker.phone == "+85512345678"
    assert jobseeker.email == ""
    assert jobseeker.name_km == "សុខ ស្រីមុំ"
    assert jobseeker.date_of_birth == datetime.date(1998, 4, 13)
    assert jobseeker.owner_centre == cast.pursat
    consent = jobseeker.consents.get()
    assert (consent.purpose, consent.given, consent.method, consent.on_behalf) == (
        ConsentPurpose.REGISTRATION,
        True,
        ConsentMethod.ONLINE,
        False,
    )
    assert list(jobseeker.events.values_list("kind", flat=True)) == [EventKind.REGISTERED]
    audit = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="jobseekers.jobseeker")
    assert audit.actor_id == user.pk
    assert audit.subject_id == str(jobseeker.pk)


def test_the_e_mail_address_is_copied_to_the_record(en, cast, pursat):
    assert _signup(en, pursat, phone="", email="Sreymom@Example.org").status_code == 302
    assert JobSeeker.objects.get().email == "sreymom@example.org"


def test_a_name_in_only_one_script_is_enough(en, cast, pursat):
    assert _signup(en, pursat, name_km="").status_code == 302
    assert JobSeeker.objects.get().name_latin == "Sok Sreymom"


def test_after_sign_up_the_home_page_shows_how_complete_the_profile_is_and_what_to_do_next(en, cast, pursat):
    _signup(en, pursat)
    page = en.get("/").content.decode()
    assert "Your profile is 11% complete." in page
    assert reverse("jobseekers:my_section", args=["occupations"]) in page
    assert reverse("jobseekers:my_profile") in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_km": "", "name_latin": ""}, "name_km", "Enter the name in Khmer script, in Latin letters, or both."),
        ({"name_km": "Sok Sreymom"}, "name_km", "Write this name in Khmer script only."),
        ({"name_latin": "សុខ"}, "name_latin", "Write this name in Latin letters only"),
        ({"name_latin": "Sok 123"}, "name_latin", "Write this name in Latin letters only"),
        ({"name_latin": "<script>"}, "name_latin", "Write this name in Latin letters only"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "The date of birth cannot be in the future."),
        ({"date_of_birth": "not a date"}, "date_of_birth", "Enter the date of birth as day, month and year."),
        ({"date_of_birth": ""}, "date_of_birth", "This field is required."),
        ({"sex": "Z"}, "sex", "Select a valid choice."),
        ({"province": "9999"}, "province", "Select a valid choice."),
        ({"consent": ""}, "consent", "Tick the box to agree"),
        ({"phone": "", "email": ""}, None, "Enter a phone number or an e-mail address."),
        ({"name_latin": "x" * 151}, "name_latin", "Ensure this value has at most 150 characters"),
    ],
)
def test_bad_sign_up_input_gets_a_clear_error_and_saves_nothing(en, cast, pursat, changes, field, message):
    users = User.objects.count()
    response = _signup(en, pursat, **changes)

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in error for error in errors), form.errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert User.objects.count() == users
    assert not JobSeeker.objects.exists()
    assert not AuditEvent.objects.exists()


def test_people_younger_than_15_or_older_than_80_are_refused(en, cast, pursat):
    users = User.objects.count()
    today = timezone.localdate()
    too_young = today.replace(year=today.year - 14)
    too_old = datetime.date(today.year - 82, 1, 1)
    young = _signup(en, pursat, date_of_birth=too_young.isoformat())
    assert "at least 15 years old" in young.content.decode()
    old = _signup(en, pursat, date_of_birth=too_old.isoformat())
    assert "more than 80 years old" in old.content.decode()
    assert User.objects.count() == users
    assert not JobSeeker.objects.exists()


def test_the_age_limits_are_inclusive(en, cast, pursat):
    today = timezone.localdate()
    fifteen_today = datetime.date(today.year - 15, today.month, min(today.day, 28))
    assert _signup(en, pursat, date_of_birth=fifteen_today.isoformat()).status_code == 302


def test_errors_are_in_khmer_for_a_khmer_page(client, cast, pursat):
    client.cookies["openpes_language"] = "km"
    response = _signup(client, pursat, phone="12ab")
    assert "សូមបញ្ចូលលេខទូរស័ព្ទឱ្យបានត្រឹមត្រូវ" in response.content.decode()
    assert not JobSeeker.objects.exists()


def test_the_sign_up_page_asks_for_the_minimum_with_a_plain_date_input(en, cast):
    page = en.get(reverse("account_signup")).content.decode()
    for name in ("name_km", "name_latin", "sex", "date_of_birth", "province", "phone", "email", "consent"):
        assert f'name="{name}"' in page, name
    assert 'type="date"' in page
    assert "national_id" not in page
