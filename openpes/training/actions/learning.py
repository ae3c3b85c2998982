"""Tier 1, the self-paced online course: authoring, enrolment, reading, quizzes, completion, learning gain.

Rules a learner meets (self-paced, outside an event):
* the pre-test (form A of the item bank) comes first: lessons open once it is submitted;
* the post-test (form B) opens once every lesson is read; module quizzes may be taken at any time;
* the course is complete when every lesson is read and the post-test is passed — a certificate of
  achievement is then issued automatically.
At a ToT or provincial session (`event=`), participants take the event course's pre- and post-test without
the lesson rules; their attempts carry the event, and the Events part reads them for certification.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.training.enums import CertificateKind, QuestionKind, QuizKind, RegistrationStatus
from openpes.training.models import (
    AttemptAnswer,
    Choice,
    Course,
    Enrolment,
    Event,
    Lesson,
    LessonImage,
    LessonProgress,
    Module,
    Question,
    Quiz,
    QuizAttempt,
)

# ----------------------------------------------------------------------------------------------- authoring


def _require_title(obj: Any) -> None:
    if not (obj.title_km or "").strip() and not (obj.title_en or "").strip():
        raise ValidationError(_("Give a title in Khmer or in English."), code="title")


@transaction.atomic
def save_course(*, actor: User, course: Course) -> Course:
    """Create or update a course (validated: a title in at least one language)."""
    _require_title(course)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def save_module(*, actor: User, module: Module) -> Module:
    _require_title(module)
    if module._state.adding and not module.order:
        module.order = Module.objects.filter(course=module.course).count() + 1
    module.save()
    return module


@transaction.atomic
def save_lesson(*, actor: User, lesson: Lesson) -> Lesson:
    _require_title(lesson)
    if not (lesson.body_km or "").strip() and not (lesson.body_en or "").strip():
        raise ValidationError(_("Write the lesson text in Khmer or in English."), code="body")
    if lesson._state.adding and not lesson.order:
        lesson.order = Lesson.objects.filter(module=lesson.module).count() + 1
    lesson.save()
    return lesson


@transaction.atomic
def add_lesson_image(*, actor: User, lesson: Lesson, name: str, data: bytes, alt_km: str, alt_en: str) -> LessonImage:
    """Attach a checked JPEG/PNG (see `openpes.lib.uploads.check_upload`) with its text alternative."""
    from django.core.files.base import ContentFile

    if not alt_km.strip() or not alt_en.strip():
        raise ValidationError(_("Describe the image in Khmer and in English for people who cannot see it."))
    image = LessonImage(lesson=lesson, alt_km=alt_km.strip(), alt_en=alt_en.strip())
    image.file.save(name, ContentFile(data), save=False)
    image.save()
    return image


@dataclass(frozen=True)
class ChoiceData:
    text_km: str
    text_en: str
    correct: bool


def check_question(kind: str, choices: Sequence[ChoiceData]) -> None:
    """The rules every question obeys, whether typed in a form or imported."""
    filled = [c for c in choices if c.text_km.strip() or c.text_en.strip()]
    if len(filled) < 2:
        raise ValidationError(_("A question needs at least two answers."), code="choices")
    correct = sum(1 for c in filled if c.correct)
    if correct == 0:
        raise ValidationError(_("Mark at least one answer as correct."), code="no_correct")
    if kind == QuestionKind.SINGLE and correct != 1:
        raise ValidationError(
            _("A question with one correct answer must have exactly one answer marked correct."), code="one_correct"
        )
    if kind == QuestionKind.MULTIPLE and len(filled) < 3:
        raise ValidationError(_("A question with several correct answers needs at least three answers."), code="few")


@transaction.atomic
def save_question(*, actor: User, question: Question, choices: Sequence[ChoiceData]) -> Question:
    """Create or update a bank item with its answers (replaced as a whole); all-or-nothing."""
    if not (question.text_km or "").strip() and not (question.text_en or "").strip():
        raise ValidationError(_("Write the question in Khmer or in English."), code="text")
    if question.module is not None and question.module.course_id != question.course_id:
        raise ValidationError(_("Choose a module of this course."), code="module")
    check_question(question.kind, choices)
    question.save()
    if AttemptAnswer.objects.filter(question=question).exists():
        # Learners have answered it: keep the choice rows (answers refer to them), update them in place.
        existing = list(question.choices.all())
        if len(existing) != len([c for c in choices if c.text_km.strip() or c.text_en.strip()]):
            raise ValidationError(
                _("Learners have already answered this question: edit the answers, but do not add or remove any."),
                code="answered",
            )
        for row, data in zip(existing, [c for c in choices if c.text_km.strip() or c.text_en.strip()], strict=True):
            row.text_km, row.text_en, row.correct = data.text_km.strip(), data.text_en.strip(), data.correct
            row.save()
        return question
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, text_km=c.text_km.strip(), text_en=c.text_en.strip(), correct=c.correct)
        for c in choices
        if c.text_km.strip() or c.text_en.strip()
    )
    return question


@transaction.atomic
def save_quiz(*, actor: User, quiz: Quiz) -> Quiz:
    if quiz.kind == QuizKind.MODULE and quiz.module_id is None:
        raise ValidationError(_("A module quiz belongs to a module: choose one."), code="module")
    if quiz.kind != QuizKind.MODULE:
        quiz.module = None
        clash = Quiz.objects.filter(course=quiz.course, kind=quiz.kind).exclude(pk=quiz.pk)
        if clash.exists():
            raise ValidationError(_("This course already has a %(kind)s.") % {"kind": quiz.get_kind_display()})
    elif quiz.module is not None and quiz.module.course_id != quiz.course_id:
        raise ValidationError(_("Choose a module of this course."), code="module")
    if quiz.item_count < 1:
        raise ValidationError(_("A quiz needs at least one question."), code="item_count")
    quiz.save()
    return quiz


# ----------------------------------------------------------------------------------------------- learners


def lessons_of(course: Course) -> list[Lesson]:
    """The course's lessons in reading order (module order, then lesson order)."""
    return list(
        Lesson.objects.filter(module__course=course)
        .select_related("module")
        .order_by("module__order", "module_id", "order", "id")
    )


@transaction.atomic
def enrol(*, learner: User, course: Course, request: Any = None) -> Enrolment:
    """Enrol a learner (idempotent)."""
    enrolment, created = Enrolment.objects.get_or_create(course=course, learner=learner)
    if created:
        record(actor=learner, action=AuditAction.CREATE, obj=enrolment, subject_id=learner.pk, request=request)
    return enrolment


def pre_test(course: Course) -> Quiz | None:
    return Quiz.objects.filter(course=course, kind=QuizKind.PRE_TEST).first()


def post_test(course: Course) -> Quiz | None:
    return Quiz.objects.filter(course=course, kind=QuizKind.POST_TEST).first()


def _submitted(learner: User, quiz: Quiz | None, event: Event | None = None) -> QuerySet[QuizAttempt]:
    attempts = QuizAttempt.objects.filter(learner=learner, quiz=quiz, submitted_at__isnull=False)
    return attempts.filter(event=event) if event is not None else attempts


def lessons_open(enrolment: Enrolment) -> bool:
    """Lessons open once the pre-test (if the course has one) has been submitted."""
    quiz = pre_test(enrolment.course)
    return (
        quiz is None
        or QuizAttempt.objects.filter(learner_id=enrolment.learner_id, quiz=quiz, submitted_at__isnull=False).exists()
    )


def read_lesson_ids(enrolment: Enrolment) -> set[int]:
    return set(enrolment.progress.values_list("lesson_id", flat=True))


@transaction.atomic
def open_lesson(*, enrolment: Enrolment, lesson: Lesson) -> None:
    """Remember where the learner is, so they resume here."""
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson


@transaction.atomic
def mark_lesson_read(*, learner: User, lesson: Lesson, request: Any = None) -> Enrolment:
    enrolment = enrol(learner=learner, course=lesson.module.course, request=request)
    if not lessons_open(enrolment):
        raise ValidationError(_("Take the pre-test first: it shows what you know before the course."), code="pre_test")
    LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    enrolment.last_lesson = lesson
    check_completion(enrolment=enrolment, request=request)
    return enrolment


@transaction.atomic
def check_completion(*, enrolment: Enrolment, request: Any = None) -> bool:
    """Complete the course when every lesson is read and the post-test passed; issue the certificate."""
    if enrolment.completed_at is not None:
        return True
    course = enrolment.course
    total = Lesson.objects.filter(module__course=course).count()
    read = enrolment.progress.count()
    quiz = post_test(course)
    passed = (
        quiz is not None
        and QuizAttempt.objects.filter(learner_id=enrolment.learner_id, quiz=quiz, passed=True).exists()
    )
    if total == 0 or read < total or not passed:
        return False
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    from openpes.training.actions.certificates import issue_certificates

    issue_certificates(actor=None, kind=CertificateKind.ACHIEVEMENT, people=[enrolment.learner], course=course)
    return True


@dataclass(frozen=True)
class NextStep:
    """Where a learner goes on: `kind` is "pre_test", "lesson", "post_test" or "done"."""

    kind: str
    lesson: Lesson | None = None
    quiz: Quiz | None = None


def next_step(enrolment: Enrolment) -> NextStep:
    """Resume where the learner left off: the pre-test, the lesson they were reading (or the next unread one),
    the post-test, or nothing left to do."""
    course = enrolment.course
    pre = pre_test(course)
    if pre is not None and not _submitted(enrolment.learner, pre).exists():
        return NextStep("pre_test", quiz=pre)
    lessons = lessons_of(course)
    done = read_lesson_ids(enrolment)
    if enrolment.last_lesson_id is not None and enrolment.last_lesson_id not in done:
        current = next((lesson for lesson in lessons if lesson.pk == enrolment.last_lesson_id), None)
        if current is not None:
            return NextStep("lesson", lesson=current)
    start = 0
    if enrolment.last_lesson_id is not None:
        start = next((i for i, lesson in enumerate(lessons) if lesson.pk == enrolment.last_lesson_id), 0)
    for lesson in lessons[start:] + lessons[:start]:
        if lesson.pk not in done:
            return NextStep("lesson", lesson=lesson)
    post = post_test(course)
    if enrolment.completed_at is None and post is not None:
        return NextStep("post_test", quiz=post)
    return NextStep("done")


# ----------------------------------------------------------------------------------------------- quizzes


def _registered(event: Event, learner: User) -> bool:
    return event.registrations.filter(participant=learner, status=RegistrationStatus.REGISTERED).exists()


def check_may_take(*, learner: User, quiz: Quiz, event: Event | None = None) -> None:
    """Raise ValidationError (with the reason, in the learner's language) when the quiz is not open to them."""
    if event is not None:
        if event.course_id != quiz.course_id or quiz.kind == QuizKind.MODULE:
            raise ValidationError(_("This test is not part of this event."), code="event")
        if not _registered(event, learner):
            raise ValidationError(_("Only registered participants take this event's tests."), code="not_registered")
    else:
        enrolment = Enrolment.objects.filter(course=quiz.course, learner=learner).first()
        post = post_test(quiz.course)
        if quiz.kind == QuizKind.PRE_TEST and post is not None and _submitted(learner, post).exists():
            raise ValidationError(_("You have already taken the post-test."), code="after_post")
        if quiz.kind == QuizKind.POST_TEST:
            total = Lesson.objects.filter(module__course=quiz.course).count()
            read = enrolment.progress.count() if enrolment is not None else 0
            if read < total:
                raise ValidationError(_("Read every lesson before the post-test."), code="lessons")
        if quiz.kind == QuizKind.MODULE and enrolment is not None and not lessons_open(enrolment):
            raise ValidationError(_("Take the pre-test first: it shows what you know before the course."))
    if quiz.max_attempts and _submitted(learner, quiz, event).count() >= quiz.max_attempts:
        raise ValidationError(_("You have used all your attempts at this test."), code="attempts")
    if quiz.kind == QuizKind.POST_TEST and _submitted(learner, quiz, event).filter(passed=True).exists():
        raise ValidationError(_("You have already passed this test."), code="passed")


def _bank(quiz: Quiz) -> QuerySet[Question]:
    questions = Question.objects.filter(course_id=quiz.course_id)
    if quiz.kind == QuizKind.PRE_TEST:
        return questions.filter(form="A")
    if quiz.kind == QuizKind.POST_TEST:
        return questions.filter(form="B")
    # Module quizzes use the module's items that are on neither form, so they never give away a test item.
    return questions.filter(module=quiz.module, form="")


def draw(quiz: Quiz, rng: random.Random | None = None) -> tuple[list[int], dict[str, list[int]]]:
    """Draw the items of a sitting and the order of their answers (randomised if the quiz says so)."""
    rng = rng or random.Random()  # noqa: S311 - order of quiz items, not a secret
    items = list(_bank(quiz).order_by("id").values_list("id", flat=True))
    items = rng.sample(items, min(quiz.item_count, len(items))) if quiz.randomise else items[: quiz.item_count]
    choices: dict[str, list[int]] = defaultdict(list)
    for question_id, choice_id in (
        Choice.objects.filter(question_id__in=items).order_by("id").values_list("question_id", "id")
    ):
        choices[str(question_id)].append(choice_id)
    if quiz.randomise:
        for order in choices.values():
            rng.shuffle(order)
    return items, dict(choices)


@transaction.atomic
def start_attempt(*, learner: User, quiz: Quiz, event: Event | None = None, request: Any = None) -> QuizAttempt:
    """The learner's open sitting of the quiz (resumed as it was), or a new one with freshly drawn items."""
    open_attempt = QuizAttempt.objects.filter(
        learner=learner, quiz=quiz, event=event, submitted_at__isnull=True
    ).first()
    if open_attempt is not None:
        return open_attempt
    check_may_take(learner=learner, quiz=quiz, event=event)
    if event is None:
        enrol(learner=learner, course=quiz.course, request=request)
    items, order = draw(quiz)
    if not items:
        raise ValidationError(_("This test has no questions yet. Tell the training coordinator."), code="empty")
    return QuizAttempt.objects.create(quiz=quiz, learner=learner, event=event, question_ids=items, choice_order=order)


def attempt_questions(attempt: QuizAttempt) -> list[tuple[Question, list[Choice]]]:
    """The attempt's questions with their answers, in the order drawn for this sitting."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")}
    out = []
    for question_id in attempt.question_ids:
        question = questions.get(question_id)
        if question is None:
            continue  # removed from the bank since the sitting began
        by_id = {c.pk: c for c in question.choices.all()}
        order = [cid for cid in attempt.choice_order.get(str(question_id), []) if cid in by_id]
        order += [cid for cid in by_id if cid not in order]
        out.append((question, [by_id[cid] for cid in order]))
    return out


@transaction.atomic
def submit_attempt(*, attempt: QuizAttempt, answers: Mapping[int, Iterable[int]], request: Any = None) -> QuizAttempt:
    """Score a sitting: a question counts as right when the chosen answers are exactly the correct ones."""
    attempt = QuizAttempt.objects.select_for_update().select_related("quiz__course", "learner").get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        raise ValidationError(_("This test was already handed in."), code="submitted")
    items = attempt_questions(attempt)
    missing = [q for q, _choices in items if not list(answers.get(q.pk, []))]
    if missing:
        raise ValidationError(_("Answer every question before handing in the test."), code="unanswered")
    rows, right = [], 0
    for question, choices in items:
        chosen = set(answers[question.pk])
        valid = {c.pk for c in choices}
        if not chosen <= valid or (question.kind == QuestionKind.SINGLE and len(chosen) != 1):
            raise ValidationError(_("An answer does not belong to its question."), code="choice")
        correct = chosen == {c.pk for c in choices if c.correct}
        right += correct
        rows.append(AttemptAnswer(attempt=attempt, question=question, choice_ids=sorted(chosen), correct=correct))
    AttemptAnswer.objects.bulk_create(rows)
    attempt.score = _percent(right, len(items))
    attempt.passed = attempt.score >= attempt.quiz.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    record(
        actor=attempt.learner, action=AuditAction.CREATE, obj=attempt, subject_id=attempt.learner_id, request=request
    )
    if attempt.quiz.kind == QuizKind.POST_TEST and attempt.passed:
        enrolment = Enrolment.objects.filter(course=attempt.quiz.course, learner=attempt.learner).first()
        if enrolment is not None:
            check_completion(enrolment=enrolment, request=request)
    return attempt


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.0")
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------------------------------------- learning gain


@dataclass(frozen=True)
class Gain:
    """A learner's pre- and post-test scores (%) and the difference in percentage points."""

    pre: Decimal | None
    post: Decimal | None

    @property
    def points(self) -> Decimal | None:
        return None if self.pre is None or self.post is None else self.post - self.pre


def paired_attempts(
    *, course: Course, event: Event | None = None, learners: Iterable[int] | None = None
) -> list[tuple[QuizAttempt, QuizAttempt]]:
    """For each learner with both, their first submitted pre-test and their best submitted post-test of the
    course (within `event` if given — the event's sittings only; otherwise all sittings)."""
    quizzes = {q.kind: q for q in Quiz.objects.filter(course=course, kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST])}
    if QuizKind.PRE_TEST not in quizzes or QuizKind.POST_TEST not in quizzes:
        return []
    attempts = QuizAttempt.objects.filter(quiz__in=quizzes.values(), submitted_at__isnull=False)
    if event is not None:
        attempts = attempts.filter(event=event)
    if learners is not None:
        attempts = attempts.filter(learner_id__in=list(learners))
    pre: dict[int, QuizAttempt] = {}
    post: dict[int, QuizAttempt] = {}
    for attempt in attempts.order_by("submitted_at", "id"):
        if attempt.quiz_id == quizzes[QuizKind.PRE_TEST].pk:
            pre.setdefault(attempt.learner_id, attempt)
        elif attempt.learner_id not in post or (attempt.score or 0) > (post[attempt.learner_id].score or 0):
            post[attempt.learner_id] = attempt
    return [(pre[learner], post[learner]) for learner in pre if learner in post]


def learner_gain(*, course: Course, learner: User, event: Event | None = None) -> Gain:
    quizzes = {q.kind: q for q in Quiz.objects.filter(course=course, kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST])}
    pre = post = None
    if QuizKind.PRE_TEST in quizzes:
        first = _submitted(learner, quizzes[QuizKind.PRE_TEST], event).order_by("submitted_at", "id").first()
        pre = first.score if first else None
    if QuizKind.POST_TEST in quizzes:
        best = _submitted(learner, quizzes[QuizKind.POST_TEST], event).order_by("-score", "id").first()
        post = best.score if best else None
    return Gain(pre=pre, post=post)


@dataclass(frozen=True)
class TagGain:
    """Learning gain for one module or competence, over the people who met items with that tag on both tests.

    `pre` and `post` are the mean, over those people, of the share (%) of that tag's items they got right;
    `gain` is `post - pre` in percentage points; `people` how many people it rests on."""

    pre: float
    post: float
    gain: float
    people: int


def gain_by_tag(attempt_pairs: Iterable[tuple[QuizAttempt, QuizAttempt]]) -> dict[str, dict[int, TagGain]]:
    """Learning gain by module and by competence, from the answers of paired pre-/post-test sittings.

    `attempt_pairs` is what `paired_attempts` returns: (pre-test attempt, post-test attempt) per person. The
    items differ (parallel forms A and B) but carry the same tags, so per person and tag we compare the share
    of items right before and after, then average over people. Returns
    `{"module": {module_id: TagGain}, "competence": {competence_id: TagGain}}`; a tag appears only when at
    least one person met it on both tests. One query, whatever the number of pairs.
    """
    pairs = list(attempt_pairs)
    side = {pre.pk: ("pre", pre.learner_id) for pre, _post in pairs}
    side.update({post.pk: ("post", post.learner_id) for _pre, post in pairs})
    # (tag kind, tag id, learner, side) -> [right, total]
    tally: dict[tuple[str, int, int, str], list[int]] = defaultdict(lambda: [0, 0])
    answers = AttemptAnswer.objects.filter(attempt_id__in=list(side)).values_list(
        "attempt_id", "correct", "question__module_id", "question__competence_id"
    )
    for attempt_id, correct, module_id, competence_id in answers:
        which, learner = side[attempt_id]
        for kind, tag in (("module", module_id), ("competence", competence_id)):
            if tag is not None:
                cell = tally[(kind, tag, learner, which)]
                cell[0] += int(correct)
                cell[1] += 1
    per_person: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
    for (kind, tag, learner, which), (_right, _total) in list(tally.items()):
        if which != "pre" or (kind, tag, learner, "post") not in tally:
            continue
        pre_right, pre_total = tally[(kind, tag, learner, "pre")]
        post_right, post_total = tally[(kind, tag, learner, "post")]
        per_person[(kind, tag)].append((100 * pre_right / pre_total, 100 * post_right / post_total))
    result: dict[str, dict[int, TagGain]] = {"module": {}, "competence": {}}
    for (kind, tag), scores in per_person.items():
        pre = sum(s[0] for s in scores) / len(scores)
        post = sum(s[1] for s in scores) / len(scores)
        result[kind][tag] = TagGain(
            pre=round(pre, 1), post=round(post, 1), gain=round(post - pre, 1), people=len(scores)
        )
    return result


@dataclass(frozen=True)
class LearnerProgress:
    enrolment: Enrolment
    lessons_read: int
    lessons_total: int
    gain: Gain


def course_progress(course: Course, enrolments: Iterable[Enrolment]) -> list[LearnerProgress]:
    """Progress of the given enrolments of one course, in a fixed number of queries."""
    enrolments = list(enrolments)
    total = Lesson.objects.filter(module__course=course).count()
    read: dict[int, int] = defaultdict(int)
    for enrolment_id in LessonProgress.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", flat=True):
        read[enrolment_id] += 1
    learners = [e.learner_id for e in enrolments]
    pairs = {pre.learner_id: (pre, post) for pre, post in paired_attempts(course=course, learners=learners)}
    pre_only: dict[int, Decimal | None] = {}
    pre = pre_test(course)
    if pre is not None:
        for learner_id, score in (
            QuizAttempt.objects.filter(quiz=pre, learner_id__in=learners, submitted_at__isnull=False)
            .order_by("-submitted_at", "-id")
            .values_list("learner_id", "score")
        ):
            pre_only[learner_id] = score  # ends on the first sitting
    out = []
    for enrolment in enrolments:
        pair = pairs.get(enrolment.learner_id)
        gain = (
            Gain(pre=pair[0].score, post=pair[1].score)
            if pair
            else Gain(pre=pre_only.get(enrolment.learner_id), post=None)
        )
        out.append(LearnerProgress(enrolment, read[enrolment.pk], total, gain))
    return out


def course_stats(course: Course) -> dict[str, int]:
    enrolments = Enrolment.objects.filter(course=course)
    return {
        "enrolled": enrolments.count(),
        "completed": enrolments.filter(completed_at__isnull=False).count(),
        "lessons": Lesson.objects.filter(module__course=course).count(),
        "questions": Question.objects.filter(course=course).count(),
    }
