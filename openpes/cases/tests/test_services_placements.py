"""Placements and follow-ups: every placement (an employer's hire or a job the counsellor records with evidence)
gets follow-ups at 1, 3 and 6 months after the start date; they show up as due on the right day and are done by
phone with the call script or by SMS; every outcome is an event."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpes.applications import actions as applications
from openpes.applications.models import Placement
from openpes.audit.models import AuditEvent
from openpes.cases import tasks
from openpes.cases.actions import casefile
from openpes.cases.actions import services as actions
from openpes.cases.enums import CaseEventKind, CaseStatus, ClosureReason
from openpes.cases.models import CaseEvent, FollowUp, PlacementEvidence
from openpes.cases.tests.factories import CaseFactory
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.jobseekers.tests.files import PDF
from openpes.notifications.models import OutboundMessage
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
START = datetime.date(2027, 1, 31)


def morning(day):
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=PHNOM_PENH)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(cast):
    return JobSeekerFactory(user=cast.jobseeker_a, name_latin="Sok Pisey", phone="+85512000444")


@pytest.fixture
def case(cast, person):
    return CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)


def hire(cast, person, start=START):
    vacancy = VacancyFactory(title="Sewing machine operator")
    EmployerMemberFactory(employer=vacancy.employer, user=cast.employer_a)
    application = applications.refer(actor=cast.counsellor_pursat, vacancy=vacancy, jobseeker=person)
    applications.move_application(actor=cast.employer_a, application=application, status="interview")
    return applications.record_hire(actor=cast.employer_a, application=application, start_date=start, monthly_wage=210)


# -- scheduling ------------------------------------------------------------------------------------------------


def test_follow_ups_fall_1_3_and_6_months_after_the_start_date(cast, person):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        placement = hire(cast, person)
    due = dict(FollowUp.objects.filter(placement=placement).values_list("month", "due_on"))
    # 31 January + 1 month is the last day of February; then 30 April and 31 July.
    assert due == {1: datetime.date(2027, 2, 28), 3: datetime.date(2027, 4, 30), 6: datetime.date(2027, 7, 31)}


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-08-15", 6, "2027-02-15"),
        ("2026-12-01", 1, "2027-01-01"),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last_day(start, months, expected):
    assert actions.add_months(datetime.date.fromisoformat(start), months) == datetime.date.fromisoformat(expected)


def test_an_employers_hire_is_an_event_of_the_open_case_which_stays_open(client, cast, person, case):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        placement = hire(cast, person)
        kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
        assert CaseEventKind.VACANCY_REFERRAL in kinds and CaseEventKind.PLACED in kinds
        placed = CaseEvent.objects.get(case=case, kind=CaseEventKind.PLACED)
        assert placed.detail["placement"] == placement.pk and placed.detail["source"] == "hire"
        assert set(FollowUp.objects.values_list("case", flat=True)) == {case.pk}
        case.refresh_from_db()
        assert case.status == CaseStatus.OPEN
        client.force_login(cast.counsellor_pursat)
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert reverse("cases:close_placed", args=[case.pk]) in page
        client.post(reverse("cases:close_placed", args=[case.pk]))
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == (CaseStatus.CLOSED, ClosureReason.PLACED)


def test_a_placement_made_elsewhere_gets_its_follow_ups_from_the_daily_check(cast, person):
    employer = EmployerFactory()
    imported = Placement.objects.create(jobseeker=person, employer=employer, centre=cast.pursat, start_date=START)
    with time_machine.travel(morning(datetime.date(2027, 2, 1)), tick=False):
        assert tasks.check_follow_ups.enqueue().return_value == 3
        assert actions.ensure_follow_ups() == 0  # idempotent
    assert FollowUp.objects.filter(placement=imported, case__isnull=True).count() == 3


def test_the_1_month_follow_up_is_due_on_the_right_day(client, cast, person, case):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        hire(cast, person)
    follow_up = FollowUp.objects.get(month=1)
    for day, expected in ((datetime.date(2027, 2, 27), False), (datetime.date(2027, 2, 28), True)):
        with time_machine.travel(morning(day), tick=False):
            client.force_login(cast.counsellor_pursat)
            page = client.get(reverse("cases:follow_ups")).content.decode()
            assert (reverse("cases:follow_up", args=[follow_up.pk]) in page) is expected, day
            upcoming = client.get(reverse("cases:follow_ups"), {"state": "upcoming"}).content.decode()
            assert (reverse("cases:follow_up", args=[follow_up.pk]) in upcoming) is not expected, day


# -- doing the follow-up ---------------------------------------------------------------------------------------


@pytest.fixture
def due(cast, person, case):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        hire(cast, person)
    return FollowUp.objects.get(month=1)


def test_the_call_script_records_the_answers_as_an_event(client, cast, case, due):
    with time_machine.travel(morning(due.due_on), tick=False):
        client.force_login(cast.counsellor_pursat)
        client.cookies["openpes_language"] = "en"
        page = client.get(reverse("cases:follow_up", args=[due.pk])).content.decode()
        assert "Are you still working?" in page and "Counsellor Pursat" in page and "+85512000444" in page
        response = client.post(
            reverse("cases:follow_up", args=[due.pk]),
            {
                "channel": "call",
                "reached": "1",
                "still_employed": "1",
                "same_employer": "1",
                "monthly_wage": "230",
                "satisfaction": "4",
                "notes": "Wants a sewing course for the evening",
            },
        )
        assert response.status_code == 302
    due.refresh_from_db()
    assert (due.reached, due.still_employed, due.same_employer, due.monthly_wage, due.satisfaction) == (
        True,
        True,
        True,
        230,
        4,
    )
    assert due.done_by == cast.counsellor_pursat
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.FOLLOW_UP_DONE)
    assert event.detail["month"] == 1 and event.detail["still_employed"] is True and event.detail["satisfaction"] == 4
    assert "sewing course" not in json.dumps(event.detail)
    case.refresh_from_db()
    assert case.last_contact_at == event.at
    assert AuditEvent.objects.filter(object_type="cases.followup", action="view").exists()
    # Recorded once.
    with time_machine.travel(morning(due.due_on), tick=False):
        client.force_login(cast.counsellor_pursat)
        client.post(reverse("cases:follow_up", args=[due.pk]), {"channel": "call", "reached": "0"})
    assert CaseEvent.objects.filter(kind=CaseEventKind.FOLLOW_UP_DONE).count() == 1


def test_someone_not_reached_stays_on_the_list_or_is_closed_as_not_reached(client, cast, case, due):
    with time_machine.travel(morning(due.due_on), tick=False):
        client.force_login(cast.counsellor_pursat)
        client.post(reverse("cases:follow_up", args=[due.pk]), {"channel": "call", "reached": "0", "try_again": "on"})
        due.refresh_from_db()
        assert due.done_at is None and due.reached is False
        assert not CaseEvent.objects.filter(kind=CaseEventKind.FOLLOW_UP_DONE).exists()
        assert reverse("cases:follow_up", args=[due.pk]) in client.get(reverse("cases:follow_ups")).content.decode()
        client.post(
            reverse("cases:follow_up", args=[due.pk]), {"channel": "call", "reached": "0", "still_employed": "1"}
        )
    done = FollowUp.objects.get(pk=due.pk)
    assert done.done_at is not None and done.still_employed is None
    assert CaseEvent.objects.get(kind=CaseEventKind.FOLLOW_UP_DONE).detail["reached"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "call", "reached": "1"}, "still_employed"),
        ({"channel": "call", "reached": "1", "still_employed": "1"}, "same_employer"),
        (
            {"channel": "call", "reached": "1", "still_employed": "1", "same_employer": "1", "monthly_wage": "-5"},
            "monthly_wage",
        ),
        (
            {"channel": "call", "reached": "1", "still_employed": "1", "same_employer": "1", "satisfaction": "7"},
            "satisfaction",
        ),
        ({"channel": "pigeon", "reached": "1", "still_employed": "0"}, "channel"),
        ({"channel": "call"}, "reached"),
        ({"channel": "call", "reached": "0", "notes": "x" * 2001}, "notes"),
    ],
)
def test_bad_follow_up_answers_get_a_clear_error_and_save_nothing(client, cast, due, data, field):
    with time_machine.travel(morning(due.due_on), tick=False):
        client.force_login(cast.counsellor_pursat)
        client.cookies["openpes_language"] = "en"
        response = client.post(reverse("cases:follow_up", args=[due.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    due.refresh_from_db()
    assert due.done_at is None and due.reached is None


def test_a_follow_up_by_sms_is_queued_once_and_names_no_employer(client, cast, due):
    with time_machine.travel(morning(due.due_on), tick=False):
        client.force_login(cast.counsellor_pursat)
        client.post(reverse("cases:follow_up_message", args=[due.pk]))
        client.post(reverse("cases:follow_up_message", args=[due.pk]))
    message = OutboundMessage.objects.get()
    assert message.to == "+85512000444"
    assert due.placement.employer.name_en not in message.body and due.placement.employer.name_km not in message.body
    due.refresh_from_db()
    assert due.message_queued and due.done_at is None


def test_people_who_prefer_sms_are_asked_automatically_on_the_day(cast, person, case, due):
    casefile.save_intake(
        actor=cast.counsellor_pursat,
        case=case,
        fields={"situation": "unemployed", "digital_access": "basic_phone", "contact_channel": "sms"},
    )
    with time_machine.travel(morning(due.due_on - datetime.timedelta(days=1)), tick=False):
        assert actions.queue_due_follow_up_messages() == 0
    with time_machine.travel(morning(due.due_on), tick=False):
        assert tasks.send_due_reminders.enqueue().return_value == {"reminders": 0, "follow_up_messages": 1}
        assert actions.queue_due_follow_up_messages() == 0
    assert OutboundMessage.objects.get().to == "+85512000444"


# -- placements recorded by the counsellor ---------------------------------------------------------------------


def record(client, case, chosen, **extra):
    data = {
        "employer": chosen.pk,
        "start_date": "2027-01-15",
        "monthly_wage": "220",
        "note": "Called the HR office",
        **extra,
    }
    return client.post(reverse("cases:placement_new", args=[case.pk]), data)


def test_a_counsellor_records_a_job_with_a_contract_and_the_case_closes(client, cast, person, case, private_media):
    employer = EmployerFactory()
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        client.force_login(cast.counsellor_pursat)
        response = record(client, case, employer, evidence=SimpleUploadedFile("Contract Sok.pdf", PDF))
        assert response.status_code == 302
        placement = Placement.objects.get()
        evidence = PlacementEvidence.objects.get()
        assert (placement.employer_id, placement.application_id, placement.centre_id) == (
            employer.pk,
            None,
            cast.pursat.pk,
        )
        assert evidence.original_name == "Contract Sok.pdf" and "Sok" not in str(evidence.file.name)
        assert evidence.note == "Called the HR office"
        assert FollowUp.objects.filter(placement=placement, case=case).count() == 3
        download = client.get(reverse("cases:placement_evidence", args=[placement.pk]))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
        assert AuditEvent.objects.filter(action="download", object_type="cases.placementevidence").exists()
    case.refresh_from_db()
    person.refresh_from_db()
    assert (case.status, case.closure_reason, person.status) == (CaseStatus.CLOSED, ClosureReason.PLACED, "placed")
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == [CaseEventKind.PLACED, CaseEventKind.CLOSED]


def test_the_counsellor_may_keep_the_case_open(client, cast, case, private_media):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        client.force_login(cast.counsellor_pursat)
        record(client, case, EmployerFactory(), keep_open="on")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert PlacementEvidence.objects.get().file.name == ""


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"evidence": SimpleUploadedFile("contract.pdf", b"<html><script>alert(1)</script></html>")}, "evidence"),
        (
            {"evidence": SimpleUploadedFile("contract.pdf", PDF.replace(b"/Catalog", b"/Catalog /JavaScript"))},
            "evidence",
        ),
        ({"start_date": "2025-01-01"}, "start_date"),
        ({"start_date": "2027-06-01"}, "start_date"),
        ({"monthly_wage": "0"}, "monthly_wage"),
        ({"note": "   "}, "note"),
        ({"employer": "999999"}, "employer"),
    ],
)
def test_bad_placement_input_gets_a_clear_error_and_saves_nothing(client, cast, case, private_media, extra, field):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        client.force_login(cast.counsellor_pursat)
        client.cookies["openpes_language"] = "en"
        response = record(client, case, EmployerFactory(), **extra)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Placement.objects.exists() and not PlacementEvidence.objects.exists()
    assert not list(private_media.rglob("*")) if private_media.exists() else True
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_an_employer_of_another_province_cannot_be_chosen(client, cast, case):
    elsewhere = EmployerFactory(province_code="02")
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        client.force_login(cast.counsellor_pursat)
        response = record(client, case, elsewhere)
    assert "employer" in response.context["form"].errors


# -- who sees what ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "evidence", "script"),
    [
        ("counsellor_pursat", 200, 200, 200),
        ("manager_pursat", 200, 200, 200),
        ("national", 200, 403, 403),
        ("counsellor_battambang", 404, 404, 404),
        ("counsellor_pursat_van", 404, 404, 404),
        ("manager_battambang", 404, 404, 404),
        ("employer_a", 403, 403, 403),
        ("jobseeker_a", 403, 403, 403),
        ("trainer", 403, 403, 403),
    ],
)
def test_placements_and_follow_ups_are_seen_only_in_scope(
    client, cast, case, private_media, who, page, evidence, script
):
    with time_machine.travel(morning(datetime.date(2027, 1, 20)), tick=False):
        client.force_login(cast.counsellor_pursat)
        record(client, case, EmployerFactory(), keep_open="on", evidence=SimpleUploadedFile("c.pdf", PDF))
        placement = Placement.objects.get()
        follow_up = FollowUp.objects.get(month=1)
        client.force_login(getattr(cast, who))
        assert client.get(reverse("cases:placement", args=[placement.pk])).status_code == page
        download = client.get(reverse("cases:placement_evidence", args=[placement.pk]))
        if download.streaming:
            assert b"".join(download.streaming_content) == PDF  # reading it to the end closes the file
        assert download.status_code == evidence
        assert client.get(reverse("cases:follow_up", args=[follow_up.pk])).status_code == script
        assert client.post(reverse("cases:follow_up_message", args=[follow_up.pk])).status_code in (script, 302)
    if script != 200:
        assert not OutboundMessage.objects.exists()
