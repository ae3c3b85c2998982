from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data-subject rights (export, anonymisation), retention, and idempotent API writes."""

    name = "openpes.privacy"
    verbose_name = _("Privacy")
