"""The staff review queue: publish, return with a reason, close; the manage page of a vacancy."""

import pytest
from django.urls import reverse

from openpes.applications.tests.factories import ApplicationFactory
from openpes.audit.models import AuditEvent
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy, VacancyEvent
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def business_a(cast):
    employer = EmployerFactory(name_en="A Garments")
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    return employer


@pytest.fixture
def submitted(business_a):
    return VacancyFactory(employer=business_a, submitted=True, title="Packer")


def test_the_review_queue_opens_on_vacancies_waiting_for_review(client, cast, submitted, django_assert_max_num_queries):
    VacancyFactory(employer=submitted.employer, title="Already public")
    VacancyFactory(province_code="02", employer=EmployerFactory(province_code="02"), submitted=True, title="Far away")
    VacancyFactory.create_batch(5, employer=submitted.employer, submitted=True)
    client.force_login(cast.counsellor_pursat)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("vacancies:manage"))
    text = response.content.decode()
    assert "Packer" in text
    assert "Already public" not in text
    assert "Far away" not in text  # another province's centre reviews it
    everything = client.get(reverse("vacancies:manage"), {"status": ""}).content.decode()
    assert "Already public" in everything
    found = client.get(reverse("vacancies:manage"), {"status": "", "q": "packer"}).content.decode()
    assert "Packer" in found and "Already public" not in found


def test_a_counsellor_publishes_a_submitted_vacancy(client, cast, submitted):
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("vacancies:detail_manage", args=[submitted.pk])).content.decode()
    assert "Return to the employer" in page
    response = client.post(reverse("vacancies:publish", args=[submitted.pk]))
    assert response["Location"] == reverse("vacancies:detail_manage", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.status == VacancyStatus.PUBLISHED
    assert submitted.published_at is not None
    event = VacancyEvent.objects.get(vacancy=submitted, to_status="published")
    assert event.actor == cast.counsellor_pursat and event.from_status == "submitted"
    assert AuditEvent.objects.filter(object_id=str(submitted.pk), detail__status="published").exists()


def test_a_vacancy_is_returned_with_a_reason_the_employer_sees(client, cast, submitted):
    client.force_login(cast.counsellor_pursat)
    response = client.post(reverse("vacancies:return", args=[submitted.pk]), {"reason": "", "note": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == VacancyStatus.SUBMITTED
    client.post(
        reverse("vacancies:return", args=[submitted.pk]),
        {"reason": "discriminatory", "note": "Remove 'women under 25 only'."},
    )
    submitted.refresh_from_db()
    assert submitted.status == VacancyStatus.REJECTED
    assert VacancyEvent.objects.get(vacancy=submitted, to_status="rejected").reason == "discriminatory"
    assert AuditEvent.objects.filter(object_id=str(submitted.pk), detail__status="rejected").exists()
    client.force_login(cast.employer_a)
    page = client.get(reverse("vacancies:detail_manage", args=[submitted.pk])).content.decode()
    assert "Discriminatory requirement" in page
    assert "women under 25 only" in page
    # The employer corrects it and sends it again.
    assert "Send for review" in page
    client.post(reverse("vacancies:submit", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == VacancyStatus.SUBMITTED


def test_a_counsellor_of_another_province_gets_404_on_review(client, cast, submitted):
    client.force_login(cast.counsellor_battambang)
    assert client.get(reverse("vacancies:detail_manage", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("vacancies:publish", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("vacancies:return", args=[submitted.pk]), {"reason": "incomplete"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == VacancyStatus.SUBMITTED


def test_the_employer_and_the_national_officer_cannot_publish(client, cast, submitted):
    client.force_login(cast.employer_a)
    assert client.post(reverse("vacancies:publish", args=[submitted.pk])).status_code == 403
    client.force_login(cast.national)
    assert client.get(reverse("vacancies:detail_manage", args=[submitted.pk])).status_code == 200
    assert client.post(reverse("vacancies:publish", args=[submitted.pk])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == VacancyStatus.SUBMITTED


@pytest.mark.parametrize("who", ["jobseeker_a", "trainer"])
def test_jobseekers_and_trainers_get_403_on_the_staff_pages(client, cast, submitted, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("vacancies:manage")).status_code == 403
    assert client.get(reverse("vacancies:detail_manage", args=[submitted.pk])).status_code == 403
    assert client.post(reverse("vacancies:publish", args=[submitted.pk])).status_code == 403


def test_the_employer_closes_a_published_vacancy_as_filled_through_the_service(client, cast, business_a):
    vacancy = VacancyFactory(employer=business_a)
    client.force_login(cast.employer_a)
    form = client.get(reverse("vacancies:close", args=[vacancy.pk])).content.decode()
    assert "Closing date passed" not in form  # only the system expires vacancies
    client.post(reverse("vacancies:close", args=[vacancy.pk]), {"reason": "filled_pes"})
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED
    assert VacancyEvent.objects.get(vacancy=vacancy, to_status="filled").reason == "filled_pes"
    assert AuditEvent.objects.filter(object_id=str(vacancy.pk), detail__status="filled").exists()


def test_closing_needs_a_valid_reason(client, cast, business_a):
    vacancy = VacancyFactory(employer=business_a)
    client.force_login(cast.counsellor_pursat)
    response = client.post(reverse("vacancies:close", args=[vacancy.pk]), {"reason": "closing_date"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert VacancyStatus(Vacancy.objects.get(pk=vacancy.pk).status) == VacancyStatus.PUBLISHED
    client.post(reverse("vacancies:close", args=[vacancy.pk]), {"reason": "cancelled", "note": "Budget cut"})
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.CLOSED


def test_employer_b_cannot_close_employer_a_vacancy(client, cast, business_a):
    vacancy = VacancyFactory(employer=business_a)
    client.force_login(cast.employer_b)
    assert client.post(reverse("vacancies:close", args=[vacancy.pk]), {"reason": "cancelled"}).status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED


def test_the_manage_page_lists_applications_with_links_and_audits_the_list(client, cast, business_a):
    vacancy = VacancyFactory(employer=business_a)
    application = ApplicationFactory(vacancy=vacancy)
    client.force_login(cast.employer_a)
    page = client.get(reverse("vacancies:detail_manage", args=[vacancy.pk])).content.decode()
    assert reverse("applications:detail", args=[application.pk]) in page
    assert application.jobseeker.name_latin in page
    assert AuditEvent.objects.filter(
        action="list", object_type="applications.application", actor_id=cast.employer_a.pk, count=1
    ).exists()


def test_the_history_shows_every_transition(client, cast, business_a):
    vacancy = VacancyFactory(employer=business_a, submitted=True)
    client.force_login(cast.counsellor_pursat)
    client.post(reverse("vacancies:publish", args=[vacancy.pk]))
    client.post(reverse("vacancies:close", args=[vacancy.pk]), {"reason": "filled_elsewhere"})
    page = client.get(reverse("vacancies:detail_manage", args=[vacancy.pk])).content.decode()
    assert "Published" in page
    assert "Filled another way" in page


def test_an_employer_user_lists_only_their_own_vacancies_in_every_state(client, cast, business_a):
    VacancyFactory(employer=business_a, title="Our draft", draft=True)
    VacancyFactory(employer=business_a, title="Our job")
    VacancyFactory(title="Their job")
    client.force_login(cast.employer_a)
    text = client.get(reverse("vacancies:manage")).content.decode()
    assert "Our draft" in text and "Our job" in text
    assert "Their job" not in text
