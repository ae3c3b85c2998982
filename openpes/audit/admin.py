from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openpes.audit.models import AuditEvent


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
