from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.taxonomy.enums import EmploymentType, Language, LanguageLevel, SkillRelation
from openpes.vacancies.enums import TRANSITIONS, VacancyStatus


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def published(self) -> VacancyQuerySet:
        return self.filter(status=VacancyStatus.PUBLISHED)


class Vacancy(models.Model):
    """A job opening with one or more positions, coded to an ISCO-08 unit group. Public once published."""

    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="vacancies")
    owner_centre = models.ForeignKey(
        "centres.JobCentre", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("job centre")
    )
    title = models.CharField(_("job title"), max_length=200)
    isco_group = models.ForeignKey(
        "taxonomy.IscoGroup", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("occupation (ISCO-08)")
    )
    description = models.TextField(_("description"), max_length=5000)
    positions = models.PositiveIntegerField(
        _("number of positions"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    province = models.ForeignKey("geography.Province", on_delete=models.PROTECT, verbose_name=_("province"))
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    employment_type = models.CharField(_("kind of work"), max_length=20, choices=EmploymentType.choices)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(84)]
    )
    wage_min = models.PositiveIntegerField(_("monthly wage from (USD)"), null=True, blank=True)
    wage_max = models.PositiveIntegerField(_("monthly wage up to (USD)"), null=True, blank=True)
    education_level = models.ForeignKey(
        "taxonomy.EducationLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("minimum education"),
    )
    experience_months = models.PositiveSmallIntegerField(
        _("experience required (months)"), default=0, validators=[MaxValueValidator(600)]
    )
    driving_licences = models.JSONField(_("driving licences required"), default=list, blank=True)
    disability_friendly = models.BooleanField(_("persons with disabilities are encouraged to apply"), default=False)
    accommodations = models.JSONField(_("adjustments offered"), default=list, blank=True)
    closing_date = models.DateField(_("closing date"))
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=30, blank=True)
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_by_staff = models.BooleanField(_("taken by PES staff on the employer's behalf"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(wage_min__isnull=True) | Q(wage_max__isnull=True) | Q(wage_max__gte=F("wage_min")),
                name="vacancy_wage_range_ordered",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "province"], name="vacancy_status_province_idx"),
            models.Index(fields=["status", "closing_date"], name="vacancy_status_closing_idx"),
            # The public search: newest first, and "posted in the last N days".
            models.Index(fields=["status", "published_at"], name="vacancy_status_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, set())

    def check_transition(self, status: str) -> None:
        if not self.can_move_to(status):
            raise ValidationError(
                _("A vacancy that is %(current)s cannot become %(new)s."),
                params={"current": self.get_status_display(), "new": VacancyStatus(status).label},
                code="bad_transition",
            )

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.PUBLISHED and self.closing_date >= timezone.localdate()


class VacancySkill(models.Model):
    """A skill the job needs, essential or optional."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, verbose_name=_("skill"))
    relation = models.CharField(_("needed"), max_length=10, choices=SkillRelation.choices)

    class Meta:
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")
        constraints: ClassVar = [models.UniqueConstraint(fields=["vacancy", "skill"], name="unique_vacancy_skill")]

    def __str__(self) -> str:
        return str(self.skill)


class VacancyLanguage(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language required")
        verbose_name_plural = _("languages required")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="unique_vacancy_language")
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class VacancyEvent(models.Model):
    """A lifecycle transition of a vacancy (posted, submitted, published, filled, closed, expired)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=30, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("vacancy event")
        verbose_name_plural = _("vacancy events")

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status} #{self.vacancy_id}"
