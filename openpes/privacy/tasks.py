"""Scheduled privacy work: the daily retention run (S15) and clearing old idempotency keys (R4)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from openpes.lib import periodic
from openpes.privacy.actions import apply_retention
from openpes.privacy.models import IdempotencyKey

# A client retries within minutes; a day is plenty, and old answers (with personal data) should not linger.
IDEMPOTENCY_KEYS_KEPT = datetime.timedelta(days=1)


@task()
def apply_retention_task() -> int:
    """Anonymise the records inactive beyond OPENPES_RETENTION_DAYS; runs daily, just after midnight."""
    try:
        return apply_retention()
    finally:
        periodic.schedule_next(apply_retention_task)


@task()
def clear_idempotency_keys() -> int:
    """Forget the answers to writes older than a day."""
    try:
        deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEYS_KEPT).delete()
        return deleted
    finally:
        periodic.schedule_next(clear_idempotency_keys)


periodic.register(apply_retention_task, every=datetime.timedelta(days=1))
periodic.register(clear_idempotency_keys, every=datetime.timedelta(hours=1))
