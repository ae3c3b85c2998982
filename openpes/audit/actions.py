"""Writing audit rows. Call `record` from actions and views whenever personal data is read or changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.lib.middleware import current_request_id

if TYPE_CHECKING:
    from django.http import HttpRequest


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
    return AuditEvent.objects.create(
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
