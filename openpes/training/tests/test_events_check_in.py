"""Self check-in with a rotating code: codes rotate and expire, belong to one event day, and count once."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from openpes.audit.models import AuditEvent
from openpes.training import attendance as codes
from openpes.training.actions import events as actions
from openpes.training.enums import AttendanceMethod
from openpes.training.models import Attendance, CheckInKey, Registration
from openpes.training.tests.events_helpers import enrol, staff
from openpes.training.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)
NINE = datetime.datetime(2026, 6, 15, 2, 0, 0, tzinfo=datetime.UTC)  # 09:00 in Phnom Penh


def at(seconds: int) -> datetime.datetime:
    return NINE + datetime.timedelta(seconds=seconds)


@pytest.fixture
def session(cast):
    event = EventFactory(starts_on=DAY, ends_on=DAY + datetime.timedelta(days=1))
    event.facilitators.add(cast.trainer)
    return event


def test_the_code_is_six_digits_changes_every_30_seconds_and_differs_by_secret():
    secret = "a" * 64
    first, left = codes.current_code(secret, at(0))
    assert len(first) == 6 and first.isdigit()
    assert left == 30
    assert codes.current_code(secret, at(29))[0] == first
    assert codes.current_code(secret, at(30))[0] != first
    assert codes.current_code("b" * 64, at(0))[0] != first


def test_a_code_lives_30_to_60_seconds_then_is_reported_as_expired():
    secret = "c" * 64
    code, _ = codes.current_code(secret, at(0))
    assert codes.check_code(secret, code, at(0)) == codes.VALID
    assert codes.check_code(secret, code, at(59)) == codes.VALID
    assert codes.check_code(secret, code, at(60)) == codes.EXPIRED
    assert codes.check_code(secret, code, at(600)) == codes.EXPIRED
    assert codes.check_code(secret, code, at(3600)) is None


def test_khmer_digits_and_spaces_are_accepted_when_typing_a_code():
    assert codes.clean_code("១២៣ ៤៥៦") == "123456"


def _open(session, trainer, when):
    with time_machine.travel(when, tick=False):
        return actions.open_check_in(actor=trainer, event=session)


def test_an_enrolled_participant_checks_in_once_with_the_current_code(session, cast):
    person = staff()
    enrol(session, person)
    key = _open(session, cast.trainer, at(0))
    code, _ = codes.current_code(key.secret, at(40))
    attendance = actions.check_in(actor=person, code=code, now=at(45))
    assert (attendance.event, attendance.day, attendance.method) == (session, DAY, AttendanceMethod.SELF_CHECK_IN)
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code=codes.current_code(key.secret, at(50))[0], now=at(50))
    assert error.value.code == "already"
    assert Attendance.objects.filter(participant=person).count() == 1


def test_an_old_code_gets_a_clear_expired_message(session, cast):
    person = staff()
    enrol(session, person)
    key = _open(session, cast.trainer, at(0))
    old, _ = codes.current_code(key.secret, at(0))
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code=old, now=at(95))
    assert error.value.code == "expired"
    assert "expired" in error.value.messages[0]
    assert not Attendance.objects.exists()


def test_a_wrong_code_gets_a_clear_message(session, cast):
    person = staff()
    enrol(session, person)
    key = _open(session, cast.trainer, at(0))
    right, _ = codes.current_code(key.secret, at(10))
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code=wrong, now=at(10))
    assert error.value.code == "wrong"
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code="12345", now=at(10))
    assert error.value.code == "format"


def test_a_code_from_another_day_does_not_work(session, cast):
    person = staff()
    enrol(session, person)
    first_day = _open(session, cast.trainer, at(0))
    next_morning = at(24 * 3600)
    second_day = _open(session, cast.trainer, next_morning)
    assert second_day.day == DAY + datetime.timedelta(days=1) and second_day.secret != first_day.secret
    # Yesterday's key, replayed at the same time of day, is not today's code.
    replay = codes.code_for(first_day.secret, codes.counter_at(next_morning))
    if replay != codes.current_code(second_day.secret, next_morning)[0]:
        with pytest.raises(ValidationError):
            actions.check_in(actor=person, code=replay, now=next_morning)
    assert not Attendance.objects.exists()


def test_check_in_cannot_be_opened_outside_the_event_days(session, cast):
    with pytest.raises(ValidationError):
        _open(session, cast.trainer, at(-24 * 3600))
    assert not CheckInKey.objects.exists()


def test_a_closed_check_in_accepts_no_code(session, cast):
    person = staff()
    enrol(session, person)
    key = _open(session, cast.trainer, at(0))
    actions.close_check_in(actor=cast.trainer, key=key, now=at(5))
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code=codes.current_code(key.secret, at(10))[0], now=at(10))
    assert error.value.code == "wrong"


def test_a_person_not_enrolled_is_told_to_ask_the_trainer_unless_the_event_is_open(session, cast):
    person = staff()
    key = _open(session, cast.trainer, at(0))
    code, _ = codes.current_code(key.secret, at(5))
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code=code, now=at(5))
    assert error.value.code == "not_enrolled"
    session.self_enrolment = True
    session.save()
    actions.check_in(actor=person, code=code, now=at(6))
    assert Registration.objects.filter(event=session, participant=person).exists()


def test_too_many_wrong_codes_stop_further_tries(session, cast):
    person = staff()
    enrol(session, person)
    key = _open(session, cast.trainer, at(0))
    right, _ = codes.current_code(key.secret, at(10))
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(actions.CHECK_IN_MAX_FAILURES):
        with pytest.raises(ValidationError):
            actions.check_in(actor=person, code=wrong, now=at(10))
    with pytest.raises(ValidationError) as error:
        actions.check_in(actor=person, code=right, now=at(10))
    assert error.value.code == "too_many"


def test_the_trainer_screen_shows_the_code_and_a_qr_code_and_the_participant_checks_in(client, session, cast):
    person = staff()
    enrol(session, person)
    with time_machine.travel(at(0), tick=False):
        client.force_login(cast.trainer)
        url = reverse("training:event_check_in", args=[session.pk])
        assert "Open check-in for today" in client.get(url).content.decode()
        client.post(url, {"action": "open"})
        key = CheckInKey.objects.get(event=session)
        code, _ = codes.current_code(key.secret, at(0))
        page = client.get(url).content.decode()
        assert f"{code[:3]} {code[3:]}" in page
        assert "<svg" in page and 'role="img"' in page
        fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in fragment and code[:3] in fragment
    with time_machine.travel(at(20), tick=False):
        client.force_login(person)
        form = client.get(reverse("training:check_in") + f"?code={code}").content.decode()
        assert f'value="{code}"' in form  # the QR code carries the code; the participant confirms
        response = client.post(reverse("training:check_in"), {"code": code})
        assert response.status_code == 302
        assert response["Location"] == reverse("training:event_detail", args=[session.pk])
    assert Attendance.objects.filter(event=session, participant=person, day=DAY).exists()
    assert AuditEvent.objects.filter(object_type="training.attendance", action="create").exists()


def test_a_wrong_code_on_the_page_shows_the_message_in_khmer(client, session, cast):
    person = staff(preferred_language="km")
    enrol(session, person)
    _open(session, cast.trainer, at(0))
    client.force_login(person)
    with time_machine.travel(at(10), tick=False):
        response = client.post(reverse("training:check_in"), {"code": "12"})
    assert response.status_code == 200
    assert 'lang="km"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_someone_who_does_not_run_the_event_cannot_open_its_check_in(client, session, cast):
    client.force_login(cast.counsellor_pursat)
    enrol(session, cast.counsellor_pursat)
    assert client.post(reverse("training:event_check_in", args=[session.pk]), {"action": "open"}).status_code == 404
    assert not CheckInKey.objects.exists()


@settings(max_examples=100, deadline=None)
@given(secret=st.text(min_size=1, max_size=64), seconds=st.integers(0, 10**9))
def test_the_code_on_screen_is_always_accepted_and_always_six_digits(secret, seconds):
    now = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    code, left = codes.current_code(secret, now)
    assert len(code) == 6 and code.isdigit() and 1 <= left <= 30
    assert codes.check_code(secret, code, now) == codes.VALID
