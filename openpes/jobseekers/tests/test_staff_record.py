"""The staff view of a jobseeker: the same sections as the person's own profile, editable by counsellors and
managers in scope, read-only for national staff; status changes and the record's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, JobSeekerStatus
from openpes.jobseekers.models import WgssAnswers
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cast):
    return JobSeekerFactory(name_latin="Sok Sreymom", national_id="010123456", phone="+85512345678")


def _detail(person):
    return reverse("jobseekers:detail", args=[person.pk])


def _edit(person, section):
    return reverse("jobseekers:edit_section", args=[person.pk, section])


def test_the_counsellor_sees_the_record_with_edit_links_history_and_a_view_audit_row(en, cast, person):
    en.force_login(cast.counsellor_pursat)

    response = en.get(_detail(person))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>សុខ ស្រីមុំ (Sok Sreymom)</h1>" in page
    assert _edit(person, "personal") in page
    assert _edit(person, "status") in page
    assert "History of the record" in page
    assert "••••••456" in page and "010123456" not in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, subject_id=str(person.pk),
                                     actor_id=cast.counsellor_pursat.pk).count() == 1  # fmt: skip


def test_the_counsellor_edits_a_section_for_the_person(en, cast, person):
    en.force_login(cast.counsellor_pursat)
    assert en.get(_edit(person, "education")).status_code == 200
    response = en.post(_edit(person, "education"), {"education_level": "", "field_of_study": "Tailoring",
                                                    "institution": ""})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == _detail(person) + "#section-education"
    person.refresh_from_db()
    assert person.field_of_study == "Tailoring"
    event = person.events.get(kind=EventKind.PROFILE_UPDATED)
    assert event.actor == cast.counsellor_pursat


def test_a_counsellor_records_consent_given_verbally_on_the_person_s_behalf(en, cast, person):
    en.force_login(cast.counsellor_pursat)
    missing_method = en.post(_edit(person, "consents"), {"contact_sms": "yes"})
    assert "This field is required." in missing_method.content.decode()
    assert not person.consents.exists()

    en.post(_edit(person, "consents"), {"contact_sms": "yes", "method": "verbal"})

    consent = person.consents.get()
    assert (consent.purpose, consent.given, consent.method, consent.on_behalf, consent.recorded_by) == (
        ConsentPurpose.CONTACT_BY_SMS,
        True,
        ConsentMethod.VERBAL,
        True,
        cast.counsellor_pursat,
    )
    page = en.get(_detail(person)).content.decode()
    assert "Counsellor Pursat, on the person's behalf" in page


def test_status_changes_to_inactive_need_a_reason_and_show_in_the_history(en, cast, person):
    en.force_login(cast.counsellor_pursat)
    missing = en.post(_edit(person, "status"), {"status": "inactive", "reason": ""})
    assert "Choose why the person leaves the register." in missing.content.decode()
    person.refresh_from_db()
    assert person.status == JobSeekerStatus.ACTIVE

    assert en.post(_edit(person, "status"), {"status": "inactive", "reason": "found_work"}).status_code == 302

    person.refresh_from_db()
    assert (person.status, person.inactive_reason) == (JobSeekerStatus.INACTIVE, "found_work")
    event = person.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.from_status, event.to_status, event.reason) == ("active", "inactive", "found_work")
    page = en.get(_detail(person)).content.decode()
    assert "Active → Inactive · Found work without the service" in page
    assert "Counsellor Pursat" in page

    en.post(_edit(person, "status"), {"status": "active", "reason": "moved"})
    person.refresh_from_db()
    assert (person.status, person.inactive_reason) == (JobSeekerStatus.ACTIVE, "")


def test_merging_is_not_a_reason_a_counsellor_can_pick_by_hand(en, cast, person):
    en.force_login(cast.counsellor_pursat)
    response = en.post(_edit(person, "status"), {"status": "inactive", "reason": "duplicate"})
    assert "Select a valid choice." in response.content.decode()


def test_the_national_officer_reads_the_record_but_cannot_edit_it(en, cast, person):
    WgssAnswersFactory(jobseeker=person)
    en.force_login(cast.national)

    page = en.get(_detail(person)).content.decode()

    assert "Sok Sreymom" in page
    assert "/edit/" not in page
    assert "WG disability identifier" not in page  # health data: not for national staff (S14)
    assert "Questions about difficulties" not in page
    for section in ("personal", "status", "cv", "wgss"):
        assert en.get(_edit(person, section)).status_code in (403, 404), section
    assert en.post(_edit(person, "education"), {"field_of_study": "Hacking"}).status_code == 403
    person.refresh_from_db()
    assert person.field_of_study == ""


def test_the_counsellor_in_scope_sees_the_wgss_identifier(en, cast, person):
    WgssAnswersFactory(jobseeker=person)
    en.force_login(cast.counsellor_pursat)
    page = en.get(_detail(person)).content.decode()
    assert "WG disability identifier" in page
    assert "for statistics only, never used to decide anything about the person" in page.replace("For", "for")
    answers = {"seeing": "1", "hearing": "1", "walking": "1", "cognition": "1", "self_care": "1", "communication": "1"}
    en.post(_edit(person, "wgss"), answers)
    assert WgssAnswers.objects.get(jobseeker=person).disability is False


def test_the_manager_of_the_province_edits_a_mobile_unit_record(en, cast):
    person = JobSeekerFactory(owner_centre=cast.pursat_van)
    en.force_login(cast.manager_pursat)
    assert en.get(_detail(person)).status_code == 200
    assert en.post(_edit(person, "status"), {"status": "inactive", "reason": "moved"}).status_code == 302


def test_the_person_refer_link_is_offered_to_counsellors_for_active_records(en, cast, person):
    en.force_login(cast.counsellor_pursat)
    assert f"/applications/refer/?jobseeker={person.pk}" in en.get(_detail(person)).content.decode()
