import pytest
from openpes.browser import PHONE
from openpes.jobseekers.tests.browsing import sign_in
from openpes.matching.tests.test_browser_matching import market  # noqa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_dbg(new_page, live_server, cast, market):
    seamstress, second, sewing = market
    page = new_page(viewport=PHONE, locale="km-KH")
    sign_in(page, live_server, cast.counsellor_pursat, "km")
    page.goto(f"/vacancies/{sewing.pk}/candidates/")
    page.locator("ol.results > li").nth(0).locator("form[action='/matching/refer/'] button").click()
    page.locator("li[role=status]").wait_for()
    print(page.locator("ol.results").evaluate("e => e.outerHTML")[:3000])
    assert 0
