"""S15: records inactive beyond the retention period are anonymised by a daily task; running it again is safe."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.accounts.tests.factories import UserFactory
from openpes.applications import actions as application_actions
from openpes.jobseekers import actions as jobseeker_actions
from openpes.jobseekers.enums import RegistrationChannel
from openpes.jobseekers.models import JobSeeker
from openpes.lib import periodic
from openpes.privacy.actions import ANONYMOUS_NAME, apply_retention, inactive_jobseekers, retention_cutoff
from openpes.privacy.models import Anonymisation
from openpes.privacy.tasks import apply_retention_task
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2019, 3, 1, 9, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


def register(actor, name, **extra):
    fields = {
        "name_latin": name,
        "sex": "M",
        "date_of_birth": datetime.date(1990, 5, 5),
        "province_id": extra.pop("province_id"),
    }
    return jobseeker_actions.register_jobseeker(actor=actor, fields=fields, channel=RegistrationChannel.CENTRE,
                                                centre=actor.centre, **extra)  # fmt: skip


@pytest.fixture
def world(cast):
    province = cast.pursat.province_id
    with time_machine.travel(LONG_AGO, tick=False):
        forgotten = register(cast.counsellor_pursat, "Forgotten Person", province_id=province)
        signs_in = register(cast.counsellor_pursat, "Signs In Person", province_id=province)
        signs_in.user = UserFactory(role=Role.JOBSEEKER)
        signs_in.save()
        applies = register(cast.counsellor_pursat, "Applies Person", province_id=province)
        updated = register(cast.counsellor_pursat, "Updated Person", province_id=province)
    with time_machine.travel(NOW - datetime.timedelta(days=30), tick=False):
        User.objects.filter(pk=signs_in.user_id).update(last_login=timezone.now())
        application_actions.refer(actor=cast.counsellor_pursat, vacancy=VacancyFactory(), jobseeker=applies)
        jobseeker_actions.update_jobseeker(
            actor=cast.counsellor_pursat, jobseeker=updated, fields={"address": "New village"}
        )
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):
        recent = register(cast.counsellor_pursat, "Recent Person", province_id=province)
    return {"forgotten": forgotten, "signs_in": signs_in, "applies": applies, "updated": updated, "recent": recent}


def test_only_records_without_any_activity_for_five_years_are_selected(world, settings):
    assert settings.RETENTION_DAYS == 5 * 365
    with time_machine.travel(NOW, tick=False):
        selected = set(inactive_jobseekers(retention_cutoff()).values_list("name_latin", flat=True))
    assert selected == {"Forgotten Person"}


def test_the_retention_run_anonymises_inactive_records_and_keeps_the_others(world):
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 1
    forgotten = JobSeeker.objects.get(pk=world["forgotten"].pk)
    assert forgotten.name_latin == ANONYMOUS_NAME
    assert Anonymisation.objects.get(jobseeker=forgotten).reason == Anonymisation.RETENTION
    for key in ("signs_in", "applies", "updated", "recent"):
        assert JobSeeker.objects.get(pk=world[key].pk).name_latin == world[key].name_latin


def test_running_the_retention_task_again_changes_nothing(world):
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 1
        snapshot = list(JobSeeker.objects.order_by("pk").values_list("pk", "name_latin", "phone", "date_of_birth"))
        assert apply_retention() == 0
        assert (
            list(JobSeeker.objects.order_by("pk").values_list("pk", "name_latin", "phone", "date_of_birth")) == snapshot
        )
    assert Anonymisation.objects.count() == 1


def test_the_period_is_configurable(world, settings):
    settings.RETENTION_DAYS = 20
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 4  # everyone but the person registered 10 days ago


def test_records_are_processed_in_batches(world, settings):
    settings.RETENTION_DAYS = 20
    with time_machine.travel(NOW, tick=False):
        progress: list[int] = []
        assert apply_retention(batch=3, progress=progress.append) == 4
    assert progress == [3, 4]


def test_the_retention_task_is_scheduled_daily(world):
    entry = next(p for p in periodic.registered() if p.path.endswith("apply_retention_task"))
    assert entry.every == datetime.timedelta(days=1)
    with time_machine.travel(NOW, tick=False):
        result = apply_retention_task.enqueue()  # the immediate backend runs it now
    assert result.return_value == 1
