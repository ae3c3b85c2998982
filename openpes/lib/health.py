"""What `/health` reports (R10): is the service up, and is any part of it degraded?

* **down** (HTTP 503): the database does not answer — nothing works;
* **degraded** (HTTP 200): pages and saving work, but background work lags — the task queue has work waiting
  longer than `HEALTH_TASK_BACKLOG_MINUTES`, or outgoing messages (SMS, e-mail, Telegram) keep failing
  (at least `HEALTH_FAILED_MESSAGES` failed attempts in the last hour and more failures than deliveries);
* **ok** otherwise.

Each check is one indexed query, so monitoring can call it every few seconds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

OK, DEGRADED, DOWN = "ok", "degraded", "down"
MESSAGE_WINDOW = datetime.timedelta(hours=1)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Health:
    status: str = OK
    checks: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def degrade(self, part: str, state: str, **details: Any) -> None:
        self.checks[part] = state
        self.details.update(details)
        if self.status == OK:
            self.status = DEGRADED

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, **self.checks, **({"details": self.details} if self.details else {})}


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def task_backlog(now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """How many tasks have been due for longer than the allowed delay without a worker taking them, and since
    when the oldest has been due."""
    from django.db.models import Case, Count, Min, Q, When
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    limit = now - datetime.timedelta(minutes=_setting("HEALTH_TASK_BACKLOG_MINUTES", 15))
    undeferred = Q(run_after=get_date_max())  # django-tasks-db's "as soon as possible"
    late = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        (undeferred & Q(enqueued_at__lt=limit)) | Q(run_after__lt=limit)
    )
    due = Case(When(undeferred, then="enqueued_at"), default="run_after")
    found = late.aggregate(count=Count("pk"), oldest=Min(due))
    return found["count"], found["oldest"]


def failing_messages(now: datetime.datetime) -> tuple[int, int]:
    """Failed and successful delivery attempts in the last hour."""
    from django.db.models import Count, Q

    from openpes.notifications.enums import MessageStatus
    from openpes.notifications.models import OutboundMessage

    since = now - MESSAGE_WINDOW
    counts = OutboundMessage.objects.filter(Q(last_attempt_at__gte=since) | Q(sent_at__gte=since)).aggregate(
        failed=Count("pk", filter=Q(last_attempt_at__gte=since) & ~Q(status=MessageStatus.SENT) & ~Q(last_error="")),
        sent=Count("pk", filter=Q(status=MessageStatus.SENT, sent_at__gte=since)),
    )
    return counts["failed"], counts["sent"]


def check(now: datetime.datetime | None = None) -> Health:
    now = now or timezone.now()
    health = Health(checks={"database": OK})
    if not database_answers():
        health.status = DOWN
        health.checks["database"] = "unavailable"
        return health
    try:
        late, oldest = task_backlog(now)
        if late:
            minutes = int((now - oldest).total_seconds() // 60) if oldest else 0
            health.degrade("tasks", "backlog", tasks_waiting=late, oldest_waiting_minutes=minutes)
        else:
            health.checks["tasks"] = OK
        failed, sent = failing_messages(now)
        if failed >= _setting("HEALTH_FAILED_MESSAGES", 3) and failed > sent:
            health.degrade("messages", "failing", failed_last_hour=failed, sent_last_hour=sent)
        else:
            health.checks["messages"] = OK
    except DatabaseError:
        health.status = DOWN
        health.checks["database"] = "unavailable"
    return health
