from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from openpes.audit.enums import AuditAction


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One access to or change of personal data (S8). Append-only: the app never updates or deletes a row,
    and database triggers refuse it too. Holds no names, national IDs or phone numbers in clear."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, db_index=True)
    actor_role = models.CharField(_("role"), max_length=30, blank=True)
    actor_centre = models.CharField(_("centre"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    subject_id = models.CharField(_("data subject"), max_length=40, blank=True, db_index=True)
    count = models.PositiveIntegerField(_("records"), default=1)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")


class AuditAlert(models.Model):
    """Abnormal use of personal data that administrators must look at (S9): a staff member viewing many
    different people in an hour, or exporting many rows in a day."""

    KIND_BULK_VIEW = "bulk_view"
    KIND_BULK_EXPORT = "bulk_export"
    KINDS = [(KIND_BULK_VIEW, _("Many people viewed in an hour")), (KIND_BULK_EXPORT, _("Many rows exported in a day"))]

    actor_id = models.BigIntegerField(_("staff member"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    count = models.PositiveIntegerField(_("count"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    window_start = models.DateTimeField(_("window start"))
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("audit alert")
        verbose_name_plural = _("audit alerts")

    def __str__(self) -> str:
        return f"{self.kind} {self.actor_id} {self.count}"
