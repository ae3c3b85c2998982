"""Delivering queued messages, and trying again the ones a gateway could not take."""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from openpes.lib import periodic
from openpes.notifications.enums import MessageStatus
from openpes.notifications.gateways import get_gateway
from openpes.notifications.models import OutboundMessage

MAX_ATTEMPTS = 5
# A message nobody tried to deliver this long after it was queued lost its delivery task (worker down).
STALE_AFTER = datetime.timedelta(minutes=10)
RETRY_EVERY = datetime.timedelta(minutes=15)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 5, 10, 20, 40 minutes…"""
    return datetime.timedelta(minutes=5 * 2 ** max(attempts - 1, 0))


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message; on failure keep it queued until MAX_ATTEMPTS, then mark it failed."""
    message = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).first()
    if message is None:
        return "skipped"
    # Claim this attempt: if another worker took the same message meanwhile, the counter moved and we stop.
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message.pk, status=MessageStatus.QUEUED, attempts=message.attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return "skipped"
    message.attempts += 1
    message.last_attempt_at = now
    try:
        get_gateway().send(channel=message.channel, to=message.to, body=message.body)
    except Exception as exc:  # a gateway failure must never lose the message
        message.last_error = str(exc)[:250]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED
        message.save(update_fields=["last_error", "status"])
        return "failed"
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    return "sent"


def due_for_retry(now: datetime.datetime | None = None) -> list[int]:
    """Queued messages whose last attempt failed long enough ago, or that were never tried."""
    now = now or timezone.now()
    queued = OutboundMessage.objects.filter(status=MessageStatus.QUEUED, attempts__lt=MAX_ATTEMPTS)
    never_tried = Q(last_attempt_at__isnull=True, created_at__lte=now - STALE_AFTER)
    retry = Q(pk__in=[])
    for attempts in range(1, MAX_ATTEMPTS):
        retry |= Q(attempts=attempts, last_attempt_at__lte=now - retry_delay(attempts))
    return list(queued.filter(never_tried | retry).order_by("created_at", "pk").values_list("pk", flat=True)[:500])


@task()
def retry_queued_messages() -> int:
    """Hand the messages due for another attempt to the worker again; runs every 15 minutes."""
    try:
        ids = due_for_retry()
        for pk in ids:
            deliver_message.enqueue(pk)
        return len(ids)
    finally:
        periodic.schedule_next(retry_queued_messages)


periodic.register(retry_queued_messages, every=RETRY_EVERY)
