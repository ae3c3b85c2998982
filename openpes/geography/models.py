from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openpes.lib.i18n import BilingualName


class Province(BilingualName, models.Model):
    """A province (or the capital, Phnom Penh): the unit every indicator can be broken down by."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("neighbouring provinces"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class District(BilingualName, models.Model):
    """A district (srok / khan / krong) within a province."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_km = models.CharField(_("name (Khmer)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Commune(BilingualName, models.Model):
    """A commune (khum / sangkat) within a district."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="communes")
    name_km = models.CharField(_("name (Khmer)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name
