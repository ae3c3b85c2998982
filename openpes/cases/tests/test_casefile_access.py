"""The access matrix for cases, assessments, plans and notes (S4, S14): every actor of the cast against every
case-file page. Out of scope is 404; in scope but not allowed to do casework is 403; the public roles get 403
on every staff URL; the jobseeker sees their own case, assessment and plan on their own page, never notes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.audit.models import AuditEvent
from openpes.cases.actions import casefile as actions
from openpes.cases.models import CaseNote
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory

NOTE = "Canary note 7f3a: debts with a moneylender"

READ_PAGES = ("detail", "assessment", "plan", "plan_pdf")
WORK_PAGES = ("notes", "intake", "intake_education", "intake_work", "transfer", "close")

# actor → status for (read pages, work pages)
EXPECTED = {
    "counsellor_pursat": (200, 200),
    "manager_pursat": (200, 200),
    "counsellor_pursat_van": (404, 404),
    "counsellor_battambang": (404, 404),
    "manager_battambang": (404, 404),
    "national": (200, 403),
    "admin": (200, 403),
    "jobseeker_a": (403, 403),
    "jobseeker_b": (403, 403),
    "employer_a": (403, 403),
    "employer_b": (403, 403),
    "trainer": (403, 403),
    "coordinator": (403, 403),
}


@pytest.fixture
def world(cast):
    """Jobseeker A's case at the Pursat centre, held by the Pursat counsellor, assessed, with a plan and a note."""
    person = JobSeekerFactory(user=cast.jobseeker_a)
    case = CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)
    actor = cast.counsellor_pursat
    actions.save_intake(
        actor=actor,
        case=case,
        fields={"situation": "unemployed", "months_without_work": 13, "digital_access": "smartphone",
                "contact_channel": "sms", "can_use_apps": True},
    )  # fmt: skip
    actions.run_assessment(actor=actor, case=case)
    plan = actions.start_plan(actor=actor, case=case)
    objective = actions.add_objective(actor=actor, plan=plan, text="Find factory work")
    actions.add_plan_action(
        actor=actor,
        objective=objective,
        text="Visit two factories",
        owner="jobseeker",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    actions.agree_plan(actor=actor, plan=plan, review_every_days=30)
    actions.add_note(actor=actor, case=case, category="sensitive", text=NOTE)
    return case


def _url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("actor", sorted(EXPECTED))
def test_every_actor_gets_what_the_policy_says_on_every_case_page(client, cast, world, actor):
    client.force_login(getattr(cast, actor))
    read, work = EXPECTED[actor]
    for name in READ_PAGES:
        assert client.get(_url(name, world)).status_code == read, name
    for name in WORK_PAGES:
        assert client.get(_url(name, world)).status_code == work, name
    # Writes follow the same policy and change nothing when refused.
    status = client.post(_url("notes", world), {"category": "general", "text": "Written by " + actor}).status_code
    assert status == (302 if work == 200 else work)
    assert CaseNote.objects.filter(text="Written by " + actor).exists() == (work == 200)


@pytest.mark.django_db
def test_a_deactivated_counsellor_is_sent_to_sign_in(client, cast, world):
    client.force_login(cast.deactivated)
    for name in READ_PAGES + WORK_PAGES:
        response = client.get(_url(name, world))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_guessed_case_numbers_are_not_found(client, cast, world):
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("cases:detail", args=[world.pk + 1000])).status_code == 404
    assert client.get(reverse("cases:override", args=[world.pk, 999999])).status_code == 404
    assert (
        client.post(reverse("cases:plan_action_status", args=[world.pk, 999999]), {"status": "done"}).status_code == 404
    )


@pytest.mark.django_db
def test_other_centres_do_not_see_the_case_in_their_lists(client, cast, world):
    for actor, sees in [("counsellor_pursat", True), ("manager_pursat", True), ("national", True),
                        ("counsellor_battambang", False), ("counsellor_pursat_van", False),
                        ("manager_battambang", False)]:  # fmt: skip
        client.force_login(getattr(cast, actor))
        page = client.get(reverse("cases:list")).content.decode()
        assert (reverse("cases:detail", args=[world.pk]) in page) is sees, actor


@pytest.mark.django_db
def test_notes_are_never_shown_outside_the_caseworkers_of_the_case(client, cast, world):
    client.force_login(cast.counsellor_pursat)
    assert NOTE in client.get(_url("notes", world)).content.decode()
    for actor in ("national", "admin"):
        client.force_login(getattr(cast, actor))
        for name in READ_PAGES[:3]:
            assert NOTE not in client.get(_url(name, world)).content.decode()
    client.force_login(cast.jobseeker_a)
    own = client.get(reverse("cases:my_case")).content.decode()
    assert NOTE not in own and "Visit two factories" in own
    client.force_login(cast.employer_a)
    assert client.get(reverse("cases:my_case")).status_code == 403


@pytest.mark.django_db
def test_every_read_of_the_notes_is_audited(client, cast, world):
    client.force_login(cast.manager_pursat)
    client.get(_url("notes", world))
    client.get(_url("notes", world))
    rows = AuditEvent.objects.filter(object_type="cases.casenote", action="view", actor_id=cast.manager_pursat.pk)
    assert rows.count() == 2
    assert {row.count for row in rows} == {1} and {row.subject_id for row in rows} == {str(world.jobseeker_id)}
    assert not AuditEvent.objects.filter(detail__icontains="moneylender").exists()


@pytest.mark.django_db
def test_note_text_never_reaches_the_logs(client, cast, world, caplog):
    caplog.set_level("DEBUG")
    client.force_login(cast.counsellor_pursat)
    client.post(_url("notes", world), {"category": "general", "text": "Canary 9b1e phone +85512345678"})
    client.get(_url("notes", world))
    assert "Canary 9b1e" not in caplog.text and "+85512345678" not in caplog.text
    assert NOTE not in caplog.text


@pytest.mark.django_db
def test_the_jobseeker_sees_their_own_assessment_and_plan_but_no_one_elses(client, cast, world):
    client.force_login(cast.jobseeker_a)
    client.cookies["openpes_language"] = "en"
    page = client.get(reverse("cases:my_case")).content.decode()
    assert "Without work for 12 months or more." in page  # the reason, in words
    assert "Visit two factories" in page
    assert AuditEvent.objects.filter(actor_id=cast.jobseeker_a.pk, action="view", object_type="cases.case").exists()
    pdf = client.get(reverse("cases:my_plan_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    JobSeekerFactory(user=cast.jobseeker_b)
    client.force_login(cast.jobseeker_b)
    page = client.get(reverse("cases:my_case")).content.decode()
    assert "Visit two factories" not in page and "You do not have a plan yet" in page
    assert client.get(reverse("cases:my_plan_pdf")).status_code == 404
    action = world.plans.get().objectives.get().actions.get()
    assert client.post(reverse("cases:my_action", args=[action.pk]), {"done": "1"}).status_code == 404
    action.refresh_from_db()
    assert action.status == "todo"


@pytest.mark.django_db
def test_staff_pages_of_the_jobseeker_are_refused_to_the_public_roles(client, cast, world):
    for actor in ("jobseeker_a", "employer_a"):
        client.force_login(getattr(cast, actor))
        for name in ("caseload", "team", "list"):
            assert client.get(reverse(f"cases:{name}")).status_code == 403
        assert client.post(reverse("cases:open", args=[world.jobseeker_id])).status_code == 403
        assert client.post(reverse("cases:reopen", args=[world.pk])).status_code == 403
        assert client.post(reverse("cases:assign", args=[world.pk]), {}).status_code == 403


@pytest.mark.django_db
def test_only_managers_see_the_team_page_and_only_for_their_province(client, cast, world):
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("cases:team")).status_code == 403
    client.force_login(cast.manager_battambang)
    page = client.get(reverse("cases:team")).content.decode()
    assert "Counsellor Pursat" not in page
    client.force_login(cast.manager_pursat)
    page = client.get(reverse("cases:team")).content.decode()
    assert "Counsellor Pursat" in page and "Counsellor Battambang" not in page


@pytest.mark.django_db
def test_the_assessment_rules_page_is_for_everyone_signed_in(client, cast):
    assert client.get(reverse("cases:assessment_rules")).status_code == 302  # sign in first
    for actor in ("jobseeker_a", "employer_a", "counsellor_pursat", "national"):
        client.force_login(getattr(cast, actor))
        assert client.get(reverse("cases:assessment_rules")).status_code == 200


@pytest.mark.django_db
def test_every_case_page_that_shows_the_person_writes_an_audit_row(client, cast, world):
    client.force_login(cast.counsellor_pursat)
    assessment = world.assessments.get()
    urls = [_url(name, world) for name in READ_PAGES + WORK_PAGES]
    urls.append(reverse("cases:override", args=[world.pk, assessment.pk]))
    mine = AuditEvent.objects.filter(actor_id=cast.counsellor_pursat.pk, subject_id=str(world.jobseeker_id))
    for url in urls:
        before = mine.count()
        assert client.get(url).status_code == 200, url
        assert mine.count() == before + 1, url
    other = JobSeekerFactory()
    client.get(reverse("cases:open", args=[other.pk]))
    assert AuditEvent.objects.filter(subject_id=str(other.pk), action="view").count() == 1
