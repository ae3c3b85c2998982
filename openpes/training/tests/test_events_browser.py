"""A2/A1 in Chromium, in Khmer: a coordinator builds the programme and a ToT; a ToT participant is certified;
that trainer runs a provincial session with code check-in (trainer's screen and participant's phone side by
side); a webinar's attendance report is imported with one row matched by hand; the cascade report shows the
lineage. Every page passes axe; a sweep checks all tier 2–4 pages in Khmer on a phone and English on a desktop.

Set OPENPES_SCREENSHOT_DIR=<folder> to keep a full-page screenshot of each page for a human to look at."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.training.actions import events as actions
from openpes.training.enums import QuizKind, Tier
from openpes.training.models import (
    Attendance,
    AttendanceImport,
    Course,
    Event,
    FundingProject,
    Programme,
    TrainerCertification,
)
from openpes.training.tests.events_helpers import (
    attend,
    certification,
    eligible_participant,
    enrol,
    score,
    session,
    staff,
    tot_with_tests,
)
from openpes.training.tests.factories import CourseFactory, EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name):
    assert page.locator("html").get_attribute("lang") in ("km", "en")
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{name} scrolls sideways"
    assert page.locator("h1").count() == 1, name
    screenshot(page, name)


def test_a_coordinator_builds_the_programme_and_a_tot_in_khmer(new_page, live_server, cast):
    course = CourseFactory(programme__title_en="Other programme")
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, cast.coordinator, "km")

    page.goto(reverse("training:programmes"))
    _check(page, "events-01-programmes-km")
    page.locator(f'a[href="{reverse("training:programme_new")}"]').click()
    _check(page, "events-02-programme-form-km")
    page.locator("#id_title_km").fill("ការកសាងសមត្ថភាពអ្នកប្រឹក្សាការងារ ២០២៦")
    page.locator("#id_title_en").fill("PES counsellor capacity building 2026")
    for checkbox in page.locator('input[name="funding_projects"]').all():
        checkbox.check()
    page.locator("#id_starts_on").fill("2026-01-01")
    page.locator("#id_ends_on").fill("2026-12-31")
    page.locator("main form button[type=submit]").click()
    programme = Programme.objects.get(title_en="PES counsellor capacity building 2026")
    page.wait_for_url(re.compile(reverse("training:programme_detail", args=[programme.pk]) + "$"))
    assert programme.funding_projects.count() == FundingProject.objects.count() == 2
    Course.objects.filter(pk=course.pk).update(programme=programme)
    _check(page, "events-03-programme-detail-km")

    page.locator(f'a[href="{reverse("training:event_new", args=[programme.pk])}?tier=tot"]').click()
    _check(page, "events-04-tot-form-km")
    page.locator("#id_title_km").fill("វគ្គបណ្តុះបណ្តាលគ្រូបង្គោល ភ្នំពេញ")
    page.locator("#id_starts_on").fill("2026-04-01")
    page.locator("#id_ends_on").fill("2026-04-03")
    page.locator("#id_hours").fill("18")
    page.locator("#id_venue").fill("NEA")
    page.locator("#id_facilitators").select_option(str(cast.trainer.pk))
    page.locator("#id_course").select_option(str(course.pk))
    page.locator("#id_capacity").fill("20")
    page.locator("main form button[type=submit]").click()
    tot = Event.objects.get(tier=Tier.TOT)
    page.wait_for_url(re.compile(reverse("training:event_detail", args=[tot.pk]) + "$"))
    assert tot.funding_projects.count() == 2 and list(tot.facilitators.all()) == [cast.trainer]
    _check(page, "events-05-tot-detail-km")


def test_a_tot_participant_is_certified_after_a_teach_back(new_page, live_server, cast):
    tot = tot_with_tests(starts_on=timezone.localdate() - datetime.timedelta(days=2))
    tot.facilitators.add(cast.trainer)
    person = staff(full_name="Sok Dara")
    attend(tot, person)
    score(tot, person, QuizKind.PRE_TEST, 45)
    score(tot, person, QuizKind.POST_TEST, 85)

    trainer_page = new_page(viewport=PHONE)
    sign_in(trainer_page, live_server, cast.trainer, "km")
    trainer_page.goto(reverse("training:event_certification", args=[tot.pk]))
    _check(trainer_page, "events-06-certification-trainer-km-phone")
    trainer_page.locator(f'a[href="{reverse("training:event_teach_back", args=[tot.pk, person.pk])}"]').click()
    _check(trainer_page, "events-07-teach-back-km-phone")
    trainer_page.locator('input[name="result"][value="pass"]').check()
    trainer_page.locator("#id_notes").fill("សួរសំណួរបើកចំហបានល្អ។")
    trainer_page.locator("main form button[type=submit]").click()
    trainer_page.wait_for_url(re.compile(reverse("training:event_certification", args=[tot.pk]) + "$"))

    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, cast.coordinator, "km")
    page.goto(reverse("training:event_certification", args=[tot.pk]))
    page.locator(f'input[name="people"][value="{person.pk}"]').check()
    _check(page, "events-08-certification-coordinator-km")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(reverse("training:event_certification", args=[tot.pk]) + "$"))
    certification_row = TrainerCertification.objects.get(trainer=person)
    assert certification_row.tot_event == tot
    page.goto(reverse("training:certification_detail", args=[certification_row.pk]))
    _check(page, "events-09-certification-detail-km")


def test_the_trainer_shows_a_rotating_code_and_a_participant_checks_in_on_a_phone(new_page, live_server, cast):
    tot = tot_with_tests(starts_on=timezone.localdate() - datetime.timedelta(days=60))
    trainer = staff(full_name="Certified Trainer")
    cert = certification(trainer, tot, on=tot.ends_on)
    today = timezone.localdate()
    provincial = session(cert, starts_on=today, title_en="Session in Pursat")
    participant = staff(full_name="Keo Sophea")
    enrol(provincial, participant)

    screen = new_page(viewport=DESKTOP)
    sign_in(screen, live_server, trainer, "km")
    screen.goto(reverse("training:event_check_in", args=[provincial.pk]))
    _check(screen, "events-10-check-in-closed-km")
    screen.locator("main form button[type=submit]").click()
    code = screen.locator("#check-in-code .code").inner_text().replace(" ", "")
    assert re.fullmatch(r"\d{6}", code)
    assert screen.locator("#check-in-code svg.qr").count() == 1
    _check(screen, "events-11-check-in-code-km")

    phone = new_page(viewport=PHONE)
    sign_in(phone, live_server, participant, "km")
    phone.goto(reverse("training:check_in"))
    _check(phone, "events-12-check-in-phone-km")
    phone.locator("#id_code").fill("000000" if code != "000000" else "111111")
    phone.locator("main form button[type=submit]").click()
    assert phone.locator('[aria-invalid="true"]').count() == 1
    _check(phone, "events-13-check-in-wrong-code-km")
    code = screen.locator("#check-in-code .code").inner_text().replace(" ", "")  # it may have rotated
    phone.locator("#id_code").fill(code)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(reverse("training:event_detail", args=[provincial.pk]) + "$"))
    assert phone.locator(".messages").count() == 1
    _check(phone, "events-14-checked-in-km-phone")
    assert Attendance.objects.filter(event=provincial, participant=participant, day=today).exists()
    # The trainer's screen refreshes itself (htmx) and counts the participant.
    screen.wait_for_function("document.querySelector('#check-in-code').innerText.includes('1')", timeout=15_000)


def test_a_webinar_report_is_imported_with_one_row_matched_by_hand(new_page, live_server, cast, tmp_path):
    day = timezone.localdate()
    webinar = EventFactory(tier=Tier.WEBINAR, starts_on=day, ends_on=day, link="https://meet.jit.si/x", hours=2)
    webinar.facilitators.add(cast.trainer)
    staff(email="dara@staff.example", full_name="Sok Dara")
    sophea = staff(full_name="Chan Sophea")
    report = tmp_path / "participants.csv"
    report.write_text(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        f"Sok Dara,dara@staff.example,{day:%m/%d/%Y} 09:00:00 AM,{day:%m/%d/%Y} 10:00:00 AM,60\n"
        f"Chan Sophea,,{day:%m/%d/%Y} 09:05:00 AM,{day:%m/%d/%Y} 10:00:00 AM,55\n",
        encoding="utf-8",
    )
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, cast.trainer, "km")
    page.goto(reverse("training:event_import", args=[webinar.pk]))
    _check(page, "events-15-import-km-phone")
    page.locator("#id_file").set_input_files(str(report))
    page.locator("main form button[type=submit]").click()
    batch = AttendanceImport.objects.get()
    page.wait_for_url(re.compile(reverse("training:event_import_detail", args=[webinar.pk, batch.pk]) + "$"))
    _check(page, "events-16-import-detail-km-phone")
    row = batch.rows.get(display_name="Chan Sophea")
    page.locator(f"#id_row{row.pk}-person").select_option(str(sophea.pk))
    page.locator(f'form:has(input[name="row"][value="{row.pk}"]) button[type=submit]').click()
    page.wait_for_url(re.compile(reverse("training:event_import_detail", args=[webinar.pk, batch.pk]) + "$"))
    _check(page, "events-17-import-matched-km-phone")
    assert Attendance.objects.filter(event=webinar).count() == 2


def test_the_cascade_report_shows_the_lineage(new_page, live_server, cast):
    tot = tot_with_tests(starts_on=datetime.date(2026, 3, 2), title_en="ToT Phnom Penh", title_km="វគ្គគ្រូបង្គោល ភ្នំពេញ")
    trainer = eligible_participant(tot, cast.trainer, person=staff(full_name="Lineage Trainer"))
    cert = certification(trainer, tot, on=tot.ends_on)
    session(
        cert, starts_on=datetime.date(2026, 4, 1), participants=[staff() for _ in range(3)], title_km="វគ្គខេត្តពោធិ៍សាត់"
    )
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, cast.national, "km")
    page.goto(reverse("training:report_cascade"))
    lineage = page.locator("ul.lineage")
    assert "វគ្គគ្រូបង្គោល ភ្នំពេញ" in lineage.inner_text()
    assert "Lineage Trainer" in lineage.inner_text()
    assert "វគ្គខេត្តពោធិ៍សាត់" in lineage.inner_text()
    _check(page, "events-18-cascade-km")
    page.goto(reverse("training:reports"))
    _check(page, "events-19-reports-km")


@pytest.mark.parametrize(("language", "viewport"), [("km", PHONE), ("en", DESKTOP)], ids=["km-phone", "en-desktop"])
def test_every_events_page_is_accessible(new_page, live_server, cast, language, viewport, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    tot = tot_with_tests(starts_on=today - datetime.timedelta(days=120), title_km="វគ្គគ្រូបង្គោល")
    tot.funding_projects.set(FundingProject.objects.all())
    tot.facilitators.add(cast.trainer)
    trainer = eligible_participant(tot, cast.trainer, person=staff(full_name="Trainer One", sex="F"))
    person = staff(full_name="Participant Two", sex="M")
    attend(tot, person)
    cert = actions.certify_trainers(actor=cast.coordinator, event=tot, people=[trainer])[0]
    cert.certified_on = tot.ends_on
    cert.save()
    provincial = session(cert, starts_on=today, participants=[person])
    actions.answer_reaction(
        actor=person, event=tot, ratings={"relevance": 5, "trainer": 4, "materials": 4, "overall": 5}, comment="ល្អណាស់"
    )
    webinar = EventFactory(
        tier=Tier.WEBINAR, link="https://meet.jit.si/x", self_enrolment=True, programme=tot.programme
    )
    from openpes.training import attendance as files

    batch = actions.import_attendance(
        actor=cast.coordinator,
        event=webinar,
        file_name="zoom.csv",
        rows=files.parse_attendance_file(b"Name,Email\nSomeone,nobody@x.example\n", webinar.days),
    )
    pages = {
        cast.coordinator: [
            reverse("training:programmes"),
            reverse("training:programme_detail", args=[tot.programme.pk]),
            reverse("training:programme_new"),
            reverse("training:event_new", args=[tot.programme.pk]) + "?tier=provincial",
            reverse("training:event_new", args=[tot.programme.pk]) + "?tier=webinar",
            reverse("training:events"),
            reverse("training:event_detail", args=[tot.pk]),
            reverse("training:event_edit", args=[tot.pk]),
            reverse("training:event_participants", args=[tot.pk]),
            reverse("training:event_roster", args=[tot.pk, tot.starts_on.isoformat()]),
            reverse("training:event_certification", args=[tot.pk]),
            reverse("training:certification_detail", args=[cert.pk]),
            reverse("training:certification_revoke", args=[cert.pk]),
            reverse("training:trainers"),
            reverse("training:material_new", args=[tot.pk]),
            reverse("training:event_evaluation", args=[tot.pk]),
            reverse("training:event_import", args=[webinar.pk]),
            reverse("training:event_import_detail", args=[webinar.pk, batch.pk]),
            reverse("training:follow_ups"),
            reverse("training:reports"),
            reverse("training:report_cascade"),
            reverse("training:report_casework") + f"?event={tot.pk}",
            reverse("training:report_project", args=[FundingProject.objects.first().pk]),
        ],
        person: [
            reverse("training:event_detail", args=[provincial.pk]),
            reverse("training:event_survey", args=[provincial.pk]),
            reverse("training:check_in"),
            reverse("training:follow_ups"),
            reverse("training:follow_up_rate", args=[tot.pk, person.pk, "self"]),
        ],
        trainer: [reverse("training:event_check_in", args=[provincial.pk])],
    }
    for user, urls in pages.items():
        page = new_page(viewport=viewport)
        sign_in(page, live_server, user, language)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            name = re.sub(r"[^a-z0-9]+", "-", url.strip("/"))
            _check(page, f"events-sweep-{language}-{name}")
        if user == trainer:
            page.locator("main form button[type=submit]").click()
            _check(page, f"events-sweep-{language}-check-in-open")
