from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    """Cambodia's administrative divisions: provinces, districts, communes."""

    name = "openpes.geography"
    verbose_name = _("Geography")
