from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Outgoing messages (SMS, e-mail, Telegram): queued in the database, delivered and retried by a task."""

    name = "openpes.notifications"
    verbose_name = _("Notifications")
