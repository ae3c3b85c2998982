from django.db import models
from django.utils.translation import gettext_lazy as _


class IscoLevel(models.IntegerChoices):
    MAJOR = 1, _("Major group")
    SUB_MAJOR = 2, _("Sub-major group")
    MINOR = 3, _("Minor group")
    UNIT = 4, _("Unit group")


class TranslationStatus(models.TextChoices):
    MACHINE = "machine", _("Machine-drafted")
    REVIEWED = "reviewed", _("Reviewed")


class SkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class SkillType(models.TextChoices):
    SKILL = "skill/competence", _("Skill or competence")
    KNOWLEDGE = "knowledge", _("Knowledge")
    OTHER = "", _("Not specified")
