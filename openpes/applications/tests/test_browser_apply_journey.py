"""A2 in a real browser, Khmer, phone: a jobseeker finds a job by a Khmer word and applies; the employer opens
the application, invites to interview and records the hire."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from openpes.accounts.tests.factories import PASSWORD, UserFactory
from openpes.applications.models import Application, Placement
from openpes.browser import PHONE, axe_violations
from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, login):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_a_jobseeker_finds_a_job_in_khmer_applies_and_the_employer_records_the_hire(new_page, cast):
    vacancy = VacancyFactory(title="ប្រតិបត្តិករម៉ាស៊ីនដេរ រោងចក្រកាត់ដេរ", positions=1)
    employer_user = UserFactory(role="employer", email="hr@garment.example", preferred_language="km")
    EmployerMemberFactory(employer=vacancy.employer, user=employer_user)
    person = UserFactory(role="jobseeker", email=None, phone="+85512345678", preferred_language="km")
    JobSeekerFactory(user=person, phone="+85512345678", name_km="ចាន់ ធីតា", name_latin="Chan Thida")

    page = new_page(viewport=PHONE)
    _sign_in(page, "012 345 678")
    page.goto("/jobs/")
    assert page.locator("html").get_attribute("lang") == "km"
    page.fill("main input[name=q]", "ដេរ")  # a word inside the longer, unspaced title
    page.locator("main form[role=search] button[type=submit], main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.locator(f"main a[href='/jobs/{vacancy.pk}/']").first.click()
    assert axe_violations(page) == []
    page.locator(f"main a[href='/jobs/{vacancy.pk}/apply/']").first.click()
    assert axe_violations(page) == []
    page.fill("textarea[name=note]", "ខ្ញុំមានបទពិសោធន៍ដេរ ៣ ឆ្នាំ")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    application = Application.objects.get(vacancy=vacancy)
    assert application.jobseeker.user_id == person.pk
    page.goto("/applications/")
    assert vacancy.title in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    employer_page = new_page(viewport=PHONE)
    _sign_in(employer_page, "hr@garment.example")
    employer_page.goto(f"/applications/{application.pk}/")
    assert "Chan Thida" in employer_page.locator("main").inner_text()
    assert axe_violations(employer_page) == []
    employer_page.select_option("select[name=status]", "interview")
    employer_page.locator(f"form[action='/applications/{application.pk}/move/'] button[type=submit]").click()
    employer_page.wait_for_load_state()
    start = timezone.localdate() + datetime.timedelta(days=3)
    employer_page.fill("input[name=start_date]", start.isoformat())
    employer_page.fill("input[name=monthly_wage]", "230")
    employer_page.locator(f"form[action='/applications/{application.pk}/hire/'] button[type=submit]").click()
    employer_page.wait_for_load_state()
    assert axe_violations(employer_page) == []
    placement = Placement.objects.get(application=application)
    assert (placement.start_date, placement.monthly_wage, placement.via_referral) == (start, 230, False)
