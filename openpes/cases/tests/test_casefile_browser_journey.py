"""A2 in a real browser, in Khmer, on a phone and on a desktop: a counsellor registers a walk-in jobseeker,
opens a case, runs the intake (updating education on the profile), sees the assessment with its reasons,
builds and agrees the plan and downloads it as a PDF, refers the person to a vacancy; the employer records the
hire; and, with frozen time, the 1-month follow-up appears on the counsellor's caseload on the right day.
axe finds nothing on each page.

Set OPENPES_SCREENSHOT_DIR=<folder> to keep a screenshot of each step."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation

from openpes.applications.models import Application, Placement
from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.cases.enums import CaseEventKind, PlanStatus, SupportGroup
from openpes.cases.models import Assessment, Case, CaseEvent, FollowUp, Plan
from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.taxonomy.models import EducationLevel
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _clean(page, step, device):
    assert page.locator("html").get_attribute("lang") == "km", step
    assert page.locator("h1").count() == 1, step
    assert axe_violations(page) == [], step
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), step
    screenshot(page, f"cases-journey-{device}-{step}")


def _one_month_after(day):
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError


def _morning(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def _follow_ups_due(counsellor, day):
    """The counsellor's caseload filtered on follow-ups due, as the server sees it on `day` (time_machine moves
    the clock of the whole process, the live server's thread included; sessions are opened on that day)."""
    with time_machine.travel(_morning(day)):
        client = Client()
        client.force_login(counsellor)
        return client.get("/cases/caseload/", {"due": "follow_ups", "status": "open"}).content.decode()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_counsellor_takes_a_walk_in_person_from_registration_to_a_job_and_the_follow_up(
    new_page, live_server, cast, viewport
):
    device = "phone" if viewport is PHONE else "desktop"
    vacancy = VacancyFactory(positions=1, title="ប្រតិបត្តិករម៉ាស៊ីនដេរ")
    EmployerMemberFactory(employer=vacancy.employer, user=cast.employer_a)
    primary = EducationLevel.objects.get(code=1)
    counsellor = cast.counsellor_pursat
    page = new_page(viewport=viewport, locale="km-KH")
    sign_in(page, live_server, counsellor, "km")

    # 1. Register the walk-in person (the registry's page).
    page.goto("/")
    page.locator("main a[href='/jobseekers/new/']").first.click()
    _clean(page, "1-register", device)
    page.fill("#id_name_km", "ស្រី ពៅ")
    page.check("input[name=sex][value=F]")
    page.fill("#id_date_of_birth", "1999-05-20")
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jobseekers/\d+/$"))
    person = JobSeeker.objects.get(name_km="ស្រី ពៅ")

    # 2. Open a case from the record.
    _clean(page, "2-record", device)
    page.locator(f"form[action='/cases/open/{person.pk}/'] button").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(jobseeker=person)
    assert case.counsellor == counsellor
    _clean(page, "3-case", device)

    # 3. The intake: the interview, then education onto the profile, then the work history.
    page.locator(f"main a[href='/cases/{case.pk}/intake/']").first.click()
    _clean(page, "4-intake", device)
    page.check("input[name=situation][value=unemployed]")
    page.fill("#id_months_without_work", "14")
    for name, value in [("has_caring_duties", "1"), ("has_transport", "0"), ("health_limits_work", "0"),
                        ("has_id_documents", "1"), ("can_read_write", "1"), ("digital_access", "basic_phone"),
                        ("can_use_apps", "0"), ("contact_channel", "sms")]:  # fmt: skip
        page.check(f"input[name={name}][value='{value}']")
    page.fill("#id_goals", "ធ្វើការនៅរោងចក្រកាត់ដេរ")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/intake/education/")
    _clean(page, "5-education", device)
    page.select_option("#id_education_level", str(primary.pk))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/intake/work/")
    person.refresh_from_db()
    assert person.education_level == primary
    _clean(page, "6-work-history", device)

    # 4. The assessment, with the rules that fired in words.
    page.locator(f"form[action='/cases/{case.pk}/assessment/'] button").click()
    page.wait_for_url(f"**/cases/{case.pk}/assessment/")
    assessment = Assessment.objects.get(case=case)
    assert assessment.group == SupportGroup.INTENSIVE
    with translation.override("km"):
        assert str(SupportGroup.INTENSIVE.label) in page.locator("main").inner_text()
    assert page.locator("ul.reasons li").count() == len(assessment.fired_rules) == 6
    _clean(page, "7-assessment", device)

    # 5. The plan: a barrier the assessment suggests, an objective, an action; agreed; printed.
    page.locator(f"main a[href='/cases/{case.pk}/plan/']").first.click()
    page.locator("main form button[type=submit]").first.click()  # start the plan
    page.locator("form[action$='/plan/suggestions/']:has(input[value=no_transport]) button").click()
    page.wait_for_url(f"**/cases/{case.pk}/plan/#barriers")
    page.locator("#id_objective-barrier").select_option(index=1)
    page.fill("#id_objective-text", "ទៅធ្វើការរាល់ថ្ងៃ")
    page.locator("form[action$='/plan/objectives/'] button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/plan/#objective")
    page.locator("#id_action-objective").select_option(index=1)
    page.fill("#id_action-text", "សួររោងចក្រអំពីឡានដឹកកម្មករ")
    page.fill("#id_action-due_on", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.locator("form[action$='/plan/actions/'] button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/plan/#action")
    _clean(page, "8-plan-draft", device)
    page.locator("form[action$='/plan/agree/'] button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/plan/#agree")
    plan = Plan.objects.get(case=case)
    assert plan.status == PlanStatus.AGREED and plan.agreed_by == counsellor
    _clean(page, "9-plan-agreed", device)
    with page.expect_download() as download:
        page.locator(f"a[href='/cases/{case.pk}/plan/pdf/?lang=km']").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"plan-{case.pk}-v1-km.pdf"

    # 6. Refer the person to the vacancy (the applications page).
    page.goto(f"/applications/refer/?jobseeker={person.pk}")
    _clean(page, "10-refer", device)
    page.locator(f"form:has(input[name=vacancy][value='{vacancy.pk}']) button[type=submit]").click()
    page.wait_for_load_state()
    application = Application.objects.get(jobseeker=person, vacancy=vacancy)
    assert application.source == "referred"

    # 7. The employer moves the application on and records the hire.
    employer_page = new_page(viewport=viewport, locale="km-KH")
    sign_in(employer_page, live_server, cast.employer_a, "km")
    employer_page.goto(f"/applications/{application.pk}/")
    _clean(employer_page, "11-employer-application", device)
    employer_page.select_option("form[action$='/move/'] select[name=status]", "interview")
    employer_page.locator("form[action$='/move/'] button[type=submit]").click()
    employer_page.wait_for_load_state()
    start = timezone.localdate()
    employer_page.fill("form[action$='/hire/'] input[name=start_date]", start.isoformat())
    employer_page.locator("form[action$='/hire/'] button[type=submit]").click()
    employer_page.wait_for_load_state()
    _clean(employer_page, "12-employer-hired", device)
    placement = Placement.objects.get(application=application)

    # 8. The 1-month follow-up: not due the day before, due on the day, on the counsellor's caseload.
    follow_up = FollowUp.objects.get(placement=placement, month=1)
    assert follow_up.due_on == _one_month_after(start)
    name = "ស្រី ពៅ"
    assert name not in _follow_ups_due(counsellor, follow_up.due_on - datetime.timedelta(days=1))
    assert name in _follow_ups_due(counsellor, follow_up.due_on)
    with time_machine.travel(_morning(follow_up.due_on)):
        sign_in(page, live_server, counsellor, "km")
        page.goto("/cases/caseload/?due=follow_ups&status=open")
        assert name in page.locator("#caseload-results").inner_text()
        assert page.locator(f"#caseload-results a[href='/cases/{case.pk}/']").count() == 1
        _clean(page, "13-caseload-follow-up-due", device)

    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {CaseEventKind.OPENED, CaseEventKind.ASSIGNED, CaseEventKind.INTAKE_DONE, CaseEventKind.ASSESSED,
            CaseEventKind.PLAN_AGREED} <= kinds  # fmt: skip
