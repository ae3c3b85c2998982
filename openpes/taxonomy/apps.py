from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    """Classifications: ISCO-08 occupations, ESCO occupations and skills, ISCED levels, ISIC sectors."""

    name = "openpes.taxonomy"
    verbose_name = _("Classifications")
