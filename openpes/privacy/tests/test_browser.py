"""A1 for the privacy pages and the 503 page: axe-clean (WCAG 2.2 AA) in Khmer and English, on a phone and a
desktop, no sideways scrolling on a phone. Set OPENPES_SCREENSHOT_DIR to keep screenshots."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, path, name, status=200):
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    assert axe_violations(page) == [], path
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1, path
    screenshot(page, name)


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_privacy_pages_pass_axe(new_page, live_server, cast, viewport, language):
    record = JobSeekerFactory(user=cast.jobseeker_a, name_latin="Chan Sophea", national_id="123456789")
    tag = f"{'phone' if viewport is PHONE else 'desktop'}-{language}"
    page = new_page(viewport=viewport)
    sign_in(page, live_server, cast.jobseeker_a, language)
    check(page, "/", f"privacy-jobseeker-home-{tag}")
    assert page.locator("a[href='/me/my-data.json']").count() == 1

    page = new_page(viewport=viewport)
    sign_in(page, live_server, cast.manager_pursat, language)
    check(page, f"/jobseekers/{record.pk}/personal-data/", f"privacy-person-{tag}")
    # Without the confirmation the form explains what to do (and the page still passes).
    page.locator("form[action$='/anonymise/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary, [role=alert]").count() >= 1
    assert axe_violations(page) == []
    screenshot(page, f"privacy-person-confirm-error-{tag}")
    page.locator("input[name=confirm]").check()
    page.locator("form[action$='/anonymise/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/anonymise/']").count() == 0
    assert axe_violations(page) == []
    screenshot(page, f"privacy-person-anonymised-{tag}")


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_database_down_page_passes_axe(new_page, live_server, viewport, language):
    page = new_page(viewport=viewport, locale="km-KH" if language == "km" else "en-GB")
    page.context.add_cookies([{"name": "openpes_language", "value": language, "url": live_server.url}])
    with mock.patch("openpes.lib.health.check", side_effect=OperationalError("server closed the connection")):
        check(page, "/health", f"database-down-{'phone' if viewport is PHONE else 'desktop'}-{language}", status=503)
