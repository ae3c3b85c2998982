"""Possible duplicates on the staff record: found by phone, ID or a similar name with the same birth date;
merged (history moves to the record kept) or confirmed as different people."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from openpes.applications.tests.factories import ApplicationFactory
from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers import actions
from openpes.jobseekers.duplicates import find_possible_duplicates
from openpes.jobseekers.enums import DeregistrationReason, EventKind, JobSeekerStatus
from openpes.jobseekers.models import DuplicateDismissal, JobSeeker, WorkExperience
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1995, 3, 2)


def _reasons(record):
    return {
        other.pk: reasons
        for other, reasons in find_possible_duplicates(
            name_km=record.name_km,
            name_latin=record.name_latin,
            date_of_birth=record.date_of_birth,
            national_id=record.national_id,
            phones=[record.phone, record.phone_alt],
            exclude_pk=record.pk,
        )
    }


def test_detection_finds_the_same_phone_the_same_id_and_a_respelled_name_with_the_same_birth_date(cast):
    base = JobSeekerFactory(name_km="", name_latin="Sok Sreymom", date_of_birth=BORN, phone="+85512345678",
                            national_id="010123456")  # fmt: skip
    same_phone = JobSeekerFactory(name_km="", name_latin="Keo Bopha", phone="+85512345678")
    same_id = JobSeekerFactory(name_km="", name_latin="Chan Dara", national_id="010123456")
    respelled = JobSeekerFactory(name_km="", name_latin="Sreymom Sokh", date_of_birth=BORN)
    other_birthday = JobSeekerFactory(name_km="", name_latin="Sreymom Sokh", date_of_birth=BORN.replace(day=3))
    stranger = JobSeekerFactory(name_km="", name_latin="Mean Vuthy", date_of_birth=BORN)

    found = _reasons(base)

    assert found[same_phone.pk] == ["phone"]
    assert found[same_id.pk] == ["national_id"]
    assert found[respelled.pk] == ["name_and_birth_date"]
    assert other_birthday.pk not in found
    assert stranger.pk not in found


@pytest.fixture
def pair(cast):
    keep = JobSeekerFactory(name_km="", name_latin="Sok Sreymom", date_of_birth=BORN, phone="+85512345678")
    duplicate = JobSeekerFactory(name_km="", name_latin="Sreymom Sokh", date_of_birth=BORN, phone="",
                                 owner_centre=cast.pursat_van, national_id="010123456")  # fmt: skip
    return keep, duplicate


def test_the_staff_record_lists_possible_duplicates_with_merge_and_not_the_same_person(en, cast, pair):
    keep, duplicate = pair
    en.force_login(cast.manager_pursat)

    page = en.get(reverse("jobseekers:detail", args=[keep.pk])).content.decode()

    assert "Possible duplicates" in page
    assert "Similar name and the same date of birth" in page
    assert reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]) in page
    assert reverse("jobseekers:not_duplicate", args=[keep.pk, duplicate.pk]) in page
    audit = AuditEvent.objects.get(action=AuditAction.LIST)
    assert audit.detail == {"possible_duplicates_of": keep.pk} and audit.count == 1


def test_a_counsellor_sees_a_duplicate_of_another_centre_masked_and_cannot_merge_it(en, cast, pair):
    keep, duplicate = pair
    en.force_login(cast.counsellor_pursat)
    page = en.get(reverse("jobseekers:detail", args=[keep.pk])).content.decode()
    assert f"A record at {cast.pursat_van.name_en}" in page
    assert "Sreymom Sokh" not in page
    assert reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]) not in page
    assert en.get(reverse("jobseekers:merge", args=[keep.pk, duplicate.pk])).status_code == 404
    assert en.post(reverse("jobseekers:not_duplicate", args=[keep.pk, duplicate.pk])).status_code == 404


def test_the_merge_page_compares_the_records_masked_and_asks_which_to_keep(en, cast, pair):
    keep, duplicate = pair
    en.force_login(cast.manager_pursat)
    page = en.get(reverse("jobseekers:merge", args=[keep.pk, duplicate.pk])).content.decode()
    assert "Merge two records" in page
    assert "••••••456" in page and "010123456" not in page
    assert 'name="keep"' in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == 2
    assert JobSeeker.objects.current().count() == 2


def test_merging_moves_applications_and_work_history_and_keeps_the_history(en, cast, pair):
    keep, duplicate = pair
    application = ApplicationFactory(jobseeker=duplicate)
    job = WorkExperience.objects.create(jobseeker=duplicate, title="Sewing machine operator")
    actions.change_status(actor=cast.counsellor_pursat_van, jobseeker=duplicate, status="placed")
    history = duplicate.events.get()
    en.force_login(cast.manager_pursat)

    response = en.post(reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]), {"keep": keep.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("jobseekers:detail", args=[keep.pk])
    application.refresh_from_db()
    job.refresh_from_db()
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert application.jobseeker == keep
    assert job.jobseeker == keep
    assert duplicate.merged_into == keep
    assert (duplicate.status, duplicate.inactive_reason) == (JobSeekerStatus.INACTIVE, DeregistrationReason.DUPLICATE)
    assert keep.national_id == "010123456"  # blanks filled from the duplicate
    assert keep.events.filter(kind=EventKind.MERGED, detail__merged=duplicate.pk).exists()
    history.refresh_from_db()
    assert history.jobseeker == keep  # the duplicate's history moved too
    assert AuditEvent.objects.filter(action=AuditAction.MERGE, subject_id=str(keep.pk)).exists()
    assert en.get(reverse("jobseekers:detail", args=[duplicate.pk])).status_code == 404
    page = en.get(reverse("jobseekers:detail", args=[keep.pk])).content.decode()
    assert "Merged with a duplicate" in page


def test_the_counsellor_may_keep_the_other_record(en, cast, pair):
    keep, duplicate = pair
    en.force_login(cast.manager_pursat)
    en.post(reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]), {"keep": duplicate.pk})
    keep.refresh_from_db()
    assert keep.merged_into_id == duplicate.pk


def test_a_merge_choice_that_is_neither_record_is_refused(en, cast, pair):
    keep, duplicate = pair
    other = JobSeekerFactory()
    en.force_login(cast.manager_pursat)
    response = en.post(reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]), {"keep": other.pk})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert JobSeeker.objects.filter(merged_into__isnull=False).count() == 0


def test_not_the_same_person_is_remembered_and_the_pair_is_no_longer_flagged(en, cast, pair):
    keep, duplicate = pair
    en.force_login(cast.manager_pursat)

    response = en.post(reverse("jobseekers:not_duplicate", args=[keep.pk, duplicate.pk]))

    assert response.status_code == 302
    assert DuplicateDismissal.objects.filter(by=cast.manager_pursat).count() == 1
    page = en.get(reverse("jobseekers:detail", args=[keep.pk])).content.decode()
    assert "Possible duplicates" not in page
    assert "Confirmed not a duplicate" in page


@pytest.mark.parametrize("who", ["national", "admin"])
def test_national_staff_see_duplicates_but_cannot_merge_or_dismiss(en, cast, pair, who):
    keep, duplicate = pair
    en.force_login(getattr(cast, who))
    page = en.get(reverse("jobseekers:detail", args=[keep.pk])).content.decode()
    assert "Possible duplicates" in page
    assert reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]) not in page
    assert en.post(reverse("jobseekers:merge", args=[keep.pk, duplicate.pk]), {"keep": keep.pk}).status_code == 403
    assert en.post(reverse("jobseekers:not_duplicate", args=[keep.pk, duplicate.pk])).status_code == 403
    assert not JobSeeker.objects.filter(merged_into__isnull=False).exists()
    assert not DuplicateDismissal.objects.exists()


def test_merging_needs_post_and_a_record_cannot_be_merged_with_itself(en, cast, pair):
    keep, _duplicate = pair
    en.force_login(cast.manager_pursat)
    assert en.get(reverse("jobseekers:not_duplicate", args=[keep.pk, keep.pk])).status_code == 405
    assert en.get(reverse("jobseekers:merge", args=[keep.pk, keep.pk])).status_code == 404
