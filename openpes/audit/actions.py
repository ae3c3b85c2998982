"""Writing audit rows. Call `record` from actions and views whenever personal data is read or changed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.lib.middleware import current_request_id

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger("openpes.audit")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor: Any,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    subject_id: str | int | None = None,
    count: int = 1,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit row. `actor` is the signed-in user (or None for the system)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    if object_type is None:
        raise ValueError("record() needs obj or object_type")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    centre = getattr(actor, "centre", None) if authenticated else None
    event = AuditEvent.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_role=getattr(actor, "role", "") if authenticated else "",
        actor_centre=centre.code if centre is not None else "",
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        subject_id="" if subject_id is None else str(subject_id),
        count=count,
        detail=detail or {},
        ip=client_ip(request),
        request_id=current_request_id(),
    )
    if authenticated and getattr(actor, "is_pes_staff", False):
        if action == AuditAction.VIEW and event.subject_id:
            check_bulk_viewing(actor_id=actor.pk)
        elif action == AuditAction.EXPORT:
            check_bulk_exporting(actor_id=actor.pk)
    return event


# S9: thresholds for abnormal use, per staff member.
VIEW_LIMIT_PER_HOUR = 100
EXPORT_LIMIT_PER_DAY = 500


def _raise_alert(*, actor_id: int, kind: str, count: int, since: Any) -> None:
    from openpes.audit.models import AuditAlert

    if AuditAlert.objects.filter(actor_id=actor_id, kind=kind, raised_at__gte=since).exists():
        return  # one alert per window is enough
    AuditAlert.objects.create(actor_id=actor_id, kind=kind, count=count, window_start=since)
    logger.warning("audit alert %s for staff #%s (%s)", kind, actor_id, count)


def check_bulk_viewing(*, actor_id: int) -> None:
    since = timezone.now() - timedelta(hours=1)
    viewed = (
        AuditEvent.objects.filter(actor_id=actor_id, action=AuditAction.VIEW, at__gte=since)
        .exclude(subject_id="")
        .values("subject_id")
        .distinct()
        .count()
    )
    if viewed > VIEW_LIMIT_PER_HOUR:
        _raise_alert(actor_id=actor_id, kind="bulk_view", count=viewed, since=since)


def check_bulk_exporting(*, actor_id: int) -> None:
    from django.db.models import Sum

    since = timezone.now() - timedelta(days=1)
    rows = (
        AuditEvent.objects.filter(actor_id=actor_id, action=AuditAction.EXPORT, at__gte=since).aggregate(
            total=Sum("count")
        )["total"]
        or 0
    )
    if rows > EXPORT_LIMIT_PER_DAY:
        _raise_alert(actor_id=actor_id, kind="bulk_export", count=rows, since=since)
