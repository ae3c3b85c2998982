"""Reminders: an SMS the day before each booked appointment, queued once, in the person's language, in daytime,
saying nothing sensitive. A gateway that is down never loses a message or blocks a booking (R10)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from openpes.cases import tasks
from openpes.cases.actions import services as actions
from openpes.cases.models import Appointment
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.lib import periodic
from openpes.notifications import tasks as delivery
from openpes.notifications.enums import MessageStatus
from openpes.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=PHNOM_PENH)


class DownGateway:
    def send(self, *, channel, to, body):
        raise ConnectionError("gateway unreachable")


class RecordingGateway:
    def __init__(self):
        self.sent = []

    def send(self, *, channel, to, body):
        self.sent.append((channel, to, body))


@pytest.fixture
def gateway(monkeypatch):
    recording = RecordingGateway()
    monkeypatch.setattr(delivery, "get_gateway", lambda: recording)
    return recording


def book(cast, start, person=None, **kwargs):
    case = CaseFactory(jobseeker=person or JobSeekerFactory(), counsellor=cast.counsellor_pursat)
    return actions.book_appointment(
        actor=cast.counsellor_pursat,
        case=case,
        counsellor=cast.counsellor_pursat,
        starts_at=start,
        minutes=30,
        purpose="Debts and health",
        **kwargs,
    )


@pytest.fixture
def booked(cast):
    """Tomorrow (8 December) at 09:00: one person in English, one without an account (Khmer)."""
    cast.pursat.name_en, cast.pursat.name_km, cast.pursat.phone = "Pursat Job Centre", "មជ្ឈមណ្ឌលពោធិ៍សាត់", "052 951 234"
    cast.pursat.save()
    with time_machine.travel(at(7, 8), tick=False):
        english = JobSeekerFactory(user=cast.jobseeker_a, phone="+85512000111")
        cast.jobseeker_a.preferred_language = "en"
        cast.jobseeker_a.save()
        khmer = JobSeekerFactory(phone="+85512000222")
        return {
            "en": book(cast, at(8, 9), english),
            "km": book(cast, at(8, 14, 30), khmer),
            "later": book(cast, at(9, 9)),
            "today": book(cast, at(7, 15)),
            "cancelled": actions.cancel_appointment(actor=cast.counsellor_pursat, appointment=book(cast, at(8, 10))),
        }


def test_reminders_are_queued_the_day_before_once_in_the_persons_language(booked, gateway, cast):
    with time_machine.travel(at(7, 10), tick=False):
        assert actions.queue_due_reminders() == 2
        assert actions.queue_due_reminders() == 0  # queued once
    messages = {m.to: m.body for m in OutboundMessage.objects.all()}
    assert set(messages) == {"+85512000111", "+85512000222"}
    english, khmer = messages["+85512000111"], messages["+85512000222"]
    assert "Pursat Job Centre" in english and "09:00" in english and "052 951 234" in english
    assert "មជ្ឈមណ្ឌលពោធិ៍សាត់" in khmer and "14:30" in khmer
    for body in messages.values():  # nothing sensitive: no purpose, no counsellor, no case
        assert "Debts" not in body and "health" not in body and "Counsellor" not in body
    assert Appointment.objects.filter(reminder_queued=True).count() == 2
    assert not Appointment.objects.get(pk=booked["later"].pk).reminder_queued


def test_no_reminder_is_sent_at_night(booked, gateway):
    with time_machine.travel(at(7, 6), tick=False):
        assert actions.queue_due_reminders() == 0
    with time_machine.travel(at(7, 21), tick=False):
        assert actions.queue_due_reminders() == 0
    assert not OutboundMessage.objects.exists()


def test_the_hourly_task_queues_the_reminders_and_is_registered(booked, gateway):
    with time_machine.travel(at(7, 10), tick=False):
        result = tasks.send_due_reminders.enqueue()
    assert result.return_value == {"reminders": 2, "follow_up_messages": 0}
    periodic.ensure_scheduled()
    schedule = {entry.path: entry.every for entry in periodic.registered()}
    assert schedule["openpes.cases.tasks.send_due_reminders"] == datetime.timedelta(hours=1)
    assert schedule["openpes.cases.tasks.check_follow_ups"] == datetime.timedelta(days=1)
    assert schedule["openpes.notifications.tasks.retry_queued_messages"] == datetime.timedelta(minutes=15)


def test_a_gateway_that_is_down_keeps_the_message_queued_and_it_is_retried(
    booked, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "get_gateway", lambda: DownGateway())
    with time_machine.travel(at(7, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert actions.queue_due_reminders() == 2
    assert Appointment.objects.filter(reminder_queued=True).count() == 2  # the reminders count as queued
    for message in OutboundMessage.objects.all():
        assert (message.status, message.attempts, message.last_error) == ("queued", 1, "gateway unreachable")
    with time_machine.travel(at(7, 10, 3), tick=False):
        assert delivery.due_for_retry() == []  # too soon
    recording = RecordingGateway()
    monkeypatch.setattr(delivery, "get_gateway", lambda: recording)
    with time_machine.travel(at(7, 10, 6), tick=False):
        assert delivery.retry_queued_messages.enqueue().return_value == 2
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert len(recording.sent) == 2


def test_a_message_is_failed_after_the_last_attempt(cast, monkeypatch):
    monkeypatch.setattr(delivery, "get_gateway", lambda: DownGateway())
    message = OutboundMessage.objects.create(channel="sms", to="+85512000333", body="Hello")
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_message.call(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, delivery.MAX_ATTEMPTS)
    assert delivery.deliver_message.call(message.pk) == "skipped"


def test_a_task_queue_that_is_down_does_not_stop_the_booking_or_lose_the_message(
    client, cast, monkeypatch, django_capture_on_commit_callbacks
):
    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("task queue unavailable")

    monkeypatch.setattr("openpes.notifications.actions.deliver_message", BrokenQueue())
    person = JobSeekerFactory(user=cast.jobseeker_a)
    case = CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)
    with time_machine.travel(at(7, 10), tick=False):
        client.force_login(cast.counsellor_pursat)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("cases:book", args=[case.pk]),
                {
                    "counsellor": cast.counsellor_pursat.pk,
                    "day": "2026-12-08",
                    "time": "09:00",
                    "minutes": 30,
                    "kind": "in_person",
                },
            )
            assert response.status_code == 302
            assert actions.queue_due_reminders() == 1
    assert Appointment.objects.get().reminder_queued
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    with time_machine.travel(at(7, 10, 11), tick=False):
        assert delivery.due_for_retry() == [message.pk]  # the retry task picks it up later


def test_nobody_without_a_phone_number_gets_a_reminder(cast, gateway):
    with time_machine.travel(at(7, 8), tick=False):
        book(cast, at(8, 9), JobSeekerFactory(phone=""))
    with time_machine.travel(at(7, 10), tick=False):
        assert actions.queue_due_reminders() == 0
    assert not OutboundMessage.objects.exists()
