from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """The four tiers of the programme (the seed article's design)."""

    ONLINE = "online", _("Online self-paced course")
    TOT = "tot", _("Training of trainers")
    PROVINCIAL = "provincial", _("Provincial session")
    WEBINAR = "webinar", _("Thematic webinar")


class QuizKind(models.TextChoices):
    PRE_TEST = "pre", _("Pre-test")
    POST_TEST = "post", _("Post-test")
    MODULE = "module", _("Module quiz")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One correct answer")
    MULTIPLE = "multiple", _("Several correct answers")


class ParallelForm(models.TextChoices):
    """Pre- and post-tests draw from parallel forms of one item bank, so learners do not see the same items."""

    A = "A", _("Form A (pre-test)")
    B = "B", _("Form B (post-test)")
    ANY = "", _("Either form (module quizzes)")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceMethod(models.TextChoices):
    ROSTER = "roster", _("Roster by the trainer")
    SELF_CHECK_IN = "check_in", _("Self check-in with a code")
    SHEET = "sheet", _("Paper sign-in sheet")
    PLATFORM = "platform", _("Webinar platform report")


class TeachBackResult(models.TextChoices):
    PASS = "pass", _("Pass")
    NOT_YET = "not_yet", _("Not yet")


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class CertificateKind(models.TextChoices):
    PARTICIPATION = "participation", _("Certificate of participation")
    ACHIEVEMENT = "achievement", _("Certificate of achievement")


class RaterKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    SUPERVISOR = "supervisor", _("Supervisor")


class CompetencyLevel(models.IntegerChoices):
    BEGINNING = 1, _("Beginning")
    DEVELOPING = 2, _("Developing")
    PROFICIENT = 3, _("Proficient")
    ADVANCED = 4, _("Advanced")
