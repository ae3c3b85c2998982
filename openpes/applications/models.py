from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.applications.enums import (
    OPEN_STATUSES,
    TRANSITIONS,
    ApplicationSource,
    ApplicationStatus,
    OutcomeReason,
)


class Application(models.Model):
    """A jobseeker put forward for a vacancy: by applying themself or by a counsellor's referral."""

    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.PROTECT, related_name="applications")
    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.PROTECT, related_name="applications")
    source = models.CharField(_("how"), max_length=10, choices=ApplicationSource.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral_centre = models.ForeignKey(
        "centres.JobCentre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note for the employer"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=20, choices=OutcomeReason.choices, blank=True)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["vacancy", "jobseeker"], name="unique_application_per_vacancy")
        ]

    def __str__(self) -> str:
        return f"#{self.jobseeker_id} → {self.vacancy_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        if status == ApplicationStatus.WITHDRAWN:
            return self.is_open
        return status in TRANSITIONS.get(self.status, set())


class ApplicationEvent(models.Model):
    """A state change of an application, with its structured reason (for indicators)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status} #{self.application_id}"

    @property
    def to_label(self) -> str:
        return str(ApplicationStatus(self.to_status).label)

    @property
    def reason_label(self) -> str:
        return str(OutcomeReason(self.reason).label) if self.reason else ""


class Placement(models.Model):
    """A jobseeker hired into a job. Linked to the application (and so to a referral when there was one);
    follow-ups at 1, 3 and 6 months hang off it."""

    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.PROTECT, related_name="placements")
    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="placements")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="placement"
    )
    via_referral = models.BooleanField(_("through a PES referral"), default=False)
    centre = models.ForeignKey("centres.JobCentre", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    monthly_wage = models.PositiveIntegerField(_("monthly wage (USD)"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"#{self.jobseeker_id} @ {self.employer_id}"
