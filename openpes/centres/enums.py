from django.db import models
from django.utils.translation import gettext_lazy as _


class CentreKind(models.TextChoices):
    HEADQUARTERS = "hq", _("Headquarters")
    PROVINCIAL = "provincial", _("Provincial job centre")
    MOBILE = "mobile", _("Mobile unit")
