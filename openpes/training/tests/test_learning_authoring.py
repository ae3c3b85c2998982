"""Coordinators author courses: modules, lessons (Markdown, pictures), the item bank and quizzes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openpes.training.enums import QuizKind
from openpes.training.models import Choice, Competence, Course, Lesson, LessonImage, Module, Question, Quiz
from openpes.training.rich_text import render_markdown
from openpes.training.tests.factories import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    ProgrammeFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (11, 79, 138)).save(buffer, format="PNG")
    return buffer.getvalue()


def _question_data(**overrides):
    data = {
        "kind": "single",
        "text_km": "តើអ្វីជាសំណួរបើកចំហ?",
        "text_en": "Which is an open question?",
        "module": "",
        "competence": "",
        "form": "A",
        "choice_0_km": "តើអ្នកចង់ធ្វើការងារអ្វី?",
        "choice_0_en": "What work would you like to do?",
        "choice_0_correct": "on",
        "choice_1_km": "តើអ្នកមានប័ណ្ណបើកបរទេ?",
        "choice_1_en": "Do you have a driving licence?",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_coordinator_builds_a_course_from_module_to_quiz(client, cast):
    programme = ProgrammeFactory()
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("training:course_create"),
        {"programme": programme.pk, "title_km": "វគ្គថ្មី", "title_en": "New course", "hours": "3", "pass_mark": "75"},
    )
    course = Course.objects.get(title_en="New course")
    assert response["Location"] == reverse("training:course_edit", args=[course.pk])
    assert not course.is_published

    client.post(reverse("training:module_create", args=[course.pk]), {"title_km": "ម៉ូឌុល ១", "title_en": "Module 1"})
    module = Module.objects.get(course=course)
    assert module.order == 1
    client.post(
        reverse("training:lesson_create", args=[module.pk]),
        {"title_km": "មេរៀន", "title_en": "Lesson", "body_km": "អត្ថបទ", "body_en": "Text", "minutes": "5"},
    )
    lesson = Lesson.objects.get(module=module)
    competence = Competence.objects.get(code="rapport")
    client.post(
        reverse("training:question_create", args=[course.pk]),
        _question_data(module=module.pk, competence=competence.pk),
    )
    question = Question.objects.get(course=course)
    assert question.competence == competence and question.form == "A"
    assert list(question.choices.values_list("correct", flat=True)) == [True, False]
    client.post(
        reverse("training:quiz_create", args=[course.pk]),
        {"kind": "pre", "item_count": "10", "pass_mark": "0", "max_attempts": "1", "randomise": "on"},
    )
    assert Quiz.objects.get(course=course).kind == QuizKind.PRE_TEST
    page = client.get(reverse("training:course_edit", args=[course.pk])).content.decode()
    assert lesson.title_en in page and "Form A (pre-test): 1 questions" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choice_0_correct": None}, "Mark at least one answer as correct."),
        ({"choice_1_correct": "on"}, "exactly one answer marked correct"),
        (
            {"kind": "multiple", "choice_1_km": "", "choice_1_en": "", "choice_1_correct": None},
            "at least two answers",
        ),
        ({"kind": "multiple", "choice_1_correct": "on"}, "at least three answers"),
        ({"text_km": "", "text_en": ""}, "Write the question in Khmer or in English."),
    ],
    ids=["no-correct-answer", "two-correct-single", "multiple-with-one-option", "multiple-with-two", "no-text"],
)
def test_a_bad_question_is_refused_with_a_clear_message_and_nothing_saved(client, cast, overrides, message):
    course = CourseFactory()
    client.force_login(cast.coordinator)
    response = client.post(reverse("training:question_create", args=[course.pk]), _question_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_empty_titles_are_refused_for_courses_modules_lessons(client, cast):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    client.force_login(cast.coordinator)
    bad_course = client.post(
        reverse("training:course_create"),
        {"programme": course.programme_id, "title_km": "", "title_en": "  ", "hours": "1", "pass_mark": "70"},
    )
    assert "Give a title in Khmer or in English." in bad_course.content.decode()
    bad_module = client.post(reverse("training:module_create", args=[course.pk]), {"title_km": "", "title_en": ""})
    assert "Give a title in Khmer or in English." in bad_module.content.decode()
    bad_lesson = client.post(
        reverse("training:lesson_create", args=[module.pk]),
        {"title_km": "", "title_en": "", "body_km": "", "body_en": "", "minutes": "5"},
    )
    body = bad_lesson.content.decode()
    assert "Give a title in Khmer or in English." in body
    assert Course.objects.count() == 1 and Module.objects.count() == 1 and not Lesson.objects.exists()


def test_a_module_quiz_needs_a_module_and_a_course_has_one_pre_test(client, cast):
    course = CourseFactory()
    client.force_login(cast.coordinator)
    data = {"kind": "module", "item_count": "3", "pass_mark": "60", "max_attempts": "0"}
    response = client.post(reverse("training:quiz_create", args=[course.pk]), data)
    assert "A module quiz belongs to a module" in response.content.decode()
    client.post(reverse("training:quiz_create", args=[course.pk]), {**data, "kind": "pre"})
    second = client.post(reverse("training:quiz_create", args=[course.pk]), {**data, "kind": "pre"})
    assert second.status_code == 200
    assert Quiz.objects.filter(course=course).count() == 1


def test_a_counsellor_cannot_author_and_gets_403_on_every_authoring_page(client, cast):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    lesson = LessonFactory(module=module)
    question = QuestionFactory(course=course)
    client.force_login(cast.counsellor_pursat)
    urls = [
        reverse("training:course_create"),
        reverse("training:course_import"),
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:course_export", args=[course.pk]),
        reverse("training:module_create", args=[course.pk]),
        reverse("training:module_edit", args=[module.pk]),
        reverse("training:lesson_create", args=[module.pk]),
        reverse("training:lesson_edit", args=[lesson.pk]),
        reverse("training:lesson_images", args=[lesson.pk]),
        reverse("training:questions", args=[course.pk]),
        reverse("training:question_create", args=[course.pk]),
        reverse("training:question_edit", args=[question.pk]),
        reverse("training:quiz_create", args=[course.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("training:module_create", args=[course.pk]), {"title_en": "x"}).status_code == 403
    assert Module.objects.count() == 1
    client.force_login(cast.coordinator)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_editing_an_answered_question_keeps_its_answers_in_place(client, cast):
    from openpes.training.actions import learning
    from openpes.training.tests.learning_fixtures import quiz, small_course, wrong_answers

    course = small_course()
    learning.enrol(learner=cast.counsellor_pursat, course=course)
    attempt = learning.start_attempt(learner=cast.counsellor_pursat, quiz=quiz(course, QuizKind.PRE_TEST))
    learning.submit_attempt(attempt=attempt, answers=wrong_answers(attempt))
    question = Question.objects.get(pk=attempt.question_ids[0])
    ids = list(question.choices.values_list("id", flat=True))
    client.force_login(cast.coordinator)
    data = _question_data(form="A", choice_0_en="Right, reworded", choice_2_km="ខុសដែរ", choice_2_en="Also wrong")
    client.post(reverse("training:question_edit", args=[question.pk]), data)
    assert list(question.choices.values_list("id", flat=True)) == ids
    assert question.choices.get(pk=ids[0]).text_en == "Right, reworded"
    # Adding or removing answers would break recorded answers: refused.
    fewer = _question_data(form="A", choice_2_km="", choice_2_en="")
    response = client.post(reverse("training:question_edit", args=[question.pk]), fewer)
    assert "do not add or remove any" in response.content.decode()
    assert question.choices.count() == 3


def test_lesson_pictures_must_be_jpeg_or_png_with_a_description_in_both_languages(client, cast):
    lesson = LessonFactory(body_en="Look: ![A counsellor listening](image:1)")
    url = reverse("training:lesson_images", args=[lesson.pk])
    client.force_login(cast.coordinator)
    refused = client.post(
        url,
        {"image": SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", "image/png"), "alt_km": "រូប", "alt_en": "x"},
    )
    assert "This file cannot be accepted" in refused.content.decode()
    no_alt = client.post(url, {"image": SimpleUploadedFile("p.png", _png(), "image/png"), "alt_km": "", "alt_en": "x"})
    assert no_alt.status_code == 200
    assert not LessonImage.objects.exists()
    client.post(
        url, {"image": SimpleUploadedFile("p.png", _png(), "image/png"), "alt_km": "អ្នកប្រឹក្សា", "alt_en": "A counsellor"}
    )
    image = LessonImage.objects.get()
    served = client.get(reverse("training:lesson_image", args=[image.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served.content == _png()
    page = client.get(reverse("training:lesson", args=[lesson.pk])).content.decode()
    assert f'src="{reverse("training:lesson_image", args=[image.pk])}"' in page
    # A picture of a draft course is not served to learners.
    lesson.module.course.is_published = False
    lesson.module.course.save()
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("training:lesson_image", args=[image.pk])).status_code == 404


HOSTILE = """# Title

<script>alert('x')</script>
[click](javascript:alert(1)) <a href="javascript:alert(2)">raw</a>
<img src=x onerror="alert(3)"> ![remote](https://tracker.example/pixel.png)
<iframe src="https://evil.example"></iframe> <b style="color:red" onclick="alert(4)">bold</b>
[ok](https://www.ilo.org)
"""


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {k: v or "" for k, v in attrs}))

    Collector().feed(html)
    return found


def test_hostile_markdown_is_rendered_harmless():
    html = render_markdown(HOSTILE)
    tags = _tags(html)
    assert {tag for tag, _ in tags} <= {"h2", "p", "a", "img", "b", "strong", "em"}
    for tag, attrs in tags:
        assert not any(name.startswith("on") or name == "style" for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            if name in attrs:
                assert attrs[name].startswith(("https://", "/")), attrs
    assert [attrs["href"] for tag, attrs in tags if tag == "a"] == ["https://www.ilo.org"]
    assert not [attrs for tag, attrs in tags if tag == "img" and "src" in attrs]  # no remote pictures
    assert "&lt;script&gt;" in html  # shown as text, not run
    assert "<h2>Title</h2>" in html  # the page has the h1


def test_a_lesson_page_shows_hostile_markdown_as_text(client, cast):
    lesson = LessonFactory(body_en=HOSTILE, body_km=HOSTILE)
    client.force_login(cast.coordinator)
    page = client.get(reverse("training:lesson", args=[lesson.pk])).content.decode()
    body = page.split('class="lesson-body"')[1].split("</div>")[0]
    assert "<script" not in body and "<iframe" not in body
    assert not any(name.startswith("on") for _tag, attrs in _tags(body) for name in attrs)
    assert "&lt;script&gt;" in body
