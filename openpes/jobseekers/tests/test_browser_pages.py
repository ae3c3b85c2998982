"""A1: every jobseeker page passes axe (WCAG 2.2 AA) in Khmer and English, on a phone and a desktop, and
does not scroll sideways on a phone. Set OPENPES_SCREENSHOT_DIR to keep a screenshot of each page."""

from __future__ import annotations

import pytest

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.jobseekers import actions
from openpes.jobseekers.models import WorkExperience
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.jobseekers.tests.files import PDF, upload
from openpes.lib.uploads import check_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, path, name):
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert axe_violations(page) == [], path
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
    screenshot(page, name)


@pytest.fixture
def world(cast):
    """A Pursat jobseeker (with an account) with a full profile, and a possible duplicate of them."""
    person = JobSeekerFactory(user=cast.jobseeker_a, name_latin="Sok Sreymom", national_id="010123456",
                              date_of_birth="1995-03-02", employment_types=["full_time"])  # fmt: skip
    WorkExperience.objects.create(jobseeker=person, title="Sewing machine operator", employer_name="Angkor Garments")
    WgssAnswersFactory(jobseeker=person)
    actions.attach_cv(actor=None, jobseeker=person, checked=check_upload(upload("cv.pdf", PDF)), original_name="cv.pdf")
    actions.record_consent(actor=None, jobseeker=person, purpose="registration", given=True, method="online")
    duplicate = JobSeekerFactory(name_km="", name_latin="Sreymom Sokh", date_of_birth="1995-03-02")
    return person, duplicate


SECTIONS = ["personal", "contact", "education", "experience", "skills", "languages", "occupations",
            "preferences", "migration", "cv", "wgss", "accommodation", "consents"]  # fmt: skip


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_jobseeker_pages_pass_axe(new_page, live_server, cast, world, viewport, language):
    page = new_page(viewport=viewport)
    tag = f"{'phone' if viewport is PHONE else 'desktop'}-{language}"
    sign_in(page, live_server, cast.jobseeker_a, language)
    check(page, "/", f"jobseeker-home-{tag}")
    check(page, "/me/profile/", f"my-profile-{tag}")
    for section in SECTIONS:
        check(page, f"/me/profile/{section}/", f"my-{section}-{tag}")


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_staff_pages_pass_axe(new_page, live_server, cast, world, viewport, language):
    person, duplicate = world
    page = new_page(viewport=viewport)
    tag = f"{'phone' if viewport is PHONE else 'desktop'}-{language}"
    sign_in(page, live_server, cast.manager_pursat, language)
    check(page, "/jobseekers/", f"staff-list-{tag}")
    check(page, "/jobseekers/?q=Sok&status=active", f"staff-list-search-{tag}")
    check(page, f"/jobseekers/{person.pk}/", f"staff-detail-{tag}")
    check(page, f"/jobseekers/{person.pk}/edit/status/", f"staff-status-{tag}")
    check(page, f"/jobseekers/{person.pk}/edit/consents/", f"staff-consents-{tag}")
    check(page, f"/jobseekers/{person.pk}/merge/{duplicate.pk}/", f"staff-merge-{tag}")
    check(page, "/jobseekers/new/", f"staff-register-{tag}")


@pytest.mark.parametrize("language", ["km", "en"])
def test_the_sign_up_page_passes_axe(new_page, live_server, cast, language):
    page = new_page(viewport=PHONE)
    page.context.add_cookies([{"name": "openpes_language", "value": language, "url": live_server.url}])
    check(page, "/accounts/signup/", f"signup-phone-{language}")
    page.evaluate("document.querySelector('main form').noValidate = true")  # past the browser's own checks
    page.locator("main form button[type=submit]").click()  # empty: every error at once
    assert page.locator(".errorlist").count() > 3
    assert axe_violations(page) == []
    screenshot(page, f"signup-errors-phone-{language}")
