"""Who may see and run which parts of the training programme.

* training coordinators and administrators run everything;
* trainers run the events they facilitate or lead (roster, check-in, materials, teach-backs) and see
  those participants' records for those events;
* national officers read programme reports; centre managers read the training records of staff in their
  province;
* every staff member takes courses, registers for open events, checks in, answers surveys, sees their own
  results and certificates; anyone can verify a certificate by its code.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from openpes.accounts.enums import STAFF_ROLES, Role
from openpes.accounts.models import User
from openpes.lib.access import get_object_or_404
from openpes.training.models import Certificate, Course, Event, Lesson, Programme, Quiz, QuizAttempt

RUNNERS = frozenset({Role.TRAINING_COORDINATOR, Role.ADMINISTRATOR})
READERS = RUNNERS | {Role.NATIONAL_OFFICER}


def _active_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in STAFF_ROLES)


def runs_programme(user: Any) -> bool:
    return _active_staff(user) and user.role in RUNNERS


def reads_reports(user: Any) -> bool:
    return _active_staff(user) and user.role in READERS


def get_programmes_for_user(user: Any) -> QuerySet[Programme]:
    return Programme.objects.all() if _active_staff(user) else Programme.objects.none()


def get_courses_for_user(user: Any) -> QuerySet[Course]:
    """Published courses for every staff member; drafts too for those who run the programme."""
    if not _active_staff(user):
        return Course.objects.none()
    courses = Course.objects.select_related("programme")
    return courses if user.role in RUNNERS else courses.filter(is_published=True)


def get_course_for_user(user: Any, pk: Any) -> Course:
    return get_object_or_404(get_courses_for_user(user), pk=pk)


def get_events_for_user(user: Any) -> QuerySet[Event]:
    """Events a staff member may open: all for readers; otherwise those they run, attend or may join."""
    if not _active_staff(user):
        return Event.objects.none()
    events = Event.objects.select_related("programme", "province", "lead_trainer")
    if user.role in READERS:
        return events
    return events.filter(
        Q(facilitators=user) | Q(lead_trainer=user) | Q(registrations__participant=user) | Q(self_enrolment=True)
    ).distinct()


def get_event_for_user(user: Any, pk: Any) -> Event:
    return get_object_or_404(get_events_for_user(user), pk=pk)


def get_managed_events(user: Any) -> QuerySet[Event]:
    """Events whose roster, check-in, materials and teach-backs `user` may manage."""
    if not _active_staff(user):
        return Event.objects.none()
    events = Event.objects.select_related("programme", "province", "lead_trainer")
    if user.role in RUNNERS:
        return events
    return events.filter(Q(facilitators=user) | Q(lead_trainer=user)).distinct()


def get_managed_event(user: Any, pk: Any) -> Event:
    return get_object_or_404(get_managed_events(user), pk=pk)


def get_trainees_for_user(user: Any) -> QuerySet[User]:
    """Staff whose training records `user` may read."""
    staff = User.objects.filter(role__in=sorted(STAFF_ROLES)).select_related("centre__province")
    if not _active_staff(user):
        return staff.none()
    if user.role in READERS:
        return staff
    if user.role == Role.CENTRE_MANAGER and user.centre_id:
        return staff.filter(Q(centre__province_id=user.centre.province_id) | Q(pk=user.pk))
    if user.role == Role.TRAINER:
        return staff.filter(Q(training_registrations__event__in=get_managed_events(user)) | Q(pk=user.pk)).distinct()
    return staff.filter(pk=user.pk)


def get_trainee_for_user(user: Any, pk: Any) -> User:
    return get_object_or_404(get_trainees_for_user(user), pk=pk)


def can_see_staff_wgss(user: Any, person: User) -> bool:
    """Staff WG-SS answers: the person and training coordinators/administrators only (reports show counts)."""
    return _active_staff(user) and (user.pk == person.pk or user.role in RUNNERS)


# --------------------------------------------------------------------------------------------- learning (tier 1)


def get_authored_courses(user: Any) -> QuerySet[Course]:
    """Courses whose content, item bank and quizzes `user` may edit: coordinators and administrators."""
    return Course.objects.select_related("programme") if runs_programme(user) else Course.objects.none()


def get_authored_course(user: Any, pk: Any) -> Course:
    return get_object_or_404(get_authored_courses(user), pk=pk)


def get_lesson_for_user(user: Any, pk: Any) -> Lesson:
    """A lesson of a course the user may open (published for learners, any for coordinators)."""
    lessons = Lesson.objects.select_related("module__course__programme")
    return get_object_or_404(lessons.filter(module__course__in=get_courses_for_user(user)), pk=pk)


def get_quiz_for_user(user: Any, pk: Any) -> Quiz:
    return get_object_or_404(
        Quiz.objects.select_related("course", "module").filter(course__in=get_courses_for_user(user)), pk=pk
    )


def get_attempts_for_user(user: Any) -> QuerySet[QuizAttempt]:
    """Quiz attempts: a learner's own; all for those who run the programme or read its reports."""
    attempts = QuizAttempt.objects.select_related("quiz__course", "learner", "event")
    if not _active_staff(user):
        return attempts.none()
    if user.role in READERS:
        return attempts
    return attempts.filter(learner=user)


def get_attempt_for_user(user: Any, pk: Any) -> QuizAttempt:
    return get_object_or_404(get_attempts_for_user(user), pk=pk)


def get_certificates_for_user(user: Any) -> QuerySet[Certificate]:
    """Certificates a user may download: their own; all for coordinators; an event's for those who run it."""
    certificates = Certificate.objects.select_related("person", "course", "event")
    if not _active_staff(user):
        return certificates.none()
    if user.role in RUNNERS:
        return certificates
    return certificates.filter(Q(person=user) | Q(event__in=get_managed_events(user)))


def get_certificate_for_user(user: Any, pk: Any) -> Certificate:
    return get_object_or_404(get_certificates_for_user(user), pk=pk)
