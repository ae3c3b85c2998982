"""Programme reports: counts by tier, sex, disability, province, centre and project; suppression; exports."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from openpes.audit.models import AuditEvent
from openpes.centres.tests.factories import JobCentreFactory
from openpes.training import cascade, reports
from openpes.training.enums import QuizKind, Tier
from openpes.training.models import FundingProject, StaffWgss
from openpes.training.tests.events_helpers import (
    attend,
    certification,
    eligible_participant,
    score,
    session,
    staff,
    tot_with_tests,
)
from openpes.training.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(cast):
    """A ToT (both projects, 2 days, 12 h) with 3 women and 2 men from Pursat and Battambang; one trainer
    certified who led a session of 4 people; a webinar (one project) with 6 people, 2 of them with a WG
    disability."""
    dey, prossce = FundingProject.objects.order_by("code")
    battambang = JobCentreFactory(code="jc-02", province_code="02")
    tot = tot_with_tests(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 3), hours=12)
    tot.funding_projects.set([dey, prossce])
    women = [staff(sex="F", full_name=f"Woman {n}") for n in range(3)]
    men = [staff(sex="M", full_name=f"Man {n}", centre=battambang) for n in range(2)]
    for person in women + men:
        attend(tot, person)
    attend(tot, women[0], days=[])  # enrolled, present both days already
    trainer = eligible_participant(tot, cast.trainer, person=women[0], pre=40, post=80)
    cert = certification(trainer, tot, on=datetime.date(2026, 3, 3))
    downstream = [staff(sex="F") for _ in range(4)]
    provincial = session(cert, starts_on=datetime.date(2026, 4, 1), participants=downstream, hours=6)
    provincial.funding_projects.set([dey])
    webinar = EventFactory(
        tier=Tier.WEBINAR,
        starts_on=datetime.date(2026, 5, 5),
        ends_on=datetime.date(2026, 5, 5),
        hours=2,
        link="https://x",
    )
    webinar.funding_projects.set([prossce])
    webinar_people = [staff(sex="M") for _ in range(6)]
    for n, person in enumerate(webinar_people):
        attend(webinar, person)
        StaffWgss.objects.create(
            user=person, seeing=3 if n < 2 else 1, hearing=1, walking=1, cognition=1, self_care=1, communication=1
        )
    return {"tot": tot, "dey": dey, "prossce": prossce, "provincial": provincial, "webinar": webinar}


def _table(tables, key):
    return next(t for t in tables if t.key == key)


def test_trained_persons_and_hours_by_tier(world):
    tiers = {row[0]: row for row in _table(reports.trained_tables(reports.ReportFilters()), "tiers").rows}
    assert tiers["Training of trainers"][1:] == [1, 5, 3, 60.0]  # 1 event, 5 people, 3 women, 5 × 12 h
    assert tiers["Provincial session"][1:] == [1, 4, 4, 24.0]
    assert tiers["Thematic webinar"][1:] == [1, 6, 0, 12.0]
    assert tiers["All tiers"][2] == 15


def test_breakdowns_by_sex_disability_province_and_project(world):
    tables = reports.trained_tables(reports.ReportFilters())
    assert {r[0]: r[1] for r in _table(tables, "sex").rows} == {"Female": 7, "Male": 8}
    assert dict(_table(tables, "disability").rows) == {
        "With a disability (WG-SS)": 2,
        "Without a disability": 4,
        "Not answered": 9,
    }
    provinces = {r[0]: r[1] for r in _table(tables, "province").rows}
    assert provinces["Battambang"] == 2
    projects = {r[0]: r[1:] for r in _table(tables, "projects").rows}
    assert projects[str(world["dey"])] == [2, 9, 84.0]  # ToT + session: 5 + 4 people
    assert projects[str(world["prossce"])] == [2, 11, 72.0]  # ToT + webinar: the ToT counts for both


def test_a_funding_project_filter_keeps_only_its_events(world):
    filters = reports.ReportFilters(funding_project_id=world["prossce"].pk)
    tiers = {row[0]: row for row in _table(reports.trained_tables(filters), "tiers").rows}
    assert tiers["Provincial session"][2] == 0
    assert tiers["Thematic webinar"][2] == 6


def test_pass_rates_and_the_cascade_table(world):
    rates = {(r[0], r[1]): r[2:] for r in reports.pass_rate_table(reports.ReportFilters()).rows}
    assert rates[("Training of trainers", "Post-test at the event's threshold")] == [1, 1, 100.0]
    assert rates[("Training of trainers", "Certified as trainer")] == [5, 1, 20.0]
    [row] = _table(cascade.cascade_tables(reports.ReportFilters()), "cascade").rows
    assert row[2:6] == [1, 1, 100.0, 4]  # certified, active, activation %, reach


def test_learning_gain_dilution_across_tiers(world, cast):
    provincial = world["provincial"]
    provincial.course = world["tot"].course
    provincial.save()
    people = list(type(cast.coordinator).objects.filter(training_attendance__event=provincial).distinct())
    for person in people:
        score(provincial, person, QuizKind.PRE_TEST, 50)
        score(provincial, person, QuizKind.POST_TEST, 70)
    [row] = _table(cascade.cascade_tables(reports.ReportFilters()), "cascade").rows
    assert row[6:] == [40.0, 20.0, 0.5]


def test_the_report_page_is_for_readers_and_shows_the_tables(client, world, cast):
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("training:reports")).status_code == 403
    client.force_login(cast.national)
    page = client.get(reverse("training:reports")).content.decode()
    assert "Trained persons and events by tier" in page and "By disability" in page
    assert client.get(reverse("training:report_project", args=[world["dey"].pk])).status_code == 200
    cascade = client.get(reverse("training:report_cascade")).content.decode()
    assert "Woman 0" in cascade  # the certified trainer in the lineage


def test_the_report_page_needs_a_fixed_number_of_queries(client, world, cast, django_assert_max_num_queries):
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(60):
        client.get(reverse("training:reports"))
    for _ in range(5):
        event = EventFactory(tier=Tier.WEBINAR, link="https://x", hours=1)
        attend(event, staff())
    with django_assert_max_num_queries(60):
        assert client.get(reverse("training:reports")).status_code == 200


def test_csv_export_suppresses_small_disability_counts_and_is_audited(client, world, cast):
    client.force_login(cast.coordinator)
    response = client.get(reverse("training:report_export", args=["report", "csv"]))
    assert response["Content-Disposition"].startswith('attachment; filename="training-report-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    disability = rows[[r[:1] for r in rows].index(["By disability (Washington Group identifier)"]) + 2 :][:3]
    assert disability == [["With a disability (WG-SS)", "<5"], ["Without a disability", "<5"], ["Not answered", "9"]]
    audit = AuditEvent.objects.get(action="export")
    assert audit.object_type == "training.report.report" and audit.count > 20
    assert audit.actor_id == cast.coordinator.pk


def test_xlsx_exports_have_one_sheet_per_table(client, world, cast):
    client.force_login(cast.national)
    response = client.get(reverse("training:report_export", args=["cascade", "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 2
    assert workbook.worksheets[0]["C2"].value == 1
    response = client.get(reverse("training:report_export", args=["project", "xlsx"]), {"for_project": world["dey"].pk})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_exports_are_refused_to_staff_who_do_not_read_reports(client, world, cast):
    client.force_login(cast.trainer)
    assert client.get(reverse("training:report_export", args=["report", "csv"])).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
