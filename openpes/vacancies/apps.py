from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    """Vacancies: posting, staff review, lifecycle, expiry, and Khmer + English search."""

    name = "openpes.vacancies"
    verbose_name = _("Vacancies")
