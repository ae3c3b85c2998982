"""A1/A2 in a real browser. The journey, in Khmer on a phone: a counsellor publishes free times, a jobseeker books
one from their phone, and the counsellor records a 1-month follow-up with the call script. Then every services
page — as counsellor, manager, coordinator, jobseeker and employer — in Khmer on a phone and in English on a
desktop: axe finds no WCAG 2.2 AA violation, one h1, nothing scrolls sideways.

Set OPENPES_SCREENSHOT_DIR=<folder> to keep a screenshot of each page."""

import datetime
import re

import pytest
from django.utils import timezone

from openpes.applications import actions as applications
from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.cases.actions import casefile
from openpes.cases.actions import services as actions
from openpes.cases.enums import AppointmentStatus, CaseEventKind
from openpes.cases.models import Appointment, AppointmentSlot, CaseEvent, FollowUp
from openpes.cases.tests.factories import CaseFactory, PartnerServiceFactory
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.geography.models import Province
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _clean(page, name, language="km"):
    assert page.locator("html").get_attribute("lang") == language, name
    assert page.locator("h1").count() == 1, name
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(page, name)


def _next_weekday(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def test_a_jobseeker_books_a_free_time_and_the_counsellor_records_the_follow_up(new_page, live_server, cast):
    counsellor = cast.counsellor_pursat
    person = JobSeekerFactory(user=cast.jobseeker_a, name_km="ស្រី ពៅ", name_latin="Srey Pov", phone="+85512000777")
    employer = EmployerFactory(name_km="រោងចក្រកាត់ដេរ អង្គរ", name_en="Angkor Garments")
    day = _next_weekday(2)

    # 1. The counsellor publishes three free times on a phone.
    staff = new_page(viewport=PHONE, locale="km-KH")
    sign_in(staff, live_server, counsellor, "km")
    staff.goto("/appointments/slots/new/")
    _clean(staff, "services-journey-1-publish")
    staff.fill("#id_day", day.isoformat())
    staff.fill("#id_time", "09:00")
    staff.fill("#id_count", "3")
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url(re.compile(r"/appointments/\?"))
    assert AppointmentSlot.objects.filter(counsellor=counsellor).count() == 3
    _clean(staff, "services-journey-2-calendar-week")

    # 2. The jobseeker books the second one from their phone, in Khmer.
    phone = new_page(viewport=PHONE, locale="km-KH")
    sign_in(phone, live_server, cast.jobseeker_a, "km")
    phone.goto("/me/appointments/")
    _clean(phone, "services-journey-3-free-times")
    second = AppointmentSlot.objects.order_by("starts_at")[1]
    phone.locator(f"form[action='/me/appointments/book/{second.pk}/'] button").click()
    phone.wait_for_url("**/me/appointments/")
    appointment = Appointment.objects.get()
    assert appointment.slot_id == second.pk and appointment.case.jobseeker_id == person.pk
    assert appointment.status == AppointmentStatus.BOOKED
    assert phone.locator("form[action$='/cancel/']").count() == 1
    _clean(phone, "services-journey-4-booked")

    # 3. A month ago the person started a job; today the 1-month follow-up is due.
    case = appointment.case
    start = actions.add_months(timezone.localdate(), -1)
    actions.record_placement(
        actor=counsellor,
        case=case,
        employer=employer,
        start_date=start,
        monthly_wage=210,
        note="ហៅទៅផ្នែកធនធានមនុស្ស",
        keep_open=True,
    )
    follow_up = FollowUp.objects.get(month=1)
    assert follow_up.due_on <= timezone.localdate()
    staff.goto("/cases/follow-ups/")
    _clean(staff, "services-journey-5-follow-ups-due")
    staff.locator(f"a[href='/cases/follow-ups/{follow_up.pk}/']").click()
    staff.wait_for_url(f"**/cases/follow-ups/{follow_up.pk}/")
    assert "+85512000777" in staff.locator("main").inner_text()
    _clean(staff, "services-journey-6-call-script")
    staff.check("input[name=reached][value='1']")
    staff.check("input[name=still_employed][value='1']")
    staff.check("input[name=same_employer][value='1']")
    staff.fill("#id_monthly_wage", "230")
    staff.check("input[name=satisfaction][value='4']")
    staff.fill("#id_notes", "ចង់រៀនវគ្គកុំព្យូទ័រពេលល្ងាច")
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_url("**/cases/follow-ups/")
    _clean(staff, "services-journey-7-recorded")
    follow_up.refresh_from_db()
    assert (follow_up.reached, follow_up.still_employed, follow_up.monthly_wage, follow_up.satisfaction) == (
        True,
        True,
        230,
        4,
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.FOLLOW_UP_DONE)
    assert event.detail["month"] == 1 and event.detail["same_employer"] is True
    staff.goto(f"/cases/placements/{follow_up.placement_id}/")
    _clean(staff, "services-journey-8-placement")


def _world(cast):
    """A case with an appointment coming and one to record, a referral, a hire with its follow-ups; free times;
    an employer with a contact and a vacancy with a sent shortlist."""
    counsellor = cast.counsellor_pursat
    person = JobSeekerFactory(user=cast.jobseeker_a, name_km="ចាន់ ដារា", name_latin="Chan Dara", phone="+85512000888")
    case = CaseFactory(jobseeker=person, counsellor=counsellor)
    casefile.save_intake(
        actor=counsellor,
        case=case,
        fields={
            "situation": "unemployed",
            "digital_access": "smartphone",
            "contact_channel": "sms",
            "can_use_apps": True,
        },
    )
    now = timezone.now()
    soon = (now + datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    actions.book_appointment(
        actor=counsellor, case=case, counsellor=counsellor, starts_at=soon, minutes=30, purpose="ពិនិត្យផែនការឡើងវិញ"
    )
    Appointment.objects.create(
        case=case,
        counsellor=counsellor,
        centre=cast.pursat,
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now - datetime.timedelta(hours=1),
    )
    actions.publish_slots(
        actor=counsellor, counsellor=counsellor, starts_at=soon + datetime.timedelta(hours=1), minutes=30, count=3
    )
    service = PartnerServiceFactory(themes=["training"])
    service.provinces.set([Province.objects.get(code="15")])
    actions.refer_to_service(actor=counsellor, case=case, service=service, note="ចូលរៀនខែមករា")
    employer = EmployerFactory(name_km="រោងចក្រកាត់ដេរ អង្គរ", name_en="Angkor Garments")
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    actions.record_employer_contact(
        actor=counsellor,
        employer=employer,
        kind="visit",
        summary="ត្រូវការកម្មករដេរ ២០ នាក់",
        next_contact_on=timezone.localdate(),
    )
    hired = VacancyFactory(employer=employer, title="ប្រតិបត្តិករម៉ាស៊ីនដេរ")
    application = applications.refer(actor=counsellor, vacancy=hired, jobseeker=person)
    applications.move_application(actor=cast.employer_a, application=application, status="interview")
    start = actions.add_months(timezone.localdate(), -1)
    placement = applications.record_hire(actor=cast.employer_a, application=application, start_date=start)
    open_vacancy = VacancyFactory(employer=employer, title="អ្នកត្រួតពិនិត្យគុណភាព")
    other = JobSeekerFactory(name_km="កែវ សុភា", name_latin="Keo Sophea")
    JobSeekerFactory(name_km="សុខ មាន", name_latin="Sok Mean")  # a candidate left to pick
    shortlist = actions.send_shortlist(
        actor=counsellor, vacancy=open_vacancy, candidates=[(other, "មានបទពិសោធន៍ ៣ ឆ្នាំ")], message="សូមអញ្ជើញមកសម្ភាសន៍"
    )
    return case, service, employer, placement, open_vacancy, shortlist


@pytest.mark.parametrize(
    ("language", "viewport"), [("km", PHONE), ("en", DESKTOP)], ids=["khmer-phone", "english-desktop"]
)
def test_every_services_page_is_accessible(new_page, live_server, cast, language, viewport):
    case, service, employer, placement, vacancy, shortlist = _world(cast)
    follow_up = FollowUp.objects.get(placement=placement, month=1)
    pk = case.pk
    pages = {
        cast.counsellor_pursat: [
            f"/cases/{pk}/",
            "/appointments/",
            "/appointments/?view=week",
            "/appointments/?counsellor=all",
            "/appointments/slots/new/",
            f"/cases/{pk}/appointments/new/",
            f"/cases/{pk}/services/refer/",
            f"/cases/{pk}/placements/new/",
            f"/cases/placements/{placement.pk}/",
            "/cases/follow-ups/",
            "/cases/follow-ups/?state=upcoming&whose=all",
            f"/cases/follow-ups/{follow_up.pk}/",
            "/partners/",
            f"/partners/{service.partner_id}/",
            f"/employers/{employer.pk}/",
            f"/cases/employers/{employer.pk}/contacts/",
            "/cases/employers/due/",
            f"/cases/vacancies/{vacancy.pk}/shortlist/?q=Keo",
            f"/cases/vacancies/{vacancy.pk}/shortlist/",
            f"/cases/shortlists/{shortlist.pk}/",
            f"/vacancies/{vacancy.pk}/",
        ],
        cast.manager_pursat: [
            "/appointments/slots/new/",
            "/partners/new/",
            f"/partners/{service.partner_id}/edit/",
            f"/partners/{service.partner_id}/services/new/",
            f"/partners/{service.partner_id}/services/{service.pk}/edit/",
        ],
        cast.coordinator: ["/partners/"],
        cast.jobseeker_a: ["/me/appointments/"],
        cast.employer_a: [
            f"/vacancies/{vacancy.pk}/",
            f"/cases/shortlists/{shortlist.pk}/",
            f"/employers/{employer.pk}/",
        ],
    }
    for user, paths in pages.items():
        page = new_page(viewport=viewport, locale="km-KH" if language == "km" else "en-GB")
        sign_in(page, live_server, user, language)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            name = f"services-{language}-{viewport['width']}-{user.role}-{path.strip('/').replace('/', '_')}"
            _clean(page, re.sub(r"[^\w.-]", "_", name)[:120], language)
        if user is cast.counsellor_pursat:
            # Forms sent back with errors.
            for path, button in (
                (f"/cases/follow-ups/{follow_up.pk}/", "main form button[type=submit]"),
                (f"/cases/{pk}/placements/new/", "main form button[type=submit]"),
                (f"/cases/employers/{employer.pk}/contacts/", "main form button[type=submit]"),
                ("/appointments/slots/new/", "main form button[type=submit]"),
                (f"/cases/vacancies/{vacancy.pk}/shortlist/", "main form[method=post] button"),
            ):
                page.goto(path)
                page.locator(button).first.click()
                page.locator(".error-summary").wait_for()
                name = f"services-{language}-{viewport['width']}-errors-{path.strip('/').replace('/', '_')}"
                _clean(page, name, language)
