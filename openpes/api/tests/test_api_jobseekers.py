import datetime

import pytest
from django.utils import timezone

from openpes.audit.models import AuditEvent
from openpes.jobseekers.models import Consent, DuplicateDismissal, JobSeeker, JobSeekerEvent
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

WGSS_KEYS = {"wgss", "seeing", "hearing", "walking", "cognition", "self_care", "communication", "disability"}

NEW_PERSON = {
    "name_km": "ចាន់ សុភា",
    "name_latin": "Chan Sophea",
    "sex": "F",
    "date_of_birth": "2001-04-13",
    "province": "15",
    "phone": "097 765 4321",
    "national_id": "123 456 789",
}


# ------------------------------------------------------------------------------------------------ list


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("counsellor_pursat", {"jobseeker_a"}),
        ("counsellor_pursat_van", {"jobseeker_van"}),
        ("counsellor_battambang", {"jobseeker_b"}),
        ("manager_pursat", {"jobseeker_a", "jobseeker_van"}),
        ("manager_battambang", {"jobseeker_b"}),
        ("national", {"jobseeker_a", "jobseeker_b", "jobseeker_van"}),
        ("admin", {"jobseeker_a", "jobseeker_b", "jobseeker_van"}),
        ("trainer", set()),
    ],
)
def test_the_jobseeker_list_is_scoped_by_centre_and_province(api, world, cast, who, expected):
    body = api(getattr(cast, who)).get("/jobseekers").json()
    assert {item["id"] for item in body["items"]} == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize(
    ("who", "status"), [("jobseeker_a", 403), ("employer_a", 403), ("deactivated", 401), (None, 401)]
)
def test_public_roles_and_strangers_cannot_list_jobseekers(api, world, cast, who, status):
    assert api(getattr(cast, who) if who else None).get("/jobseekers").status_code == status


def test_the_list_masks_national_id_and_phone(api, world, cast):
    response = api(cast.counsellor_pursat).get("/jobseekers")
    item = response.json()["items"][0]
    assert item["national_id_masked"] == "••••••300"
    assert item["phone_masked"].endswith(world.jobseeker_a.phone[-3:])
    assert "100200300" not in response.content.decode()
    assert world.jobseeker_a.phone not in response.content.decode()
    assert "national_id" not in item and "phone" not in item


def test_staff_search_by_name_phone_or_national_id_and_filter_by_status(api, world, cast):
    national = api(cast.national)
    assert [j["id"] for j in national.get("/jobseekers", {"q": "Bopha"}).json()["items"]] == [world.jobseeker_b.pk]
    assert [j["id"] for j in national.get("/jobseekers", {"q": "700800900"}).json()["items"]] == [
        world.jobseeker_van.pk
    ]
    local_phone = "0" + world.jobseeker_a.phone[4:]
    assert [j["id"] for j in national.get("/jobseekers", {"q": local_phone}).json()["items"]] == [world.jobseeker_a.pk]
    assert national.get("/jobseekers", {"status": "placed"}).json()["count"] == 0
    # the search stays inside the caller's scope
    assert api(cast.counsellor_battambang).get("/jobseekers", {"q": "Dara"}).json()["count"] == 0


def test_the_list_is_audited_without_the_search_words(api, world, cast):
    api(cast.counsellor_pursat).get("/jobseekers", {"q": "100200300"})
    event = AuditEvent.objects.get(action="list", actor_id=cast.counsellor_pursat.pk)
    assert (event.object_type, event.count) == ("jobseekers.jobseeker", 1)
    assert "100200300" not in str(event.detail)


def test_the_jobseeker_list_runs_a_bounded_number_of_queries(api, world, cast, django_assert_max_num_queries):
    for _ in range(20):
        JobSeekerFactory()
    national = api(cast.national)
    national.get("/jobseekers")
    with django_assert_max_num_queries(4):
        assert len(national.get("/jobseekers", {"limit": 50}).json()["items"]) == 23


# ------------------------------------------------------------------------------------------------ one record


@pytest.mark.parametrize(
    ("who", "status", "sees_wgss"),
    [
        ("jobseeker_a", 200, True),
        ("counsellor_pursat", 200, True),
        ("manager_pursat", 200, True),
        ("national", 200, False),
        ("admin", 200, False),
        ("jobseeker_b", 404, False),
        ("employer_a", 404, False),
        ("counsellor_pursat_van", 404, False),
        ("counsellor_battambang", 404, False),
        ("manager_battambang", 404, False),
        ("trainer", 404, False),
        ("deactivated", 401, False),
    ],
)
def test_a_record_is_shown_to_the_person_and_staff_in_scope_with_wgss_only_for_caseworkers(
    api, world, cast, who, status, sees_wgss
):
    response = api(getattr(cast, who)).get(f"/jobseekers/{world.jobseeker_a.pk}")
    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"detail"}
        return
    body = response.json()
    assert (body["national_id"], body["phone"]) == ("100200300", world.jobseeker_a.phone)
    assert ("wgss" in body) is sees_wgss
    if sees_wgss:
        assert body["wgss"]["walking"] == 3
        assert body["wgss"]["disability"] is True
    event = AuditEvent.objects.get(action="view", actor_id=getattr(cast, who).pk)
    assert event.subject_id == str(world.jobseeker_a.pk)
    assert event.detail == ({"wgss": True} if sees_wgss else {})


def test_a_jobseeker_reads_their_own_record_at_me(api, world, cast):
    body = api(cast.jobseeker_b).get("/jobseekers/me").json()
    assert body["id"] == world.jobseeker_b.pk
    assert body["wgss"]["walking"] == 3
    assert api(cast.counsellor_pursat).get("/jobseekers/me").status_code == 404
    assert api(None).get("/jobseekers/me").status_code == 401


# ------------------------------------------------------------------------------------------------ registration


def test_a_counsellor_registers_someone_at_the_centre(api, world, cast):
    response = api(cast.counsellor_pursat_van).post(
        "/jobseekers",
        {
            **NEW_PERSON,
            "desired_occupations": ["8153", "9321"],
            "languages": [{"language": "km", "level": 4}],
            "consents": ["registration", "share_with_employers"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner_centre"], body["channel"], body["has_account"]) == ("mu-15", "mobile", False)
    assert (body["phone"], body["national_id"]) == ("+855977654321", "123456789")
    assert [d["isco_group"] for d in body["desired_occupations"]] == ["8153", "9321"]
    assert body["consents"] == {"registration": True, "share_with_employers": True}
    assert body["wgss"] is None
    jobseeker = JobSeeker.objects.get(pk=body["id"])
    assert jobseeker.registered_by == cast.counsellor_pursat_van
    assert set(Consent.objects.filter(jobseeker=jobseeker).values_list("method", flat=True)) == {"verbal"}
    assert JobSeekerEvent.objects.filter(jobseeker=jobseeker, kind="registered").exists()
    assert AuditEvent.objects.filter(action="create", subject_id=str(jobseeker.pk)).exists()


@pytest.mark.parametrize("who", ["national", "jobseeker_a", "employer_a", "trainer"])
def test_only_counsellors_and_managers_register_people(api, world, cast, who):
    before = JobSeeker.objects.count()
    assert api(getattr(cast, who)).post("/jobseekers", NEW_PERSON).status_code == 403
    assert JobSeeker.objects.count() == before


def test_a_possible_duplicate_is_reported_until_the_counsellor_confirms(api, world, cast):
    counsellor = api(cast.counsellor_pursat)
    same_id = {**NEW_PERSON, "national_id": "100200300"}
    response = counsellor.post("/jobseekers", same_id)
    assert response.status_code == 409
    duplicates = response.json()["duplicates"]
    assert duplicates == [
        {
            "id": world.jobseeker_a.pk,
            "name": world.jobseeker_a.display_name,
            "date_of_birth": str(world.jobseeker_a.date_of_birth),
            "national_id_masked": "••••••300",
            "phone_masked": world.jobseeker_a.masked_phone,
            "owner_centre": "jc-15",
            "reasons": ["national_id"],
        }
    ]
    assert not JobSeeker.objects.filter(name_latin="Chan Sophea").exists()
    shown = AuditEvent.objects.get(action="list", actor_id=cast.counsellor_pursat.pk)
    assert shown.detail == {"possible_duplicates": [world.jobseeker_a.pk]}
    confirmed = counsellor.post("/jobseekers", {**same_id, "confirm_not_duplicate": True})
    assert confirmed.status_code == 201
    assert DuplicateDismissal.objects.count() == 1


def test_a_duplicate_outside_the_callers_scope_is_reported_only_by_centre(api, world, cast):
    response = api(cast.counsellor_battambang).post("/jobseekers", {**NEW_PERSON, "national_id": "100200300"})
    assert response.status_code == 409
    assert response.json()["duplicates"] == [
        {
            "id": None,
            "name": None,
            "date_of_birth": None,
            "national_id_masked": None,
            "phone_masked": None,
            "owner_centre": "jc-15",
            "reasons": ["national_id"],
        }
    ]
    assert "Dara" not in response.content.decode()


def test_registration_input_is_checked_and_nothing_is_half_saved(api, world, cast):
    counsellor = api(cast.counsellor_pursat)
    before = (JobSeeker.objects.count(), Consent.objects.count(), AuditEvent.objects.count())
    too_young = str(timezone.localdate() - datetime.timedelta(days=365 * 10))
    cases = {
        "date_of_birth": {**NEW_PERSON, "date_of_birth": too_young},
        "phone": {**NEW_PERSON, "phone": "555"},
        "name_km": {**NEW_PERSON, "name_km": "", "name_latin": ""},
        "national_id": {**NEW_PERSON, "national_id": "12-34/56"},
        "commune": {**NEW_PERSON, "commune": "020101"},
        "consents": {**NEW_PERSON, "consents": ["contact_sms"]},
        "desired_occupations": {**NEW_PERSON, "desired_occupations": ["81"]},
        "sex": {**NEW_PERSON, "sex": "Q"},
        "email": {**NEW_PERSON, "email": "nobody"},
        "owner_centre": {**NEW_PERSON, "owner_centre": 1},
    }
    for field, body in cases.items():
        response = counsellor.post("/jobseekers", body)
        assert response.status_code == 422, (field, response.content)
        assert response.json()["errors"][0]["field"] == field, (field, response.content)
    assert (JobSeeker.objects.count(), Consent.objects.count(), AuditEvent.objects.count()) == before


# ------------------------------------------------------------------------------------------------ changes


def test_a_jobseeker_changes_their_own_profile(api, world, cast):
    response = api(cast.jobseeker_a).patch(
        f"/jobseekers/{world.jobseeker_a.pk}",
        {"expected_wage": 250, "preferred_provinces": ["15", "12"], "employment_types": ["full_time"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["expected_wage"], body["preferred_provinces"], body["employment_types"]) == (
        250,
        ["12", "15"],
        ["full_time"],
    )
    event = JobSeekerEvent.objects.filter(jobseeker=world.jobseeker_a, kind="profile_updated").get()
    assert event.detail == {"fields": ["employment_types", "expected_wage", "preferred_provinces"]}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("jobseeker_a", 200),
        ("counsellor_pursat", 200),
        ("manager_pursat", 200),
        ("national", 403),
        ("jobseeker_b", 404),
        ("counsellor_battambang", 404),
        ("counsellor_pursat_van", 404),
        ("employer_a", 404),
    ],
)
def test_who_may_change_a_profile(api, world, cast, who, status):
    response = api(getattr(cast, who)).patch(f"/jobseekers/{world.jobseeker_a.pk}", {"address": "Phum Thmei"})
    assert response.status_code == status
    world.jobseeker_a.refresh_from_db()
    assert (world.jobseeker_a.address == "Phum Thmei") is (status == 200)


def test_a_profile_change_with_one_bad_part_saves_nothing(api, world, cast):
    response = api(cast.counsellor_pursat).patch(
        f"/jobseekers/{world.jobseeker_a.pk}",
        {"address": "Phum Thmei", "languages": [{"language": "en", "level": 2}], "skills": [999999]},
    )
    assert response.status_code == 422
    world.jobseeker_a.refresh_from_db()
    assert world.jobseeker_a.address == ""
    assert not world.jobseeker_a.languages.exists()


def test_counsellors_change_the_register_status_with_a_reason(api, world, cast):
    path = f"/jobseekers/{world.jobseeker_a.pk}/status"
    assert api(cast.jobseeker_a).post(path, {"status": "inactive", "reason": "own_request"}).status_code == 403
    assert api(cast.counsellor_battambang).post(path, {"status": "inactive", "reason": "moved"}).status_code == 404
    missing = api(cast.counsellor_pursat).post(path, {"status": "inactive"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "reason"
    response = api(cast.counsellor_pursat).post(path, {"status": "inactive", "reason": "moved"})
    assert (response.json()["status"], response.json()["inactive_reason"]) == ("inactive", "moved")
