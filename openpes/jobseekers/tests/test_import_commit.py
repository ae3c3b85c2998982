"""Import, saving: every accepted row in one transaction (or none), with events, consents, one audit row and
the search index."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, JobSeekerStatus
from openpes.jobseekers.importing import ACCEPTED, ImportConflictError, check_import, commit_import, read_table, saving
from openpes.jobseekers.models import Consent, DesiredOccupation, JobSeeker, JobSeekerEvent
from openpes.jobseekers.search import jobseeker_index
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

HEADER = "name_km,name_latin,sex,date_of_birth,phone,national_id,province,desired_occupation,channel,consent\n"
LINES = [
    "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,010203040,15,8153,fair,yes",
    "ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,,,15,,mobile,yes",
    "កែវ សុភា,Keo Sophea,F,1991-01-01,097 654 321,,Pursat,5223,,yes",
    "លី វិសាល,Ly Visal,M,1992-02-02,,,15,,centre,yes",
    "ហេង ចាន់ធី,Heng Chanthy,F,1993-03-03,,,15,,fair,yes",
]


def checked(lines=LINES):
    return check_import(read_table((HEADER + "\n".join(lines) + "\n").encode()))


def test_confirming_registers_every_row_with_events_consents_one_audit_row_and_the_search_index(cast):
    check = checked()
    counsellor = cast.counsellor_pursat
    result = commit_import(
        actor=counsellor, centre=cast.pursat, rows=check.with_status(ACCEPTED), checked_at=check.checked_at
    )

    people = JobSeeker.objects.filter(pk__in=result.ids).order_by("pk")
    assert len(result.ids) == people.count() == 5
    sok = people.get(name_latin="Sok Sreymom")
    assert (sok.owner_centre, sok.registered_by, sok.channel, sok.status) == (
        cast.pursat,
        counsellor,
        "fair",
        JobSeekerStatus.ACTIVE,
    )
    assert (sok.phone, sok.national_id, sok.province.code) == ("+85512345678", "010203040", "15")
    assert sok.name_keys  # duplicate detection will find them later
    assert people.get(name_latin="Keo Sophea").channel == "import"  # no channel given: "imported from paper"
    assert list(DesiredOccupation.objects.filter(jobseeker=sok).values_list("isco_group__code", "rank")) == [
        ("8153", 1)
    ]

    consents = Consent.objects.filter(jobseeker__in=people)
    assert consents.count() == 5
    assert set(consents.values_list("purpose", "given", "method", "on_behalf", "recorded_by")) == {
        (ConsentPurpose.REGISTRATION, True, ConsentMethod.PAPER, True, counsellor.pk)
    }
    events = JobSeekerEvent.objects.filter(jobseeker__in=people)
    assert events.count() == 5
    assert set(events.values_list("kind", "centre", "actor", "to_status")) == {
        (EventKind.REGISTERED, cast.pursat.pk, counsellor.pk, JobSeekerStatus.ACTIVE)
    }
    assert events.get(jobseeker=sok).detail == {"channel": "fair", "import": result.batch}

    (audit,) = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    assert (audit.actor_id, audit.actor_centre, audit.object_type, audit.count) == (
        counsellor.pk,
        "jc-15",
        "jobseekers.jobseeker",
        5,
    )
    assert audit.detail["import"] == result.batch
    assert "012345678" not in str(audit.detail) and "Sok" not in str(audit.detail)  # S8: no personal data

    assert list(jobseeker_index.filter(JobSeeker.objects.all(), "sreymom")) == [sok]
    assert list(jobseeker_index.filter(JobSeeker.objects.all(), "ដារ៉ា")) == [people.get(name_latin="Chan Dara")]
    assert list(jobseeker_index.filter(JobSeeker.objects.all(), "097654321")) == [people.get(name_latin="Keo Sophea")]


@pytest.mark.parametrize("failing", ["database", "search_index"])
def test_a_failure_half_way_leaves_the_database_unchanged(cast, monkeypatch, failing):
    JobSeekerFactory()  # someone already registered stays as they are
    before = (JobSeeker.objects.count(), Consent.objects.count(), JobSeekerEvent.objects.count())
    monkeypatch.setattr(saving, "BATCH_SIZE", 2)  # 5 rows: three batches; fail in the second
    check = checked()
    rows = check.with_status(ACCEPTED)
    if failing == "database":
        # Row 4 (second batch) breaks a database constraint: the first batch is already written by then.
        rows[3].fields.update(name_km="", name_latin="")
        expected: type[Exception] = IntegrityError
    else:
        calls = {"n": 0}
        update = jobseeker_index.update

        def fail_on_second_batch(pks):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disk full")
            update(pks)

        monkeypatch.setattr(jobseeker_index, "update", fail_on_second_batch)
        expected = RuntimeError

    with pytest.raises(expected):
        commit_import(actor=cast.counsellor_pursat, centre=cast.pursat, rows=rows, checked_at=check.checked_at)

    assert (JobSeeker.objects.count(), Consent.objects.count(), JobSeekerEvent.objects.count()) == before
    assert not DesiredOccupation.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    assert list(jobseeker_index.filter(JobSeeker.objects.all(), "sreymom")) == list(
        JobSeeker.objects.filter(name_latin__startswith="Sok Sreymom")
    )
    # …and the same rows import fine once the problem is gone.
    rows[3].fields.update(name_km="លី វិសាល", name_latin="Ly Visal")
    monkeypatch.undo()
    commit_import(actor=cast.counsellor_pursat, centre=cast.pursat, rows=rows, checked_at=check.checked_at)
    assert JobSeeker.objects.count() == before[0] + 5


def test_someone_registered_after_the_check_with_the_same_phone_stops_the_import(cast):
    check = checked()
    other = JobSeekerFactory(phone="+85597654321")  # registered by a colleague meanwhile
    before = JobSeeker.objects.count()

    with pytest.raises(ImportConflictError) as conflict:
        commit_import(
            actor=cast.counsellor_pursat,
            centre=cast.pursat,
            rows=check.with_status(ACCEPTED),
            checked_at=check.checked_at,
        )

    ((row, issues),) = conflict.value.conflicts
    assert row.row == 4
    assert [(i.code, i.params) for i in issues] == [("same_phone_record", {"pk": other.pk})]
    assert JobSeeker.objects.count() == before


def test_the_command_line_import_has_no_actor_but_still_writes_the_audit_row(cast):
    check = checked(LINES[:2])
    result = commit_import(actor=None, centre=cast.pursat, rows=check.rows, checked_at=check.checked_at)
    assert JobSeeker.objects.filter(pk__in=result.ids, registered_by__isnull=True).count() == 2
    (audit,) = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    assert (audit.actor_id, audit.count) == (None, 2)
