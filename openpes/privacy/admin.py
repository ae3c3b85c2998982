from django.contrib import admin

from openpes.privacy.models import Anonymisation


@admin.register(Anonymisation)
class AnonymisationAdmin(admin.ModelAdmin[Anonymisation]):
    list_display = ("jobseeker", "reason", "at")
    list_filter = ("reason",)
    readonly_fields = ("jobseeker", "reason", "by", "at")

    def has_add_permission(self, request: object) -> bool:
        return False
