from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The versioned JSON API (/api/v1/) with its OpenAPI schema; each app contributes a router."""

    name = "openpes.api"
    verbose_name = _("API")
