from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Explainable two-way matching of jobseekers and vacancies, served from an in-memory index."""

    name = "openpes.matching"
    verbose_name = _("Matching")
