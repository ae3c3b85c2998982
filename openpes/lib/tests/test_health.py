"""R10: /health says "ok", "degraded" (and which part) or "down"; gateways failing never stop saving."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from openpes.notifications.actions import queue_message
from openpes.notifications.enums import MessageStatus
from openpes.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _late_task(minutes: int, *, deferred: bool = False):
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    row = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        priority=0,
        task_path="openpes.notifications.tasks.deliver_message",
        queue_name="default",
        backend_name="default",
        run_after=now - datetime.timedelta(minutes=minutes) if deferred else get_date_max(),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=now - datetime.timedelta(minutes=minutes))
    return row


def _failed_attempts(count: int, *, sent: int = 0):
    now = timezone.now()
    for n in range(count):
        OutboundMessage.objects.create(
            channel="sms", to=f"+8551200{n:04d}", body="x", attempts=1, last_attempt_at=now, last_error="gateway down"
        )
    for n in range(sent):
        OutboundMessage.objects.create(
            channel="sms", to=f"+8551300{n:04d}", body="x", attempts=1, status=MessageStatus.SENT, sent_at=now
        )


def test_health_is_ok_when_everything_works(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "ok", "messages": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_task_backlog_older_than_the_limit_makes_the_service_degraded(client, settings):
    settings.HEALTH_TASK_BACKLOG_MINUTES = 15
    _late_task(5)  # waiting, but not for long
    assert client.get("/health").json()["status"] == "ok"
    _late_task(40)
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["tasks"] == "backlog"
    assert body["details"]["tasks_waiting"] == 1
    assert body["details"]["oldest_waiting_minutes"] >= 39


def test_a_deferred_task_counts_from_when_it_was_due(client):
    _late_task(60 * 24, deferred=True)
    assert client.get("/health").json()["tasks"] == "backlog"


def test_a_task_deferred_to_the_future_is_no_backlog(client):
    from django_tasks_db.models import DBTaskResult

    row = _late_task(60, deferred=True)
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() + datetime.timedelta(hours=3))
    assert client.get("/health").json()["status"] == "ok"


def test_messages_failing_repeatedly_make_the_service_degraded(client):
    _failed_attempts(2)
    assert client.get("/health").json()["status"] == "ok"  # a failure or two is normal
    _failed_attempts(2)
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["messages"] == "failing"
    assert body["details"] == {"failed_last_hour": 4, "sent_last_hour": 0}


def test_failures_outnumbered_by_deliveries_are_not_degradation(client):
    _failed_attempts(4, sent=10)
    assert client.get("/health").json()["status"] == "ok"


def test_both_problems_are_reported_together(client):
    _late_task(60)
    _failed_attempts(5)
    body = client.get("/health").json()
    assert (body["status"], body["tasks"], body["messages"]) == ("degraded", "backlog", "failing")


def test_the_database_down_gives_503(client):
    with mock.patch("openpes.lib.health.database_answers", return_value=False):
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "unavailable"}


def test_a_message_saves_while_the_gateway_is_down_and_health_then_says_degraded(
    client, django_capture_on_commit_callbacks
):
    """The page that queues a message never depends on the gateway (R10): the row is saved, delivery fails and
    is retried later, and after repeated failures monitoring sees it."""

    class Down:
        def send(self, **kwargs):
            raise ConnectionError("gateway unreachable")

    with (
        mock.patch("openpes.notifications.tasks.get_gateway", return_value=Down()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for n in range(3):
            queue_message(to=f"+8551400{n:04d}", body="Your appointment is tomorrow")
    assert OutboundMessage.objects.filter(status=MessageStatus.QUEUED, last_error__contains="unreachable").count() == 3
    assert client.get("/health").json()["messages"] == "failing"


def test_health_answers_without_signing_in_and_holds_no_personal_data(client):
    _failed_attempts(3)
    text = client.get("/health").content.decode()
    assert "+855" not in text


def test_health_survives_a_database_error_during_the_checks(client):
    with mock.patch("openpes.lib.health.task_backlog", side_effect=OperationalError("gone")):
        response = client.get("/health")
    assert response.status_code == 503
