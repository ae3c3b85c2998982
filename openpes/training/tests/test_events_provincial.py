"""Provincial sessions: only a holder of a valid certification may lead one, and the session records it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from openpes.training.actions import events as actions
from openpes.training.enums import AttendanceMethod, CertificationStatus, Tier
from openpes.training.models import Attendance, Event
from openpes.training.tests.events_helpers import attend, certification, enrol, staff, tot_with_tests

pytestmark = pytest.mark.django_db

SESSION_DAY = datetime.date(2026, 6, 15)


@pytest.fixture
def tot():
    return tot_with_tests(starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 3))


def _fields(lead, **extra):
    return {
        "title_en": "Client-centred counselling, Pursat",
        "tier": Tier.PROVINCIAL,
        "starts_on": SESSION_DAY,
        "ends_on": SESSION_DAY,
        "hours": 6,
        "venue": "Pursat job centre",
        "lead_trainer": lead,
        **extra,
    }


def test_a_certified_trainer_leads_a_session_that_records_the_certification(tot, cast):
    trainer = staff()
    held = certification(trainer, tot, on=datetime.date(2026, 3, 3))
    session = actions.save_event(actor=cast.coordinator, programme=tot.programme, fields=_fields(trainer))
    assert session.trainer_certification == held
    assert session.trainer_certification.tot_event == tot  # lineage: session → certification → ToT
    assert trainer in session.facilitators.all()  # the lead runs the roster and check-in


@pytest.mark.parametrize(
    "problem",
    ["never_certified", "revoked", "expired", "not_yet", "expires_mid_session"],
)
def test_nobody_without_a_certification_valid_on_the_sessions_days_can_lead_it(tot, cast, problem):
    trainer = staff()
    if problem == "revoked":
        certification(trainer, tot, on=datetime.date(2026, 3, 3), status=CertificationStatus.REVOKED)
    elif problem == "expired":
        certification(trainer, tot, on=datetime.date(2024, 3, 3))
    elif problem == "not_yet":
        certification(trainer, tot, on=datetime.date(2026, 7, 1))
    elif problem == "expires_mid_session":
        cert = certification(trainer, tot, on=datetime.date(2024, 6, 16))
        assert cert.valid_until == datetime.date(2026, 6, 16)
    fields = _fields(trainer, ends_on=SESSION_DAY + datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        actions.save_event(actor=cast.coordinator, programme=tot.programme, fields=fields)
    assert "lead_trainer" in error.value.error_dict
    assert not Event.objects.filter(tier=Tier.PROVINCIAL).exists()


def test_the_database_refuses_a_provincial_session_without_a_certified_lead(tot):
    with pytest.raises(IntegrityError):
        Event.objects.create(
            programme=tot.programme, tier=Tier.PROVINCIAL, title_en="x", starts_on=SESSION_DAY, ends_on=SESSION_DAY
        )


def test_the_form_lists_only_certified_trainers_and_refuses_others(client, tot, cast):
    today = datetime.date.today()
    trainer = staff(full_name="Certified One")
    certification(trainer, tot, on=today - datetime.timedelta(days=10))
    uncertified = staff(full_name="Never Certified")
    client.force_login(cast.coordinator)
    url = reverse("training:event_new", args=[tot.programme.pk]) + "?tier=provincial"
    page = client.get(url).content.decode()
    lead_select = page.split('name="lead_trainer"', 1)[1].split("</select>", 1)[0]
    assert "Certified One" in lead_select
    assert "Never Certified" not in lead_select
    data = {
        "title_en": "Session",
        "starts_on": today.isoformat(),
        "ends_on": today.isoformat(),
        "hours": "6",
        "post_test_threshold": "70",
        "lead_trainer": uncertified.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {**data, "lead_trainer": trainer.pk})
    assert response.status_code == 302
    assert Event.objects.get(tier=Tier.PROVINCIAL).lead_trainer == trainer


def test_the_form_rechecks_the_dates_against_the_certification(client, tot, cast):
    today = datetime.date.today()
    trainer = staff(full_name="Short Validity")
    certification(trainer, tot, on=today - datetime.timedelta(days=729))  # valid until tomorrow
    client.force_login(cast.coordinator)
    url = reverse("training:event_new", args=[tot.programme.pk]) + "?tier=provincial"
    later = (today + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        url,
        {
            "title_en": "S",
            "starts_on": later,
            "ends_on": later,
            "hours": "6",
            "post_test_threshold": "70",
            "lead_trainer": trainer.pk,
        },
    )
    assert response.status_code == 200
    assert "has no trainer certification valid on these dates" in response.content.decode()


def test_the_lead_trainer_runs_their_session_and_sees_its_lineage(client, tot, cast):
    trainer = staff()
    certification(trainer, tot, on=datetime.date(2026, 3, 3))
    session = actions.save_event(actor=cast.coordinator, programme=tot.programme, fields=_fields(trainer))
    client.force_login(trainer)
    page = client.get(reverse("training:event_detail", args=[session.pk])).content.decode()
    assert "Certified by:" in page and tot.title in page
    assert client.get(reverse("training:event_participants", args=[session.pk])).status_code == 200


def test_the_roster_sets_who_was_present_that_day(client, tot, cast):
    trainer = staff()
    certification(trainer, tot, on=datetime.date(2026, 3, 3))
    session = actions.save_event(actor=cast.coordinator, programme=tot.programme, fields=_fields(trainer))
    a, b, c = staff(), staff(), staff()
    enrol(session, a, b, c)
    attend(session, c, method=AttendanceMethod.SELF_CHECK_IN)
    client.force_login(trainer)
    url = reverse("training:event_roster", args=[session.pk, SESSION_DAY.isoformat()])
    assert client.get(url).status_code == 200
    response = client.post(url, {"present": [a.pk, b.pk]})
    assert response.status_code == 302
    present = set(Attendance.objects.filter(event=session, day=SESSION_DAY).values_list("participant_id", flat=True))
    assert present == {a.pk, b.pk}  # c was unticked, so is absent whatever recorded them before
    assert client.get(reverse("training:event_roster", args=[session.pk, "2026-06-16"])).status_code == 404


def test_only_enrolled_people_can_be_marked_present(tot, cast):
    trainer = staff()
    certification(trainer, tot, on=datetime.date(2026, 3, 3))
    session = actions.save_event(actor=cast.coordinator, programme=tot.programme, fields=_fields(trainer))
    with pytest.raises(ValidationError):
        actions.record_roster(actor=trainer, event=session, day=SESSION_DAY, present=[staff().pk])


def test_the_lead_trainer_is_not_offered_enrolment_in_their_own_open_session(client, tot, cast):
    trainer = staff()
    certification(trainer, tot, on=datetime.date(2026, 3, 3))
    next_week = datetime.date.today() + datetime.timedelta(days=7)
    session = actions.save_event(
        actor=cast.coordinator,
        programme=tot.programme,
        fields=_fields(trainer, starts_on=next_week, ends_on=next_week, self_enrolment=True),
    )
    with pytest.raises(ValidationError) as error:
        actions.self_enrol(actor=trainer, event=session)
    assert error.value.code == "runs_it"
    client.force_login(trainer)
    assert "Enrol me" not in client.get(reverse("training:event_detail", args=[session.pk])).content.decode()
    colleague = staff()
    client.force_login(colleague)
    assert "Enrol me" in client.get(reverse("training:event_detail", args=[session.pk])).content.decode()
