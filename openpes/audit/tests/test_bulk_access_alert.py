import pytest
import time_machine

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditAlert


def _view(actor, subject):
    record(
        actor=actor, action=AuditAction.VIEW, object_type="jobseekers.jobseeker", object_id=subject, subject_id=subject
    )


@pytest.mark.django_db
def test_a_counsellor_viewing_a_normal_days_caseload_raises_no_alert(cast):
    for subject in range(60):
        _view(cast.counsellor_pursat, subject)
        _view(cast.counsellor_pursat, subject)  # opening the same record twice counts once
    assert not AuditAlert.objects.exists()


@pytest.mark.django_db
def test_viewing_more_than_a_hundred_people_in_an_hour_raises_one_alert(cast):
    for subject in range(101):
        _view(cast.counsellor_pursat, subject)
    alerts = list(AuditAlert.objects.all())
    assert [(a.kind, a.actor_id, a.count) for a in alerts] == [("bulk_view", cast.counsellor_pursat.pk, 101)]
    for subject in range(101, 120):
        _view(cast.counsellor_pursat, subject)
    assert AuditAlert.objects.count() == 1


@pytest.mark.django_db
def test_views_spread_over_hours_raise_no_alert(cast):
    with time_machine.travel("2026-11-30 08:00 +0700", tick=False) as clock:
        for subject in range(150):
            _view(cast.counsellor_pursat, subject)
            clock.shift(60)  # one a minute: never more than 60 in an hour
    assert not AuditAlert.objects.exists()


@pytest.mark.django_db
def test_exporting_more_than_500_rows_a_day_raises_an_alert(cast):
    record(actor=cast.national, action=AuditAction.EXPORT, object_type="report", count=300)
    assert not AuditAlert.objects.exists()
    record(actor=cast.national, action=AuditAction.EXPORT, object_type="report", count=201)
    assert AuditAlert.objects.get().kind == "bulk_export"


@pytest.mark.django_db
def test_jobseekers_viewing_their_own_record_never_raise_alerts(cast):
    for _ in range(150):
        _view(cast.jobseeker_a, 1)
    assert not AuditAlert.objects.exists()
