from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The deterministic demo world (and the data generator benchmarks reuse). No models."""

    name = "openpes.demo"
    verbose_name = _("Demo data")
