import pytest

from openpes.audit.models import AuditEvent
from openpes.employers.models import Employer, EmployerEvent
from openpes.employers.tests.factories import EmployerFactory
from openpes.vacancies.enums import VacancyStatus

pytestmark = pytest.mark.django_db

NEW_EMPLOYER = {
    "name_en": "Kampong Loung Fisheries",
    "sector": "A",
    "size_band": "10-49",
    "province": "15",
    "contact_name": "Mr Vuthy",
    "phone": "012 222 333",
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("counsellor_pursat", {"employer_pursat", "employer_pending"}),
        ("manager_pursat", {"employer_pursat", "employer_pending"}),
        ("counsellor_pursat_van", set()),
        ("counsellor_battambang", {"employer_battambang"}),
        ("manager_battambang", {"employer_battambang"}),
        ("national", {"employer_pursat", "employer_pending", "employer_battambang"}),
        ("employer_a", {"employer_pursat", "employer_pending"}),
        ("employer_b", {"employer_battambang"}),
        ("jobseeker_a", set()),
        ("trainer", set()),
    ],
)
def test_the_employer_list_is_scoped_like_the_pages(api, world, cast, who, expected):
    body = api(getattr(cast, who)).get("/employers").json()
    assert {item["id"] for item in body["items"]} == {getattr(world, name).pk for name in expected}
    assert body["count"] == len(expected)


def test_the_employer_list_needs_a_caller(api, world, cast):
    assert api(None).get("/employers").status_code == 401
    assert api(cast.deactivated).get("/employers").status_code == 401


def test_the_employer_list_filters_by_name_and_verification(api, world, cast):
    national = api(cast.national)
    assert [e["id"] for e in national.get("/employers", {"q": "rice"}).json()["items"]] == [
        world.employer_battambang.pk
    ]
    assert [e["id"] for e in national.get("/employers", {"verification": "pending"}).json()["items"]] == [
        world.employer_pending.pk
    ]
    assert national.get("/employers", {"province": "02"}).json()["count"] == 1


def test_the_employer_list_runs_a_bounded_number_of_queries(api, world, cast, django_assert_max_num_queries):
    for _ in range(10):
        EmployerFactory()
    national = api(cast.national)
    national.get("/employers")  # the token's first use is recorded once
    with django_assert_max_num_queries(3):
        assert national.get("/employers").json()["count"] == 13


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counsellor_pursat", 200),
        ("manager_pursat", 200),
        ("national", 200),
        ("employer_a", 200),
        ("employer_b", 404),
        ("counsellor_battambang", 404),
        ("manager_battambang", 404),
        ("counsellor_pursat_van", 404),
        ("jobseeker_a", 404),
    ],
)
def test_one_employer_is_shown_only_in_scope_and_the_read_is_audited(api, world, cast, who, status):
    response = api(getattr(cast, who)).get(f"/employers/{world.employer_pursat.pk}")
    assert response.status_code == status
    audited = AuditEvent.objects.filter(
        action="view", object_id=str(world.employer_pursat.pk), actor_id=getattr(cast, who).pk
    )
    assert audited.count() == (1 if status == 200 else 0)
    if status == 200:
        assert response.json()["phone"] == "+85523123456"


def test_a_counsellor_registers_an_employer_on_its_behalf(api, world, cast):
    response = api(cast.counsellor_pursat).post("/employers", NEW_EMPLOYER)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["verification"], body["owner_centre"], body["phone"]) == ("pending", "jc-15", "+85512222333")
    employer = Employer.objects.get(pk=body["id"])
    assert employer.created_by == cast.counsellor_pursat
    assert EmployerEvent.objects.filter(employer=employer, kind="registered").exists()


@pytest.mark.parametrize("who", ["employer_a", "jobseeker_a", "national", "trainer"])
def test_only_counsellors_and_managers_register_employers(api, world, cast, who):
    before = Employer.objects.count()
    assert api(getattr(cast, who)).post("/employers", NEW_EMPLOYER).status_code == 403
    assert Employer.objects.count() == before


def test_an_employer_without_a_name_or_with_a_bad_phone_is_refused(api, world, cast):
    counsellor = api(cast.counsellor_pursat)
    before = Employer.objects.count()
    nameless = counsellor.post("/employers", {**NEW_EMPLOYER, "name_en": ""})
    assert nameless.status_code == 422
    assert nameless.json()["errors"][0]["field"] == "name_en"
    bad_phone = counsellor.post("/employers", {**NEW_EMPLOYER, "phone": "12"})
    assert bad_phone.json()["errors"][0] == {
        "field": "phone",
        "message": "Enter a valid phone number, for example 012 345 678 or +855 12 345 678.",
        "type": "invalid_phone",
    }
    too_many_disabled = counsellor.post(
        "/employers", {**NEW_EMPLOYER, "declared_staff": 10, "declared_staff_with_disabilities": 11}
    )
    assert too_many_disabled.json()["errors"][0]["field"] == "declared_staff_with_disabilities"
    bad_email = counsellor.post("/employers", {**NEW_EMPLOYER, "email": "not-an-address"})
    assert bad_email.json()["errors"][0]["field"] == "email"
    assert Employer.objects.count() == before


def test_the_phone_error_is_in_khmer_for_a_khmer_caller(api, world, cast):
    response = api(cast.counsellor_pursat, language="km").post("/employers", {**NEW_EMPLOYER, "phone": "12"})
    assert response.status_code == 422
    assert response.json()["detail"] == "សំណើនេះមិនត្រឹមត្រូវទេ។"
    assert response.json()["errors"][0]["message"].startswith("សូមបញ្ចូលលេខទូរស័ព្ទ")


def test_an_employer_user_changes_their_own_employer_only(api, world, cast):
    response = api(cast.employer_a).patch(f"/employers/{world.employer_pursat.pk}", {"declared_staff": 120})
    assert response.status_code == 200
    assert response.json()["declared_staff"] == 120
    assert response.json()["staff_declared_on"] is not None
    assert api(cast.employer_b).patch(f"/employers/{world.employer_pursat.pk}", {"address": "x"}).status_code == 404
    assert api(cast.national).patch(f"/employers/{world.employer_pursat.pk}", {"address": "x"}).status_code == 403
    assert (
        api(cast.counsellor_battambang).patch(f"/employers/{world.employer_pursat.pk}", {"address": "x"}).status_code
        == 404
    )


def test_an_employer_user_cannot_verify_itself_through_a_patch(api, world, cast):
    response = api(cast.employer_a).patch(f"/employers/{world.employer_pending.pk}", {"verification": "verified"})
    assert response.status_code == 422
    world.employer_pending.refresh_from_db()
    assert world.employer_pending.verification == "pending"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counsellor_pursat", 200),
        ("manager_pursat", 200),
        ("counsellor_battambang", 404),
        ("national", 403),
        ("employer_a", 403),
        ("jobseeker_a", 404),
    ],
)
def test_who_may_verify_an_employer(api, world, cast, who, status):
    response = api(getattr(cast, who)).post(f"/employers/{world.employer_pending.pk}/verify")
    assert response.status_code == status
    world.employer_pending.refresh_from_db()
    assert world.employer_pending.verification == ("verified" if status == 200 else "pending")


def test_refusing_an_employer_needs_a_reason_and_closes_its_vacancies(api, world, cast):
    manager = api(cast.manager_pursat)
    assert manager.post(f"/employers/{world.employer_pursat.pk}/refuse", {"reason": "because"}).status_code == 422
    response = manager.post(
        f"/employers/{world.employer_pursat.pk}/refuse", {"reason": "suspected_scam", "note": "Fake address"}
    )
    assert response.status_code == 200
    assert (response.json()["verification"], response.json()["refusal_reason"]) == ("refused", "suspected_scam")
    world.vacancy_pursat.refresh_from_db()
    assert world.vacancy_pursat.status == VacancyStatus.CLOSED
    assert world.vacancy_pursat.pk not in {v["id"] for v in api(None).get("/vacancies").json()["items"]}
