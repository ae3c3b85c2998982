from django.contrib import admin

from openpes.geography.models import Commune, District, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["code", "name_km", "name_en"]
    search_fields = ["code", "name_km", "name_en"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["code", "name_km", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_km", "name_en"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin[Commune]):
    list_display = ["code", "name_km", "name_en", "district"]
    search_fields = ["code", "name_km", "name_en"]
    list_select_related = ["district"]
