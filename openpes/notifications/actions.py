from __future__ import annotations

from functools import partial

from django.db import transaction

from openpes.notifications.enums import Channel
from openpes.notifications.models import OutboundMessage
from openpes.notifications.tasks import deliver_message


def queue_sms(*, to: str, body: str) -> OutboundMessage:
    """Store an SMS and hand it to the worker once the surrounding transaction commits."""
    message = OutboundMessage.objects.create(channel=Channel.SMS, to=to, body=body)
    transaction.on_commit(partial(deliver_message.enqueue, message.pk))
    return message
