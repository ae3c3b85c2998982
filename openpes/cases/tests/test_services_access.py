"""The access matrix for the services pages (S4): every actor of the cast against every page. Out of scope is
404; in scope but not a caseworker is 403; the public roles get 403 on staff pages; a deactivated account is
signed out; employers never see case data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.audit.models import AuditEvent
from openpes.cases.actions import services as actions
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

CASE_PAGES = ("cases:book", "cases:refer_service", "cases:placement_new")
WORK_LISTS = ("cases:calendar", "cases:slot_new", "cases:follow_ups", "cases:employers_due")
STAFF_PAGES = ("cases:partners",)

CASEWORK = {"counsellor_pursat": 200, "manager_pursat": 200}
ELSEWHERE = {"counsellor_pursat_van": 404, "counsellor_battambang": 404, "manager_battambang": 404}
NOT_CASEWORKERS = dict.fromkeys(
    ("national", "admin", "trainer", "coordinator", "jobseeker_a", "jobseeker_b", "employer_a", "employer_b"), 403
)
EXPECTED_CASE = {**CASEWORK, **ELSEWHERE, **NOT_CASEWORKERS}
EXPECTED_LISTS = {**CASEWORK, **dict.fromkeys(ELSEWHERE, 200), **NOT_CASEWORKERS}
EXPECTED_STAFF = dict.fromkeys(
    (*CASEWORK, *ELSEWHERE, "national", "admin", "trainer", "coordinator"), 200
) | dict.fromkeys(("jobseeker_a", "jobseeker_b", "employer_a", "employer_b"), 403)


@pytest.fixture
def case(cast):
    return CaseFactory(jobseeker=JobSeekerFactory(user=cast.jobseeker_a), counsellor=cast.counsellor_pursat)


@pytest.mark.parametrize("actor", sorted(EXPECTED_CASE))
def test_every_actor_gets_what_the_policy_says_on_every_services_page(client, cast, case, actor):
    client.force_login(getattr(cast, actor))
    for name in CASE_PAGES:
        assert client.get(reverse(name, args=[case.pk])).status_code == EXPECTED_CASE[actor], name
        # Writes follow the same policy (an empty form is re-shown with its errors to those allowed).
        assert client.post(reverse(name, args=[case.pk]), {}).status_code == EXPECTED_CASE[actor], name
    for name in WORK_LISTS:
        assert client.get(reverse(name)).status_code == EXPECTED_LISTS[actor], name
    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == EXPECTED_STAFF[actor], name
    own = client.get(reverse("cases:my_appointments"))
    assert own.status_code == (200 if actor == "jobseeker_a" else 302 if actor == "jobseeker_b" else 403), actor


def test_a_deactivated_account_is_signed_out_of_every_services_page(client, cast, case):
    client.force_login(cast.deactivated)
    for url in [reverse(name, args=[case.pk]) for name in CASE_PAGES] + [reverse(name) for name in WORK_LISTS]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_guessed_ids_are_not_found(client, cast):
    client.force_login(cast.counsellor_pursat)
    for name in (
        *CASE_PAGES,
        "cases:placement",
        "cases:follow_up",
        "cases:employer_contacts",
        "cases:shortlist",
        "cases:shortlist_new",
        "cases:partner",
    ):
        assert client.get(reverse(name, args=[987654])).status_code == 404, name


def test_national_staff_read_the_case_services_without_the_buttons(client, cast, case):
    start = timezone.now() + datetime.timedelta(days=1)
    actions.book_appointment(
        actor=cast.counsellor_pursat,
        case=case,
        counsellor=cast.counsellor_pursat,
        starts_at=start,
        minutes=30,
        purpose="Plan review",
    )
    client.force_login(cast.national)
    client.cookies["openpes_language"] = "en"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Plan review" in page
    assert reverse("cases:book", args=[case.pk]) not in page
    assert "Cancel the appointment" not in page
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:book", args=[case.pk]) in page and "Cancel the appointment" in page


def test_the_jobseeker_sees_no_staff_section_of_their_case(client, cast, case):
    client.force_login(cast.jobseeker_a)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 403


def test_opening_a_services_form_about_a_person_is_an_audited_read(client, cast, case):
    client.force_login(cast.counsellor_pursat)
    for name in CASE_PAGES:
        client.get(reverse(name, args=[case.pk]))
    reads = AuditEvent.objects.filter(action="view", object_type="cases.case", subject_id=str(case.jobseeker_id))
    assert sorted(e.detail["page"] for e in reads) == ["book", "placement_new", "refer_service"]
