from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openpes.centres.enums import CentreKind
from openpes.lib.i18n import BilingualName


class JobCentre(BilingualName, models.Model):
    """An office of the employment service that owns casework: HQ, a provincial job centre or a mobile van.

    Staff belong to exactly one centre; records a centre registers are owned by it, and the access helpers
    scope staff to their centre or its province by role.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CentreKind.choices)
    name_km = models.CharField(_("name (Khmer)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    province = models.ForeignKey("geography.Province", on_delete=models.PROTECT, related_name="centres")
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["province__code", "kind", "code"]
        verbose_name = _("job centre")
        verbose_name_plural = _("job centres")

    def __str__(self) -> str:
        return self.name
