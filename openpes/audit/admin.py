from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openpes.audit.models import AuditAlert, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: audit rows are never edited or deleted."""

    list_display = ["at", "actor_id", "actor_role", "actor_centre", "action", "object_type", "object_id", "count"]
    list_filter = ["action", "object_type", "actor_role"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditAlert)
class AuditAlertAdmin(admin.ModelAdmin[AuditAlert]):
    list_display = ["raised_at", "kind", "actor_id", "count", "acknowledged_at"]
    list_filter = ["kind"]
    readonly_fields = ["raised_at", "kind", "actor_id", "count", "window_start", "acknowledged_by", "acknowledged_at"]
    actions = ["acknowledge"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Mark as looked at"))
    def acknowledge(self, request: HttpRequest, queryset: Any) -> None:
        from django.utils import timezone

        queryset.filter(acknowledged_at__isnull=True).update(
            acknowledged_by=request.user, acknowledged_at=timezone.now()
        )
