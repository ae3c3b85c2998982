"""A learner's way through an online course: enrol, pre-test first, lessons, resume, post-test, completion."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.training.actions import learning
from openpes.training.enums import QuizKind
from openpes.training.models import Certificate, Enrolment, LessonProgress, QuizAttempt
from openpes.training.tests.factories import CourseFactory, EventFactory
from openpes.training.tests.learning_fixtures import answer_post_data, quiz, right_answers, small_course, wrong_answers

pytestmark = pytest.mark.django_db


def _take(client, quiz_obj, answers_for, event=None):
    """Start a sitting through the page and hand it in with the answers `answers_for(attempt)` gives."""
    url = reverse("training:take_quiz", args=[quiz_obj.pk]) + (f"?event={event.pk}" if event else "")
    response = client.post(url, {"start": "1"})
    assert response.status_code == 302, response.content
    attempt = QuizAttempt.objects.filter(quiz=quiz_obj, submitted_at__isnull=True).latest("id")
    response = client.post(url, answer_post_data(attempt, answers_for(attempt)))
    assert response.status_code == 302, response.content.decode()[:2000]
    attempt.refresh_from_db()
    return attempt


def _lessons(course):
    return learning.lessons_of(course)


def test_enrolling_sends_the_learner_to_the_pre_test_and_lessons_stay_closed_until_it_is_taken(client, cast):
    course = small_course()
    client.force_login(cast.counsellor_pursat)
    response = client.post(reverse("training:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(course=course, learner=cast.counsellor_pursat).exists()
    resume = client.get(reverse("training:resume", args=[course.pk]))
    assert resume["Location"] == reverse("training:take_quiz", args=[quiz(course, QuizKind.PRE_TEST).pk])

    first = _lessons(course)[0]
    blocked = client.get(reverse("training:lesson", args=[first.pk]))
    assert blocked.status_code == 302  # back to the pre-test
    assert client.post(reverse("training:lesson_read", args=[first.pk])).status_code == 302
    assert not LessonProgress.objects.exists()

    _take(client, quiz(course, QuizKind.PRE_TEST), wrong_answers)
    opened = client.get(reverse("training:lesson", args=[first.pk]))
    assert opened.status_code == 200
    assert opened["Cache-Control"] == "private, max-age=86400"  # readable offline once opened


def test_the_pre_test_draws_form_a_and_the_post_test_form_b_in_a_stable_order(client, cast):
    course = small_course(items_per_form=4)
    learner = cast.counsellor_pursat
    learning.enrol(learner=learner, course=course)
    pre = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.PRE_TEST))
    assert {q.form for q, _ in learning.attempt_questions(pre)} == {"A"}
    again = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.PRE_TEST))
    assert again.pk == pre.pk and again.question_ids == pre.question_ids  # resumed, not redrawn
    learning.submit_attempt(attempt=pre, answers=wrong_answers(pre))
    for lesson in _lessons(course):
        learning.mark_lesson_read(learner=learner, lesson=lesson)
    post = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.POST_TEST))
    assert {q.form for q, _ in learning.attempt_questions(post)} == {"B"}
    assert not set(pre.question_ids) & set(post.question_ids)


def test_the_post_test_opens_only_when_every_lesson_is_read(client, cast):
    course = small_course()
    learner = cast.counsellor_pursat
    client.force_login(learner)
    client.post(reverse("training:enrol", args=[course.pk]))
    _take(client, quiz(course, QuizKind.PRE_TEST), wrong_answers)
    lessons = _lessons(course)
    for lesson in lessons[:-1]:
        client.post(reverse("training:lesson_read", args=[lesson.pk]))
    post = quiz(course, QuizKind.POST_TEST)
    refused = client.get(reverse("training:take_quiz", args=[post.pk]))
    assert "Read every lesson before the post-test." in refused.content.decode()
    client.post(reverse("training:take_quiz", args=[post.pk]), {"start": "1"})
    assert not QuizAttempt.objects.filter(quiz=post).exists()

    client.post(reverse("training:lesson_read", args=[lessons[-1].pk]))
    assert client.get(reverse("training:resume", args=[course.pk]))["Location"] == reverse(
        "training:take_quiz", args=[post.pk]
    )


def test_passing_the_post_test_completes_the_course_and_issues_one_certificate(client, cast):
    course = small_course()
    learner = cast.counsellor_pursat
    client.force_login(learner)
    client.post(reverse("training:enrol", args=[course.pk]))
    _take(client, quiz(course, QuizKind.PRE_TEST), wrong_answers)
    for lesson in _lessons(course):
        client.post(reverse("training:lesson_read", args=[lesson.pk]))
    failed = _take(client, quiz(course, QuizKind.POST_TEST), wrong_answers)
    assert failed.passed is False and failed.score == 0
    assert not Certificate.objects.exists()
    result = client.get(reverse("training:attempt", args=[failed.pk])).content.decode()
    assert "correct answer" not in result  # the post-test's answers stay hidden while retries remain

    passed = _take(client, quiz(course, QuizKind.POST_TEST), right_answers)
    assert passed.passed is True and passed.score == 100
    enrolment = Enrolment.objects.get(course=course, learner=learner)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(person=learner, course=course)
    assert certificate.kind == "achievement" and certificate.issued_by is None
    page = client.get(reverse("training:attempt", args=[passed.pk])).content.decode()
    assert "Learning gain" in page and "100" in page
    # Nothing more to take: the post-test is passed.
    with pytest.raises(ValidationError):
        learning.check_may_take(learner=learner, quiz=quiz(course, QuizKind.POST_TEST))
    assert Certificate.objects.count() == 1


def test_a_learner_resumes_at_the_lesson_they_were_reading(client, cast):
    course = small_course(lessons_per_module=3)
    learner = cast.counsellor_pursat
    client.force_login(learner)
    client.post(reverse("training:enrol", args=[course.pk]))
    _take(client, quiz(course, QuizKind.PRE_TEST), wrong_answers)
    lessons = _lessons(course)
    client.post(reverse("training:lesson_read", args=[lessons[0].pk]))
    client.get(reverse("training:lesson", args=[lessons[3].pk]))  # opened, not finished
    assert client.get(reverse("training:resume", args=[course.pk]))["Location"] == reverse(
        "training:lesson", args=[lessons[3].pk]
    )
    client.post(reverse("training:lesson_read", args=[lessons[3].pk]))
    # Next: the first unread lesson after where they were.
    assert client.get(reverse("training:resume", args=[course.pk]))["Location"] == reverse(
        "training:lesson", args=[lessons[4].pk]
    )
    home = client.get(reverse("training:home")).content.decode()
    assert "2 of 6 lessons read" in home


def test_attempts_are_limited_and_an_open_sitting_does_not_count(client, cast):
    course = small_course()
    learner = cast.counsellor_pursat
    learning.enrol(learner=learner, course=course)
    pre = quiz(course, QuizKind.PRE_TEST)  # one attempt allowed
    attempt = learning.start_attempt(learner=learner, quiz=pre)
    learning.submit_attempt(attempt=attempt, answers=wrong_answers(attempt))
    with pytest.raises(ValidationError, match="used all your attempts"):
        learning.start_attempt(learner=learner, quiz=pre)


def test_a_sitting_with_an_unanswered_question_or_a_foreign_answer_is_refused_whole(client, cast):
    course = small_course()
    learner = cast.counsellor_pursat
    learning.enrol(learner=learner, course=course)
    attempt = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.PRE_TEST))
    answers = right_answers(attempt)
    first = attempt.question_ids[0]
    with pytest.raises(ValidationError):
        learning.submit_attempt(attempt=attempt, answers={**answers, first: []})
    with pytest.raises(ValidationError):
        learning.submit_attempt(attempt=attempt, answers={**answers, first: [999999]})
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not attempt.answers.exists()

    client.force_login(learner)
    url = reverse("training:take_quiz", args=[attempt.quiz_id])
    response = client.post(url, {})  # nothing answered: the form says so, in the page
    assert response.status_code == 200
    assert "Answer this question." in response.content.decode()


def test_module_quizzes_draw_only_items_on_neither_form(cast):
    course = small_course()
    learner = cast.counsellor_pursat
    learning.enrol(learner=learner, course=course)
    pre = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.PRE_TEST))
    learning.submit_attempt(attempt=pre, answers=wrong_answers(pre))
    module_quiz = course.quizzes.filter(kind=QuizKind.MODULE).first()
    attempt = learning.start_attempt(learner=learner, quiz=module_quiz)
    assert [q.form for q, _ in learning.attempt_questions(attempt)] == [""]
    assert all(q.module_id == module_quiz.module_id for q, _ in learning.attempt_questions(attempt))


def test_draft_courses_are_hidden_from_learners_but_open_to_coordinators(client, cast):
    draft = CourseFactory(is_published=False, title_en="Draft course")
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("training:course_detail", args=[draft.pk])).status_code == 404
    assert "Draft course" not in client.get(reverse("training:courses")).content.decode()
    client.force_login(cast.coordinator)
    assert client.get(reverse("training:course_detail", args=[draft.pk])).status_code == 200


def test_public_roles_cannot_reach_the_training_pages(client, cast):
    course = small_course()
    for who in (cast.jobseeker_a, cast.employer_a):
        client.force_login(who)
        assert client.get(reverse("training:home")).status_code == 403
        assert client.get(reverse("training:course_detail", args=[course.pk])).status_code == 403


def test_a_learner_sees_only_their_own_attempts_and_a_coordinator_sees_all_with_an_audit_row(client, cast):
    course = small_course()
    learning.enrol(learner=cast.counsellor_pursat, course=course)
    attempt = learning.start_attempt(learner=cast.counsellor_pursat, quiz=quiz(course, QuizKind.PRE_TEST))
    learning.submit_attempt(attempt=attempt, answers=wrong_answers(attempt))
    url = reverse("training:attempt", args=[attempt.pk])

    client.force_login(cast.counsellor_battambang)
    assert client.get(url).status_code == 404
    client.force_login(cast.counsellor_pursat)
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="view", object_type="training.quizattempt").exists()
    client.force_login(cast.coordinator)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="view", object_type="training.quizattempt", subject_id=str(cast.counsellor_pursat.pk)
    ).exists()


def test_course_list_and_progress_pages_use_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    from openpes.accounts.tests.factories import UserFactory

    course = small_course()
    for _ in range(3):
        CourseFactory()
    for _ in range(12):
        learner = UserFactory(counsellor=True, centre=cast.pursat)
        learning.enrol(learner=learner, course=course)
        attempt = learning.start_attempt(learner=learner, quiz=quiz(course, QuizKind.PRE_TEST))
        learning.submit_attempt(attempt=attempt, answers=wrong_answers(attempt))
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training:courses")).status_code == 200
    with django_assert_max_num_queries(30):
        page = client.get(reverse("training:course_progress", args=[course.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="list", object_type="training.enrolment", count=12).exists()


def test_only_readers_of_reports_see_a_course_s_progress_page(client, cast):
    course = small_course()
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("training:course_progress", args=[course.pk])).status_code == 403
    client.force_login(cast.national)
    assert client.get(reverse("training:course_progress", args=[course.pk])).status_code == 200


def test_event_participants_take_the_event_course_tests_and_their_sittings_carry_the_event(client, cast):
    from openpes.training.models import Registration

    course = small_course()
    event = EventFactory(course=course)
    Registration.objects.create(event=event, participant=cast.trainer)
    client.force_login(cast.trainer)
    attempt = _take(client, quiz(course, QuizKind.PRE_TEST), wrong_answers, event=event)
    assert attempt.event_id == event.pk
    # No lessons needed at an event: the post-test opens at once.
    post = _take(client, quiz(course, QuizKind.POST_TEST), right_answers, event=event)
    assert post.event_id == event.pk and post.passed

    # Someone not registered for the event is refused, even if the event is visible to them.
    event.self_enrolment = True
    event.save()
    client.force_login(cast.counsellor_battambang)
    url = reverse("training:take_quiz", args=[quiz(course, QuizKind.PRE_TEST).pk]) + f"?event={event.pk}"
    assert "Only registered participants" in client.get(url).content.decode()
    client.post(url, {"start": "1"})
    assert not QuizAttempt.objects.filter(learner=cast.counsellor_battambang).exists()
    # A module quiz is not an event test.
    module_quiz = course.quizzes.filter(kind=QuizKind.MODULE).first()
    with pytest.raises(ValidationError):
        learning.check_may_take(learner=cast.trainer, quiz=module_quiz, event=event)
