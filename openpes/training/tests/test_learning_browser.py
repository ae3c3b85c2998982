"""A2/A1 in Chromium: an official takes the online course in Khmer on a phone, from enrolment to certificate;
every tier-1 page passes axe in Khmer on a phone and in English on a desktop.

Set OPENPES_SCREENSHOT_DIR=<folder> to keep a full-page screenshot of each page for a human to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.jobseekers.tests.browsing import screenshot, sign_in
from openpes.training.actions import learning
from openpes.training.actions.certificates import issue_certificates
from openpes.training.content import load_demo_course
from openpes.training.enums import QuizKind
from openpes.training.models import Certificate, Choice, QuizAttempt
from openpes.training.tests.factories import ProgrammeFactory
from openpes.training.tests.learning_fixtures import quiz, right_answers, wrong_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name):
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{name} scrolls sideways"
    assert page.locator("h1").count() == 1, name
    screenshot(page, name)


def _answer_open_attempt(page, learner, quiz_obj, answers_for):
    attempt = QuizAttempt.objects.get(learner=learner, quiz=quiz_obj, submitted_at__isnull=True)
    for question_id, choice_ids in answers_for(attempt).items():
        for choice_id in choice_ids:
            page.locator(f'input[name="q{question_id}"][value="{choice_id}"]').check()


def test_an_official_takes_the_course_in_khmer_on_a_phone_and_downloads_the_certificate(
    new_page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    course = load_demo_course(ProgrammeFactory())
    official = cast.counsellor_pursat
    page = new_page(viewport=PHONE, locale="km-KH")
    sign_in(page, live_server, official, "km")

    page.goto(reverse("training:home"))
    assert page.locator("html").get_attribute("lang") == "km"
    _check(page, "journey-01-home")
    page.get_by_role("link", name=course.title_km).first.click()
    _check(page, "journey-02-course")
    page.locator(f'form[action="{reverse("training:enrol", args=[course.pk])}"] button').click()

    # The pre-test comes first.
    pre = quiz(course, QuizKind.PRE_TEST)
    page.wait_for_url(re.compile(rf"/training/quizzes/{pre.pk}/take/"))
    _check(page, "journey-03-pre-test-intro")
    page.locator('form input[name="start"] ~ .actions button[type="submit"]').click()
    _check(page, "journey-04-pre-test")
    _answer_open_attempt(page, official, pre, wrong_answers)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/training/attempts/\d+/"))
    _check(page, "journey-05-pre-test-result")

    # The first module's lessons, one after the other.
    module = course.modules.order_by("order").first()
    page.goto(reverse("training:resume", args=[course.pk]))
    for n, lesson in enumerate(module.lessons.order_by("order")):
        page.wait_for_url(re.compile(rf"/training/lessons/{lesson.pk}/$"))
        assert lesson.title_km in page.locator("h1").inner_text()
        _check(page, f"journey-06-lesson-{n + 1}")
        page.locator(f'form[action="{reverse("training:lesson_read", args=[lesson.pk])}"] button').click()
    page.wait_for_url(re.compile(rf"/training/courses/{course.pk}/$"))  # module finished: back to the course
    # The other modules' lessons (the post-test needs every lesson read).
    for lesson in learning.lessons_of(course)[module.lessons.count() :]:
        page.goto(reverse("training:lesson", args=[lesson.pk]))
        page.locator(f'form[action="{reverse("training:lesson_read", args=[lesson.pk])}"] button').click()

    # The post-test, passed.
    post = quiz(course, QuizKind.POST_TEST)
    page.goto(reverse("training:resume", args=[course.pk]))
    page.wait_for_url(re.compile(rf"/training/quizzes/{post.pk}/take/"))
    page.locator('form input[name="start"] ~ .actions button[type="submit"]').click()
    _answer_open_attempt(page, official, post, right_answers)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/training/attempts/\d+/"))
    _check(page, "journey-07-post-test-result")
    assert "100%" in page.locator("main").inner_text()

    # The certificate, in Khmer.
    certificate = Certificate.objects.get(person=official, course=course)
    page.goto(reverse("training:course_detail", args=[course.pk]))
    _check(page, "journey-08-course-completed")
    with page.expect_download() as download:
        page.locator(f'a[href="{reverse("training:certificate_download", args=[certificate.pk])}?language=km"]').click()
    assert download.value.suggested_filename == f"certificate-{certificate.code}-km.pdf"
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("language", "viewport"), [("km", PHONE), ("en", DESKTOP)], ids=["khmer-phone", "english-desktop"]
)
def test_every_learning_page_is_accessible(new_page, live_server, cast, settings, tmp_path, language, viewport):
    settings.MEDIA_ROOT = tmp_path
    course = load_demo_course(ProgrammeFactory())
    learner = cast.counsellor_pursat
    learning.enrol(learner=learner, course=course)
    pre = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.PRE_TEST))
    learning.submit_attempt(attempt=pre, answers=right_answers(pre))
    lessons = learning.lessons_of(course)
    learning.mark_lesson_read(learner=learner, lesson=lessons[0])
    module_quiz = course.quizzes.filter(kind=QuizKind.MODULE).first()
    learning.start_attempt(learner=learner, quiz=module_quiz)
    [certificate] = issue_certificates(actor=None, kind="achievement", people=[learner], course=course)
    question = course.questions.first()
    assert Choice.objects.filter(question=question).exists()

    learner_pages = [
        ("home", reverse("training:home")),
        ("courses", reverse("training:courses")),
        ("course", reverse("training:course_detail", args=[course.pk])),
        ("lesson", reverse("training:lesson", args=[lessons[1].pk])),
        ("quiz-intro", reverse("training:take_quiz", args=[quiz(course, QuizKind.POST_TEST).pk])),
        ("quiz", reverse("training:take_quiz", args=[module_quiz.pk])),
        ("attempt", reverse("training:attempt", args=[pre.pk])),
    ]
    author_pages = [
        ("course-edit", reverse("training:course_edit", args=[course.pk])),
        ("progress", reverse("training:course_progress", args=[course.pk])),
        ("questions", reverse("training:questions", args=[course.pk])),
        ("question", reverse("training:question_edit", args=[question.pk])),
        ("lesson-edit", reverse("training:lesson_edit", args=[lessons[0].pk])),
        ("lesson-images", reverse("training:lesson_images", args=[lessons[0].pk])),
        ("quiz-edit", reverse("training:quiz_edit", args=[module_quiz.pk])),
        ("module-new", reverse("training:module_create", args=[course.pk])),
        ("course-new", reverse("training:course_create")),
        ("import", reverse("training:course_import")),
    ]
    public_pages = [
        ("verify", reverse("training:verify")),
        ("verify-valid", reverse("training:verify_certificate", args=[certificate.code])),
        ("verify-unknown", reverse("training:verify_certificate", args=["AAAA-BBBB-CCCC"])),
    ]
    for who, pages in ((learner, learner_pages), (cast.coordinator, author_pages), (None, public_pages)):
        page = new_page(viewport=viewport)
        page.context.add_cookies([{"name": "openpes_language", "value": language, "url": live_server.url}])
        if who is not None:
            sign_in(page, live_server, who, language)
        for name, url in pages:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language, name
            _check(page, f"learning-{language}-{name}")
    # An error summary on a form is accessible too.
    page = new_page(viewport=viewport)
    sign_in(page, live_server, cast.coordinator, language)
    page.goto(reverse("training:question_create", args=[course.pk]))
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".error-summary").count() == 1
    _check(page, f"learning-{language}-question-errors")
