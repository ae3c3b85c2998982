"""S13: the export holds everything the service keeps about the person, and nothing about anyone else."""

from __future__ import annotations

import json

import pytest
from django.apps import apps

from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.privacy.actions import anonymise_person
from openpes.privacy.export import FORMAT, export_person
from openpes.privacy.tests.conftest import ACCOUNT_EMAIL, NAME_LATIN, NATIONAL_ID, PHONE

pytestmark = pytest.mark.django_db

# Every model that points at a jobseeker (directly or through a case or placement) and how the export and
# anonymisation treat it. A new model pointing at a jobseeker fails the test below until it is added here —
# and to export.py and actions.py.
COVERED = {
    "jobseekers.workexperience": "work_experience",
    "jobseekers.jobseekerskill": "skills",
    "jobseekers.languageskill": "languages",
    "jobseekers.desiredoccupation": "desired_occupations",
    "jobseekers.wgssanswers": "wgss",
    "jobseekers.accommodationneed": "accommodation_needs",
    "jobseekers.consent": "consents",
    "jobseekers.document": "documents",
    "jobseekers.jobseekerevent": "events",
    "jobseekers.jobseeker": "merged_records",  # merged_into
    "jobseekers.duplicatedismissal": None,  # a pair of record ids, no personal data
    "applications.application": "applications",
    "applications.placement": "placements",
    "cases.case": "cases",
    "matching.matchdismissal": "dismissed_suggestions",
    "matching.recommendation": "recommendations_shown",
    "matching.invitation": "invitations",
    "privacy.anonymisation": None,
}


def test_every_model_that_points_at_a_jobseeker_is_covered():
    pointing = {
        model._meta.label_lower
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is JobSeeker
    }
    assert pointing <= set(COVERED), f"not covered by the export and anonymisation: {pointing - set(COVERED)}"


def test_the_export_holds_every_part_of_the_record(person):
    data = export_person(person.jobseeker)
    assert data["format"] == FORMAT
    assert data["profile"]["name_latin"] == NAME_LATIN
    assert data["profile"]["national_id"] == NATIONAL_ID
    assert data["profile"]["phone"] == PHONE
    assert data["account"]["email"] == ACCOUNT_EMAIL
    assert data["account"]["email_addresses"][0]["email"] == ACCOUNT_EMAIL
    assert data["work_experience"][0]["employer_name"] == "Qintarou Garment Factory"
    assert data["work_experience"][0]["isco_group"]["label"].startswith("8153")
    assert data["desired_occupations"] and data["languages"] and data["accommodation_needs"]
    assert data["wgss"]["walking"] == 3
    assert [c["purpose"] for c in data["consents"]] == ["contact_sms"]
    assert data["documents"][0]["original_name"] == "Zorvexa-Qintarou-CV.pdf"
    assert "file" not in data["documents"][0]
    assert data["events"]
    assert data["merged_records"][0]["profile"]["name_latin"] == "Zorvexa Q."
    assert data["applications"][0]["note"].startswith("Zorvexa is punctual")
    assert [e["to_status"] for e in data["applications"][0]["events"]][-1] == "hired"
    assert data["placements"][0]["monthly_wage"] == 250
    case = data["cases"][0]
    assert case["intake"]["goals"].startswith("Zorvexa wants")
    assert case["notes"][0]["text"].startswith("Zorvexa Qintarou")
    assert case["plans"][0]["barriers"][0]["description"] == "Zorvexa cannot read well"
    assert case["plans"][0]["objectives"][0]["actions"][0]["text"].startswith("Call Zorvexa")
    assert case["appointments"][0]["purpose"] == "Meet Zorvexa"
    assert case["service_referrals"][0]["note"] == "Please help Zorvexa"
    assert any(f["notes"] == "Zorvexa is happy at work" for f in case["follow_ups"])
    assert case["transfers"][0]["reason"] == "Qintarou moved"
    assert case["events"]
    assert [m["body"] for m in data["messages"]] == ["Dear Zorvexa, your appointment is tomorrow"]


def test_the_export_is_json_and_names_staff_by_id_only(person, cast):
    text = json.dumps(export_person(person.jobseeker), ensure_ascii=False)
    assert cast.counsellor_pursat.full_name not in text
    assert str(cast.counsellor_pursat.pk) in text


def test_the_export_leaves_out_other_people(person):
    other = JobSeekerFactory(name_latin="Another Person", phone="+85511000111")
    text = json.dumps(export_person(person.jobseeker), ensure_ascii=False)
    assert "Another Person" not in text
    assert "+85511000111" not in text
    assert other.pk != person.jobseeker.pk


def test_the_export_of_an_anonymised_record_holds_no_names(person, cast):
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    text = json.dumps(export_person(JobSeeker.objects.get(pk=person.jobseeker.pk)), ensure_ascii=False)
    assert "Zorvexa" not in text
    assert NATIONAL_ID not in text
