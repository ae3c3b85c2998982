"""A2/A1 in a real browser: the public page, switching to Khmer, a counsellor signing in with TOTP."""

from urllib.parse import urlparse

import pytest

from openpes.accounts.tests.factories import PASSWORD, UserFactory
from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.conftest import enrol_totp, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_counsellor_switches_to_khmer_signs_in_and_sees_their_home(new_page, reference, cast, viewport):
    counsellor = UserFactory(counsellor=True, centre=cast.pursat, email="sophea@nea.example", full_name="Keo Sophea")
    secret = enrol_totp(counsellor)
    page = new_page(viewport=viewport)

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "km"  # Khmer first, whatever the browser says
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []

    page.get_by_role("button", name="ខ្មែរ").click()
    assert page.locator("html").get_attribute("lang") == "km"
    assert axe_violations(page) == []

    page.locator("header").get_by_role("link").nth(-1).click()  # the sign-in link
    assert page.locator("html").get_attribute("lang") == "km"
    assert axe_violations(page) == []
    page.locator("input[name=login]").fill("sophea@nea.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    assert axe_violations(page) == []
    page.locator("input[name=code]").fill(totp_code(secret))  # typed just before sending, as from a phone
    page.locator("main form button[type=submit]").first.click()

    page.wait_for_url(lambda url: urlparse(url).path == "/")
    assert "Keo Sophea" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "km"
    assert axe_violations(page) == []
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
