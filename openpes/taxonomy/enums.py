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


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    TEMPORARY = "temporary", _("Temporary or seasonal")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship or internship")
    DAILY = "daily", _("Daily work")


class Accommodation(models.TextChoices):
    """Workplace adjustments: what a jobseeker needs and what an employer offers (matched, never ranked on)."""

    STEP_FREE = "step_free", _("Step-free access (ramp or lift)")
    ACCESSIBLE_TOILET = "accessible_toilet", _("Accessible toilet")
    ADAPTED_WORKSTATION = "adapted_workstation", _("Adapted workstation or tools")
    SIGN_LANGUAGE = "sign_language", _("Sign language interpretation")
    SCREEN_READER = "screen_reader", _("Screen reader or magnifier software")
    FLEXIBLE_HOURS = "flexible_hours", _("Flexible working hours")
    TRANSPORT = "transport", _("Transport to work")
    QUIET_SPACE = "quiet_space", _("Quiet space or fewer distractions")
    WRITTEN_INSTRUCTIONS = "written_instructions", _("Written or pictorial instructions")
    SUPPORT_PERSON = "support_person", _("Job coach or support person")


class DrivingLicence(models.TextChoices):
    """Cambodian driving licence categories."""

    A1 = "A1", _("A1 — motorcycle up to 125 cc")
    A = "A", _("A — motorcycle over 125 cc")
    B1 = "B1", _("B1 — tricycle")
    B = "B", _("B — car up to 3.5 t")
    C1 = "C1", _("C1 — truck up to 7.5 t")
    C = "C", _("C — truck over 7.5 t")
    D = "D", _("D — bus")
    E = "E", _("E — with trailer")


class Language(models.TextChoices):
    KHMER = "km", _("Khmer")
    ENGLISH = "en", _("English")
    THAI = "th", _("Thai")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    KOREAN = "ko", _("Korean")
    JAPANESE = "ja", _("Japanese")
    FRENCH = "fr", _("French")
    MALAY = "ms", _("Malay")
    SIGN = "sgn", _("Cambodian Sign Language")


class LanguageLevel(models.IntegerChoices):
    BASIC = 1, _("Basic")
    CONVERSATIONAL = 2, _("Conversational")
    FLUENT = 3, _("Fluent")
    NATIVE = 4, _("Mother tongue")


class CodingSource(models.TextChoices):
    """Where a person confirmed the ISCO-08 code of a typed job title."""

    VACANCY = "vacancy", _("Vacancy posting")
    WORK_HISTORY = "work_history", _("Work history")
    TARGET_OCCUPATION = "target_occupation", _("Occupation sought")
    BULK_IMPORT = "bulk_import", _("Bulk import")
    REVIEW = "review", _("Coding review")
