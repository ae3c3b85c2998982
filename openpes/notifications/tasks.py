from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from openpes.notifications.enums import MessageStatus
from openpes.notifications.gateways import get_gateway
from openpes.notifications.models import OutboundMessage

MAX_ATTEMPTS = 5


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message; on failure keep it queued until MAX_ATTEMPTS, then mark it failed."""
    message = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).first()
    if message is None:
        return "skipped"
    message.attempts += 1
    try:
        get_gateway().send(channel=message.channel, to=message.to, body=message.body)
    except Exception as exc:  # a gateway failure must never lose the message
        message.last_error = str(exc)[:250]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED
        message.save(update_fields=["attempts", "last_error", "status"])
        return "failed"
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "status", "sent_at"])
    return "sent"
