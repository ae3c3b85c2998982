from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationSource(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REFERRED = "referred", _("Referred by a counsellor")


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    INTERVIEW = "interview", _("Interview")
    OFFERED = "offered", _("Job offered")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OutcomeReason(models.TextChoices):
    """Structured reasons for an application ending without a hire."""

    LACKS_REQUIRED_SKILL = "lacks_skill", _("Lacked a required skill")
    LACKS_EXPERIENCE = "lacks_experience", _("Not enough experience")
    LACKS_EDUCATION = "lacks_education", _("Education below what is required")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend the interview")
    POSITION_FILLED = "position_filled", _("Position already filled")
    HIRED_ELSEWHERE = "hired_elsewhere", _("Hired elsewhere")
    DECLINED_OFFER = "declined_offer", _("Declined the offer")
    WAGE_EXPECTATION = "wage", _("Wage expectations did not match")
    LOCATION = "location", _("Location or transport")
    NOT_INTERESTED = "not_interested", _("No longer interested")
    OTHER = "other", _("Other")


# Who may move an application where: employers drive selection, jobseekers may withdraw.
TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.NEW: {ApplicationStatus.IN_REVIEW, ApplicationStatus.INTERVIEW, ApplicationStatus.REJECTED},
    ApplicationStatus.IN_REVIEW: {ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED, ApplicationStatus.REJECTED},
    ApplicationStatus.INTERVIEW: {ApplicationStatus.OFFERED, ApplicationStatus.HIRED, ApplicationStatus.REJECTED},
    ApplicationStatus.OFFERED: {ApplicationStatus.HIRED, ApplicationStatus.REJECTED},
    ApplicationStatus.HIRED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}
OPEN_STATUSES = frozenset(
    {ApplicationStatus.NEW, ApplicationStatus.IN_REVIEW, ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED}
)
NEEDS_REASON = frozenset({ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN})
