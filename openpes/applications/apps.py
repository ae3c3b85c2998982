from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications and referrals to vacancies, their states and reasons, and the placements they lead to."""

    name = "openpes.applications"
    verbose_name = _("Applications and referrals")
