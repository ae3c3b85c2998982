"""Queueing outgoing messages. A message is a row first and a delivery attempt second: saving the row never
depends on a gateway (or the task queue) being up, so the page that queued it always saves (R10); the worker
delivers it and `retry_queued_messages` tries again later if delivery failed."""

from __future__ import annotations

from django.db import transaction

from openpes.notifications.enums import Channel
from openpes.notifications.models import OutboundMessage
from openpes.notifications.tasks import deliver_message


def queue_message(*, to: str, body: str, channel: str = Channel.SMS) -> OutboundMessage:
    """Store a message and hand it to the worker once the surrounding transaction commits. If handing it over
    fails (task queue unavailable), the message stays queued for the retry task and the caller is unaffected."""
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    message = OutboundMessage.objects.create(channel=channel, to=to, body=body)

    def hand_over() -> None:  # a named function: Django logs a robust hook's failure by its __qualname__
        deliver_message.enqueue(message.pk)

    transaction.on_commit(hand_over, robust=True)
    return message


def queue_sms(*, to: str, body: str) -> OutboundMessage:
    """Store an SMS and hand it to the worker once the surrounding transaction commits."""
    return queue_message(to=to, body=body, channel=Channel.SMS)
