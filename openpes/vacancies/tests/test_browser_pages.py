"""A1: every employer and vacancy page, as the public, an employer user and a counsellor, in Khmer on a phone
and in English on a desktop: axe finds no WCAG 2.2 AA violation and nothing scrolls sideways.

Set OPENPES_SCREENSHOTS=<folder> to keep a full-page screenshot of each page for a human to look at."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from openpes.applications.tests.factories import ApplicationFactory
from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.taxonomy.models import Skill
from openpes.vacancies.models import VacancyLanguage, VacancySkill
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(new_page, live_server, user, viewport):
    page = new_page(viewport=viewport)
    if user is not None:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return page


@pytest.mark.parametrize(
    ("language", "viewport"), [("km", PHONE), ("en", DESKTOP)], ids=["khmer-phone", "english-desktop"]
)
def test_every_page_is_accessible(new_page, live_server, cast, language, viewport):
    employer = EmployerFactory(name_en="Angkor Garments", declared_staff=300, declared_staff_with_disabilities=4)
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    pending = EmployerFactory(pending=True, name_en="Pursat Rice Mill", name_km="រោងម៉ាស៊ីនកិនស្រូវពោធិ៍សាត់")
    published = VacancyFactory(
        employer=employer,
        title="ប្រតិបត្តិករម៉ាស៊ីនដេរ",
        disability_friendly=True,
        accommodations=["step_free", "flexible_hours"],
        driving_licences=["A1"],
        hours_per_week=48,
    )
    skill = Skill.objects.create(uri="esco:sew", label_en="operate sewing machines", label_km="ប្រើម៉ាស៊ីនដេរ")
    VacancySkill.objects.create(vacancy=published, skill=skill, relation="essential")
    VacancyLanguage.objects.create(vacancy=published, language="km", level=3)
    ApplicationFactory(vacancy=published)
    submitted = VacancyFactory(employer=pending, submitted=True, title="Rice mill worker")
    returned = VacancyFactory(
        employer=employer, status="rejected", published_at=None, status_reason="incomplete", status_note="Add hours."
    )
    for user in (cast.employer_a, cast.counsellor_pursat):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    pages = {
        None: [
            "/jobs/",
            "/jobs/?q=ដេរ&province=99&isco=8",
            f"/jobs/{published.pk}/",
            "/employers/register/",
        ],
        cast.employer_a: [
            "/employer/",
            f"/employers/{employer.pk}/",
            f"/employers/{employer.pk}/edit/",
            f"/vacancies/new/?employer={employer.pk}",
            f"/vacancies/{published.pk}/",
            f"/vacancies/{returned.pk}/",
            f"/vacancies/{returned.pk}/edit/",
            f"/vacancies/{published.pk}/close/",
            f"/jobs/{published.pk}/",
        ],
        cast.counsellor_pursat: [
            "/employers/",
            "/employers/?verification=pending",
            f"/employers/{pending.pk}/",
            "/employers/new/",
            f"/employers/{pending.pk}/refuse/",
            "/vacancies/",
            f"/vacancies/{submitted.pk}/",
            f"/vacancies/{submitted.pk}/return/",
            f"/vacancies/{published.pk}/",
        ],
    }
    shots = os.environ.get("OPENPES_SCREENSHOTS")
    for user, paths in pages.items():
        page = _signed_in(new_page, live_server, user, viewport)
        if user is None:
            page.context.add_cookies([{"name": "openpes_language", "value": language, "url": live_server.url}])
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language, path
            assert page.locator("h1").count() == 1, path
            assert axe_violations(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
            if shots:
                name = f"{language}-{viewport['width']}-{path.strip('/').replace('/', '_').replace('?', '_')}"
                page.screenshot(path=str(Path(shots) / f"{name[:120]}.png"), full_page=True)
        # A form sent back with errors is accessible too.
        if user is cast.employer_a:
            page.goto(f"/vacancies/new/?employer={employer.pk}")
            page.locator("[name=title]").fill("")
            page.locator("main form button[name=save]:not(.visually-hidden)").click()
            page.locator(".error-summary").wait_for()
            assert axe_violations(page) == []
            if shots:
                page.screenshot(
                    path=str(Path(shots) / f"{language}-{viewport['width']}-vacancy-errors.png"), full_page=True
                )
