"""Coordinators build the programme and its events; others may read (national officers) or not reach them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.training.enums import RegistrationStatus, Tier
from openpes.training.models import Event, FundingProject, Programme, Registration
from openpes.training.tests.events_helpers import staff, tot_with_tests
from openpes.training.tests.factories import CourseFactory, EventFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, cast):
    client.force_login(cast.coordinator)
    return client


def test_coordinator_creates_a_programme_with_both_funding_projects(coordinator_client):
    projects = list(FundingProject.objects.order_by("code"))
    assert len(projects) == 2
    response = coordinator_client.post(
        reverse("training:programme_new"),
        {
            "title_km": "ការកសាងសមត្ថភាព",
            "title_en": "Capacity building 2026",
            "funding_projects": [p.pk for p in projects],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    programme = Programme.objects.get(title_en="Capacity building 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:programme_detail", args=[programme.pk])
    assert set(programme.funding_projects.all()) == set(projects)
    assert AuditEvent.objects.filter(object_type="training.programme", action="create").count() == 1
    page = coordinator_client.get(response["Location"])
    assert "Capacity building 2026" in page.content.decode()


def test_a_programme_without_a_title_or_ending_before_it_starts_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("training:programme_new"), {"starts_on": "2026-05-01", "ends_on": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "Give the title in Khmer or in English." in response.content.decode()
    assert "The programme cannot end before it starts." in response.content.decode()
    assert not Programme.objects.exists()


def test_coordinator_creates_a_tot_that_counts_for_two_projects(coordinator_client, cast):
    course = CourseFactory()
    projects = list(FundingProject.objects.all())
    response = coordinator_client.post(
        reverse("training:event_new", args=[course.programme.pk]) + "?tier=tot",
        {
            "title_en": "ToT Phnom Penh",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-03",
            "hours": "18",
            "venue": "NEA",
            "province": "",
            "facilitators": [cast.trainer.pk],
            "course": course.pk,
            "post_test_threshold": "70",
            "funding_projects": [p.pk for p in projects],
            "capacity": "20",
        },
    )
    event = Event.objects.get(title_en="ToT Phnom Penh")
    assert response.status_code == 302
    assert event.tier == Tier.TOT
    assert event.days == [datetime.date(2026, 4, d) for d in (1, 2, 3)]
    assert set(event.funding_projects.all()) == set(projects)
    assert list(event.facilitators.all()) == [cast.trainer]


def test_a_tot_needs_the_course_that_gives_its_tests(coordinator_client):
    programme = ProgrammeFactory()
    response = coordinator_client.post(
        reverse("training:event_new", args=[programme.pk]) + "?tier=tot",
        {
            "title_en": "ToT",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-01",
            "hours": "6",
            "post_test_threshold": "70",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Event.objects.exists()


def test_a_webinar_needs_a_link_and_accepts_any_platform(coordinator_client):
    programme = ProgrammeFactory()
    url = reverse("training:event_new", args=[programme.pk]) + "?tier=webinar"
    data = {"title_en": "Trends in garment jobs", "starts_on": "2026-04-01", "ends_on": "2026-04-01", "hours": "2"}
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert not Event.objects.exists()
    response = coordinator_client.post(
        url, {**data, "link": "https://bbb.example.org/b/nea-xyz", "self_enrolment": "on"}
    )
    assert response.status_code == 302
    webinar = Event.objects.get()
    assert webinar.tier == Tier.WEBINAR and webinar.link == "https://bbb.example.org/b/nea-xyz"


def test_an_event_cannot_end_before_it_starts(coordinator_client):
    course = CourseFactory()
    response = coordinator_client.post(
        reverse("training:event_new", args=[course.programme.pk]) + "?tier=tot",
        {"title_en": "T", "starts_on": "2026-04-02", "ends_on": "2026-04-01", "hours": "6", "course": course.pk,
         "post_test_threshold": "70"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Event.objects.exists()


def test_a_webinar_is_held_on_one_day(coordinator_client):
    programme = ProgrammeFactory()
    coordinator_client.post(
        reverse("training:event_new", args=[programme.pk]) + "?tier=webinar",
        {
            "title_en": "W",
            "starts_on": "2026-04-02",
            "ends_on": "2026-04-09",
            "hours": "2",
            "link": "https://meet.jit.si/x",
        },
    )
    webinar = Event.objects.get()
    assert webinar.starts_on == webinar.ends_on == datetime.date(2026, 4, 2)


def test_an_unknown_tier_is_404(coordinator_client):
    programme = ProgrammeFactory()
    assert (
        coordinator_client.get(reverse("training:event_new", args=[programme.pk]) + "?tier=online").status_code == 404
    )


@pytest.mark.parametrize("who", ["counsellor_pursat", "manager_pursat", "trainer"])
def test_staff_who_do_not_run_the_programme_cannot_open_the_coordinator_pages(client, cast, who):
    programme = ProgrammeFactory()
    event = EventFactory(programme=programme)
    client.force_login(getattr(cast, who))
    for url in (
        reverse("training:programmes"),
        reverse("training:programme_new"),
        reverse("training:programme_detail", args=[programme.pk]),
        reverse("training:programme_edit", args=[programme.pk]),
        reverse("training:event_new", args=[programme.pk]) + "?tier=tot",
        reverse("training:event_edit", args=[event.pk]),
        reverse("training:trainers"),
        reverse("training:reports"),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a"])
def test_the_public_roles_cannot_reach_training_events(client, cast, who):
    event = EventFactory(self_enrolment=True)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("training:events")).status_code == 403
    assert client.get(reverse("training:event_detail", args=[event.pk])).status_code == 403
    assert client.get(reverse("training:check_in")).status_code == 403


def test_a_national_officer_reads_the_programme_but_cannot_change_it(client, cast):
    programme = ProgrammeFactory()
    client.force_login(cast.national)
    assert client.get(reverse("training:programmes")).status_code == 200
    assert client.get(reverse("training:programme_detail", args=[programme.pk])).status_code == 200
    assert client.get(reverse("training:programme_new")).status_code == 403
    assert client.post(reverse("training:programme_edit", args=[programme.pk]), {"title_en": "x"}).status_code == 403


def test_the_event_list_shows_open_and_own_events_to_a_counsellor_but_not_others(client, cast):
    today = datetime.date.today()
    own = EventFactory(title_en="Mine", starts_on=today, ends_on=today)
    open_one = EventFactory(title_en="Open webinar", tier=Tier.WEBINAR, self_enrolment=True, link="https://x.example")
    closed = EventFactory(title_en="Closed ToT")
    Registration.objects.create(event=own, participant=cast.counsellor_pursat)
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("training:events")).content.decode()
    assert "Mine" in page and "Open webinar" in page
    assert "Closed ToT" not in page
    assert client.get(reverse("training:event_detail", args=[closed.pk])).status_code == 404
    assert client.get(reverse("training:event_detail", args=[open_one.pk])).status_code == 200


def test_the_event_list_runs_in_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    for n in range(12):
        event = EventFactory(programme=programme, title_en=f"Event {n}", self_enrolment=True)
        Registration.objects.create(event=event, participant=staff())
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:events"))
    assert response.status_code == 200
    assert response.content.decode().count("Event ") >= 12


def test_self_enrolment_respects_capacity_and_can_be_cancelled(client, cast):
    event = EventFactory(self_enrolment=True, capacity=1)
    client.force_login(cast.counsellor_pursat)
    client.post(reverse("training:event_self_enrol", args=[event.pk]))
    assert Registration.objects.filter(event=event, participant=cast.counsellor_pursat).exists()
    client.force_login(cast.counsellor_battambang)
    response = client.post(reverse("training:event_self_enrol", args=[event.pk]), follow=True)
    assert "This event is full." in response.content.decode()
    assert not Registration.objects.filter(event=event, participant=cast.counsellor_battambang).exists()
    client.force_login(cast.counsellor_pursat)
    client.post(reverse("training:event_cancel", args=[event.pk]))
    assert (
        Registration.objects.get(event=event, participant=cast.counsellor_pursat).status == RegistrationStatus.CANCELLED
    )


def test_self_enrolment_is_refused_when_the_event_does_not_take_it(client, cast):
    event = EventFactory(self_enrolment=False)
    Registration.objects.create(event=event, participant=cast.counsellor_battambang)  # so they can see it
    client.force_login(cast.counsellor_pursat)
    assert client.post(reverse("training:event_self_enrol", args=[event.pk])).status_code == 404


def test_the_coordinator_enrols_staff_found_by_centre_and_the_list_is_audited(client, cast):
    event = tot_with_tests(capacity=10)
    client.force_login(cast.coordinator)
    page = client.get(reverse("training:event_participants", args=[event.pk]), {"q": "Pursat"}).content.decode()
    assert "Counsellor Pursat" in page and "Counsellor Battambang" not in page
    response = client.post(
        reverse("training:event_participants", args=[event.pk]),
        {"people": [cast.counsellor_pursat.pk, cast.counsellor_battambang.pk]},
    )
    assert response.status_code == 302
    assert event.registrations.count() == 2
    client.get(reverse("training:event_participants", args=[event.pk]))
    assert AuditEvent.objects.filter(object_type="training.registration", action="list", count=2).exists()


def test_enrolling_beyond_capacity_enrols_nobody(client, cast):
    event = EventFactory(capacity=1)
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("training:event_participants", args=[event.pk]),
        {"people": [cast.counsellor_pursat.pk, cast.counsellor_battambang.pk]},
    )
    assert response.status_code == 200
    assert "Only 1 places are left" in response.content.decode()
    assert not event.registrations.exists()


def test_a_trainer_manages_only_the_events_they_facilitate_or_lead(client, cast):
    mine = EventFactory(title_en="Mine")
    mine.facilitators.add(cast.trainer)
    other = EventFactory(title_en="Other")
    client.force_login(cast.trainer)
    assert client.get(reverse("training:event_participants", args=[mine.pk])).status_code == 200
    assert client.get(reverse("training:event_participants", args=[other.pk])).status_code == 404
    assert client.get(reverse("training:event_check_in", args=[other.pk])).status_code == 404
    assert client.get(reverse("training:event_import", args=[other.pk])).status_code == 404
    day = other.starts_on.isoformat()
    assert client.get(reverse("training:event_roster", args=[other.pk, day])).status_code == 404
    # A trainer runs their event but does not change its set-up.
    assert client.get(reverse("training:event_edit", args=[mine.pk])).status_code == 403
