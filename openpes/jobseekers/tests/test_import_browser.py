"""A1/A2 in a real browser: a counsellor uploads a spreadsheet, reviews it and confirms — in Khmer on a phone."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "name_km,name_latin,sex,date_of_birth,phone,province,district,channel,consent\n"
    "សុខ ស្រីមុំ,Sok Sreymom,ស្រី,14/03/1995,012345678,ពោធិ៍សាត់,បាកាន,fair,បាទ/ចាស\n"
    "ចាន់ ដារ៉ា,Chan Dara,ប្រុស,01/01/1990,,15,,fair,yes\n"
    "កែវ សុភាព,Keo Sopheap,M,1991-05-05,,15,,fair,yes\n"
    "លី វិសាល,Ly Visal,M,1992-02-02,,15,,fair,no\n"
    "ហេង ចាន់ធី,Heng Chanthy,F,1993-03-03,12,15,,fair,yes\n"
)


def signed_in_page(new_page, live_server, user, viewport, locale):
    client = Client()
    client.force_login(user)
    page = new_page(viewport=viewport, locale=locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize(
    ("viewport", "language"), [(PHONE, "km"), (DESKTOP, "en")], ids=["phone-khmer", "desktop-english"]
)
def test_counsellor_uploads_reviews_and_confirms_an_import(
    new_page, live_server, settings, tmp_path, cast, viewport, language
):
    settings.JOBSEEKER_IMPORT_DIR = tmp_path
    counsellor = cast.counsellor_pursat
    counsellor.preferred_language = language
    counsellor.save(update_fields=["preferred_language"])
    registered = JobSeekerFactory(name_km="កែវ សុភា", name_latin="Keo Sophea", date_of_birth=datetime.date(1991, 5, 5))
    page = signed_in_page(new_page, live_server, counsellor, viewport, locale=f"{language}-KH")

    page.goto("/jobseekers/import/")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.locator("input[name=file]").set_input_files(
        {"name": "fair.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/jobseekers/import/*/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator("table tbody tr").count() == 2  # no consent; a phone number too short
    assert page.locator("input[name=import_anyway]").count() == 1  # Keo Sopheap, maybe Keo Sophea
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.locator("input[name=import_anyway]").check()
    page.locator("button[name=confirm]").click()
    page.wait_for_url(lambda url: "/jobseekers/import/" not in url or url.endswith("/jobseekers/import/"))

    imported = JobSeeker.objects.exclude(pk=registered.pk)
    assert sorted(imported.values_list("name_latin", flat=True)) == ["Chan Dara", "Keo Sopheap", "Sok Sreymom"]
    assert imported.get(name_latin="Sok Sreymom").district.code == "1501"
    assert page.locator(".messages .success").count() == 1
