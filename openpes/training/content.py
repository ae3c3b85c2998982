"""Moving a course between installations: export to and import from the documented JSON format.

The format is described in `docs/training-content-format.md`. In short: one JSON object with
`format: "openpes-course"`, `version: 1`, the `course`, its `modules` (each with `lessons`, which may list
`images`), the item bank (`questions`, each with `choices`) and the `quizzes`. Questions refer to modules by
their `key` and to competences as `"<area code>/<competence code>"` in the framework named by
`course.framework`. A `.zip` carries `course.json` and the image files it names.

`import_course` checks everything first and then writes in one transaction: a file with any error creates
nothing, and the error says where (`modules[1].lessons[0]: "body_en" is missing`).
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from openpes.lib.uploads import check_upload
from openpes.training.actions.learning import ChoiceData, check_question
from openpes.training.enums import QuestionKind, QuizKind
from openpes.training.models import (
    Choice,
    Competence,
    Course,
    Lesson,
    LessonImage,
    Module,
    Programme,
    Question,
    Quiz,
)

FORMAT = "openpes-course"
VERSION = 1
DEMO_COURSE = Path(__file__).resolve().parent / "data" / "course_client_centred.json"
MAX_IMAGES = 200


class ContentError(ValidationError):
    """An import file that cannot be used; `.messages` lists every problem found (up to 50)."""


# ----------------------------------------------------------------------------------------------- export


def _bilingual(obj: Any, *fields: str) -> dict[str, Any]:
    return {f"{field}_{lang}": getattr(obj, f"{field}_{lang}") for field in fields for lang in ("km", "en")}


def _competence_ref(competence: Competence | None) -> str | None:
    return f"{competence.area.code}/{competence.code}" if competence else None


def export_course(course: Course, *, with_images: bool = False) -> dict[str, Any]:
    """The course as a JSON-ready dict in the documented format. Images are listed by file name
    (`images/<lesson>-<n>.<ext>`); `export_course_zip` adds their bytes."""
    modules = list(course.modules.order_by("order", "id").prefetch_related("lessons__images"))
    module_keys = {m.pk: f"m{n}" for n, m in enumerate(modules, start=1)}
    # The framework the items are tagged with (normally the programme's).
    tagged = course.questions.filter(competence__isnull=False).select_related("competence__area__framework").first()
    framework = tagged.competence.area.framework if tagged and tagged.competence else course.programme.framework
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "course": {
            **_bilingual(course, "title", "description"),
            "hours": float(course.hours),
            "pass_mark": course.pass_mark,
            "framework": framework.code if framework else None,
        },
        "modules": [],
        "questions": [],
        "quizzes": [],
    }
    lesson_number = 0
    for module in modules:
        lessons = []
        for lesson in module.lessons.order_by("order", "id"):
            lesson_number += 1
            images = [
                {
                    "file": f"images/{lesson_number}-{n}{Path(image.file.name or '').suffix.lower()}",
                    **_bilingual(image, "alt"),
                }
                for n, image in enumerate(lesson.images.order_by("id"), start=1)
            ]
            lessons.append(
                {
                    **_bilingual(lesson, "title", "body"),
                    "minutes": lesson.minutes,
                    **({"images": images} if images else {}),
                }
            )
        data["modules"].append({"key": module_keys[module.pk], **_bilingual(module, "title"), "lessons": lessons})
    questions = course.questions.order_by("id").select_related("competence__area").prefetch_related("choices")
    for question in questions:
        data["questions"].append(
            {
                "module": module_keys.get(question.module_id) if question.module_id else None,
                "competence": _competence_ref(question.competence),
                "form": question.form,
                "kind": question.kind,
                **_bilingual(question, "text"),
                "choices": [{**_bilingual(c, "text"), "correct": c.correct} for c in question.choices.all()],
            }
        )
    for quiz in course.quizzes.order_by("kind", "id"):
        data["quizzes"].append(
            {
                "kind": quiz.kind,
                "module": module_keys.get(quiz.module_id) if quiz.module_id else None,
                **_bilingual(quiz, "title"),
                "item_count": quiz.item_count,
                "pass_mark": quiz.pass_mark,
                "max_attempts": quiz.max_attempts,
                "randomise": quiz.randomise,
            }
        )
    return data


def export_course_zip(course: Course) -> bytes:
    """`course.json` and the lesson images, for courses with pictures."""
    data = export_course(course)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", json.dumps(data, ensure_ascii=False, indent=2))
        lessons = Lesson.objects.filter(module__course=course).order_by("module__order", "module_id", "order", "id")
        for number, lesson in enumerate(lessons, start=1):
            for n, image in enumerate(lesson.images.order_by("id"), start=1):
                with image.file.open("rb") as handle:
                    archive.writestr(f"images/{number}-{n}{Path(image.file.name or '').suffix.lower()}", handle.read())
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------- import


class _Checker:
    """Walks the data, collecting problems with their place in the file."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, where: str, message: str) -> None:
        if len(self.errors) < 50:
            self.errors.append(f"{where}: {message}" if where else message)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.add(where, _("must be an object { … }"))
            return {}
        return value

    def items(self, parent: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[Any]:
        if key not in parent:
            if required:
                self.add(where, _('"%(field)s" is missing') % {"field": key})
            return []
        value = parent[key]
        if not isinstance(value, list):
            self.add(where, _('"%(field)s" must be a list [ … ]') % {"field": key})
            return []
        return value

    def text(self, parent: dict[str, Any], key: str, where: str, *, limit: int, required: bool = True) -> str:
        if key not in parent:
            if required:
                self.add(where, _('"%(field)s" is missing') % {"field": key})
            return ""
        value = parent[key]
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(where, _('"%(field)s" must be text') % {"field": key})
            return ""
        if len(value) > limit:
            self.add(where, _('"%(field)s" is longer than %(limit)s characters') % {"field": key, "limit": limit})
        return value.strip()

    def bilingual(self, parent: dict[str, Any], key: str, where: str, *, limit: int) -> tuple[str, str]:
        km = self.text(parent, f"{key}_km", where, limit=limit)
        en = self.text(parent, f"{key}_en", where, limit=limit)
        if f"{key}_km" in parent and f"{key}_en" in parent and not km and not en:
            self.add(where, _('"%(field)s" is empty in both languages') % {"field": key})
        return km, en

    def number(self, parent: dict[str, Any], key: str, where: str, *, default: int, low: int, high: int) -> int:
        value = parent.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(
                where,
                _('"%(field)s" must be a whole number from %(low)s to %(high)s')
                % {"field": key, "low": low, "high": high},
            )
            return default
        return value


def _read_payload(payload: bytes | str | dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """JSON text/bytes, a dict, or a zip with course.json and images → (data, files)."""
    if isinstance(payload, dict):
        return payload, {}
    raw = payload.encode() if isinstance(payload, str) else payload
    files: dict[str, bytes] = {}
    if raw[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            infos = archive.infolist()
            if len(infos) > MAX_IMAGES + 1 or sum(i.file_size for i in infos) > 100 * 1024 * 1024:
                raise ContentError(_("The zip file is too large or has too many files."))
            names = {i.filename for i in infos}
            if "course.json" not in names:
                raise ContentError(_("The zip file has no course.json."))
            raw = archive.read("course.json")
            files = {i.filename: archive.read(i) for i in infos if i.filename.startswith("images/") and not i.is_dir()}
        except zipfile.BadZipFile:
            raise ContentError(_("This is not a zip file we can read.")) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ContentError(_("This is not a JSON file we can read (%(error)s).") % {"error": error}) from None
    if not isinstance(data, dict):
        raise ContentError(_("The file must hold one JSON object { … }."))
    return data, files


def import_course(
    data: bytes | str | dict[str, Any],
    programme: Programme,
    *,
    publish: bool = False,
    files: dict[str, bytes] | None = None,
) -> Course:
    """Create a new course in `programme` from the documented format (JSON text, bytes, a dict, or a zip).

    Everything is checked before anything is written; on any problem a `ContentError` lists them and nothing
    is created. The course is created unpublished unless `publish` is true."""
    payload, zipped = _read_payload(data)
    files = {**zipped, **(files or {})}
    check = _Checker()
    if payload.get("format") != FORMAT:
        check.add("format", _('must be "%(format)s"') % {"format": FORMAT})
    if payload.get("version") != VERSION:
        check.add("version", _("must be %(version)s") % {"version": VERSION})
    if check.errors:
        raise ContentError(check.errors)

    course_data = check.obj(payload.get("course"), "course")
    if "course" not in payload:
        check.add("", _('"%(field)s" is missing') % {"field": "course"})
    course = Course(programme=programme, is_published=publish)
    course.title_km, course.title_en = check.bilingual(course_data, "title", "course", limit=250)
    course.description_km = check.text(course_data, "description_km", "course", limit=5000, required=False)
    course.description_en = check.text(course_data, "description_en", "course", limit=5000, required=False)
    course.pass_mark = check.number(course_data, "pass_mark", "course", default=70, low=1, high=100)
    try:
        course.hours = Decimal(str(course_data.get("hours", 0))).quantize(Decimal("0.1"))
        if not Decimal(0) <= course.hours <= Decimal(999):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        check.add("course", _('"%(field)s" must be a number of hours') % {"field": "hours"})
        course.hours = Decimal(0)

    competences: dict[str, Competence] = {}
    framework_code = course_data.get("framework")
    if framework_code:
        competences = {
            f"{c.area.code}/{c.code}": c
            for c in Competence.objects.filter(area__framework__code=framework_code).select_related("area")
        }
        if not competences:
            check.add("course.framework", _('no competency framework "%(code)s" here') % {"code": framework_code})
    elif any(isinstance(q, dict) and q.get("competence") for q in payload.get("questions") or []):
        check.add("course", _('"%(field)s" is missing') % {"field": "framework"})

    modules: list[tuple[Module, list[tuple[Lesson, list[tuple[LessonImage, bytes, str]]]]]] = []
    keys: dict[str, int] = {}
    module_list = check.items(payload, "modules", "")
    if not module_list and "modules" in payload:
        check.add("modules", _("a course needs at least one module"))
    for m, raw_module in enumerate(module_list):
        where = f"modules[{m}]"
        item = check.obj(raw_module, where)
        module = Module(order=m + 1)
        module.title_km, module.title_en = check.bilingual(item, "title", where, limit=250)
        key = item.get("key")
        if key is not None:
            if not isinstance(key, str) or key in keys:
                check.add(where, _('"key" must be text and unique'))
            else:
                keys[key] = m
        lessons = []
        lesson_list = check.items(item, "lessons", where)
        for n, raw_lesson in enumerate(lesson_list):
            lwhere = f"{where}.lessons[{n}]"
            lesson_item = check.obj(raw_lesson, lwhere)
            lesson = Lesson(order=n + 1)
            lesson.title_km, lesson.title_en = check.bilingual(lesson_item, "title", lwhere, limit=250)
            lesson.body_km, lesson.body_en = check.bilingual(lesson_item, "body", lwhere, limit=100_000)
            lesson.minutes = check.number(lesson_item, "minutes", lwhere, default=10, low=1, high=600)
            images = []
            for i, raw_image in enumerate(check.items(lesson_item, "images", lwhere, required=False)):
                iwhere = f"{lwhere}.images[{i}]"
                image_item = check.obj(raw_image, iwhere)
                name = check.text(image_item, "file", iwhere, limit=200)
                image = LessonImage(
                    alt_km=check.text(image_item, "alt_km", iwhere, limit=250),
                    alt_en=check.text(image_item, "alt_en", iwhere, limit=250),
                )
                if not image.alt_km or not image.alt_en:
                    check.add(iwhere, _("every image needs a description in Khmer and in English"))
                content = files.get(name)
                if content is None:
                    check.add(iwhere, _('the file "%(name)s" is not in the zip') % {"name": name})
                    continue
                try:
                    checked = check_upload(
                        SimpleUploadedFile(Path(name).name, content), allowed=frozenset({"jpeg", "png"})
                    )
                except ValidationError as error:
                    check.add(iwhere, " ".join(error.messages))
                    continue
                images.append((image, checked.data, f"{Path(name).stem}.{'jpg' if checked.kind == 'jpeg' else 'png'}"))
            lessons.append((lesson, images))
        modules.append((module, lessons))

    questions: list[tuple[Question, int | None, list[ChoiceData]]] = []
    forms = {"A", "B", ""}
    for q, raw_question in enumerate(check.items(payload, "questions", "")):
        where = f"questions[{q}]"
        item = check.obj(raw_question, where)
        question = Question()
        question.text_km, question.text_en = check.bilingual(item, "text", where, limit=5000)
        question.kind = item.get("kind", "")
        if question.kind not in QuestionKind.values:
            check.add(where, _('"kind" must be "single" or "multiple"'))
        question.form = item.get("form") or ""
        if question.form not in forms:
            check.add(where, _('"form" must be "A", "B" or empty'))
        module_key = item.get("module")
        if module_key is not None and module_key not in keys:
            check.add(where, _('no module with key "%(key)s"') % {"key": module_key})
        competence_ref = item.get("competence")
        if competence_ref is not None:
            question.competence = competences.get(str(competence_ref))
            if question.competence is None:
                check.add(where, _('no competence "%(code)s" in the framework') % {"code": competence_ref})
        choices = []
        for c, raw_choice in enumerate(check.items(item, "choices", where)):
            cwhere = f"{where}.choices[{c}]"
            choice_item = check.obj(raw_choice, cwhere)
            km, en = check.bilingual(choice_item, "text", cwhere, limit=500)
            if "correct" not in choice_item or not isinstance(choice_item["correct"], bool):
                check.add(cwhere, _('"correct" must be true or false'))
            choices.append(ChoiceData(text_km=km, text_en=en, correct=choice_item.get("correct") is True))
        if question.kind in QuestionKind.values and "choices" in item:
            try:
                check_question(question.kind, choices)
            except ValidationError as error:
                check.add(where, " ".join(error.messages))
        questions.append((question, keys.get(module_key) if isinstance(module_key, str) else None, choices))

    quizzes: list[tuple[Quiz, int | None]] = []
    seen_tests = set()
    for z, raw_quiz in enumerate(check.items(payload, "quizzes", "", required=False)):
        where = f"quizzes[{z}]"
        item = check.obj(raw_quiz, where)
        quiz = Quiz(kind=item.get("kind", ""))
        if quiz.kind not in QuizKind.values:
            check.add(where, _('"kind" must be "pre", "post" or "module"'))
        elif quiz.kind != QuizKind.MODULE:
            if quiz.kind in seen_tests:
                check.add(where, _("a course has one pre-test and one post-test"))
            seen_tests.add(quiz.kind)
        quiz.title_km = check.text(item, "title_km", where, limit=250, required=False)
        quiz.title_en = check.text(item, "title_en", where, limit=250, required=False)
        quiz.item_count = check.number(item, "item_count", where, default=10, low=1, high=200)
        quiz.pass_mark = check.number(item, "pass_mark", where, default=course.pass_mark, low=0, high=100)
        quiz.max_attempts = check.number(item, "max_attempts", where, default=3, low=0, high=100)
        randomise = item.get("randomise", True)
        if not isinstance(randomise, bool):
            check.add(where, _('"randomise" must be true or false'))
        quiz.randomise = randomise is True
        module_key = item.get("module")
        if quiz.kind == QuizKind.MODULE and module_key not in keys:
            check.add(where, _("a module quiz names the key of one of the course's modules"))
        quizzes.append((quiz, keys.get(module_key) if isinstance(module_key, str) else None))

    if check.errors:
        raise ContentError(check.errors)
    return _write(course, modules, questions, quizzes)


@transaction.atomic
def _write(
    course: Course,
    modules: list[tuple[Module, list[tuple[Lesson, list[tuple[LessonImage, bytes, str]]]]]],
    questions: list[tuple[Question, int | None, list[ChoiceData]]],
    quizzes: list[tuple[Quiz, int | None]],
) -> Course:
    course.save()
    saved_modules = []
    for module, lessons in modules:
        module.course = course
        module.save()
        saved_modules.append(module)
        for lesson, images in lessons:
            lesson.module = module
            lesson.save()
            for image, content, name in images:
                image.lesson = lesson
                image.file.save(name, ContentFile(content), save=False)
                image.save()
    for question, module_index, choices in questions:
        question.course = course
        question.module = saved_modules[module_index] if module_index is not None else None
        question.save()
        Choice.objects.bulk_create(
            Choice(question=question, text_km=c.text_km, text_en=c.text_en, correct=c.correct)
            for c in choices
            if c.text_km or c.text_en
        )
    for quiz, module_index in quizzes:
        quiz.course = course
        quiz.module = saved_modules[module_index] if module_index is not None else None
        quiz.save()
    return course


def load_demo_course(programme: Programme) -> Course:
    """The demo course (client-centred, inclusive employment services), published, in `programme`.
    Idempotent: returns the programme's existing copy if it was loaded before."""
    data = json.loads(DEMO_COURSE.read_text(encoding="utf-8"))
    existing = Course.objects.filter(programme=programme, title_en=data["course"]["title_en"]).first()
    if existing is not None:
        return existing
    return import_course(data, programme, publish=True)
