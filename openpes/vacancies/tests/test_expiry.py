"""Published vacancies expire by themselves after their closing date, through a daily scheduled task."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from openpes.lib import periodic
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy, VacancyEvent
from openpes.vacancies.tasks import expire_vacancies_task
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
PATH = "openpes.vacancies.tasks.expire_vacancies_task"


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=PHNOM_PENH)


@pytest.fixture
def database_tasks(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker drops connections that are not in autocommit mode; inside a test's transaction it must not.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _pending():
    return list(DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.READY))


def _status(vacancy):
    return Vacancy.objects.get(pk=vacancy.pk).status


def _run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_a_vacancy_expires_the_day_after_its_closing_date(reference):
    with time_machine.travel(at("2026-12-10 10:00"), tick=False) as clock:
        closing_today = VacancyFactory(closing_date=datetime.date(2026, 12, 10))
        closing_tomorrow = VacancyFactory(closing_date=datetime.date(2026, 12, 11))
        draft = VacancyFactory(draft=True, closing_date=datetime.date(2026, 12, 10))
        expire_vacancies_task.enqueue()
        assert _status(closing_today) == VacancyStatus.PUBLISHED  # still open on its closing date

        clock.move_to(at("2026-12-11 00:05"))
        expire_vacancies_task.enqueue()
        assert _status(closing_today) == VacancyStatus.EXPIRED
        assert _status(closing_tomorrow) == VacancyStatus.PUBLISHED
        assert _status(draft) == VacancyStatus.DRAFT  # never published, nothing to expire
        event = VacancyEvent.objects.get(vacancy=closing_today, to_status="expired")
        assert (event.from_status, event.reason, event.actor) == ("published", "closing_date", None)


def test_the_expiry_task_is_registered_to_run_daily():
    periodic.ensure_scheduled()  # imports every app's tasks module
    entries = {entry.path: entry.every for entry in periodic.registered()}
    assert entries[PATH] == datetime.timedelta(days=1)


def test_scheduling_is_idempotent(reference, database_tasks):
    with time_machine.travel(at("2026-12-10 15:30"), tick=False):
        assert PATH in periodic.ensure_scheduled()
        assert PATH not in periodic.ensure_scheduled()
        pending = _pending()
        assert len(pending) == 1
        assert pending[0].run_after == at("2026-12-10 15:30")
        assert not periodic.schedule_next(expire_vacancies_task)  # a run is already pending
        assert len(_pending()) == 1


def test_each_run_schedules_the_next_one_just_after_midnight(reference, database_tasks):
    with time_machine.travel(at("2026-12-10 15:30"), tick=False) as clock:
        vacancy = VacancyFactory(closing_date=datetime.date(2026, 12, 10))
        periodic.ensure_scheduled()
        _run_worker()
        assert DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.SUCCESSFUL).count() == 1
        pending = _pending()
        assert [p.run_after for p in pending] == [at("2026-12-11 00:00")]
        assert _status(vacancy) == VacancyStatus.PUBLISHED

        _run_worker()  # nothing is due yet
        assert DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.SUCCESSFUL).count() == 1

        clock.move_to(at("2026-12-11 00:00:30"))
        assert periodic.ensure_scheduled() == []  # a restarted worker does not add a second run
        _run_worker()
        assert _status(vacancy) == VacancyStatus.EXPIRED
        assert [p.run_after for p in _pending()] == [at("2026-12-12 00:00")]


def test_the_worker_command_schedules_then_runs_the_tasks(reference, database_tasks):
    with time_machine.travel(at("2026-12-11 08:00"), tick=False):
        vacancy = VacancyFactory(closing_date=datetime.date(2026, 12, 10))
        call_command("worker", batch=True, verbosity=0)
        assert _status(vacancy) == VacancyStatus.EXPIRED
        assert [p.run_after for p in _pending()] == [at("2026-12-12 00:00")]


def test_a_failed_run_still_schedules_the_next_one(reference, database_tasks, monkeypatch):
    def broken(today=None):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("openpes.vacancies.tasks.expire_vacancies", broken)
    with time_machine.travel(at("2026-12-11 08:00"), tick=False):
        periodic.ensure_scheduled()
        _run_worker()
        assert DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.FAILED).count() == 1
        assert [p.run_after for p in _pending()] == [at("2026-12-12 00:00")]


def test_without_a_deferring_backend_nothing_is_scheduled(reference):
    # Tests and development run tasks immediately; there is nothing to schedule.
    assert periodic.ensure_scheduled() == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    ("now", "every", "expected"),
    [
        ("2026-12-10 15:30", datetime.timedelta(days=1), "2026-12-11 00:00"),
        ("2026-12-10 00:00", datetime.timedelta(days=1), "2026-12-11 00:00"),
        ("2026-12-10 15:30", datetime.timedelta(hours=1), "2026-12-10 16:00"),
        ("2026-12-10 15:30", datetime.timedelta(hours=6), "2026-12-10 18:00"),
        ("2026-12-10 15:30", datetime.timedelta(days=7), "2026-12-17 15:30"),
    ],
)
def test_runs_line_up_on_a_grid_from_local_midnight(now, every, expected, settings):
    settings.TIME_ZONE = "Asia/Phnom_Penh"
    assert periodic.next_run(every, at(now)) == at(expected)


def test_a_periodic_task_needs_a_positive_interval():
    with pytest.raises(ValueError):
        periodic.register(expire_vacancies_task, every=datetime.timedelta(0))
