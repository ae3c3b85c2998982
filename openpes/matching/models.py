from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.matching.weights import DEFAULT_WEIGHTS


class DismissReason(models.TextChoices):
    NOT_INTERESTED = "not_interested", _("The person is not interested")
    NOT_SUITABLE = "not_suitable", _("Not suitable for this job")
    TOO_FAR = "too_far", _("Too far away")
    ALREADY_CONTACTED = "already_contacted", _("Already in contact about it")
    OTHER = "other", _("Other")


class MatchDismissal(models.Model):
    """A counsellor decided a suggested pair is not worth pursuing; it is not suggested again."""

    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=DismissReason.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints: ClassVar = [models.UniqueConstraint(fields=["jobseeker", "vacancy"], name="unique_dismissal_pair")]

    def __str__(self) -> str:
        return f"{self.jobseeker_id} ✕ {self.vacancy_id}"


class MatchingWeights(models.Model):
    """Administrator-tuned weights (the latest row wins); defaults and meanings are in matching/weights.py."""

    occupation = models.FloatField(_("occupation"), default=DEFAULT_WEIGHTS["occupation"])
    skills = models.FloatField(_("skills"), default=DEFAULT_WEIGHTS["skills"])
    location = models.FloatField(_("location"), default=DEFAULT_WEIGHTS["location"])
    education = models.FloatField(_("education"), default=DEFAULT_WEIGHTS["education"])
    experience = models.FloatField(_("experience"), default=DEFAULT_WEIGHTS["experience"])
    languages = models.FloatField(_("languages"), default=DEFAULT_WEIGHTS["languages"])
    employment = models.FloatField(_("kind of work and wage"), default=DEFAULT_WEIGHTS["employment"])
    accommodation = models.FloatField(_("accommodations"), default=DEFAULT_WEIGHTS["accommodation"])
    licences = models.FloatField(_("driving licences"), default=DEFAULT_WEIGHTS["licences"])
    freshness = models.FloatField(_("freshness"), default=DEFAULT_WEIGHTS["freshness"])
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return f"weights {self.changed_at:%Y-%m-%d}"

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in DEFAULT_WEIGHTS}


class Recommendation(models.Model):
    """A suggestion shown to someone (kept for the fairness audit: who gets recommended, who gets referred)."""

    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=10)  # "jobs" (for the person) or "people" (for the vacancy)
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    shown_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes: ClassVar = [models.Index(fields=["vacancy", "shown_at"], name="recommendation_vacancy_idx")]

    def __str__(self) -> str:
        return f"{self.jobseeker_id}~{self.vacancy_id}"


class Invitation(models.Model):
    """An employer invited a suggested (anonymous) jobseeker to apply; the person is told by SMS and on their
    "Jobs for you" page. The employer learns who they are only if they apply."""

    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation to apply")
        verbose_name_plural = _("invitations to apply")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["jobseeker", "vacancy"], name="unique_invitation_pair")
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} → {self.jobseeker_id}"
