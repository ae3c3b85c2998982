from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openpes.lib.i18n import pick
from openpes.taxonomy.enums import CodingSource, IscoLevel, SkillRelation, SkillType, TranslationStatus


class IscoGroup(models.Model):
    """An ISCO-08 group (major, sub-major, minor or unit). Every vacancy and target occupation has a unit group."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=IscoLevel.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_km = models.CharField(_("title (Khmer)"), max_length=250, blank=True)
    km_status = models.CharField(
        _("Khmer title status"), max_length=10, choices=TranslationStatus.choices, default=TranslationStatus.MACHINE
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return pick(self.title_km, self.title_en)


class EducationLevel(models.Model):
    """An ISCED 2011 attainment level (0 less than primary … 8 doctoral)."""

    code = models.PositiveSmallIntegerField(_("ISCED code"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_km = models.CharField(_("name (Khmer)"), max_length=150)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_km = models.CharField(_("description (Khmer)"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class Sector(models.Model):
    """An ISIC Rev.4 section (A agriculture … U extraterritorial organisations)."""

    code = models.CharField(_("ISIC section"), max_length=1, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_km = models.CharField(_("name (Khmer)"), max_length=150)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class Occupation(models.Model):
    """An ESCO occupation, hanging under one ISCO-08 unit group. Khmer labels are ours (ESCO has none)."""

    uri = models.CharField(_("ESCO URI"), max_length=200, unique=True)
    code = models.CharField(_("ESCO code"), max_length=30, blank=True)
    isco_group = models.ForeignKey(IscoGroup, on_delete=models.PROTECT, related_name="occupations")
    label_en = models.CharField(_("label (English)"), max_length=250)
    label_km = models.CharField(_("label (Khmer)"), max_length=250, blank=True)
    alt_labels_en = models.TextField(_("alternative labels (English)"), blank=True)
    hidden_labels_en = models.TextField(_("hidden labels (English)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self.label_km, self.label_en)


class Skill(models.Model):
    """An ESCO skill, competence or knowledge concept."""

    uri = models.CharField(_("ESCO URI"), max_length=200, unique=True)
    skill_type = models.CharField(_("type"), max_length=20, choices=SkillType.choices, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=250)
    label_km = models.CharField(_("label (Khmer)"), max_length=250, blank=True)
    alt_labels_en = models.TextField(_("alternative labels (English)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self.label_km, self.label_en)


class OccupationSkill(models.Model):
    """ESCO's link between an occupation and a skill, essential or optional."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(_("relation"), max_length=10, choices=SkillRelation.choices)

    class Meta:
        verbose_name = _("occupation skill")
        verbose_name_plural = _("occupation skills")
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="unique_occupation_skill")]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id} ({self.relation})"


class CodingFeedback(models.Model):
    """A job title as someone typed it, and the ISCO-08 unit group a person confirmed for it.

    The ISCO coder learns from these: a confirmed title counts as a label of its group from the next
    suggestion on, and an exact repeat goes to the group most people confirmed. Only the title is kept (no
    user, no record it came from); a title from someone's work history is deleted when that person is
    anonymised (`forget_confirmed_titles`), since what people type as a title can name their employer.
    """

    text = models.CharField(_("job title"), max_length=200)
    language = models.CharField(_("language"), max_length=5, blank=True)
    isco_group = models.ForeignKey(
        IscoGroup, on_delete=models.PROTECT, related_name="coding_feedback", limit_choices_to={"level": 4}
    )
    source = models.CharField(_("source"), max_length=20, choices=CodingSource.choices)
    suggested_code = models.CharField(_("first suggestion"), max_length=4, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("confirmed ISCO-08 code")
        verbose_name_plural = _("confirmed ISCO-08 codes")

    def __str__(self) -> str:
        return f"{self.text} → {self.isco_group.code}"
