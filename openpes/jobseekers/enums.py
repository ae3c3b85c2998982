from django.db import models
from django.utils.translation import gettext_lazy as _


class JobSeekerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PLACED = "placed", _("Placed in work")
    INACTIVE = "inactive", _("Inactive")


class DeregistrationReason(models.TextChoices):
    FOUND_WORK_ALONE = "found_work", _("Found work without the service")
    STUDY = "study", _("Went into education or training")
    MOVED = "moved", _("Moved away or abroad")
    NO_CONTACT = "no_contact", _("No contact for 90 days")
    NOT_AVAILABLE = "not_available", _("No longer available for work")
    OWN_REQUEST = "own_request", _("At their own request")
    DUPLICATE = "duplicate", _("Duplicate record (merged)")
    DECEASED = "deceased", _("Deceased")


class RegistrationChannel(models.TextChoices):
    SELF = "self", _("Self-registered online")
    CENTRE = "centre", _("At a job centre")
    MOBILE = "mobile", _("At a mobile unit")
    FAIR = "fair", _("At a job fair")
    IMPORT = "import", _("Imported from paper forms")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    PROFILE_UPDATED = "profile_updated", _("Profile updated")
    STATUS_CHANGED = "status_changed", _("Status changed")
    MERGED = "merged", _("Merged with a duplicate")
    DUPLICATE_DISMISSED = "duplicate_dismissed", _("Confirmed not a duplicate")
    CV_UPLOADED = "cv_uploaded", _("CV uploaded")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")


class WgDifficulty(models.IntegerChoices):
    """Answer scale of the Washington Group Short Set."""

    NONE = 1, _("No difficulty")
    SOME = 2, _("Some difficulty")
    A_LOT = 3, _("A lot of difficulty")
    CANNOT = 4, _("Cannot do at all")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Keep my data to help me find work")
    SHARE_WITH_EMPLOYERS = "share_with_employers", _("Show my profile to employers")
    CONTACT_BY_SMS = "contact_sms", _("Send me job alerts and reminders by SMS")


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Online, by the person")
    VERBAL = "verbal", _("Told to a counsellor")
    PAPER = "paper", _("Signed paper form")
