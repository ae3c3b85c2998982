"""The demo training programme: both projects, a ToT with certified trainers, sessions, a webinar; idempotent."""

from __future__ import annotations

import random

import pytest
from django.db import transaction

from openpes.demo.world import build_centres, build_demo_accounts, build_staff
from openpes.training import cascade, reports
from openpes.training.actions.events import certification_status
from openpes.training.demo import DEMO_PROGRAMME, build_training_demo
from openpes.training.enums import Tier
from openpes.training.models import (
    AttendanceImportRow,
    CompetencyRating,
    Event,
    Programme,
    ReactionResponse,
    TrainerCertification,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(reference):
    build_centres()
    build_demo_accounts()
    build_staff(random.Random(2026))


def _snapshot():
    return (
        sorted(Event.objects.values_list("tier", "title_en", "starts_on", "lead_trainer__email")),
        sorted(TrainerCertification.objects.values_list("trainer__email", "certified_on")),
        Event.objects.filter(tier=Tier.PROVINCIAL).count(),
    )


def test_the_demo_builds_every_tier_with_consistent_certifications(demo_staff):
    counts = build_training_demo(random.Random(7))
    programme = Programme.objects.get(title_en=DEMO_PROGRAMME)
    assert programme.funding_projects.count() == 2
    tot = programme.events.get(tier=Tier.TOT)
    assert tot.registrations.count() == 20
    assert tot.facilitators.filter(email="trainer@openpes.example").exists()
    certified = TrainerCertification.objects.filter(tot_event=tot)
    assert 8 <= certified.count() <= 20 and counts["certified trainers"] == certified.count()
    status = certification_status(tot)
    assert all(status[c.trainer_id].eligible for c in certified)  # the demo follows the rules
    sessions = programme.events.filter(tier=Tier.PROVINCIAL)
    assert sessions.count() >= 4
    assert len({s.province_id for s in sessions}) >= 3
    for session in sessions:
        assert session.trainer_certification.tot_event == tot
        assert session.trainer_certification.trainer == session.lead_trainer
    assert sessions.filter(lead_trainer__email="counsellor@openpes.example").exists()
    webinar = programme.events.filter(tier=Tier.WEBINAR).order_by("starts_on").first()
    assert webinar.attendance.filter(method="platform").exists()
    assert AttendanceImportRow.objects.filter(matched_by_hand=True).count() == 2
    assert AttendanceImportRow.objects.filter(matched__isnull=True).count() == 1
    assert ReactionResponse.objects.exists() and CompetencyRating.objects.exists()
    [row] = list(cascade.cascade_tables(reports.ReportFilters())[0].rows)
    assert row[5] > 10  # people reached downstream of the ToT


def test_the_demo_is_deterministic_and_idempotent(demo_staff):
    assert not Programme.objects.exists()
    with transaction.atomic():
        build_training_demo(random.Random(7))
        first = _snapshot()
        transaction.set_rollback(True)
    assert not Programme.objects.exists()
    build_training_demo(random.Random(7))
    assert _snapshot() == first  # the same seed builds the same programme
    assert build_training_demo(random.Random(7)) == {}
    assert _snapshot() == first  # and a second run changes nothing
