"""A1: every case-file page — as a counsellor, a centre manager, a national officer and the jobseeker — in
Khmer on a phone and in English on a desktop: axe finds no WCAG 2.2 AA violation, there is one h1, and
nothing scrolls sideways. Forms sent back with errors are checked too.

Set OPENPES_SCREENSHOTS=<folder> to keep a full-page screenshot of each page for a human to look at."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.cases.actions import casefile as actions
from openpes.cases.models import Appointment
from openpes.cases.tests.factories import CaseFactory, PartnerFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(new_page, live_server, user, viewport, language):
    page = new_page(viewport=viewport)
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": "openpes_language", "value": language, "url": live_server.url},
        ]
    )
    return page


def _world(cast):
    """A case taken through intake, assessment (overridden), an agreed plan, a note and an appointment today;
    a closed earlier episode; a case transferred in; an unassigned case."""
    actor = cast.counsellor_pursat
    person = JobSeekerFactory(user=cast.jobseeker_a, name_km="ចាន់ ដារា", name_latin="Chan Dara")
    old = CaseFactory(jobseeker=person, counsellor=actor)
    actions.close_case(actor=actor, case=old, reason="no_contact")
    case = actions.reopen_case(actor=actor, case=old)
    actions.save_intake(
        actor=actor,
        case=case,
        fields={"situation": "returning_migrant", "months_without_work": 8, "has_caring_duties": True,
                "has_transport": False, "digital_access": "basic_phone", "can_use_apps": False,
                "contact_channel": "call", "goals": "ធ្វើការនៅរោងចក្រកាត់ដេរជិតផ្ទះ"},
    )  # fmt: skip
    assessment = actions.run_assessment(actor=actor, case=case)
    actions.override_assessment(
        actor=actor, assessment=assessment, group="some_support", reason="មានបទពិសោធន៍ការងារនៅប្រទេសថៃ"
    )
    plan = actions.start_plan(actor=actor, case=case)
    barrier = actions.add_barrier(actor=actor, plan=plan, theme="mobility", description="គ្មានមធ្យោបាយធ្វើដំណើរ")
    objective = actions.add_objective(actor=actor, plan=plan, barrier=barrier, text="ទៅធ្វើការរាល់ថ្ងៃ")
    soon = timezone.localdate() + datetime.timedelta(days=7)
    actions.add_plan_action(actor=actor, objective=objective, text="សួររោងចក្រអំពីឡានដឹកកម្មករ", owner="jobseeker",
                            due_on=soon)  # fmt: skip
    actions.add_plan_action(actor=actor, objective=objective, text="Short driving course", owner="partner",
                            partner=PartnerFactory(), due_on=soon)  # fmt: skip
    actions.agree_plan(actor=actor, plan=plan, review_every_days=30)
    actions.new_plan_version(actor=actor, plan=plan)
    actions.add_note(actor=actor, case=case, category="general", text="ចូលចិត្តការហៅទូរស័ព្ទពេលព្រឹក")
    start = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
    Appointment.objects.create(
        case=case, counsellor=actor, centre=cast.pursat, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    moved = CaseFactory(counsellor=cast.counsellor_battambang, jobseeker__province_code="02")
    actions.transfer_case(actor=cast.counsellor_battambang, case=moved, to_centre=cast.pursat, to_counsellor=actor,
                          reason="Moved to Pursat")  # fmt: skip
    CaseFactory(jobseeker__name_latin="Waiting Person")
    return case, old, assessment


@pytest.mark.parametrize(
    ("language", "viewport"), [("km", PHONE), ("en", DESKTOP)], ids=["khmer-phone", "english-desktop"]
)
def test_every_case_file_page_is_accessible(new_page, live_server, cast, language, viewport):
    case, old, assessment = _world(cast)
    pk = case.pk
    pages = {
        cast.counsellor_pursat: [
            "/",
            "/cases/caseload/",
            "/cases/caseload/?due=today&status=open",
            f"/cases/{pk}/",
            f"/cases/{old.pk}/",
            f"/cases/{pk}/intake/",
            f"/cases/{pk}/intake/education/",
            f"/cases/{pk}/intake/work/",
            f"/cases/{pk}/assessment/",
            f"/cases/{pk}/assessment/{assessment.pk}/override/",
            f"/cases/{pk}/plan/",
            f"/cases/{pk}/notes/",
            f"/cases/{pk}/transfer/",
            f"/cases/{pk}/close/",
            f"/cases/open/{JobSeekerFactory().pk}/",
            f"/jobseekers/{case.jobseeker_id}/",
            "/cases/how-the-assessment-works/",
        ],
        cast.manager_pursat: ["/", "/cases/team/", "/cases/", f"/cases/{pk}/"],
        cast.national: ["/cases/", f"/cases/{pk}/", f"/cases/{pk}/plan/"],
        cast.jobseeker_a: ["/me/plan/", "/cases/how-the-assessment-works/"],
    }
    shots = os.environ.get("OPENPES_SCREENSHOTS")
    for user, paths in pages.items():
        page = _signed_in(new_page, live_server, user, viewport, language)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language, path
            assert page.locator("h1").count() == 1, path
            assert axe_violations(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
            if shots:
                name = f"cases-{language}-{viewport['width']}-{user.role}-{path.strip('/').replace('/', '_')}"
                page.screenshot(path=str(Path(shots) / f"{name[:120].replace('?', '_')}.png"), full_page=True)
        if user is cast.counsellor_pursat:
            # Forms sent back with errors: an action due yesterday, an override without a reason.
            page.goto(f"/cases/{pk}/plan/")
            page.locator("#id_action-text").fill("Go")
            page.locator("#id_action-due_on").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
            page.locator("form[action$='/plan/actions/'] button[type=submit]").click()
            page.locator(".error-summary").wait_for()
            assert axe_violations(page) == []
            page.goto(f"/cases/{pk}/assessment/{assessment.pk}/override/")
            page.locator("main form button[type=submit]").click()
            page.locator(".error-summary").wait_for()
            assert axe_violations(page) == []
            if shots:
                page.screenshot(
                    path=str(Path(shots) / f"cases-{language}-{viewport['width']}-errors.png"), full_page=True
                )
