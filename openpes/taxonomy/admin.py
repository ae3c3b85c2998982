from django.contrib import admin

from openpes.taxonomy.models import EducationLevel, IscoGroup, Occupation, Sector, Skill


@admin.register(IscoGroup)
class IscoGroupAdmin(admin.ModelAdmin[IscoGroup]):
    list_display = ["code", "title_en", "title_km", "level", "km_status"]
    list_filter = ["level", "km_status"]
    search_fields = ["code", "title_en", "title_km"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin[Occupation]):
    list_display = ["label_en", "label_km", "isco_group"]
    search_fields = ["label_en", "label_km", "alt_labels_en"]
    list_select_related = ["isco_group"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ["label_en", "label_km", "skill_type", "reuse_level"]
    list_filter = ["skill_type", "reuse_level"]
    search_fields = ["label_en", "label_km"]


admin.site.register(EducationLevel)
admin.site.register(Sector)
