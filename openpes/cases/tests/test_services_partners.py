"""The partner directory (seeded by load_reference, browsed by staff, edited by managers and coordinators) and
referrals from a case to a partner's service, with the outcome recorded later as an event."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from openpes.cases.actions import casefile
from openpes.cases.actions import services as actions
from openpes.cases.enums import CaseEventKind, ServiceOutcome
from openpes.cases.loaders import PARTNERS_FILE, load_partners
from openpes.cases.models import CaseEvent, Partner, PartnerService, ServiceReferral
from openpes.cases.tests.factories import CaseFactory, PartnerFactory, PartnerServiceFactory
from openpes.geography.models import Province
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.taxonomy.loaders import ReferenceDataError

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(reference):
    load_partners()


@pytest.fixture
def case(cast):
    return CaseFactory(jobseeker=JobSeekerFactory(user=cast.jobseeker_a), counsellor=cast.counsellor_pursat)


@pytest.fixture
def sewing(cast):
    service = PartnerServiceFactory(themes=["training"])
    service.provinces.set([Province.objects.get(code="15")])
    return service


# -- the seed data ---------------------------------------------------------------------------------------------


def test_the_seed_covers_every_province_with_training_and_social_services(seeded):
    provinces = set(Province.objects.values_list("code", flat=True))
    for kind in ("tvet", "social"):
        covered = set(PartnerService.objects.filter(partner__kind=kind).values_list("provinces__code", flat=True))
        assert covered == provinces, kind
    assert Partner.objects.filter(kind="disability").exists()
    assert Partner.objects.filter(kind="migration", name_en="Returning Migrant Support Desk, Battambang").exists()
    assert all(p.name_km and p.name_en for p in Partner.objects.all())


def test_loading_again_adds_nothing_and_keeps_edits(seeded, cast):
    counts = (Partner.objects.count(), PartnerService.objects.count())
    partner = Partner.objects.get(name_en="Provincial Training Centre, Pursat")
    actions.save_partner(actor=cast.coordinator, partner=partner, fields={"phone": "052 000 111"})
    call_command("load_reference")  # the reference loader includes the partner directory
    assert (Partner.objects.count(), PartnerService.objects.count()) == counts
    assert Partner.objects.get(pk=partner.pk).phone == "052 000 111"


def test_a_broken_seed_file_loads_nothing(reference, tmp_path):
    data = json.loads(PARTNERS_FILE.read_text(encoding="utf-8"))
    data["partners"][-1]["kind"] = "astrology"
    broken = tmp_path / "partners.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="astrology"):
        load_partners(broken)
    assert not Partner.objects.exists()


# -- the directory ---------------------------------------------------------------------------------------------


def test_staff_filter_the_directory_by_province_and_kind(client, cast, seeded, django_assert_max_num_queries):
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    pursat = Province.objects.get(code="15")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("cases:partners"), {"province": pursat.pk}).content.decode()
    assert "Provincial Training Centre, Pursat" in page
    assert "Provincial Training Centre, Battambang" not in page
    page = client.get(reverse("cases:partners"), {"province": pursat.pk, "kind": "disability"}).content.decode()
    assert "Organisation of Persons with Disabilities, Pursat" in page
    assert "Provincial Training Centre" not in page
    page = client.get(reverse("cases:partners"), {"q": "literacy"}).content.decode()
    assert "Community Learning Centre" in page
    partner = Partner.objects.get(name_en="Provincial Training Centre, Pursat")
    detail = client.get(reverse("cases:partner", args=[partner.pk])).content.decode()
    assert "Short vocational courses" in detail and "Pursat" in detail


def test_the_public_roles_never_see_the_directory(client, cast, seeded):
    partner = Partner.objects.first()
    for who in ("jobseeker_a", "employer_a"):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("cases:partners")).status_code == 403
        assert client.get(reverse("cases:partner", args=[partner.pk])).status_code == 403


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("manager_pursat", True),
        ("coordinator", True),
        ("admin", True),
        ("counsellor_pursat", False),
        ("national", False),
    ],
)
def test_managers_and_coordinators_edit_the_directory(client, cast, reference, who, allowed):
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("cases:partner_new"), {"name_en": "Youth Hub, Pursat", "kind": "training", "is_active": "on"}
    )
    assert response.status_code == (302 if allowed else 403)
    assert Partner.objects.filter(name_en="Youth Hub, Pursat").exists() is allowed
    if allowed:
        partner = Partner.objects.get()
        pursat = Province.objects.get(code="15")
        client.post(
            reverse("cases:service_new", args=[partner.pk]),
            {"name_km": "វគ្គកុំព្យូទ័រ", "provinces": [pursat.pk], "themes": ["digital"]},
        )
        service = partner.services.get()
        assert (service.name_km, list(service.provinces.all()), service.themes) == ("វគ្គកុំព្យូទ័រ", [pursat], ["digital"])


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("cases:partner_new", {"kind": "training"}, "name_km"),  # no name at all
        ("cases:partner_new", {"name_en": "X", "kind": "fortune"}, "kind"),
        ("cases:partner_new", {"name_en": "X", "kind": "training", "email": "not-an-address"}, "email"),
        ("cases:partner_new", {"name_en": "X" * 251, "kind": "training"}, "name_en"),
        ("service", {"name_en": "Course"}, "provinces"),
        ("service", {"provinces": ["1"]}, "name_km"),
        ("service", {"name_en": "Course", "provinces": ["1"], "themes": ["witchcraft"]}, "themes"),
    ],
)
def test_bad_directory_input_gets_a_clear_error_and_saves_nothing(client, cast, reference, url, data, field):
    partner = PartnerFactory()
    before = (Partner.objects.count(), PartnerService.objects.count())
    client.force_login(cast.manager_pursat)
    client.cookies["openpes_language"] = "en"
    target = reverse("cases:service_new", args=[partner.pk]) if url == "service" else reverse(url)
    response = client.post(target, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Partner.objects.count(), PartnerService.objects.count()) == before


# -- referrals to services -------------------------------------------------------------------------------------


def test_a_counsellor_refers_a_case_to_a_service_as_a_plan_step(client, cast, case, sewing):
    plan = casefile.start_plan(actor=cast.counsellor_pursat, case=case)
    objective = casefile.add_objective(actor=cast.counsellor_pursat, plan=plan, text="Learn to sew")
    step = casefile.add_plan_action(
        actor=cast.counsellor_pursat, objective=objective, text="Join the course", owner="partner"
    )
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("cases:refer_service", args=[case.pk])).content.decode()
    assert "Three-month sewing course" in page
    response = client.post(
        reverse("cases:refer_service", args=[case.pk]),
        {"service": sewing.pk, "action": step.pk, "note": "Starts in January"},
    )
    assert response.status_code == 302
    referral = ServiceReferral.objects.get()
    assert (referral.case, referral.action, referral.outcome) == (case, step, ServiceOutcome.PENDING)
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.SERVICE_REFERRAL)
    assert event.detail == {
        "referral": referral.pk,
        "service": sewing.pk,
        "partner": sewing.partner_id,
        "partner_kind": "tvet",
    }
    assert "Starts in January" not in json.dumps(event.detail)
    # The case page shows it, with a way to record the outcome.
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:referral_outcome", args=[referral.pk]) in detail


def test_a_referral_refuses_duplicates_inactive_partners_and_other_cases_steps(client, cast, case, sewing):
    other = CaseFactory(jobseeker=JobSeekerFactory(), counsellor=cast.counsellor_pursat)
    plan = casefile.start_plan(actor=cast.counsellor_pursat, case=other)
    objective = casefile.add_objective(actor=cast.counsellor_pursat, plan=plan, text="Other goal")
    foreign_step = casefile.add_plan_action(
        actor=cast.counsellor_pursat, objective=objective, text="Theirs", owner="jobseeker"
    )
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(
        reverse("cases:refer_service", args=[case.pk]), {"service": sewing.pk, "action": foreign_step.pk}
    )
    assert "action" in response.context["form"].errors
    actions.refer_to_service(actor=cast.counsellor_pursat, case=case, service=sewing)
    response = client.post(reverse("cases:refer_service", args=[case.pk]), {"service": sewing.pk})
    assert "already waiting for this service" in response.content.decode()
    Partner.objects.filter(pk=sewing.partner_id).update(is_active=False)
    with pytest.raises(ValidationError):
        actions.refer_to_service(actor=cast.counsellor_pursat, case=other, service=sewing)
    response = client.post(reverse("cases:refer_service", args=[case.pk]), {"service": "999999"})
    assert "service" in response.context["form"].errors
    assert ServiceReferral.objects.count() == 1


def test_a_service_outside_the_persons_province_is_not_offered(client, cast, case):
    battambang_only = PartnerServiceFactory(name_en="Battambang only course")
    battambang_only.provinces.set([Province.objects.get(code="02")])
    client.force_login(cast.counsellor_pursat)
    response = client.post(reverse("cases:refer_service", args=[case.pk]), {"service": battambang_only.pk})
    assert "service" in response.context["form"].errors
    assert not ServiceReferral.objects.exists()


def test_outcomes_move_forward_and_each_is_an_event(client, cast, case, sewing):
    referral = actions.refer_to_service(actor=cast.counsellor_pursat, case=case, service=sewing)
    client.force_login(cast.counsellor_pursat)
    url = reverse("cases:referral_outcome", args=[referral.pk])
    client.post(url, {"outcome": "started"})
    client.post(url, {"outcome": "declined"})  # too late: it started
    client.post(url, {"outcome": "completed"})
    client.post(url, {"outcome": "did_not_attend"})  # final already
    client.post(url, {"outcome": "pending"})  # not an outcome
    referral.refresh_from_db()
    assert referral.outcome == ServiceOutcome.COMPLETED and referral.outcome_at is not None
    outcomes = [e.detail["outcome"] for e in CaseEvent.objects.filter(kind=CaseEventKind.SERVICE_OUTCOME)]
    assert outcomes == ["started", "completed"]


@pytest.mark.parametrize("outcome", ["declined", "did_not_attend"])
def test_a_pending_referral_can_end_without_the_service(cast, case, sewing, outcome):
    referral = actions.refer_to_service(actor=cast.counsellor_pursat, case=case, service=sewing)
    actions.record_service_outcome(actor=cast.counsellor_pursat, referral=referral, outcome=outcome)
    assert ServiceReferral.objects.get().outcome == outcome


def test_staff_of_another_centre_and_the_public_cannot_touch_a_referral(client, cast, case, sewing):
    referral = actions.refer_to_service(actor=cast.counsellor_pursat, case=case, service=sewing)
    for who, status in (
        ("counsellor_battambang", 404),
        ("counsellor_pursat_van", 404),
        ("jobseeker_a", 403),
        ("employer_a", 403),
        ("national", 403),
    ):
        client.force_login(getattr(cast, who))
        assert (
            client.post(reverse("cases:referral_outcome", args=[referral.pk]), {"outcome": "started"}).status_code
            == status
        ), who
        assert client.get(reverse("cases:refer_service", args=[case.pk])).status_code == status, who
    assert ServiceReferral.objects.get().outcome == ServiceOutcome.PENDING
