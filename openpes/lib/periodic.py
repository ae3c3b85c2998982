"""A tiny scheduler for periodic tasks on top of django-tasks, which has none.

Apps register a task with an interval (`register(task, every=...)`, next to the task in `tasks.py`). The
worker calls `ensure_scheduled()` at start: every registered task with no pending run (a READY row in
django-tasks-db's results table) is enqueued to run now. Each periodic task calls `schedule_next(task)` when
it finishes, which enqueues its next run with `run_after`, so the chain keeps itself going. Both are
idempotent: a task never has more than one pending run. Runs line up on a grid from local midnight when the
interval divides a day (a daily task runs just after midnight), so a restart does not shift the schedule.

Backends that cannot defer tasks (the immediate backend used in tests and development) are skipped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Periodic:
    task: Any  # a django_tasks Task
    every: datetime.timedelta

    @property
    def path(self) -> str:
        return str(self.task.module_path)


_registry: dict[str, Periodic] = {}


def register(task: Any, *, every: datetime.timedelta) -> Any:
    """Declare `task` periodic. Returns the task, so it can be used right after the @task decorator."""
    if every <= datetime.timedelta(0):
        raise ValueError("A periodic task needs a positive interval.")
    _registry[task.module_path] = Periodic(task=task, every=every)
    return task


def registered() -> list[Periodic]:
    return list(_registry.values())


def next_run(every: datetime.timedelta, now: datetime.datetime | None = None) -> datetime.datetime:
    """When the next run is due: on a grid from local midnight if `every` divides a day, else `now + every`."""
    now = now or timezone.now()
    if every <= DAY and DAY % every == datetime.timedelta(0):
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        steps = (local - midnight) // every + 1
        return midnight + steps * every
    return now + every


def _supports_defer(task: Any) -> bool:
    return bool(getattr(task.get_backend(), "supports_defer", False))


def _has_pending_run(path: str) -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists()


def _enqueue(entry: Periodic, run_after: datetime.datetime) -> bool:
    if not _supports_defer(entry.task) or _has_pending_run(entry.path):
        return False
    entry.task.using(run_after=run_after).enqueue()
    return True


def ensure_scheduled(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every registered task that has no pending run, to run now. Returns the paths enqueued."""
    autodiscover_modules("tasks")
    now = now or timezone.now()
    return [entry.path for entry in registered() if _enqueue(entry, now)]


def schedule_next(task: Any, now: datetime.datetime | None = None) -> bool:
    """Called by a periodic task when it finishes: enqueue its next run unless one is already pending."""
    entry = _registry.get(task.module_path)
    if entry is None:
        return False
    return _enqueue(entry, next_run(entry.every, now))
