import datetime

import pytest
from django.utils import timezone

from openpes.api.tests.conftest import all_keys
from openpes.applications.models import Application, ApplicationEvent, Placement
from openpes.applications.tests.factories import ApplicationFactory
from openpes.audit.models import AuditEvent
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

# What an employer must never receive about an applicant (S14).
NEVER_FOR_EMPLOYERS = {
    "wgss",
    "seeing",
    "hearing",
    "walking",
    "cognition",
    "self_care",
    "communication",
    "disability",
    "national_id",
    "national_id_masked",
    "date_of_birth",
    "jobseeker",
    "accommodation_needs",
    "inactive_reason",
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("jobseeker_a", {"application_a"}),
        ("jobseeker_b", {"application_b"}),
        ("employer_a", {"application_a"}),
        ("employer_b", {"application_b"}),
        ("counsellor_pursat", {"application_a"}),
        ("counsellor_pursat_van", set()),
        ("counsellor_battambang", {"application_b"}),
        ("manager_pursat", {"application_a"}),
        ("manager_battambang", {"application_b"}),
        ("national", {"application_a", "application_b"}),
        ("trainer", set()),
    ],
)
def test_the_application_list_is_scoped_like_the_pages(api, world, cast, who, expected):
    body = api(getattr(cast, who)).get("/applications").json()
    assert {a["id"] for a in body["items"]} == {getattr(world, name).pk for name in expected}


def test_the_application_list_needs_a_caller(api, world, cast):
    assert api(None).get("/applications").status_code == 401
    assert api(cast.deactivated).get("/applications").status_code == 401


def test_employers_see_only_the_shared_profile_never_health_data_or_ids(api, world, cast):
    world.jobseeker_a.email = "dara@example.org"
    world.jobseeker_a.save()
    listed = api(cast.employer_a).get("/applications")
    one = api(cast.employer_a).get(f"/applications/{world.application_a.pk}")
    for response in (listed, one):
        body = response.json()
        assert not all_keys(body) & NEVER_FOR_EMPLOYERS, all_keys(body) & NEVER_FOR_EMPLOYERS
        assert "100200300" not in response.content.decode()
    applicant = one.json()["applicant"]
    assert set(applicant) == {"name", "phone", "email", "province", "education", "experience", "skills", "languages",
                              "cv_id"}  # fmt: skip
    assert (applicant["phone"], applicant["email"]) == (world.jobseeker_a.phone, "dara@example.org")


def test_staff_and_the_person_see_who_applied(api, world, cast):
    body = api(cast.counsellor_pursat).get(f"/applications/{world.application_a.pk}").json()
    assert (body["jobseeker"], body["source"], body["status"]) == (world.jobseeker_a.pk, "applied", "new")
    assert "applicant" not in body
    event = AuditEvent.objects.get(action="view", actor_id=cast.counsellor_pursat.pk)
    assert (event.object_type, event.subject_id) == ("applications.application", str(world.jobseeker_a.pk))


@pytest.mark.parametrize(
    ("who", "status"),
    [("employer_b", 404), ("jobseeker_b", 404), ("counsellor_battambang", 404), ("counsellor_pursat_van", 404)],
)
def test_a_guessed_application_id_is_404(api, world, cast, who, status):
    assert api(getattr(cast, who)).get(f"/applications/{world.application_a.pk}").status_code == status


def test_the_employer_application_list_runs_a_bounded_number_of_queries(
    api, world, cast, django_assert_max_num_queries
):
    for _ in range(10):
        applicant = JobSeekerFactory()
        WgssAnswersFactory(jobseeker=applicant)
        ApplicationFactory(vacancy=world.vacancy_pursat, jobseeker=applicant)
    employer = api(cast.employer_a)
    employer.get("/applications")
    # shared_profile() loads each applicant's skills with one query of its own; everything else is prefetched.
    with django_assert_max_num_queries(10 + 11):
        assert len(employer.get("/applications").json()["items"]) == 11


def test_the_staff_application_list_runs_a_bounded_number_of_queries(api, world, cast, django_assert_max_num_queries):
    for _ in range(10):
        ApplicationFactory(vacancy=world.vacancy_pursat, jobseeker=JobSeekerFactory())
    national = api(cast.national)
    national.get("/applications")
    with django_assert_max_num_queries(4):
        assert len(national.get("/applications").json()["items"]) == 12


# ------------------------------------------------------------------------------------------------ applying


def test_a_jobseeker_applies_once_to_an_open_vacancy(api, world, cast):
    jobseeker = api(cast.jobseeker_a)
    response = jobseeker.post("/applications", {"vacancy": world.vacancy_battambang.pk, "note": "I can start now."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["jobseeker"], body["source"], body["note"]) == (world.jobseeker_a.pk, "applied", "I can start now.")
    again = jobseeker.post("/applications", {"vacancy": world.vacancy_battambang.pk})
    assert again.status_code == 409
    assert again.json()["detail"] == "This person has already applied or been referred to this vacancy."


def test_a_jobseeker_cannot_apply_to_a_draft_or_for_someone_else(api, world, cast):
    jobseeker = api(cast.jobseeker_a)
    assert jobseeker.post("/applications", {"vacancy": world.draft_battambang.pk}).status_code == 404
    assert (
        jobseeker.post(
            "/applications", {"vacancy": world.vacancy_battambang.pk, "jobseeker": world.jobseeker_b.pk}
        ).status_code
        == 404
    )
    assert not Application.objects.filter(vacancy=world.vacancy_battambang, jobseeker=world.jobseeker_b).exclude(
        pk=world.application_b.pk
    )


def test_a_closed_vacancy_takes_no_more_applications(api, world, cast):
    expired = VacancyFactory(
        employer=world.employer_battambang, closing_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = api(cast.jobseeker_a).post("/applications", {"vacancy": expired.pk})
    assert response.status_code == 409
    assert response.json()["detail"] == "This vacancy is no longer open."


def test_a_jobseeker_account_without_a_record_is_asked_to_register_first(api, world, cast):
    world.jobseeker_a.user = None
    world.jobseeker_a.save()
    response = api(cast.jobseeker_a).post("/applications", {"vacancy": world.vacancy_pursat.pk})
    assert response.status_code == 422
    assert response.json()["detail"] == "Complete your registration before you apply."


def test_a_counsellor_refers_someone_in_scope_with_a_note(api, world, cast):
    counsellor = api(cast.counsellor_pursat_van)
    response = counsellor.post(
        "/applications",
        {"vacancy": world.vacancy_battambang.pk, "jobseeker": world.jobseeker_van.pk, "note": "Reliable worker"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["referral_centre"], body["note"]) == ("referred", "mu-15", "Reliable worker")
    employer_view = api(cast.employer_b).get(f"/applications/{body['id']}").json()
    assert employer_view["note"] == "Reliable worker"
    assert employer_view["applicant"]["name"] == world.jobseeker_van.display_name


@pytest.mark.parametrize(
    ("who", "status"),
    [("counsellor_battambang", 404), ("national", 403), ("employer_a", 403), ("trainer", 403)],
)
def test_only_counsellors_and_managers_in_scope_refer(api, world, cast, who, status):
    before = Application.objects.count()
    response = api(getattr(cast, who)).post(
        "/applications", {"vacancy": world.vacancy_pursat.pk, "jobseeker": world.jobseeker_van.pk}
    )
    assert response.status_code == status
    assert Application.objects.count() == before


def test_a_referral_names_the_person(api, world, cast):
    response = api(cast.counsellor_pursat).post("/applications", {"vacancy": world.vacancy_pursat.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "jobseeker"


# ------------------------------------------------------------------------------------------------ selection


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employer_a", 200),
        ("counsellor_pursat", 200),
        ("manager_pursat", 200),
        ("national", 403),
        ("jobseeker_a", 403),
        ("employer_b", 404),
        ("counsellor_battambang", 404),
    ],
)
def test_who_moves_an_application_through_selection(api, world, cast, who, status):
    response = api(getattr(cast, who)).post(f"/applications/{world.application_a.pk}/move", {"status": "interview"})
    assert response.status_code == status
    world.application_a.refresh_from_db()
    assert world.application_a.status == ("interview" if status == 200 else "new")


def test_a_rejection_needs_a_reason_and_a_finished_application_cannot_move(api, world, cast):
    employer = api(cast.employer_a)
    path = f"/applications/{world.application_a.pk}/move"
    assert employer.post(path, {"status": "rejected"}).json()["errors"][0]["field"] == "reason"
    assert employer.post(path, {"status": "hired"}).status_code == 422
    response = employer.post(path, {"status": "rejected", "reason": "lacks_experience"})
    assert (response.json()["status"], response.json()["reason"]) == ("rejected", "lacks_experience")
    assert employer.post(path, {"status": "interview"}).status_code == 409
    assert list(
        ApplicationEvent.objects.filter(application=world.application_a).values_list("to_status", flat=True)
    ) == ["rejected"]


def test_a_hire_records_the_placement_and_the_person_is_placed(api, world, cast):
    start = str(timezone.localdate() + datetime.timedelta(days=7))
    path = f"/applications/{world.application_a.pk}/hire"
    assert api(cast.jobseeker_a).post(path, {"start_date": start}).status_code == 403
    far = str(timezone.localdate() + datetime.timedelta(days=900))
    assert api(cast.employer_a).post(path, {"start_date": far}).json()["errors"][0]["field"] == "start_date"
    assert api(cast.employer_a).post(path, {"start_date": start}).status_code == 409  # not interviewed yet
    api(cast.employer_a).post(f"/applications/{world.application_a.pk}/move", {"status": "interview"})
    response = api(cast.employer_a).post(path, {"start_date": start, "monthly_wage": 230})
    assert response.status_code == 201, response.content
    placement = Placement.objects.get(pk=response.json()["id"])
    assert (placement.application, placement.monthly_wage) == (world.application_a, 230)
    world.jobseeker_a.refresh_from_db()
    assert world.jobseeker_a.status == "placed"
    assert api(cast.employer_a).post(path, {"start_date": start}).status_code == 409


@pytest.mark.parametrize(
    ("who", "status"),
    [("jobseeker_a", 200), ("counsellor_pursat", 200), ("employer_a", 403), ("jobseeker_b", 404), ("national", 403)],
)
def test_who_may_withdraw_an_application(api, world, cast, who, status):
    path = f"/applications/{world.application_a.pk}/withdraw"
    response = api(getattr(cast, who)).post(path, {"reason": "hired_elsewhere"})
    assert response.status_code == status
    world.application_a.refresh_from_db()
    assert world.application_a.status == ("withdrawn" if status == 200 else "new")
