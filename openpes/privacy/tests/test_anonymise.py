"""S13: after anonymisation no name, ID or phone remains anywhere, and the statistics are unchanged."""

from __future__ import annotations

import datetime
import json
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Q

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.models import JobSeeker, JobSeekerEvent
from openpes.jobseekers.search import jobseeker_index
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.privacy.actions import ANONYMOUS_NAME, anonymise_person
from openpes.privacy.models import Anonymisation
from openpes.privacy.tests.conftest import CANARIES

pytestmark = pytest.mark.django_db


def _as_text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def leaks(canaries: list[str]) -> list[tuple[str, str, str]]:
    """(table, canary, value) for every canary found in any column of any table, search index included."""
    found = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None or isinstance(value, int | float):
                        continue
                    text = _as_text(value).casefold()
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else b""
                    for canary in canaries:
                        # FTS5 segments store terms prefix-compressed: look for the tail of the term as well.
                        tail = canary.casefold()[-5:].encode()
                        if canary.casefold() in text or (raw and tail in raw):
                            found.append((table, canary, text[:120]))
    return found


def test_the_canaries_are_found_before_anonymisation(person):
    """The sweep itself works: before anonymisation it finds the person everywhere we put them."""
    tables = {table for table, _, _ in leaks(CANARIES)}
    expected = {
        "jobseekers_jobseeker",
        "jobseekers_jobseeker_fts",
        "accounts_user",
        "account_emailaddress",
        "jobseekers_workexperience",
        "jobseekers_document",
        "applications_application",
        "cases_casenote",
        "cases_intake",
        "cases_shortlist",
        "notifications_outboundmessage",
        "django_admin_log",
        "privacy_idempotencykey",
    }
    assert expected <= tables


def test_no_name_id_or_phone_remains_anywhere_after_anonymisation(person, cast):
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    assert leaks(CANARIES) == []


def test_the_record_keeps_what_the_statistics_need(person, cast):
    jobseeker = person.jobseeker
    before_events = JobSeekerEvent.objects.filter(jobseeker=jobseeker).count()
    anonymise_person(jobseeker=jobseeker, actor=cast.manager_pursat)
    jobseeker.refresh_from_db()
    assert jobseeker.name_latin == ANONYMOUS_NAME
    assert jobseeker.sex == "F"
    assert jobseeker.date_of_birth == datetime.date(1994, 7, 1)
    assert jobseeker.province.code == "15"
    assert jobseeker.education_level is not None
    assert jobseeker.status == "placed"
    assert jobseeker.desired_occupations.count() == 1
    assert jobseeker.placements.count() == 1
    assert JobSeekerEvent.objects.filter(jobseeker=jobseeker).count() == before_events
    assert jobseeker.user is None


def test_the_account_is_deactivated_and_cannot_sign_in(person, cast, client):
    user = person.jobseeker.user
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    user.refresh_from_db()
    assert not user.is_active
    assert user.phone is None
    assert user.full_name == ""
    assert not user.has_usable_password()
    assert user.email.endswith("@openpes.invalid")
    assert not client.login(email="qintarou.account@example.org", password="correct-horse-battery")


def test_files_are_deleted_from_storage_after_commit(person, cast, django_capture_on_commit_callbacks):
    from openpes.cases.models import PlacementEvidence

    storage = person.document.file.storage
    cv_name = person.document.file.name
    evidence_name = PlacementEvidence.objects.get(placement__jobseeker=person.jobseeker).file.name
    assert storage.exists(cv_name) and storage.exists(evidence_name)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    assert not storage.exists(cv_name)
    assert not storage.exists(evidence_name)
    assert not person.jobseeker.documents.exists()


def test_the_merged_duplicate_is_anonymised_too(person, cast):
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    person.duplicate.refresh_from_db()
    assert person.duplicate.name_latin == ANONYMOUS_NAME
    assert person.duplicate.phone == ""
    assert Anonymisation.objects.filter(jobseeker=person.duplicate).exists()


def test_the_person_can_no_longer_be_found_by_search(person, cast):
    queryset = JobSeeker.objects.all()
    assert jobseeker_index.filter(queryset, "Zorvexa").exists()
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    assert not jobseeker_index.filter(queryset, "Zorvexa").exists()
    assert not jobseeker_index.filter(queryset, "012987654").exists()


def test_anonymisation_is_audited_and_audit_rows_keep_no_names(person, cast):
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    row = AuditEvent.objects.get(action=AuditAction.ANONYMISE, subject_id=str(person.jobseeker.pk))
    assert row.actor_id == cast.manager_pursat.pk
    assert row.detail == {"reason": "request"}


def test_anonymising_twice_changes_nothing_more(person, cast):
    anonymise_person(jobseeker=person.jobseeker, actor=cast.manager_pursat)
    first = JobSeeker.objects.filter(pk=person.jobseeker.pk).values().get()
    anonymise_person(jobseeker=JobSeeker.objects.get(pk=person.jobseeker.pk), actor=cast.manager_pursat)
    second = JobSeeker.objects.filter(pk=person.jobseeker.pk).values().get()
    first.pop("updated_at"), second.pop("updated_at")
    assert first == second
    assert Anonymisation.objects.filter(jobseeker=person.jobseeker).count() == 1


def _age_band(birth_year: int) -> str:
    age = 2026 - birth_year
    return "15-24" if age < 25 else "25-34" if age < 35 else "35-54" if age < 55 else "55+"


def aggregates() -> Counter[tuple[object, ...]]:
    rows = JobSeeker.objects.current().values_list(
        "sex", "date_of_birth", "province__code", "status", "education_level_id", "owner_centre_id"
    )
    return Counter((sex, _age_band(born.year), province, status, education, centre)
                   for sex, born, province, status, education, centre in rows)  # fmt: skip


def indicator_events() -> Counter[tuple[object, ...]]:
    return Counter(JobSeekerEvent.objects.values_list("kind", "to_status", "centre_id"))


def test_aggregates_by_sex_age_band_province_and_status_are_unchanged(person, cast):
    from openpes.taxonomy.models import EducationLevel

    levels = list(EducationLevel.objects.order_by("pk")[:3])
    others = [
        JobSeekerFactory(
            sex="M" if n % 2 else "F",
            date_of_birth=datetime.date(1960 + 7 * n, 1 + n % 12, 28),
            province_code=["15", "02", "12"][n % 3],
            education_level=levels[n % 3],
            status=["active", "placed", "inactive"][n % 3],
        )
        for n in range(9)
    ]
    before, before_events = aggregates(), indicator_events()
    for jobseeker in [person.jobseeker, *others[::3]]:
        anonymise_person(jobseeker=jobseeker, actor=cast.manager_pursat)
    assert aggregates() == before
    assert indicator_events() == before_events
    assert JobSeeker.objects.filter(Q(anonymisation__isnull=False)).count() == 1 + 3 + 1  # + the merged duplicate
