"""The individual employment plan: barriers → objectives → actions, agreement, versions, reviews, the jobseeker
ticking their own actions, and the printable PDF in Khmer and English."""

import datetime
import re
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openpes.cases.actions import casefile as actions
from openpes.cases.enums import ActionStatus, CaseEventKind, PlanStatus
from openpes.cases.models import Barrier, CaseEvent, Objective, Plan, PlanAction
from openpes.cases.plan_pdf import plan_html, render_plan_pdf
from openpes.cases.tests.factories import CaseFactory, PartnerFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


@pytest.fixture
def case(cast):
    person = JobSeekerFactory(user=cast.jobseeker_a, name_km="ចាន់ ដារា", name_latin="Chan Dara")
    return CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)


def _pdf_objects(pdf):
    """The PDF's objects with their streams inflated (fonts are named inside compressed object streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _soon(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def agreed(cast, case):
    """An agreed plan: one barrier, one objective, an action for the jobseeker and one for the counsellor."""
    actor = cast.counsellor_pursat
    plan = actions.start_plan(actor=actor, case=case)
    barrier = actions.add_barrier(actor=actor, plan=plan, theme="documents", description="ID card lost")
    objective = actions.add_objective(actor=actor, plan=plan, barrier=barrier, text="Have an ID card again")
    mine = actions.add_plan_action(
        actor=actor, objective=objective, text="ទៅសាលាឃុំដើម្បីសុំអត្តសញ្ញាណប័ណ្ណ", owner="jobseeker", due_on=_soon()
    )
    theirs = actions.add_plan_action(
        actor=actor, objective=objective, text="Call the commune office", owner="counsellor", due_on=_soon(3)
    )
    actions.agree_plan(actor=actor, plan=plan, review_every_days=14)
    return plan, mine, theirs


@pytest.mark.django_db
def test_an_action_due_in_the_past_is_refused_with_a_clear_error(en, cast, case):
    plan = actions.start_plan(actor=cast.counsellor_pursat, case=case)
    objective = actions.add_objective(actor=cast.counsellor_pursat, plan=plan, text="Work")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    en.force_login(cast.counsellor_pursat)
    page = en.post(
        reverse("cases:plan_action", args=[case.pk]),
        {"action-objective": objective.pk, "action-text": "Go", "action-owner": "jobseeker",
         "action-due_on": yesterday.isoformat()},
    )  # fmt: skip
    assert page.status_code == 200
    assert "The date is in the past. Choose today or a later day." in page.content.decode()
    with pytest.raises(ValidationError) as error:
        actions.add_plan_action(actor=cast.counsellor_pursat, objective=objective, text="Go", owner="jobseeker",
                                due_on=yesterday)  # fmt: skip
    assert "due_on" in error.value.error_dict
    assert not PlanAction.objects.exists()


@pytest.mark.django_db
def test_empty_or_oversized_plan_items_are_refused(en, cast, case):
    plan = actions.start_plan(actor=cast.counsellor_pursat, case=case)
    en.force_login(cast.counsellor_pursat)
    page = en.post(
        reverse("cases:plan_barrier", args=[case.pk]), {"barrier-theme": "health", "barrier-description": ""}
    )
    assert "Please correct the following" in page.content.decode()
    page = en.post(reverse("cases:plan_objective", args=[case.pk]), {"objective-text": "x" * 501})
    assert "Please correct the following" in page.content.decode()
    page = en.post(
        reverse("cases:plan_barrier", args=[case.pk]), {"barrier-theme": "weather", "barrier-description": "Rain"}
    )
    assert "Please correct the following" in page.content.decode()
    assert not Barrier.objects.filter(plan=plan).exists() and not Objective.objects.filter(plan=plan).exists()


@pytest.mark.django_db
def test_a_plan_cannot_be_agreed_empty(en, cast, case):
    plan = actions.start_plan(actor=cast.counsellor_pursat, case=case)
    en.force_login(cast.counsellor_pursat)
    page = en.post(reverse("cases:plan_agree", args=[case.pk]), {"agree-review_every_days": "30"})
    assert "Add at least one action before agreeing the plan." in page.content.decode()
    page = en.post(reverse("cases:plan_agree", args=[case.pk]), {"agree-review_every_days": "0"})
    assert "Please correct the following" in page.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.agreed_at is None
    assert not CaseEvent.objects.filter(kind=CaseEventKind.PLAN_AGREED).exists()


@pytest.mark.django_db
def test_agreeing_records_who_and_when_and_schedules_the_review(cast, case, agreed):
    plan, _, _ = agreed
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.agreed_by == cast.counsellor_pursat and plan.agreed_at
    assert plan.next_review_on == _soon(14)
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.PLAN_AGREED)
    assert event.detail == {"plan": plan.pk, "version": 1}


@pytest.mark.django_db
def test_an_agreed_plan_changes_only_through_a_new_version(en, cast, case, agreed):
    plan, mine, _ = agreed
    with pytest.raises(ValidationError, match="Start a new version"):
        actions.add_barrier(actor=cast.counsellor_pursat, plan=plan, theme="health", description="Back pain")
    en.force_login(cast.counsellor_pursat)
    en.post(reverse("cases:plan_remove", args=[case.pk, "action", mine.pk]))
    assert PlanAction.objects.filter(pk=mine.pk).exists()

    actions.set_action_status(actor=cast.counsellor_pursat, action=mine, status=ActionStatus.DONE)
    en.post(reverse("cases:plan_new_version", args=[case.pk]))
    new = Plan.objects.get(case=case, version=2)
    assert new.status == PlanStatus.DRAFT
    assert list(new.barriers.values_list("description", flat=True)) == ["ID card lost"]
    copied = PlanAction.objects.filter(objective__plan=new)
    assert sorted(copied.values_list("status", flat=True)) == ["done", "todo"]
    assert copied.get(owner="jobseeker").objective.barrier.plan == new
    # The old version stays agreed; the person still sees it until the new one is agreed.
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    en.post(
        reverse("cases:plan_barrier", args=[case.pk]), {"barrier-theme": "mobility", "barrier-description": "No bus"}
    )
    assert new.barriers.count() == 2 and plan.barriers.count() == 1
    en.force_login(cast.jobseeker_a)
    page = en.get(reverse("cases:my_case")).content.decode()
    assert "No bus" not in page and "ID card lost" in page
    # Starting a version from an old one is refused.
    with pytest.raises(ValidationError, match="newer version"):
        actions.new_plan_version(actor=cast.counsellor_pursat, plan=plan)


@pytest.mark.django_db
def test_the_jobseeker_ticks_their_own_actions_but_not_the_counsellors(en, cast, case, agreed):
    _, mine, theirs = agreed
    en.force_login(cast.jobseeker_a)
    response = en.post(reverse("cases:my_action", args=[mine.pk]), {"done": "1"})
    assert response["Location"] == reverse("cases:my_case") + f"#action-{mine.pk}"
    mine.refresh_from_db()
    assert mine.status == ActionStatus.DONE and mine.done_at
    event = CaseEvent.objects.get(kind=CaseEventKind.ACTION_DONE)
    assert event.actor == cast.jobseeker_a and event.detail == {"action": mine.pk, "owner": "jobseeker"}
    en.post(reverse("cases:my_action", args=[mine.pk]), {"done": "0"})
    mine.refresh_from_db()
    assert mine.status == ActionStatus.TODO and mine.done_at is None
    assert en.post(reverse("cases:my_action", args=[theirs.pk]), {"done": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ActionStatus.TODO


@pytest.mark.django_db
def test_staff_move_any_action_along(en, cast, case, agreed):
    _, _, theirs = agreed
    en.force_login(cast.counsellor_pursat)
    en.post(reverse("cases:plan_action_status", args=[case.pk, theirs.pk]), {"status": "in_progress"})
    theirs.refresh_from_db()
    assert theirs.status == ActionStatus.IN_PROGRESS
    en.post(reverse("cases:plan_action_status", args=[case.pk, theirs.pk]), {"status": "finished"})
    theirs.refresh_from_db()
    assert theirs.status == ActionStatus.IN_PROGRESS


@pytest.mark.django_db
def test_a_review_is_an_event_and_sets_the_next_one(cast, case, agreed):
    plan, _, _ = agreed
    actions.review_plan(actor=cast.counsellor_pursat, plan=plan)
    plan.refresh_from_db()
    assert plan.next_review_on == _soon(14)
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.PLAN_REVIEWED).count() == 1
    draft = Plan.objects.create(case=CaseFactory(), version=1)
    with pytest.raises(ValidationError, match="Agree the plan"):
        actions.review_plan(actor=cast.counsellor_pursat, plan=draft)


@pytest.mark.django_db
def test_barriers_suggested_by_the_assessment_come_from_the_rules_that_fired(en, cast, case):
    actions.save_intake(
        actor=cast.counsellor_pursat,
        case=case,
        fields={"situation": "unemployed", "months_without_work": 0, "has_id_documents": False,
                "digital_access": "smartphone", "can_use_apps": True, "contact_channel": "sms"},
    )  # fmt: skip
    actions.run_assessment(actor=cast.counsellor_pursat, case=case)
    actions.start_plan(actor=cast.counsellor_pursat, case=case)
    en.force_login(cast.counsellor_pursat)
    page = en.get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert "Has no ID card or other documents needed to work." in page
    assert 'value="no_documents"' in page and 'value="no_transport"' not in page
    en.post(reverse("cases:plan_suggestion", args=[case.pk]), {"rule": "no_documents"})
    page = en.get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert 'value="no_documents"' not in page
    assert en.post(reverse("cases:plan_suggestion", args=[case.pk]), {"rule": "made_up"}).status_code == 404


@pytest.mark.django_db
def test_a_partner_is_only_for_actions_a_partner_does(en, cast, case):
    partner = PartnerFactory()
    plan = actions.start_plan(actor=cast.counsellor_pursat, case=case)
    objective = actions.add_objective(actor=cast.counsellor_pursat, plan=plan, text="Learn to sew")
    en.force_login(cast.counsellor_pursat)
    data = {"action-objective": objective.pk, "action-text": "Sewing course", "action-partner": partner.pk}
    page = en.post(reverse("cases:plan_action", args=[case.pk]), {**data, "action-owner": "jobseeker"})
    assert "Choose a partner only for actions a partner organisation does." in page.content.decode()
    en.post(reverse("cases:plan_action", args=[case.pk]), {**data, "action-owner": "partner"})
    assert PlanAction.objects.get().partner_id == partner.pk


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["km", "en"])
def test_the_plan_prints_as_a_pdf_with_the_khmer_font_embedded(cast, case, agreed, language):
    plan, _, _ = agreed
    actions.set_action_status(actor=cast.counsellor_pursat, action=agreed[1], status=ActionStatus.DONE)
    html = plan_html(case, plan, language=language)
    assert "\u200b" in html  # Khmer words separated so that lines wrap between words
    assert "file://" in html and "noto-sans-khmer-khmer-400-normal.woff2" in html
    pdf = render_plan_pdf(case, plan, language=language)
    objects = _pdf_objects(pdf)
    # Everything is drawn with the embedded Noto Sans Khmer files, one font per subset (a shared one would mix up
    # glyph numbers and print garbage); nothing falls back to a system font.
    fonts = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", objects))
    assert pdf.startswith(b"%PDF") and {b"Plan-Khmer", b"Plan-Latin", b"Plan-Latin-Bold"} <= fonts
    assert fonts <= {b"Plan-Khmer", b"Plan-Khmer-Bold", b"Plan-Latin", b"Plan-Latin-Bold"}
    if language == "en":
        assert "My employment plan" in html and "You do this" in html


@pytest.mark.django_db
def test_the_pdf_download_is_audited_and_offered_to_the_jobseeker_in_both_languages(en, cast, case, agreed):
    en.force_login(cast.jobseeker_a)
    page = en.get(reverse("cases:my_case")).content.decode()
    assert reverse("cases:my_plan_pdf") + "?lang=km" in page and reverse("cases:my_plan_pdf") + "?lang=en" in page
    response = en.get(reverse("cases:my_plan_pdf") + "?lang=en")
    assert response["Content-Disposition"].endswith('-en.pdf"')
    from openpes.audit.models import AuditEvent

    row = AuditEvent.objects.get(action="download", actor_id=cast.jobseeker_a.pk)
    assert row.object_type == "cases.plan" and row.detail == {"language": "en"}


@pytest.mark.django_db
def test_the_partners_offered_are_those_serving_the_persons_province(en, cast, case):
    from openpes.cases.tests.factories import PartnerServiceFactory
    from openpes.geography.models import Province

    local = PartnerServiceFactory(partner__name_en="Pursat Training Centre")
    local.provinces.set([Province.objects.get(code="15")])
    far = PartnerServiceFactory(partner__name_en="Battambang Training Centre")
    far.provinces.set([Province.objects.get(code="02")])
    plan = actions.start_plan(actor=cast.counsellor_pursat, case=case)
    actions.add_objective(actor=cast.counsellor_pursat, plan=plan, text="Learn a trade")
    en.force_login(cast.counsellor_pursat)
    page = en.get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert "Pursat Training Centre" in page and "Battambang Training Centre" not in page
