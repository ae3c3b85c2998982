"""Scheduled case-management work: appointment reminders and follow-up messages (hourly, sent in daytime only)
and the daily check that every placement has its follow-ups at 1, 3 and 6 months."""

from __future__ import annotations

import datetime

from django_tasks import task

from openpes.cases.actions.services import ensure_follow_ups, queue_due_follow_up_messages, queue_due_reminders
from openpes.lib import periodic


@task()
def send_due_reminders() -> dict[str, int]:
    """Queue tomorrow's appointment reminders and the follow-up questions due today (each once)."""
    try:
        return {"reminders": queue_due_reminders(), "follow_up_messages": queue_due_follow_up_messages()}
    finally:
        periodic.schedule_next(send_due_reminders)


@task()
def check_follow_ups() -> int:
    """Schedule the follow-ups of placements that have none yet (imports, the API, older placements)."""
    try:
        return ensure_follow_ups()
    finally:
        periodic.schedule_next(check_follow_ups)


periodic.register(send_due_reminders, every=datetime.timedelta(hours=1))
periodic.register(check_follow_ups, every=datetime.timedelta(days=1))
