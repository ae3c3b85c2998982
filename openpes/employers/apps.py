from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    """Employers: registration (self-service or by staff), users, verification, declared staff."""

    name = "openpes.employers"
    verbose_name = _("Employers")
