"""Helpers shared by the learning and certificate tests (tier 1)."""

from __future__ import annotations

from openpes.training.enums import QuizKind
from openpes.training.models import Choice, Course, Question, Quiz, QuizAttempt
from openpes.training.tests.factories import CourseFactory, LessonFactory, ModuleFactory, QuestionFactory, QuizFactory


def small_course(*, lessons_per_module: int = 2, modules: int = 2, items_per_form: int = 4):
    """A published course: modules of lessons, a pre-test (form A), a post-test (form B), module quizzes."""
    course = CourseFactory()
    for m in range(modules):
        module = ModuleFactory(course=course, order=m + 1)
        for n in range(lessons_per_module):
            LessonFactory(module=module, order=n + 1)
        for form in ("A", "B"):
            for _ in range(items_per_form // modules or 1):
                QuestionFactory(course=course, module=module, form=form)
        QuestionFactory(course=course, module=module, form="")
        QuizFactory(course=course, module=module, kind=QuizKind.MODULE, item_count=1, max_attempts=0)
    QuizFactory(course=course, kind=QuizKind.PRE_TEST, item_count=items_per_form, pass_mark=0, max_attempts=1)
    QuizFactory(course=course, kind=QuizKind.POST_TEST, item_count=items_per_form, pass_mark=70, max_attempts=2)
    return course


def quiz(course: Course, kind: str) -> Quiz:
    return Quiz.objects.get(course=course, kind=kind)


def right_answers(attempt: QuizAttempt) -> dict[int, list[int]]:
    return {
        qid: list(Choice.objects.filter(question_id=qid, correct=True).values_list("id", flat=True))
        for qid in attempt.question_ids
    }


def wrong_answers(attempt: QuizAttempt) -> dict[int, list[int]]:
    return {
        qid: list(Choice.objects.filter(question_id=qid, correct=False).values_list("id", flat=True)[:1])
        for qid in attempt.question_ids
    }


def answer_post_data(attempt: QuizAttempt, answers: dict[int, list[int]]) -> dict[str, object]:
    data: dict[str, object] = {}
    for qid, choice_ids in answers.items():
        kind = Question.objects.get(pk=qid).kind
        data[f"q{qid}"] = [str(c) for c in choice_ids] if kind == "multiple" else str(choice_ids[0])
    return data
