"""Background work for vacancies."""

from __future__ import annotations

import datetime

from django_tasks import task

from openpes.lib import periodic
from openpes.vacancies.actions import expire_vacancies


@task()
def expire_vacancies_task() -> int:
    """Expire published vacancies past their closing date; runs daily, just after midnight."""
    try:
        return expire_vacancies()
    finally:
        periodic.schedule_next(expire_vacancies_task)


periodic.register(expire_vacancies_task, every=datetime.timedelta(days=1))
