from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from openpes.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["full_name", "email"]
    list_display = ["__str__", "role", "centre", "is_active"]
    list_filter = ["role", "is_active", "centre__province"]
    search_fields = ["full_name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Person"), {"fields": ("full_name", "sex", "position", "preferred_language")}),
        (_("Role"), {"fields": ("role", "centre", "is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "phone", "role", "centre", "password1", "password2")}),
    )
    filter_horizontal = ()
