"""In Debian Chromium: a counsellor goes from a vacancy's shortlist to a referral (Khmer, phone), a jobseeker
reads "Jobs for you" with its reasons, the ISCO-08 coder fills the occupation on the vacancy and work-history
forms, and every matching page passes axe in Khmer and English on a phone and a desktop.

Set OPENPES_SCREENSHOT_DIR=<folder> to keep a screenshot of each page."""

import datetime

import pytest
from django.utils import timezone

from openpes.applications.models import Application
from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.jobseekers.models import AccommodationNeed
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.matching.models import MatchDismissal, Recommendation
from openpes.matching.tests.builders import fresh_index, job, person, shares_with_employers
from openpes.taxonomy.coder import service as coder
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market(cast):
    seamstress = person(user=cast.jobseeker_a, has=("sew", "cut"), name_latin="Sok Dara")
    AccommodationNeed.objects.create(jobseeker=seamstress, kind="step_free")
    shares_with_employers(seamstress)
    second = person(has=("sew",), name_latin="Keo Mealea")
    sewing = job(title="ប្រតិបត្តិករម៉ាស៊ីនដេរ", accommodations=["step_free"], driving_licences=["A1"])
    EmployerMemberFactory(employer=sewing.employer, user=cast.employer_a)
    job(title="Quality inspector", isco_code="7543", essential=("inspect",))
    fresh_index()
    return seamstress, second, sewing


def _clean(page, name, language):
    assert page.locator("html").get_attribute("lang") == language, name
    assert page.locator("h1").count() == 1, name
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(page, f"matching-{name}")


def test_a_counsellor_goes_from_the_shortlist_to_a_referral_in_khmer_on_a_phone(new_page, live_server, cast, market):
    seamstress, second, sewing = market
    page = new_page(viewport=PHONE, locale="km-KH")
    sign_in(page, live_server, cast.counsellor_pursat, "km")
    page.goto(f"/vacancies/{sewing.pk}/")
    page.locator(f"main a[href='/vacancies/{sewing.pk}/candidates/']").click()
    page.wait_for_url(f"**/vacancies/{sewing.pk}/candidates/")
    _clean(page, "journey-1-shortlist-km-phone", "km")
    items = page.locator("ol.results > li")
    assert items.count() == 2
    assert "Sok Dara" in items.nth(0).inner_text()
    assert "ប្រើម៉ាស៊ីនដេរ" in items.nth(0).inner_text()  # the skill, named in Khmer
    items.nth(0).locator("form[action='/matching/refer/'] button").click()
    page.locator("p.outcome").wait_for()
    assert "Sok Dara" in page.locator("p.outcome").inner_text()
    _clean(page, "journey-2-referred-km-phone", "km")
    application = Application.objects.get(jobseeker=seamstress, vacancy=sewing)
    assert application.source == "referred" and application.referred_by == cast.counsellor_pursat
    # The other candidate does not fit after all: dismiss with a reason.
    other = page.locator("ol.results > li").filter(has_text="Keo Mealea")
    other.locator("select").select_option("not_suitable")
    other.locator("form[action='/matching/dismiss/'] button").click()
    page.locator("p.outcome").nth(1).wait_for()
    assert MatchDismissal.objects.get(jobseeker=second, vacancy=sewing).reason == "not_suitable"
    page.reload()
    assert page.locator("ol.results form[action='/matching/refer/']").count() == 0
    _clean(page, "journey-3-after-km-phone", "km")


def test_without_javascript_refer_still_works_and_comes_back_to_the_list(browser, live_server, cast, market):
    seamstress, _second, sewing = market
    context = browser.new_context(viewport=PHONE, locale="km-KH", base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, cast.counsellor_pursat, "km")
        page.goto(f"/vacancies/{sewing.pk}/candidates/")
        page.locator("ol.results > li").first.locator("form[action='/matching/refer/'] button").click()
        page.wait_for_url(f"**/vacancies/{sewing.pk}/candidates/")
        assert Application.objects.filter(jobseeker=seamstress, vacancy=sewing).exists()
        assert page.locator(".messages li").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "km"), (DESKTOP, "en")], ids=["phone-km", "desktop-en"])
def test_a_jobseeker_reads_jobs_for_you_with_reasons(new_page, live_server, cast, market, viewport, language):
    seamstress, _second, sewing = market
    page = new_page(viewport=viewport, locale="km-KH" if language == "km" else "en-GB")
    sign_in(page, live_server, cast.jobseeker_a, language)
    page.goto("/")
    page.locator("main a[href='/me/jobs/']").click()
    page.wait_for_url("**/me/jobs/")
    device = "phone" if viewport is PHONE else "desktop"
    _clean(page, f"jobs-for-you-{language}-{device}", language)
    first = page.locator("ol.results > li").first
    assert "ប្រតិបត្តិករម៉ាស៊ីនដេរ" in first.inner_text()
    assert first.locator("ul li").count() >= 3  # reasons and gaps
    assert first.locator("meter").count() == 1
    assert first.locator(f"a[href='/jobs/{sewing.pk}/apply/']").count() == 1
    if language == "en":
        assert "Offers what you need: Step-free access (ramp or lift)" in first.inner_text()
        first.locator("form button").click()
        page.locator("p.outcome").wait_for()
        assert MatchDismissal.objects.filter(jobseeker=seamstress, vacancy=sewing).exists()


PAGES = [
    ("counsellor_pursat", "jobseeker-jobs", lambda m: f"/jobseekers/{m[0].pk}/recommended-jobs/"),
    ("counsellor_pursat", "profile-panel", lambda m: f"/jobseekers/{m[0].pk}/"),
    ("counsellor_pursat", "vacancy-panel", lambda m: f"/vacancies/{m[2].pk}/"),
    ("employer_a", "employer-suggestions", lambda m: f"/vacancies/{m[2].pk}/suggestions/"),
    ("national", "fairness", lambda m: "/matching/fairness/"),
    ("admin", "weights", lambda m: "/matching/weights/"),
]


@pytest.mark.parametrize(
    ("viewport", "language"),
    [(PHONE, "km"), (PHONE, "en"), (DESKTOP, "km"), (DESKTOP, "en")],
    ids=["phone-km", "phone-en", "desktop-km", "desktop-en"],
)
def test_every_matching_page_passes_axe(new_page, live_server, cast, market, viewport, language):
    seamstress, second, sewing = market
    for n in range(6):  # rows behind the fairness tables
        shown_at = timezone.now() - datetime.timedelta(days=n)
        who = seamstress if n % 2 else second
        Recommendation.objects.create(
            jobseeker=who, vacancy=sewing, direction="people", rank=1, score=0.5, shown_at=shown_at
        )
    device = "phone" if viewport is PHONE else "desktop"
    for who, name, url in PAGES:
        page = new_page(viewport=viewport, locale="km-KH" if language == "km" else "en-GB")
        sign_in(page, live_server, getattr(cast, who), language)
        page.goto(url(market))
        if name == "profile-panel":
            page.locator("section[aria-labelledby=recommended-jobs-title] ol.results > li").first.wait_for()
        if name == "vacancy-panel":
            page.locator("section[aria-labelledby=suggested-candidates-title] ol.results > li").first.wait_for()
        _clean(page, f"{name}-{language}-{device}", language)
        page.context.close()


@pytest.fixture
def coder_home(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    coder.reset()
    yield
    coder.reset()


@pytest.mark.parametrize("form", ["vacancy", "work-history"])
def test_typing_a_job_title_offers_three_isco_codes_that_fill_the_field(
    new_page, live_server, cast, reference, coder_home, form
):
    page = new_page(viewport=PHONE, locale="en-GB")
    if form == "vacancy":
        employer = VacancyFactory().employer
        EmployerMemberFactory(employer=employer, user=cast.employer_a)
        sign_in(page, live_server, cast.employer_a, "en")
        page.goto(f"/vacancies/new/?employer={employer.pk}")
    else:
        person(user=cast.jobseeker_a)
        sign_in(page, live_server, cast.jobseeker_a, "en")
        page.goto("/me/profile/experience/")
    page.fill("#id_title", "sewing machine operator")
    page.locator("#id_title").blur()
    buttons = page.locator("[data-isco-suggestions] button[data-isco-fill='id_isco_group']")
    buttons.first.wait_for()
    assert 1 <= buttons.count() <= 3
    assert "8153" in buttons.first.inner_text()
    buttons.first.click()
    assert page.input_value("#id_isco_group").startswith("8153 — Sewing machine operators")
    assert buttons.first.get_attribute("aria-pressed") == "true"
    _clean(page, f"isco-suggestions-{form}-en-phone", "en")
