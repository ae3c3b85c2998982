"""The capacity-building programme for PES staff.

Programme → tiers (online course, training of trainers, provincial sessions, webinars) → courses and events.
Every person is a staff `User` (sex, centre, province, position come from there and are never re-typed).
Who trained whom is recorded, not inferred: a provincial session names the trainer certification its lead
trainer holds, and that certification names the ToT event it came from.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.lib.i18n import pick
from openpes.training.enums import (
    AttendanceMethod,
    CertificateKind,
    CertificationStatus,
    CompetencyLevel,
    ParallelForm,
    QuestionKind,
    QuizKind,
    RaterKind,
    RegistrationStatus,
    TeachBackResult,
    Tier,
)

USER = settings.AUTH_USER_MODEL


class Bilingual(models.Model):
    """Abstract: a title in Khmer and English, shown in the reader's language."""

    title_km = models.CharField(_("title (Khmer)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return pick(self.title_km, self.title_en)


# --------------------------------------------------------------------------------------------- frameworks


class CompetencyFramework(models.Model):
    """A competency framework (editable data), e.g. the European PES counsellor profile (2014)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class CompetencyArea(models.Model):
    """A group of competences (foundational, client interaction, supporting)."""

    framework = models.ForeignKey(CompetencyFramework, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(_("code"), max_length=40)
    name_km = models.CharField(_("name (Khmer)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        constraints: ClassVar = [models.UniqueConstraint(fields=["framework", "code"], name="unique_area_code")]

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class Competence(models.Model):
    """One competence a counsellor needs; questions and follow-up ratings are tagged with it."""

    area = models.ForeignKey(CompetencyArea, on_delete=models.CASCADE, related_name="competences")
    code = models.SlugField(_("code"), max_length=40)
    name_km = models.CharField(_("name (Khmer)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_km = models.TextField(_("description (Khmer)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area", "order"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints: ClassVar = [models.UniqueConstraint(fields=["area", "code"], name="unique_competence_code")]

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


# --------------------------------------------------------------------------------------------- programme


class FundingProject(models.Model):
    """A project that pays for training and needs its own reports (one event may count for two)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250)
    donor = models.CharField(_("funded by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("funding project")
        verbose_name_plural = _("funding projects")

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class Programme(Bilingual):
    """A capacity-building programme with its tiers, competency framework and funding projects."""

    description_km = models.TextField(_("description (Khmer)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("competency framework")
    )
    funding_projects = models.ManyToManyField(FundingProject, blank=True, verbose_name=_("funding projects"))
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title


class StaffWgss(models.Model):
    """Optional WG-SS answers of a PES official, for disaggregating training reports only. Restricted to
    the person and training coordinators; reports show only counts."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="staff_wgss")
    seeing = models.PositiveSmallIntegerField(_("seeing"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    hearing = models.PositiveSmallIntegerField(_("hearing"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    walking = models.PositiveSmallIntegerField(_("walking"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    cognition = models.PositiveSmallIntegerField(
        _("remembering or concentrating"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    self_care = models.PositiveSmallIntegerField(
        _("self-care"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    communication = models.PositiveSmallIntegerField(
        _("communicating"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    disability = models.BooleanField(_("WG disability identifier"), default=False, editable=False)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("staff WG-SS answers")
        verbose_name_plural = _("staff WG-SS answers")

    def __str__(self) -> str:
        return f"WG-SS staff #{self.user_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        domains = (self.seeing, self.hearing, self.walking, self.cognition, self.self_care, self.communication)
        self.disability = any(answer >= 3 for answer in domains)
        super().save(*args, **kwargs)


# --------------------------------------------------------------------------------------------- tier 1: course


class Course(Bilingual):
    """A self-paced online course (tier 1): modules of lessons, quizzes, and a paired pre/post test."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    description_km = models.TextField(_("description (Khmer)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    hours = models.DecimalField(_("study hours"), max_digits=5, decimal_places=1, default=0)
    is_published = models.BooleanField(_("open to learners"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "title_en"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Module(Bilingual):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["course", "order", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class Lesson(Bilingual):
    """A page of learning in both languages. Body is Markdown (sanitised when shown); images are attached."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(default=0)
    body_km = models.TextField(_("text (Khmer)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=10)

    class Meta:
        ordering = ["module", "order", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def body(self) -> str:
        return pick(self.body_km, self.body_en)


class LessonImage(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to="training/images/")
    alt_km = models.CharField(_("description for screen readers (Khmer)"), max_length=250)
    alt_en = models.CharField(_("description for screen readers (English)"), max_length=250)

    class Meta:
        verbose_name = _("lesson image")
        verbose_name_plural = _("lesson images")

    def __str__(self) -> str:
        return self.alt_en or self.alt_km


class Question(models.Model):
    """An item in a course's bank, tagged to a module and a competence, on parallel form A or B."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    module = models.ForeignKey(Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    form = models.CharField(_("parallel form"), max_length=1, choices=ParallelForm.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text_km = models.TextField(_("question (Khmer)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)

    class Meta:
        ordering = ["course", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return pick(self.text_km, self.text_en)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_km = models.CharField(_("answer (Khmer)"), max_length=500, blank=True)
    text_en = models.CharField(_("answer (English)"), max_length=500, blank=True)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick(self.text_km, self.text_en)


class Quiz(Bilingual):
    """A test drawn from a course's item bank: a module quiz, or the paired pre-/post-test."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quizzes")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, null=True, blank=True, related_name="quizzes")
    kind = models.CharField(_("kind"), max_length=10, choices=QuizKind.choices)
    item_count = models.PositiveSmallIntegerField(_("number of questions"), default=10)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed (0 = no limit)"), default=3)
    randomise = models.BooleanField(_("shuffle questions and answers"), default=True)

    class Meta:
        ordering = ["course", "kind", "id"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["course", "kind"], condition=~Q(kind=QuizKind.MODULE), name="one_pre_and_post_test_per_course"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class Enrolment(models.Model):
    """A learner taking a course: progress, where to resume, completion."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="course_enrolments")
    started_at = models.DateTimeField(default=timezone.now)
    last_lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints: ClassVar = [models.UniqueConstraint(fields=["course", "learner"], name="unique_enrolment")]

    def __str__(self) -> str:
        return f"{self.learner_id} @ {self.course_id}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints: ClassVar = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="unique_lesson_progress")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_id}"


class QuizAttempt(models.Model):
    """One sitting of a quiz. The drawn questions and their order are stored, so a resumed page is stable."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="quiz_attempts")
    event = models.ForeignKey(
        "training.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="quiz_attempts"
    )
    question_ids = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.learner_id} {self.quiz_id} {self.score}"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice_ids = models.JSONField(default=list)
    correct = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints: ClassVar = [models.UniqueConstraint(fields=["attempt", "question"], name="unique_attempt_answer")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


# --------------------------------------------------------------------------------------------- tiers 2–4: events


class Event(Bilingual):
    """An in-person or online training event: a ToT, a provincial session or a webinar."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    tier = models.CharField(_("tier"), max_length=12, choices=[c for c in Tier.choices if c[0] != Tier.ONLINE])
    description_km = models.TextField(_("description (Khmer)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    funding_projects = models.ManyToManyField(FundingProject, blank=True, verbose_name=_("funding projects"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.DecimalField(_("training hours"), max_digits=5, decimal_places=1, default=0)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    province = models.ForeignKey(
        "geography.Province", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province")
    )
    link = models.URLField(_("online meeting link"), blank=True, help_text=_("Jitsi, BigBlueButton, Zoom…"))
    facilitators: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, blank=True, related_name="facilitated_events"
    )
    # Provincial sessions: the certified trainer who leads, and the certification that allows it (lineage).
    lead_trainer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="led_events", verbose_name=_("lead trainer")
    )
    trainer_certification = models.ForeignKey(
        "training.TrainerCertification", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        help_text=_("Its item bank provides the event's pre- and post-test."),
    )  # fmt: skip
    post_test_threshold = models.PositiveSmallIntegerField(
        _("post-test score needed to certify (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    self_enrolment = models.BooleanField(_("staff may enrol themselves"), default=False)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates_ordered"),
            models.CheckConstraint(
                condition=~Q(tier=Tier.PROVINCIAL) | Q(lead_trainer__isnull=False, trainer_certification__isnull=False),
                name="provincial_session_has_certified_lead",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> list[date]:
        from datetime import timedelta

        return [self.starts_on + timedelta(days=n) for n in range((self.ends_on - self.starts_on).days + 1)]


class Registration(models.Model):
    """A participant enrolled in an event (by a coordinator or by themself)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="training_registrations")
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED)
    enrolled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["event", "participant"], name="unique_event_registration")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.event_id}"


class Attendance(models.Model):
    """Presence of a participant on one day of an event, and how it was recorded."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="training_attendance")
    day = models.DateField(_("day"))
    method = models.CharField(_("recorded by"), max_length=10, choices=AttendanceMethod.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes attended"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["event", "participant", "day"], name="unique_attendance_day")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.event_id} {self.day}"


class CheckInKey(models.Model):
    """The secret behind an event day's rotating check-in code (shown as a QR code and six digits)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="check_in_keys")
    day = models.DateField()
    secret = models.CharField(max_length=64)
    opened_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["event", "day"], name="unique_check_in_day")]

    def __str__(self) -> str:
        return f"check-in {self.event_id} {self.day}"


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(upload_to="training/materials/", max_length=200)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")

    def __str__(self) -> str:
        return self.title


class AttendanceImport(models.Model):
    """A webinar participant report or paper sign-in sheet being matched to staff, row by row."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance_imports")
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")

    def __str__(self) -> str:
        return self.file_name


class AttendanceImportRow(models.Model):
    """One row of an imported list. Matched only by e-mail, phone or staff ID — never by name alone."""

    batch = models.ForeignKey(AttendanceImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    display_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    staff_id = models.CharField(max_length=30, blank=True)
    day = models.DateField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    matched = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    matched_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["batch", "line"]
        verbose_name = _("imported attendance row")
        verbose_name_plural = _("imported attendance rows")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"


class TeachBack(models.Model):
    """An evaluator's verdict on a ToT participant's observed teach-back."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teach_backs")
    participant = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="teach_backs")
    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=TeachBackResult.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("teach-back")
        verbose_name_plural = _("teach-backs")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.result}"


class TrainerCertification(models.Model):
    """A participant certified as trainer by a ToT event: attended, passed the post-test, passed the
    teach-back. Valid for a period; can be renewed (a new row pointing at the old) or revoked."""

    trainer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="trainer_certifications")
    tot_event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="certifications")
    certified_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    certified_on = models.DateField(_("certified on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=CertificationStatus.choices, default=CertificationStatus.ACTIVE
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    renews = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals")

    class Meta:
        ordering = ["-certified_on", "-id"]
        verbose_name = _("trainer certification")
        verbose_name_plural = _("trainer certifications")

    def __str__(self) -> str:
        return f"{self.trainer_id} ← {self.tot_event_id}"

    def is_valid_on(self, day: date) -> bool:
        return self.status == CertificationStatus.ACTIVE and self.certified_on <= day <= self.valid_until


# --------------------------------------------------------------------------------------------- evaluation


class ReactionResponse(models.Model):
    """Level 1: a participant's reaction to an event (ratings 1–5 and a comment)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reactions")
    participant = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    relevance = models.PositiveSmallIntegerField(
        _("useful for my work"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    trainer = models.PositiveSmallIntegerField(
        _("the trainer"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    materials = models.PositiveSmallIntegerField(
        _("the materials"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    overall = models.PositiveSmallIntegerField(_("overall"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction survey answer")
        verbose_name_plural = _("reaction survey answers")
        constraints: ClassVar = [models.UniqueConstraint(fields=["event", "participant"], name="unique_reaction")]

    def __str__(self) -> str:
        return f"L1 {self.participant_id} @ {self.event_id}"


class CompetencyRating(models.Model):
    """Level 3: a rating of one competence of one official, by themself or their supervisor, some months
    after training."""

    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="competency_ratings")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="ratings")
    rater_kind = models.CharField(_("rated by"), max_length=12, choices=RaterKind.choices)
    rater = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=CompetencyLevel.choices)
    rated_on = models.DateField(_("rated on"), default=timezone.localdate)
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-rated_on", "-id"]
        verbose_name = _("competency rating")
        verbose_name_plural = _("competency ratings")

    def __str__(self) -> str:
        return f"L3 {self.person_id} {self.competence_id}={self.level}"


class Certificate(models.Model):
    """A certificate of participation or achievement, with a public verification code."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="training_certificates")
    kind = models.CharField(_("kind"), max_length=15, choices=CertificateKind.choices)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    issued_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, event__isnull=True) | Q(course__isnull=True, event__isnull=False),
                name="certificate_for_a_course_or_an_event",
            ),
            models.UniqueConstraint(fields=["person", "course", "kind"], name="unique_course_certificate"),
            models.UniqueConstraint(fields=["person", "event", "kind"], name="unique_event_certificate"),
        ]

    def __str__(self) -> str:
        return self.code
