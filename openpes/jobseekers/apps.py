from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobseekersConfig(AppConfig):
    """Jobseekers: registration (self-service and assisted), profiles, CVs, WG-SS, consent, duplicates."""

    name = "openpes.jobseekers"
    verbose_name = _("Jobseekers")
