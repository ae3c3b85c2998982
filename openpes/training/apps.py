from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Capacity building for PES staff: the four-tier programme, its cascade, evaluation and certificates."""

    name = "openpes.training"
    verbose_name = _("Training programme")
