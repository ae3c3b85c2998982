"""Moving courses between installations: the JSON/zip format, import checks, the demo course."""

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from openpes.training.content import DEMO_COURSE, export_course, export_course_zip, import_course, load_demo_course
from openpes.training.enums import QuizKind
from openpes.training.models import Choice, Course, Lesson, LessonImage, Module, Question, Quiz
from openpes.training.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo_data():
    return json.loads(DEMO_COURSE.read_text(encoding="utf-8"))


def _counts():
    return [m.objects.count() for m in (Course, Module, Lesson, Question, Choice, Quiz, LessonImage)]


def test_the_demo_course_is_a_complete_bilingual_course_with_parallel_forms(reference):
    course = load_demo_course(ProgrammeFactory())
    assert course.is_published and course.title_km and course.title_en
    assert course.modules.count() == 3
    for module in course.modules.all():
        assert 2 <= module.lessons.count() <= 3
        for lesson in module.lessons.all():
            assert lesson.title_km and lesson.title_en and len(lesson.body_km) > 300 and len(lesson.body_en) > 300
        # Each module has as many form A as form B items, on the same competences.
        a = sorted(module.questions.filter(form="A").values_list("competence__code", flat=True))
        b = sorted(module.questions.filter(form="B").values_list("competence__code", flat=True))
        assert a == b and len(a) >= 3
        assert module.quizzes.filter(kind=QuizKind.MODULE).exists()
    assert course.questions.filter(form__in=["A", "B"]).count() >= 24
    assert not course.questions.filter(competence__isnull=True).exists()
    assert {q.kind for q in course.quizzes.all()} == {"pre", "post", "module"}
    # Loading again does not duplicate it.
    assert load_demo_course(course.programme) == course
    assert Course.objects.count() == 1


def test_export_then_import_gives_the_same_course(reference):
    original = load_demo_course(ProgrammeFactory())
    data = export_course(original)
    copy_ = import_course(json.dumps(data, ensure_ascii=False).encode(), ProgrammeFactory())
    assert not copy_.is_published  # imported courses start as drafts
    again = export_course(copy_)
    assert again == data


def test_a_zip_carries_the_lesson_pictures(reference):
    course = load_demo_course(ProgrammeFactory())
    lesson = Lesson.objects.filter(module__course=course).first()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buffer, format="PNG")
    image = LessonImage(lesson=lesson, alt_km="រូបភាព", alt_en="A picture")
    image.file.save("x.png", SimpleUploadedFile("x.png", buffer.getvalue()), save=True)
    archive = export_course_zip(course)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert "course.json" in names and "images/1-1.png" in names
    imported = import_course(archive, ProgrammeFactory())
    copied = LessonImage.objects.get(lesson__module__course=imported)
    assert copied.alt_en == "A picture"
    with copied.file.open("rb") as handle:
        assert handle.read() == buffer.getvalue()


def _broken(demo_data, change):
    data = copy.deepcopy(demo_data)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["modules"][1]["lessons"][0].pop("body_en"), 'modules[1].lessons[0]: "body_en" is missing'),
        (lambda d: d["course"].update(title_km="", title_en=""), 'course: "title" is empty in both languages'),
        (lambda d: d.pop("modules"), '"modules" is missing'),
        (lambda d: d["questions"][0]["choices"][0].update(correct=False), "questions[0]: Mark at least one answer"),
        (
            lambda d: d["questions"][6].update(choices=d["questions"][6]["choices"][:1]),
            "questions[6]: A question needs",
        ),
        (lambda d: d["questions"][2].update(competence="nowhere/nothing"), 'no competence "nowhere/nothing"'),
        (lambda d: d["questions"][2].update(module="m9"), 'no module with key "m9"'),
        (lambda d: d["quizzes"].append(dict(d["quizzes"][0])), "a course has one pre-test and one post-test"),
        (lambda d: d["quizzes"][0].update(item_count="ten"), '"item_count" must be a whole number'),
        (lambda d: d.update(version=2), "version: must be 1"),
    ],
    ids=[
        "missing-field",
        "empty-title",
        "no-modules",
        "no-correct-answer",
        "one-option",
        "unknown-competence",
        "unknown-module",
        "two-pre-tests",
        "bad-number",
        "future-version",
    ],
)
def test_an_import_with_a_problem_creates_nothing_and_says_where(reference, demo_data, change, message):
    programme = ProgrammeFactory()
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        import_course(_broken(demo_data, change), programme)
    assert any(message in line for line in caught.value.messages), caught.value.messages
    assert _counts() == before


def test_files_that_are_not_a_course_are_refused(reference):
    programme = ProgrammeFactory()
    for payload in (b"\xff\xfe garbage", b"[1, 2]", b"PK\x03\x04 not really a zip", b'{"format": "something-else"}'):
        with pytest.raises(ValidationError):
            import_course(payload, programme)
    assert Course.objects.count() == 0


def test_the_import_page_reports_problems_and_imports_a_good_file(client, cast, demo_data):
    programme = ProgrammeFactory()
    client.force_login(cast.coordinator)
    bad = _broken(demo_data, lambda d: d["modules"][0].pop("lessons"))
    upload = SimpleUploadedFile("course.json", json.dumps(bad).encode(), "application/json")
    response = client.post(reverse("training:course_import"), {"programme": programme.pk, "file": upload})
    assert response.status_code == 200
    assert "modules[0]: &quot;lessons&quot; is missing" in response.content.decode()
    assert Course.objects.count() == 0

    upload = SimpleUploadedFile("course.json", DEMO_COURSE.read_bytes(), "application/json")
    response = client.post(reverse("training:course_import"), {"programme": programme.pk, "file": upload})
    course = Course.objects.get()
    assert response["Location"] == reverse("training:course_edit", args=[course.pk])

    exported = client.get(reverse("training:course_export", args=[course.pk]))
    assert exported["Content-Disposition"].startswith("attachment")
    assert json.loads(exported.content)["course"]["title_en"] == demo_data["course"]["title_en"]


def test_the_management_commands_import_and_export(reference, tmp_path, demo_data):
    programme = ProgrammeFactory()
    call_command("import_course", str(DEMO_COURSE), "--programme", str(programme.pk), "--publish")
    course = Course.objects.get()
    assert course.is_published
    target = tmp_path / "out.json"
    call_command("export_course", str(course.pk), str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["questions"] == demo_data["questions"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(_broken(demo_data, lambda d: d["course"].pop("title_en"))), encoding="utf-8")
    with pytest.raises(CommandError, match="title_en"):
        call_command("import_course", str(broken), "--programme", str(programme.pk))
    assert Course.objects.count() == 1
