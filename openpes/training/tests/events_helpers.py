"""Builders shared by the events and reports tests (tiers 2–4): a ToT with tests, scored attempts, attendance,
certified trainers and provincial sessions, without going through every page each time."""

from __future__ import annotations

import datetime

from django.utils import timezone

from openpes.accounts.tests.factories import UserFactory
from openpes.centres.tests.factories import JobCentreFactory
from openpes.conftest import enrol_totp
from openpes.training.enums import AttendanceMethod, QuizKind, TeachBackResult, Tier
from openpes.training.models import (
    Attendance,
    Event,
    QuizAttempt,
    Registration,
    TeachBack,
    TrainerCertification,
)
from openpes.training.tests.factories import CourseFactory, EventFactory, QuizFactory

TODAY = datetime.date(2026, 3, 10)


def staff(centre=None, **kwargs):
    """A counsellor (by default of the Pursat job centre, jc-15)."""
    centre = centre or JobCentreFactory(code="jc-15", province_code="15")
    kwargs.setdefault("counsellor", True)
    user = UserFactory(centre=centre, **kwargs)
    enrol_totp(user)  # staff have a second factor, so tests can sign them in with force_login
    return user


def tot_with_tests(**kwargs):
    """A ToT whose course has a pre-test and a post-test (threshold 70 %)."""
    course = kwargs.pop("course", None) or CourseFactory()
    QuizFactory(course=course, kind=QuizKind.PRE_TEST)
    QuizFactory(course=course, kind=QuizKind.POST_TEST)
    return EventFactory(course=course, programme=course.programme, **kwargs)


def enrol(event: Event, *people) -> None:
    for person in people:
        Registration.objects.get_or_create(event=event, participant=person)


def attend(event: Event, person, days=None, method=AttendanceMethod.ROSTER) -> None:
    enrol(event, person)
    for day in days if days is not None else event.days:
        Attendance.objects.get_or_create(event=event, participant=person, day=day, defaults={"method": method})


def score(event: Event, person, kind: str, value: float, *, at=None) -> QuizAttempt:
    quiz = event.course.quizzes.get(kind=kind)
    return QuizAttempt.objects.create(
        quiz=quiz,
        learner=person,
        event=event,
        score=value,
        passed=value >= quiz.pass_mark,
        submitted_at=at or timezone.now(),
    )


def teach_back(event: Event, person, evaluator, result=TeachBackResult.PASS) -> TeachBack:
    return TeachBack.objects.create(event=event, participant=person, evaluator=evaluator, result=result)


def eligible_participant(event: Event, evaluator, person=None, *, pre=40, post=85):
    """A participant who meets all three conditions of `event` (a ToT)."""
    person = person or staff()
    attend(event, person)
    score(event, person, QuizKind.PRE_TEST, pre)
    score(event, person, QuizKind.POST_TEST, post)
    teach_back(event, person, evaluator)
    return person


def certification(trainer, tot: Event, *, on=None, years=2, **kwargs) -> TrainerCertification:
    on = on or tot.ends_on
    return TrainerCertification.objects.create(
        trainer=trainer, tot_event=tot, certified_on=on, valid_until=on.replace(year=on.year + years), **kwargs
    )


def session(cert: TrainerCertification, *, starts_on=None, participants=(), **kwargs):
    """A one-day provincial session led under `cert`, attended by `participants`."""
    starts_on = starts_on or cert.certified_on + datetime.timedelta(days=10)
    event = EventFactory(
        programme=cert.tot_event.programme,
        tier=Tier.PROVINCIAL,
        title_en=kwargs.pop("title_en", "Provincial session"),
        starts_on=starts_on,
        ends_on=starts_on,
        lead_trainer=cert.trainer,
        trainer_certification=cert,
        **kwargs,
    )
    for person in participants:
        attend(event, person)
    return event
