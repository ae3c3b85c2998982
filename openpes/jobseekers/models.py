from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Sex
from openpes.jobseekers.enums import (
    ConsentMethod,
    ConsentPurpose,
    DeregistrationReason,
    EventKind,
    JobSeekerStatus,
    RegistrationChannel,
    WgDifficulty,
)
from openpes.lib.phone import mask_phone
from openpes.taxonomy.enums import Accommodation, Language, LanguageLevel


class JobSeekerQuerySet(models.QuerySet["JobSeeker"]):
    def current(self) -> JobSeekerQuerySet:
        """Records that were not merged into another one."""
        return self.filter(merged_into__isnull=True)


class JobSeeker(models.Model):
    """A person registered with the employment service to find work.

    May have no account (registered by a counsellor for someone without phone or e-mail); is owned by the
    job centre that registered them (self-registered people belong to their province's centre).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobseeker"
    )
    owner_centre = models.ForeignKey(
        "centres.JobCentre", on_delete=models.PROTECT, related_name="jobseekers", verbose_name=_("job centre")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("registered"), max_length=10, choices=RegistrationChannel.choices)
    # Identity
    name_km = models.CharField(_("name in Khmer script"), max_length=150, blank=True)
    name_latin = models.CharField(_("name in Latin script"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), db_index=True)
    national_id = models.CharField(_("national ID number"), max_length=12, blank=True, db_index=True)
    # Contact and address
    phone = models.CharField(_("phone number"), max_length=20, blank=True, db_index=True)
    phone_alt = models.CharField(_("other phone number"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    province = models.ForeignKey("geography.Province", on_delete=models.PROTECT, verbose_name=_("province"))
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    commune = models.ForeignKey(
        "geography.Commune", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune")
    )
    address = models.CharField(_("village, street and house"), max_length=250, blank=True)
    # Education
    education_level = models.ForeignKey(
        "taxonomy.EducationLevel", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("education")
    )
    field_of_study = models.CharField(_("field of study"), max_length=150, blank=True)
    institution = models.CharField(_("school or institution"), max_length=150, blank=True)
    # What they look for
    preferred_provinces = models.ManyToManyField(
        "geography.Province", blank=True, related_name="+", verbose_name=_("provinces where I want to work")
    )
    willing_to_relocate = models.BooleanField(_("willing to move for work"), default=False)
    employment_types = models.JSONField(_("kinds of work"), default=list, blank=True)
    expected_wage = models.PositiveIntegerField(
        _("expected monthly wage (USD)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    driving_licences = models.JSONField(_("driving licences"), default=list, blank=True)
    skills_free_text = models.TextField(_("other skills"), blank=True, max_length=2000)
    # Circumstances
    returning_migrant = models.BooleanField(_("returned from working abroad"), default=False)
    migration_country = models.CharField(_("country worked in"), max_length=60, blank=True)
    returned_on = models.DateField(_("date of return"), null=True, blank=True)
    # Status
    status = models.CharField(
        _("status"), max_length=10, choices=JobSeekerStatus.choices, default=JobSeekerStatus.ACTIVE, db_index=True
    )
    inactive_reason = models.CharField(
        _("reason for leaving the register"), max_length=20, choices=DeregistrationReason.choices, blank=True
    )
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged")
    # Duplicate detection: simplified spellings of the names, in both name orders (see duplicates.py).
    name_keys = models.CharField(max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered on"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JobSeekerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("jobseeker")
        verbose_name_plural = _("jobseekers")
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(name_km="", name_latin=""), name="jobseeker_has_a_name"),
        ]
        indexes: ClassVar = [models.Index(fields=["owner_centre", "status"], name="jobseeker_centre_status_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_km and self.name_latin:
            return f"{self.name_km} ({self.name_latin})"
        return self.name_km or self.name_latin

    @property
    def masked_national_id(self) -> str:
        return "•" * max(len(self.national_id) - 3, 0) + self.national_id[-3:] if self.national_id else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class WorkExperience(models.Model):
    """A job the person held, coded to an ISCO-08 unit group."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="experience")
    title = models.CharField(_("job title"), max_length=150)
    isco_group = models.ForeignKey(
        "taxonomy.IscoGroup", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("occupation (ISCO-08)")
    )
    employer_name = models.CharField(_("employer"), max_length=150, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("tasks"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")

    def __str__(self) -> str:
        return self.title

    @property
    def months(self) -> int:
        if not self.started_on:
            return 0
        end = self.ended_on or timezone.localdate()
        return max((end.year - self.started_on.year) * 12 + end.month - self.started_on.month, 0)


class JobSeekerSkill(models.Model):
    """A skill the person has, from the ESCO taxonomy."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, verbose_name=_("skill"))

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints: ClassVar = [models.UniqueConstraint(fields=["jobseeker", "skill"], name="unique_jobseeker_skill")]

    def __str__(self) -> str:
        return str(self.skill)


class LanguageSkill(models.Model):
    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["jobseeker", "language"], name="unique_jobseeker_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"


class DesiredOccupation(models.Model):
    """One of up to three ISCO-08 unit groups the person wants to work in, ranked."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="desired_occupations")
    isco_group = models.ForeignKey("taxonomy.IscoGroup", on_delete=models.PROTECT, verbose_name=_("occupation"))
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])

    class Meta:
        ordering = ["rank"]
        verbose_name = _("desired occupation")
        verbose_name_plural = _("desired occupations")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["jobseeker", "rank"], name="unique_desired_rank"),
            models.UniqueConstraint(fields=["jobseeker", "isco_group"], name="unique_desired_occupation"),
        ]

    def __str__(self) -> str:
        return str(self.isco_group)


class WgssAnswers(models.Model):
    """The Washington Group Short Set answers. Health data: statistics only, never eligibility or ranking;
    shown only to the person and to counsellors and managers with access to the record."""

    jobseeker = models.OneToOneField(JobSeeker, on_delete=models.CASCADE, related_name="wgss")
    seeing = models.PositiveSmallIntegerField(
        _("Difficulty seeing, even if wearing glasses"), choices=WgDifficulty.choices
    )
    hearing = models.PositiveSmallIntegerField(
        _("Difficulty hearing, even if using a hearing aid"), choices=WgDifficulty.choices
    )
    walking = models.PositiveSmallIntegerField(_("Difficulty walking or climbing steps"), choices=WgDifficulty.choices)
    cognition = models.PositiveSmallIntegerField(
        _("Difficulty remembering or concentrating"), choices=WgDifficulty.choices
    )
    self_care = models.PositiveSmallIntegerField(
        _("Difficulty with self-care, such as washing all over or dressing"), choices=WgDifficulty.choices
    )
    communication = models.PositiveSmallIntegerField(
        _("Difficulty communicating, for example understanding or being understood"), choices=WgDifficulty.choices
    )
    # Stored for disaggregation queries; always derived from the answers in save().
    disability = models.BooleanField(_("WG disability identifier"), default=False, editable=False)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    DOMAINS = ("seeing", "hearing", "walking", "cognition", "self_care", "communication")

    class Meta:
        verbose_name = _("WG-SS answers")
        verbose_name_plural = _("WG-SS answers")

    def __str__(self) -> str:
        return f"WG-SS #{self.jobseeker_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.disability = self.identifier({d: getattr(self, d) for d in self.DOMAINS})
        super().save(*args, **kwargs)

    @staticmethod
    def identifier(answers: dict[str, Any]) -> bool:
        """The WG disability identifier: at least one domain with "a lot of difficulty" or "cannot do at all"."""
        return any(int(answers[domain]) >= WgDifficulty.A_LOT for domain in WgssAnswers.DOMAINS)


class AccommodationNeed(models.Model):
    """A workplace adjustment the person needs (recorded apart from WG-SS; matched with employers' offers)."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="accommodation_needs")
    kind = models.CharField(_("adjustment"), max_length=30, choices=Accommodation.choices)
    note = models.CharField(_("details"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("accommodation need")
        verbose_name_plural = _("accommodation needs")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["jobseeker", "kind"], name="unique_accommodation_need")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Consent(models.Model):
    """What the person agreed to (or withdrew), when, and who recorded it on whose behalf."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("agreed"))
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    on_behalf = models.BooleanField(_("recorded on the person's behalf"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.given}"


def cv_path(instance: Document, filename: str) -> str:
    # Random names only: the original name is kept in the row, never on disk.
    import secrets

    return f"cv/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Document(models.Model):
    """An uploaded CV (PDF, DOCX or image), stored privately and served only to people allowed to see it."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=cv_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("CV")
        verbose_name_plural = _("CVs")

    def __str__(self) -> str:
        return self.original_name


class JobSeekerEvent(models.Model):
    """Something that happened to a jobseeker record; indicators are computed from these rows."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    centre = models.ForeignKey("centres.JobCentre", on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=30, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("jobseeker event")
        verbose_name_plural = _("jobseeker events")
        indexes: ClassVar = [models.Index(fields=["kind", "at"], name="jobseeker_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.jobseeker_id}"


class DuplicateDismissal(models.Model):
    """A counsellor confirmed two records are different people; the pair is not flagged again."""

    first = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["first", "second"], name="unique_dismissal")]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
