"""A2/A1 in a real browser, on a phone, in Khmer: an employer registers, a counsellor verifies it, the employer
posts and submits a vacancy, the counsellor publishes it, it appears in the public search, the counsellor
refers a jobseeker to it and the employer records the hire. Every page on the way is scanned with axe."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from openpes.accounts.tests.factories import PASSWORD, UserFactory
from openpes.applications.models import Application, Placement
from openpes.browser import PHONE, axe_violations
from openpes.conftest import enrol_totp, totp_code
from openpes.employers.models import Employer
from openpes.geography.models import Province
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.taxonomy.models import Sector
from openpes.vacancies.models import Vacancy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "ជាងដេរសម្លៀកបំពាក់ពោធិ៍សាត់"


def _clean(page):
    assert page.locator("html").get_attribute("lang") == "km"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_an_employer_registers_posts_and_its_vacancy_goes_public(new_page, reference, cast):
    counsellor = UserFactory(
        counsellor=True, centre=cast.pursat, email="sophea@nea.example", full_name="Keo Sophea", preferred_language="km"
    )
    secret = enrol_totp(counsellor)
    pursat = Province.objects.get(code="15")

    # 1. The employer registers on a phone.
    employer_page = new_page(viewport=PHONE)
    employer_page.goto("/employers/register/")
    _clean(employer_page)
    form = employer_page.locator("main form")
    form.locator("[name=full_name]").fill("ចាន់ ដារា")
    form.locator("[name=login_phone]").fill("012 777 888")
    form.locator("[name=password1]").fill("pursat-garments-2026")
    form.locator("[name=password2]").fill("pursat-garments-2026")
    form.locator("[name=name_km]").fill("រោងចក្រកាត់ដេរពោធិ៍សាត់")
    form.locator("[name=sector]").select_option(str(Sector.objects.get(code="C").pk))
    form.locator("[name=size_band][value='50-99']").check()
    form.locator("[name=province]").select_option(str(pursat.pk))
    form.locator("[name=declared_staff]").fill("80")
    form.locator("[name=declared_staff_with_disabilities]").fill("90")  # a mistake: more than the total
    form.locator("button[type=submit]").click()
    assert employer_page.locator(".error-summary").is_visible()
    _clean(employer_page)
    employer_page.locator("[name=declared_staff_with_disabilities]").fill("2")
    employer_page.locator("[name=password1]").fill("pursat-garments-2026")
    employer_page.locator("[name=password2]").fill("pursat-garments-2026")
    employer_page.locator("main form button[type=submit]").click()
    employer_page.wait_for_url(lambda url: urlparse(url).path == "/employer/")
    assert employer_page.locator(".status-warn").first.is_visible()  # waiting for verification
    _clean(employer_page)
    employer = Employer.objects.get()
    assert employer.verification == "pending"

    # 2. The counsellor signs in (with TOTP) and verifies it from the queue.
    staff_page = new_page(viewport=PHONE)
    staff_page.goto("/accounts/login/")
    staff_page.locator("input[name=login]").fill("sophea@nea.example")
    staff_page.locator("input[name=password]").fill(PASSWORD)
    staff_page.locator("main form button[type=submit]").click()
    staff_page.locator("input[name=code]").fill(totp_code(secret))
    staff_page.locator("main form button[type=submit]").first.click()
    staff_page.wait_for_url(lambda url: urlparse(url).path == "/")
    staff_page.goto("/employers/?verification=pending")
    _clean(staff_page)
    staff_page.locator(f"a[href='/employers/{employer.pk}/']").click()
    _clean(staff_page)
    staff_page.locator(f"form[action='/employers/{employer.pk}/verify/'] button").click()
    staff_page.locator(".messages").wait_for()
    assert Employer.objects.get(pk=employer.pk).is_verified
    _clean(staff_page)

    # 3. The employer posts a vacancy and sends it for review.
    employer_page.goto("/employer/")
    assert employer_page.locator(".status-ok").first.is_visible()
    employer_page.locator(f"a[href='/vacancies/new/?employer={employer.pk}']").click()
    _clean(employer_page)
    form = employer_page.locator("main form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=isco_group]").fill("8153")
    form.locator("[name=description]").fill("ដេរសម្លៀកបំពាក់ នៅរោងចក្រ។ មានការបណ្តុះបណ្តាល។")
    form.locator("[name=positions]").fill("12")
    form.locator("[name=employment_type][value=full_time]").check()
    form.locator("[name=wage_min]").fill("208")
    form.locator("[name=wage_max]").fill("250")
    form.locator("[name=disability_friendly]").check()
    form.locator("[name=accommodations][value=step_free]").check()
    closing = timezone.localdate() + datetime.timedelta(days=21)
    form.locator("[name=closing_date]").fill(closing.isoformat())
    form.locator("button[name=send]").click()
    employer_page.wait_for_url(re.compile(r"/vacancies/\d+/$"))
    _clean(employer_page)
    vacancy = Vacancy.objects.get()
    assert vacancy.status == "submitted"

    # 4. The counsellor publishes it from the review queue.
    staff_page.goto("/vacancies/")
    _clean(staff_page)
    staff_page.locator(f"a[href='/vacancies/{vacancy.pk}/']").click()
    _clean(staff_page)
    staff_page.locator(f"form[action='/vacancies/{vacancy.pk}/publish/'] button").click()
    staff_page.locator(".messages").wait_for()
    assert Vacancy.objects.get(pk=vacancy.pk).status == "published"
    _clean(staff_page)

    # 5. Anyone finds it in the public search, with a Khmer word from inside the title.
    public_page = new_page(viewport=PHONE)
    public_page.goto("/jobs/")
    _clean(public_page)
    public_page.locator("[name=q]").fill("សម្លៀកបំពាក់")
    public_page.locator("main form[role=search] button[type=submit]").first.click()
    public_page.wait_for_url(re.compile(r"q="))
    result = public_page.locator(f"#job-results a[href='/jobs/{vacancy.pk}/']")
    result.wait_for()
    _clean(public_page)
    result.click()
    public_page.wait_for_url(re.compile(rf"/jobs/{vacancy.pk}/$"))
    assert TITLE in public_page.locator("h1").inner_text()
    _clean(public_page)

    # 6. The counsellor refers a jobseeker of the centre to it; the employer records the hire.
    person = JobSeekerFactory(owner_centre=cast.pursat, name_km="ចាន់ ធីតា", name_latin="Chan Thida")
    staff_page.goto(f"/applications/refer/?vacancy={vacancy.pk}")
    _clean(staff_page)
    staff_page.locator("main form[role=search] [name=q]").fill("Thida")
    staff_page.locator("main form[role=search] button[type=submit]").click()
    staff_page.wait_for_url(re.compile(r"q=Thida"))
    staff_page.locator(f"#note-{person.pk}").fill("ធ្លាប់ដេរ ៣ ឆ្នាំ")
    staff_page.locator(f"form:has(#note-{person.pk}) button[type=submit]").click()
    staff_page.locator(".messages").wait_for()
    application = Application.objects.get(vacancy=vacancy, jobseeker=person)
    assert application.source == "referred"
    _clean(staff_page)

    employer_page.goto(f"/applications/{application.pk}/")
    _clean(employer_page)
    assert "ធ្លាប់ដេរ ៣ ឆ្នាំ" in employer_page.locator("main").inner_text()  # the counsellor's note
    employer_page.select_option("select[name=status]", "interview")
    employer_page.locator(f"form[action='/applications/{application.pk}/move/'] button[type=submit]").click()
    employer_page.locator(".messages").wait_for()
    start = timezone.localdate() + datetime.timedelta(days=2)
    employer_page.fill("input[name=start_date]", start.isoformat())
    employer_page.fill("input[name=monthly_wage]", "215")
    employer_page.locator(f"form[action='/applications/{application.pk}/hire/'] button[type=submit]").click()
    employer_page.locator(".messages").wait_for()
    _clean(employer_page)
    placement = Placement.objects.get(application=application)
    assert (placement.start_date, placement.monthly_wage, placement.via_referral) == (start, 215, True)
