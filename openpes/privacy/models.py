from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A write the API already carried out for a client's `Idempotency-Key`: a retry with the same key (after a
    time-out or a lost answer) gets the stored answer instead of making the change again (R4).

    The row is written in the same transaction as the change it stands for, so either both exist or neither.
    """

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the first request was (method, path and a digest of its body): the same key for another request is
    # refused rather than answered with somebody else's result.
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints: ClassVar = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class Anonymisation(models.Model):
    """A jobseeker record whose personal data was removed (S13 on request, S15 by the retention task).

    Holds no personal data itself: the record keeps its id, sex, birth year, province, education and events so
    that indicators stay the same, and this row says when and why the rest went.
    """

    REQUEST = "request"
    RETENTION = "retention"
    REASONS = [(REQUEST, _("At the person's request")), (RETENTION, _("Inactive beyond the retention period"))]

    jobseeker = models.OneToOneField(
        "jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="anonymisation", verbose_name=_("jobseeker")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=REASONS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"#{self.jobseeker_id} {self.reason}"
