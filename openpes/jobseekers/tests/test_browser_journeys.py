"""A2 in a real browser, in Khmer: a person signs up on a phone with only a phone number, fills in a profile
section (the district list follows the province through htmx), uploads a CV and applies to a job; a counsellor
registers a walk-in person without a phone, sees a possible duplicate, confirms it is a different person and
refers them to a job."""

from __future__ import annotations

import pytest

from openpes.applications.models import Application
from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.geography.models import Commune, District, Province
from openpes.jobseekers.models import DuplicateDismissal, JobSeeker
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.jobseekers.tests.files import PDF
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _choose_and_wait_for_htmx(page, selector, value):
    """Choose an option and wait until htmx has swapped in (and wired up) the lists that depend on it."""
    page.evaluate(
        "() => { window.openpesSettled = new Promise("
        "done => document.body.addEventListener('htmx:afterSettle', () => done(true), {once: true})); }"
    )
    page.select_option(selector, str(value))
    assert page.evaluate("window.openpesSettled") is True


def test_a_person_signs_up_in_khmer_on_a_phone_fills_in_the_address_and_uploads_a_cv(new_page, live_server, cast):
    pursat = Province.objects.get(code="15")
    battambang = Province.objects.get(code="02")
    district = District.objects.filter(province=battambang).order_by("code").first()
    commune = Commune.objects.filter(district=district).order_by("code").first()
    vacancy = VacancyFactory(title="អ្នកលក់ទូរស័ព្ទ")
    page = new_page(viewport=PHONE)

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "km"
    page.locator("main a[href='/accounts/signup/']").click()
    assert axe_violations(page) == []
    page.fill("#id_name_km", "សុខ ស្រីមុំ")
    page.check("input[name=sex][value=F]")
    page.fill("#id_date_of_birth", "1998-04-13")
    page.select_option("#id_province", str(pursat.pk))
    page.fill("#id_phone", "012 345 678")
    page.fill("#id_password1", "a-long-pass-phrase")
    page.fill("#id_password2", "a-long-pass-phrase")
    page.check("#id_consent")
    screenshot(page, "journey-1-signup-filled")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "km"
    assert page.locator("progress#profile-progress").get_attribute("value") == "11"
    assert axe_violations(page) == []
    assert _no_sideways_scroll(page)
    screenshot(page, "journey-2-home")
    jobseeker = JobSeeker.objects.get(phone="+85512345678")
    assert jobseeker.user.phone == "+85512345678" and jobseeker.user.email is None

    # The "what to do next" list leads to the address section; the district list follows the province.
    page.locator("main a[href='/me/profile/contact/']").first.click()
    _choose_and_wait_for_htmx(page, "#id_province", battambang.pk)
    assert page.locator(f"#id_district option[value='{district.pk}']").count() == 1
    _choose_and_wait_for_htmx(page, "#id_district", district.pk)
    assert page.locator(f"#id_commune option[value='{commune.pk}']").count() == 1
    page.select_option("#id_commune", str(commune.pk))
    page.fill("#id_address", "ភូមិកណ្ដាល")
    assert axe_violations(page) == []
    screenshot(page, "journey-3-address")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/profile/#section-contact")
    jobseeker.refresh_from_db()
    assert (jobseeker.province, jobseeker.district, jobseeker.commune) == (battambang, district, commune)

    page.goto("/me/profile/cv/")
    page.set_input_files("#id_file", files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url("**/me/profile/cv/")
    assert page.locator("main a", has_text="cv.pdf").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "journey-4-cv")
    assert jobseeker.documents.get().original_name == "cv.pdf"

    page.goto("/me/profile/")
    assert axe_violations(page) == []
    assert _no_sideways_scroll(page)
    screenshot(page, "journey-5-profile")

    # …and applies to a job found in the public search.
    page.goto(f"/jobs/?q={vacancy.title}")
    page.locator(f"main a[href='/jobs/{vacancy.pk}/']").first.click()
    page.locator(f"main a[href='/jobs/{vacancy.pk}/apply/']").first.click()
    assert axe_violations(page) == []
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert Application.objects.get(vacancy=vacancy).jobseeker == jobseeker
    page.goto("/applications/")
    assert vacancy.title in page.locator("main").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_counsellor_registers_a_walk_in_person_without_a_phone_after_checking_a_duplicate(
    new_page, live_server, cast, viewport
):
    existing = JobSeekerFactory(name_km="", name_latin="Sok Sreymom", date_of_birth="1995-03-02")
    page = new_page(viewport=viewport)
    sign_in(page, live_server, cast.counsellor_pursat, "km")

    page.goto("/")
    page.locator("main a[href='/jobseekers/new/']").click()
    assert axe_violations(page) == []
    page.fill("#id_name_latin", "Sreymom Sokh")
    page.check("input[name=sex][value=F]")
    page.fill("#id_date_of_birth", "1995-03-02")
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()

    page.locator("#duplicates").wait_for()
    assert page.locator(f"#duplicates a[href='/jobseekers/{existing.pk}/']").count() == 1
    assert axe_violations(page) == []
    assert _no_sideways_scroll(page)
    screenshot(page, f"journey-6-duplicate-{'phone' if viewport is PHONE else 'desktop'}")
    assert JobSeeker.objects.count() == 1

    page.locator("button[name=confirm_different]").click()
    page.wait_for_url(lambda url: "/jobseekers/new/" not in url)
    new = JobSeeker.objects.exclude(pk=existing.pk).get()
    assert page.url.endswith(f"/jobseekers/{new.pk}/")
    assert (new.phone, new.owner_centre, new.registered_by) == ("", cast.pursat, cast.counsellor_pursat)
    assert DuplicateDismissal.objects.count() == 1
    assert page.locator("#duplicates").count() == 0
    assert axe_violations(page) == []
    screenshot(page, f"journey-7-registered-{'phone' if viewport is PHONE else 'desktop'}")

    # The counsellor refers the person to a job from their record.
    vacancy = VacancyFactory(title="Cashier at a mini-mart")
    page.locator(f"main a[href='/applications/refer/?jobseeker={new.pk}']").click()
    assert axe_violations(page) == []
    page.locator("main form[role=search] [name=q]").fill("cashier")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url("**q=cashier**")
    page.locator(f"#note-{vacancy.pk}").fill("មកចុះឈ្មោះនៅមជ្ឈមណ្ឌល គ្មានទូរស័ព្ទ")
    page.locator(f"form:has(#note-{vacancy.pk}) button[type=submit]").click()
    page.locator(".messages").wait_for()
    referral = Application.objects.get(jobseeker=new, vacancy=vacancy)
    assert (referral.source, referral.referred_by) == ("referred", cast.counsellor_pursat)
    assert axe_violations(page) == []
