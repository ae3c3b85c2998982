"""The case file end to end through the pages: open → intake (with education and work history on the profile)
→ assessment with its reasons → plan → agreement → PDF → review → notes → closure → a new episode."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.audit.models import AuditEvent
from openpes.cases.enums import CaseEventKind, CaseStatus, PlanStatus, SupportGroup
from openpes.cases.models import Assessment, Case, CaseEvent, CaseNote, Intake, Plan, PlanAction
from openpes.jobseekers.models import JobSeekerEvent
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.taxonomy.models import EducationLevel

INTAKE = {
    "situation": "unemployed",
    "months_without_work": "14",
    "has_caring_duties": "1",
    "has_transport": "0",
    "health_limits_work": "0",
    "has_id_documents": "1",
    "can_read_write": "1",
    "digital_access": "basic_phone",
    "can_use_apps": "0",
    "contact_channel": "sms",
    "goals": "Work in a garment factory near home.",
    "constraints": "",
}


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


@pytest.fixture
def person(cast):
    return JobSeekerFactory(name_latin="Chan Dara")


def _kinds(case):
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


@pytest.mark.django_db
def test_a_counsellor_runs_a_case_from_opening_to_a_printed_plan(en, cast, person):
    en.force_login(cast.counsellor_pursat)
    profile = en.get(reverse("jobseekers:detail", args=[person.pk])).content.decode()
    assert reverse("cases:open", args=[person.pk]) in profile

    response = en.post(reverse("cases:open", args=[person.pk]))
    case = Case.objects.get(jobseeker=person)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.counsellor == cast.counsellor_pursat and case.owner_centre == cast.pursat and case.episode == 1
    assert en.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    # Step 1: the interview.
    assert en.get(reverse("cases:intake", args=[case.pk])).status_code == 200
    response = en.post(reverse("cases:intake", args=[case.pk]), INTAKE)
    assert response["Location"] == reverse("cases:intake_education", args=[case.pk])
    intake = Intake.objects.get(case=case)
    assert intake.months_without_work == 14 and intake.has_caring_duties and not intake.has_transport

    # Step 2: education goes onto the profile.
    primary = EducationLevel.objects.get(code=1)
    response = en.post(reverse("cases:intake_education", args=[case.pk]), {"education_level": primary.pk})
    assert response["Location"] == reverse("cases:intake_work", args=[case.pk])
    person.refresh_from_db()
    assert person.education_level == primary

    # Step 3: a job onto the work history.
    page = en.get(reverse("cases:intake_work", args=[case.pk]))
    assert "No work history yet" in page.content.decode()
    response = en.post(
        reverse("cases:intake_work", args=[case.pk]),
        {"title": "Rice farmer", "country": "Cambodia", "started_on": "2019-01-01", "ended_on": "2023-06-01"},
    )
    assert response.status_code == 302
    assert person.experience.count() == 1

    # The assessment, with its reasons in words.
    response = en.post(reverse("cases:assessment", args=[case.pk]))
    assert response["Location"] == reverse("cases:assessment", args=[case.pk])
    assessment = Assessment.objects.get(case=case)
    assert set(assessment.fired_rules) == {
        "long_unemployment",
        "low_education",
        "caring_duties",
        "no_transport",
        "low_digital",
    }
    assert assessment.group == SupportGroup.INTENSIVE  # 2 + 2 + 1 + 1 + 1 = 7
    page = en.get(reverse("cases:assessment", args=[case.pk])).content.decode()
    assert "Needs intensive support" in page
    assert "Without work for 12 months or more." in page
    assert "Finished primary school or less." in page
    assert "Has never had a job" not in page

    # The plan: a suggested barrier, an objective, an action; then agreed.
    en.post(reverse("cases:plan", args=[case.pk]))
    plan = Plan.objects.get(case=case)
    page = en.get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert "Suggested by the assessment" in page
    en.post(reverse("cases:plan_suggestion", args=[case.pk]), {"rule": "no_transport"})
    barrier = plan.barriers.get()
    assert barrier.theme == "mobility"
    en.post(
        reverse("cases:plan_objective", args=[case.pk]),
        {"objective-barrier": barrier.pk, "objective-text": "Get to a job every day"},
    )
    objective = plan.objectives.get()
    due = timezone.localdate() + datetime.timedelta(days=14)
    en.post(
        reverse("cases:plan_action", args=[case.pk]),
        {
            "action-objective": objective.pk,
            "action-text": "Ask the factory about its bus",
            "action-owner": "jobseeker",
            "action-due_on": due.isoformat(),
        },
    )
    action = PlanAction.objects.get(objective=objective)
    assert action.due_on == due
    en.post(reverse("cases:plan_agree", args=[case.pk]), {"agree-review_every_days": "30"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.agreed_by == cast.counsellor_pursat
    assert plan.next_review_on == timezone.localdate() + datetime.timedelta(days=30)

    pdf = en.get(reverse("cases:plan_pdf", args=[case.pk]) + "?lang=km")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    assert AuditEvent.objects.filter(object_type="cases.plan", action="download").exists()

    en.post(reverse("cases:plan_review", args=[case.pk]), {"review-note": "Asked about the bus: yes."})
    assert CaseNote.objects.filter(case=case, category="guidance").exists()

    en.post(reverse("cases:notes", args=[case.pk]), {"category": "general", "text": "Prefers morning calls."})
    assert "Prefers morning calls." in en.get(reverse("cases:notes", args=[case.pk])).content.decode()

    response = en.post(reverse("cases:close", args=[case.pk]), {"reason": "placed"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "placed" and case.closed_at

    response = en.post(reverse("cases:reopen", args=[case.pk]))
    episode_two = Case.objects.get(jobseeker=person, episode=2)
    assert response["Location"] == reverse("cases:detail", args=[episode_two.pk])
    assert episode_two.is_open and episode_two.counsellor == cast.counsellor_pursat

    assert _kinds(case) == [
        CaseEventKind.OPENED,
        CaseEventKind.ASSIGNED,
        CaseEventKind.INTAKE_DONE,
        CaseEventKind.ASSESSED,
        CaseEventKind.PLAN_AGREED,
        CaseEventKind.PLAN_REVIEWED,
        CaseEventKind.CLOSED,
    ]
    assert _kinds(episode_two) == [CaseEventKind.REOPENED, CaseEventKind.ASSIGNED]
    assert all(e.centre_id == cast.pursat.pk for e in CaseEvent.objects.all())
    # Profile changes made during the intake are the registry's own events and audit rows.
    assert JobSeekerEvent.objects.filter(jobseeker=person, kind="profile_updated").count() == 2


@pytest.mark.django_db
def test_every_case_page_renders_in_khmer(client, cast, person):
    client.force_login(cast.counsellor_pursat)
    client.post(reverse("cases:open", args=[person.pk]))
    case = Case.objects.get(jobseeker=person)
    client.post(reverse("cases:intake", args=[case.pk]), INTAKE)
    client.post(reverse("cases:assessment", args=[case.pk]))
    client.post(reverse("cases:plan", args=[case.pk]))
    for name in ("detail", "intake", "intake_education", "intake_work", "assessment", "plan", "notes", "transfer",
                 "close"):  # fmt: skip
        page = client.get(reverse(f"cases:{name}", args=[case.pk]))
        assert page.status_code == 200, name
        assert 'lang="km"' in page.content.decode()
    for name in ("caseload", "list", "assessment_rules"):
        assert client.get(reverse(f"cases:{name}")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
