"""Certificates: issued once, downloaded by the person and coordinators (audited), verified publicly."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from openpes.accounts.tests.factories import UserFactory
from openpes.audit.models import AuditEvent
from openpes.training.actions.certificates import (
    CODE_ALPHABET,
    issue_certificates,
    new_code,
    normalise_code,
    revoke_certificate,
)
from openpes.training.models import Certificate, Registration
from openpes.training.tests.factories import CourseFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_issuing_is_idempotent_and_keeps_the_order_of_people(cast):
    course = CourseFactory()
    people = [cast.counsellor_pursat, cast.counsellor_battambang]
    first = issue_certificates(actor=cast.coordinator, kind="achievement", people=people, course=course)
    again = issue_certificates(actor=cast.coordinator, kind="achievement", people=people[::-1], course=course)
    assert [c.person for c in first] == people
    assert [c.pk for c in again] == [first[1].pk, first[0].pk]
    assert Certificate.objects.count() == 2
    assert first[0].issued_by == cast.coordinator
    assert AuditEvent.objects.filter(action="create", object_type="training.certificate").count() == 2
    with pytest.raises(ValueError):
        issue_certificates(actor=None, kind="achievement", people=people, course=course, event=EventFactory())
    with pytest.raises(ValueError):
        issue_certificates(actor=None, kind="gold-star", people=people, course=course)


def test_codes_are_readable_and_typed_codes_are_normalised():
    code = new_code()
    assert len(code) == 14 and code.count("-") == 2
    assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    assert normalise_code(" " + code.lower().replace("-", " ") + " ") == code


def test_the_person_and_coordinators_download_the_pdf_others_get_404_and_each_download_is_audited(client, cast):
    course = CourseFactory()
    [certificate] = issue_certificates(actor=None, kind="achievement", people=[cast.counsellor_pursat], course=course)
    url = reverse("training:certificate_download", args=[certificate.pk])

    for outsider in (cast.counsellor_battambang, cast.manager_pursat, cast.trainer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(cast.jobseeker_a)
    assert client.get(url).status_code == 403

    client.force_login(cast.counsellor_pursat)
    response = client.get(url + "?language=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{certificate.code}-en.pdf"'
    client.force_login(cast.coordinator)
    assert client.get(url + "?language=km").status_code == 200
    downloads = AuditEvent.objects.filter(action="download", object_type="training.certificate")
    assert downloads.count() == 2
    assert set(downloads.values_list("subject_id", flat=True)) == {str(cast.counsellor_pursat.pk)}


def test_the_public_verification_page_shows_only_name_title_and_date(client, cast):
    person: Any = UserFactory(counsellor=True, centre=cast.pursat, full_name="Keo Sreypich", phone="+85512345678")
    course = CourseFactory(title_en="Client-centred employment services")
    [certificate] = issue_certificates(actor=None, kind="achievement", people=[person], course=course)
    client.cookies["openpes_language"] = "en"
    response = client.get(reverse("training:verify_certificate", args=[certificate.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valid certificate" in body and "Keo Sreypich" in body and "Client-centred employment services" in body
    for private in (person.email, "+85512345678", "12345678", cast.pursat.code):
        assert private not in body
    # A code typed by hand from the paper finds it too.
    typed = client.get(reverse("training:verify") + "?code=" + certificate.code.lower().replace("-", " "))
    assert typed["Location"] == reverse("training:verify_certificate", args=[certificate.code])

    revoke_certificate(actor=cast.coordinator, certificate=certificate)
    revoked = client.get(reverse("training:verify_certificate", args=[certificate.code])).content.decode()
    assert "This certificate has been revoked" in revoked and "Valid certificate" not in revoked

    unknown = client.get(reverse("training:verify_certificate", args=["AAAA-BBBB-CCCC"]))
    assert unknown.status_code == 404 and "No certificate has this code" in unknown.content.decode()


def test_verification_works_in_khmer_without_signing_in(client, cast):
    [certificate] = issue_certificates(
        actor=None, kind="participation", people=[cast.counsellor_pursat], event=EventFactory()
    )
    response = client.get(reverse("training:verify_certificate", args=[certificate.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="km"' in body and "វគ្គបណ្តុះបណ្តាលគ្រូបង្គោល ភ្នំពេញ" in body


def test_coordinators_download_a_course_s_certificates_as_one_zip(client, cast):
    course = CourseFactory()
    people: list[Any] = [UserFactory(counsellor=True, centre=cast.pursat) for _ in range(3)]
    certificates = issue_certificates(actor=None, kind="achievement", people=people, course=course)
    revoke_certificate(actor=cast.coordinator, certificate=certificates[2])
    url = reverse("training:course_certificates_zip", args=[course.pk])
    client.force_login(cast.counsellor_pursat)
    assert client.get(url).status_code == 403
    client.force_login(cast.coordinator)
    response = client.get(url + "?language=km")
    assert response["Content-Type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert names == sorted(f"certificate-{c.code}-km.pdf" for c in certificates[:2])
    assert AuditEvent.objects.filter(action="export", object_type="training.certificate", count=2).exists()


def test_an_event_s_trainer_downloads_its_certificates_but_not_another_event_s(client, cast):
    event, other = EventFactory(), EventFactory()
    event.facilitators.add(cast.trainer)
    Registration.objects.create(event=event, participant=cast.counsellor_pursat)
    [certificate] = issue_certificates(
        actor=cast.trainer, kind="participation", people=[cast.counsellor_pursat], event=event
    )
    client.force_login(cast.trainer)
    response = client.get(reverse("training:event_certificates_zip", args=[event.pk]) + "?language=km")
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist() == [f"certificate-{certificate.code}-km.pdf"]
    assert client.get(reverse("training:event_certificates_zip", args=[other.pk])).status_code == 404
    assert client.get(reverse("training:certificate_download", args=[certificate.pk])).status_code == 200


def test_the_training_home_lists_my_certificates_and_events(client, cast):
    event = EventFactory(title_en="ToT Phnom Penh")
    Registration.objects.create(event=event, participant=cast.counsellor_pursat)
    course = CourseFactory(title_en="Client-centred employment services")
    issue_certificates(actor=None, kind="achievement", people=[cast.counsellor_pursat], course=course)
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("training:home")).content.decode()
    assert "ToT Phnom Penh" in page and "Client-centred employment services" in page
    assert reverse("training:event_detail", args=[event.pk]) in page
    assert "Create a course" not in page
    client.force_login(cast.coordinator)
    assert "Create a course" in client.get(reverse("training:home")).content.decode()
