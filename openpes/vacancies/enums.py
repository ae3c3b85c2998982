from django.db import models
from django.utils.translation import gettext_lazy as _


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Returned to the employer")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class CloseReason(models.TextChoices):
    FILLED_BY_PES = "filled_pes", _("Filled through the employment service")
    FILLED_ELSEWHERE = "filled_elsewhere", _("Filled another way")
    CANCELLED = "cancelled", _("Recruitment cancelled")
    CLOSING_DATE = "closing_date", _("Closing date passed")


class RejectReason(models.TextChoices):
    INCOMPLETE = "incomplete", _("Information missing or unclear")
    WRONG_OCCUPATION = "wrong_occupation", _("Occupation code does not fit the job")
    DISCRIMINATORY = "discriminatory", _("Discriminatory requirement (sex, age, ethnicity, religion, disability)")
    BELOW_MINIMUM_WAGE = "below_minimum_wage", _("Wage below the legal minimum")
    SUSPECTED_SCAM = "suspected_scam", _("Suspected fraud or trafficking risk")


TRANSITIONS: dict[str, set[str]] = {
    VacancyStatus.DRAFT: {VacancyStatus.SUBMITTED, VacancyStatus.CLOSED},
    VacancyStatus.SUBMITTED: {VacancyStatus.PUBLISHED, VacancyStatus.REJECTED, VacancyStatus.CLOSED},
    VacancyStatus.REJECTED: {VacancyStatus.SUBMITTED, VacancyStatus.CLOSED},
    VacancyStatus.PUBLISHED: {VacancyStatus.FILLED, VacancyStatus.CLOSED, VacancyStatus.EXPIRED},
    VacancyStatus.FILLED: set(),
    VacancyStatus.CLOSED: set(),
    VacancyStatus.EXPIRED: {VacancyStatus.PUBLISHED},
}
