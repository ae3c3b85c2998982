from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Counselling and case management: intake, needs assessment, employment plans, appointments, notes,
    referrals to services, placement follow-up, caseloads and employer services."""

    name = "openpes.cases"
    verbose_name = _("Case management")
