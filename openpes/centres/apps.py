from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    """Job centres: headquarters, provincial centres and mobile units, each in a province."""

    name = "openpes.centres"
    verbose_name = _("Job centres")
