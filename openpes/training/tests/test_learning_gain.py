"""Learning gain: per learner (shown to them), and by module and competence for the programme's metrics."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from openpes.accounts.tests.factories import UserFactory
from openpes.training.actions import learning
from openpes.training.enums import QuizKind
from openpes.training.models import Competence, Question
from openpes.training.tests.learning_fixtures import quiz, right_answers, small_course, wrong_answers

pytestmark = pytest.mark.django_db


def _sit(learner, quiz_obj, answers_for, event=None):
    attempt = learning.start_attempt(learner=learner, quiz=quiz_obj, event=event)
    return learning.submit_attempt(attempt=attempt, answers=answers_for(attempt))


def _course_with_tags():
    course = small_course(modules=2, items_per_form=4)  # 2 items per module on each form
    rapport, ethics = Competence.objects.get(code="rapport"), Competence.objects.get(code="ethics")
    modules = list(course.modules.order_by("order"))
    Question.objects.filter(course=course, module=modules[0]).update(competence=rapport)
    Question.objects.filter(course=course, module=modules[1]).update(competence=ethics)
    return course, modules, rapport, ethics


def _half_right(attempt):
    """Right on items of the first module, wrong on the others."""
    first_module = attempt.quiz.course.modules.order_by("order").first()
    right, wrong = right_answers(attempt), wrong_answers(attempt)
    module_of = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "module_id"))
    return {qid: right[qid] if module_of[qid] == first_module.pk else wrong[qid] for qid in attempt.question_ids}


def test_gain_by_module_and_competence_compares_the_same_tags_across_parallel_forms(cast):
    course, modules, rapport, ethics = _course_with_tags()
    learner = UserFactory(counsellor=True, centre=cast.pursat)
    learning.enrol(learner=learner, course=course)
    _sit(learner, quiz(course, QuizKind.PRE_TEST), _half_right)  # module 1 right, module 2 wrong
    for lesson in learning.lessons_of(course):
        learning.mark_lesson_read(learner=learner, lesson=lesson)
    _sit(learner, quiz(course, QuizKind.POST_TEST), right_answers)

    pairs = learning.paired_attempts(course=course)
    assert len(pairs) == 1
    gains = learning.gain_by_tag(pairs)
    assert gains["module"][modules[0].pk] == learning.TagGain(pre=100.0, post=100.0, gain=0.0, people=1)
    assert gains["module"][modules[1].pk] == learning.TagGain(pre=0.0, post=100.0, gain=100.0, people=1)
    assert gains["competence"][rapport.pk].gain == 0.0
    assert gains["competence"][ethics.pk].gain == 100.0

    gain = learning.learner_gain(course=course, learner=learner)
    assert gain == learning.Gain(pre=Decimal("50.0"), post=Decimal("100.0"))
    assert gain.points == Decimal("50.0")


def test_gain_by_tag_averages_over_people_and_ignores_people_without_both_tests(cast, django_assert_max_num_queries):
    course, modules, _rapport, _ethics = _course_with_tags()
    people = [UserFactory(counsellor=True, centre=cast.pursat) for _ in range(3)]
    for n, learner in enumerate(people):
        learning.enrol(learner=learner, course=course)
        _sit(learner, quiz(course, QuizKind.PRE_TEST), wrong_answers)
        if n == 2:
            continue  # never took the post-test
        for lesson in learning.lessons_of(course):
            learning.mark_lesson_read(learner=learner, lesson=lesson)
        _sit(learner, quiz(course, QuizKind.POST_TEST), right_answers if n == 0 else wrong_answers)
    pairs = learning.paired_attempts(course=course)
    assert {pre.learner_id for pre, _ in pairs} == {people[0].pk, people[1].pk}
    with django_assert_max_num_queries(1):
        gains = learning.gain_by_tag(pairs)
    assert gains["module"][modules[0].pk] == learning.TagGain(pre=0.0, post=50.0, gain=50.0, people=2)
    assert learning.gain_by_tag([]) == {"module": {}, "competence": {}}


def test_paired_attempts_within_an_event_use_only_that_event_s_sittings(cast):
    from openpes.training.models import Registration
    from openpes.training.tests.factories import EventFactory

    course, _modules, _r, _e = _course_with_tags()
    event = EventFactory(course=course)
    learner = UserFactory(counsellor=True, centre=cast.pursat)
    Registration.objects.create(event=event, participant=learner)
    _sit(learner, quiz(course, QuizKind.PRE_TEST), wrong_answers, event=event)
    _sit(learner, quiz(course, QuizKind.POST_TEST), right_answers, event=event)
    assert len(learning.paired_attempts(course=course, event=event)) == 1
    assert learning.paired_attempts(course=course, event=EventFactory(course=course)) == []
    assert learning.learner_gain(course=course, learner=learner, event=event).points == Decimal("100.0")


def test_the_learner_sees_their_pre_and_post_scores_on_the_course_page(client, cast):
    course, _modules, _r, _e = _course_with_tags()
    learner = cast.counsellor_pursat
    learning.enrol(learner=learner, course=course)
    _sit(learner, quiz(course, QuizKind.PRE_TEST), _half_right)
    for lesson in learning.lessons_of(course):
        learning.mark_lesson_read(learner=learner, lesson=lesson)
    _sit(learner, quiz(course, QuizKind.POST_TEST), right_answers)
    client.force_login(learner)
    page = client.get(reverse("training:course_detail", args=[course.pk])).content.decode()
    assert "50%" in page and "100%" in page and "50 points" in page
    client.force_login(cast.coordinator)
    progress = client.get(reverse("training:course_progress", args=[course.pk])).content.decode()
    assert learner.full_name in progress and "By competence" in progress
