"""The demo world's case management: alive for the demo counsellor, deterministic and idempotent."""

import datetime
import random
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from openpes.accounts.models import User
from openpes.applications.models import Placement
from openpes.cases import caseload
from openpes.cases.demo import DEMO_COUNSELLOR, build_cases_demo
from openpes.cases.enums import AppointmentStatus, CaseEventKind
from openpes.cases.models import (
    Appointment,
    AppointmentSlot,
    Case,
    CaseEvent,
    EmployerContact,
    FollowUp,
    Partner,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 7, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Phnom_Penh"))


def _signature():
    return (
        sorted(Case.objects.values_list("jobseeker_id", "counsellor_id", "status", "opened_at", "closure_reason")),
        sorted(CaseEvent.objects.values_list("case__jobseeker_id", "kind", "at")),
        sorted(FollowUp.objects.values_list("placement__jobseeker_id", "month", "due_on", "done_at")),
        AppointmentSlot.objects.count(),
    )


def test_the_demo_counsellors_caseload_is_alive_and_the_demo_is_deterministic(reference):
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", size=300, quiet_accounts=True)
        counsellor = User.objects.get(email=DEMO_COUNSELLOR)
        mine = Case.objects.filter(counsellor=counsellor)
        assert mine.count() >= 5
        summary = caseload.summarise(caseload.annotate_work(caseload.my_cases(counsellor)))
        assert summary.appointments == 3 and summary.follow_ups >= 1 and summary.open_cases == mine.count()
        assert 30 <= AppointmentSlot.objects.filter(counsellor=counsellor).count() <= 40  # minus booked times
        assert Appointment.objects.filter(status=AppointmentStatus.ATTENDED).exists()
        assert Partner.objects.exists() and EmployerContact.objects.exists()
        kinds = set(CaseEvent.objects.values_list("kind", flat=True))
        assert {
            CaseEventKind.OPENED,
            CaseEventKind.INTAKE_DONE,
            CaseEventKind.ASSESSED,
            CaseEventKind.PLAN_AGREED,
            CaseEventKind.APPOINTMENT_BOOKED,
            CaseEventKind.PLACED,
            CaseEventKind.FOLLOW_UP_DONE,
        } <= kinds
        assert all(e.centre_id == e.case.owner_centre_id for e in CaseEvent.objects.select_related("case")[:200])
        first = _signature()

        assert build_cases_demo(random.Random(2031)) == {}  # idempotent: cases exist

        # The same generator on the same day builds the same case world.
        FollowUp.objects.all().delete()
        Placement.objects.filter(application__isnull=True).delete()
        Case.objects.all().delete()
        AppointmentSlot.objects.all().delete()
        EmployerContact.objects.all().delete()
        build_cases_demo(random.Random(2026 + 5))
        assert _signature() == first
