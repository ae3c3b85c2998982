from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only record of who touched which personal data, when and from where."""

    name = "openpes.audit"
    verbose_name = _("Audit")
