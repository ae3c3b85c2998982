from django.contrib import admin

from openpes.centres.models import JobCentre


@admin.register(JobCentre)
class JobCentreAdmin(admin.ModelAdmin[JobCentre]):
    list_display = ["code", "name_km", "name_en", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["code", "name_km", "name_en"]
