from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")


class RefusalReason(models.TextChoices):
    REGISTRATION_NOT_FOUND = "registration_not_found", _("Business registration number not found")
    DETAILS_DO_NOT_MATCH = "details_mismatch", _("Details do not match the registration")
    SUSPECTED_SCAM = "suspected_scam", _("Suspected fraudulent recruiter")
    UNREACHABLE = "unreachable", _("Could not reach the employer")
    DUPLICATE = "duplicate", _("Already registered")


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 staff")
    SMALL = "10-49", _("10–49 staff")
    MEDIUM = "50-99", _("50–99 staff")
    LARGE = "100-499", _("100–499 staff")
    VERY_LARGE = "500+", _("500 staff or more")


class Ownership(models.TextChoices):
    PRIVATE = "private", _("Private company")
    PUBLIC = "public", _("Public body or state enterprise")
    NGO = "ngo", _("Non-profit organisation")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Account owner")
    RECRUITER = "recruiter", _("Recruiter")


class EmployerEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UPDATED = "updated", _("Details updated")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")
    STAFF_DECLARED = "staff_declared", _("Staff numbers declared")
    MEMBER_ADDED = "member_added", _("User added")
