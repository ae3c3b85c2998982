"""A counsellor registers a walk-in person (maybe without a phone), after a check for duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, RegistrationChannel
from openpes.jobseekers.models import DuplicateDismissal, JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

URL = "/jobseekers/new/"


def test_the_url_name_is_jobseekers_register():
    assert reverse("jobseekers:register") == URL


def _data(cast, **changes):
    data = {
        "name_km": "ចាន់ ដារា",
        "name_latin": "Chan Dara",
        "sex": "M",
        "date_of_birth": "1992-07-15",
        "national_id": "",
        "province": cast.pursat.province_id,
        "phone": "",
        "channel": "mobile",
        "consent_method": "paper",
        "consent": "on",
    }
    data.update(changes)
    return data


def test_a_counsellor_registers_a_person_without_a_phone_for_their_own_centre(en, cast):
    en.force_login(cast.counsellor_pursat_van)

    response = en.post(URL, _data(cast))

    jobseeker = JobSeeker.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobseekers:detail", args=[jobseeker.pk])
    assert jobseeker.owner_centre == cast.pursat_van
    assert jobseeker.registered_by == cast.counsellor_pursat_van
    assert (jobseeker.user, jobseeker.phone, jobseeker.channel) == (None, "", RegistrationChannel.MOBILE)
    consent = jobseeker.consents.get()
    assert (consent.purpose, consent.method, consent.on_behalf, consent.recorded_by) == (
        ConsentPurpose.REGISTRATION,
        ConsentMethod.PAPER,
        True,
        cast.counsellor_pursat_van,
    )
    assert jobseeker.events.get().kind == EventKind.REGISTERED
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, subject_id=str(jobseeker.pk)).exists()


def test_the_form_starts_with_the_counsellor_s_province_and_channel(en, cast):
    en.force_login(cast.counsellor_pursat_van)
    form = en.get(URL).context["form"]
    assert form["province"].value() == cast.pursat_van.province_id
    assert form["channel"].value() == RegistrationChannel.MOBILE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name_km": "", "name_latin": ""}, "Enter the name in Khmer script, in Latin letters, or both."),
        ({"name_km": "Chan"}, "Write this name in Khmer script only."),
        ({"date_of_birth": "2999-12-31"}, "The date of birth cannot be in the future."),
        ({"phone": "123"}, "Enter a valid phone number"),
        ({"national_id": "ABC"}, "Enter the ID card number: 9 to 12 digits."),
        ({"channel": "self"}, "Select a valid choice."),
        ({"consent_method": "online"}, "Select a valid choice."),
        ({"consent": ""}, "Register the person only after they agree: tick the box."),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(en, cast, changes, message):
    en.force_login(cast.counsellor_pursat)
    response = en.post(URL, _data(cast, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JobSeeker.objects.exists()


@pytest.mark.parametrize("who", ["national", "admin", "trainer", "jobseeker_a", "employer_a"])
def test_only_counsellors_and_managers_register(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data(cast)).status_code == 403
    assert not JobSeeker.objects.exists()


def test_a_possible_duplicate_is_shown_masked_with_reasons_and_nothing_is_saved_yet(en, cast):
    existing = JobSeekerFactory(name_km="", name_latin="Sok Sreymom", date_of_birth="1995-03-02", phone="+85512345678",
                                national_id="010123456")  # fmt: skip
    en.force_login(cast.counsellor_pursat)

    response = en.post(
        URL, _data(cast, name_km="", name_latin="Sreymom Sokh", date_of_birth="1995-03-02", phone="012 345 678")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert JobSeeker.objects.count() == 1
    assert "Possible duplicates" in page
    assert "Same phone number" in page
    assert "Similar name and the same date of birth" in page
    assert reverse("jobseekers:detail", args=[existing.pk]) in page  # the counsellor may open it
    assert "••••••456" in page and "010123456" not in page
    assert "•••••••••678" in page
    assert "This is a different person: register" in page
    assert f'name="seen" value="{existing.pk}"' in page
    audit = AuditEvent.objects.get(action=AuditAction.LIST)
    assert audit.detail == {"possible_duplicates": [existing.pk]}


def test_a_duplicate_in_another_centre_is_shown_without_name_or_link(en, cast):
    existing = JobSeekerFactory(name_km="", name_latin="Keo Bopha", national_id="010123456", province_code="02",
                                owner_centre=cast.battambang)  # fmt: skip
    en.force_login(cast.counsellor_pursat)
    page = en.post(URL, _data(cast, national_id="010123456")).content.decode()
    assert "Same national ID number" in page
    assert f"A record at {cast.battambang.name_en}" in page
    assert reverse("jobseekers:detail", args=[existing.pk]) not in page
    assert "Keo Bopha" not in page


def test_confirming_a_different_person_saves_the_record_and_the_dismissals(en, cast):
    existing = JobSeekerFactory(name_km="", name_latin="Sok Sreymom", date_of_birth="1995-03-02")
    en.force_login(cast.counsellor_pursat)
    data = _data(cast, name_km="", name_latin="Sreymom Sok", date_of_birth="1995-03-02", sex="F")

    response = en.post(URL, {**data, "confirm_different": "1", "seen": str(existing.pk)})

    assert response.status_code == 302
    new = JobSeeker.objects.exclude(pk=existing.pk).get()
    low, high = sorted([existing.pk, new.pk])
    assert DuplicateDismissal.objects.filter(first_id=low, second_id=high, by=cast.counsellor_pursat).exists()
    assert (
        new.events.filter(kind=EventKind.DUPLICATE_DISMISSED).exists()
        or existing.events.filter(kind=EventKind.DUPLICATE_DISMISSED).exists()
    )


def test_confirming_without_having_seen_every_candidate_shows_them_again(en, cast):
    first = JobSeekerFactory(name_latin="Sok Sreymom", phone="+85512345678")
    second = JobSeekerFactory(name_latin="Sok Sreymom", phone="+85597765432")
    en.force_login(cast.counsellor_pursat)
    data = _data(cast, phone="012 345 678", national_id="")
    JobSeeker.objects.filter(pk=second.pk).update(national_id="099999999")

    response = en.post(URL, {**data, "national_id": "099999999", "confirm_different": "1", "seen": str(first.pk)})

    assert response.status_code == 200
    assert "Possible duplicates" in response.content.decode()
    assert JobSeeker.objects.count() == 2
    assert not DuplicateDismissal.objects.exists()
