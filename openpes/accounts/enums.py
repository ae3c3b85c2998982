from django.db import models
from django.utils.translation import gettext_lazy as _

from openpes.lib.access import Level


class Role(models.TextChoices):
    JOBSEEKER = "jobseeker", _("Jobseeker")
    EMPLOYER = "employer", _("Employer user")
    COUNSELLOR = "counsellor", _("Counsellor")
    CENTRE_MANAGER = "centre_manager", _("Centre manager")
    NATIONAL_OFFICER = "national_officer", _("National officer")
    TRAINER = "trainer", _("Trainer")
    TRAINING_COORDINATOR = "training_coordinator", _("Training coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


PUBLIC_ROLES = frozenset({Role.JOBSEEKER, Role.EMPLOYER})
STAFF_ROLES = frozenset(set(Role) - PUBLIC_ROLES)

# How far each role sees casework (jobseekers, employers, cases) — see openpes.lib.access.
CASEWORK_SCOPE: dict[str, Level] = {
    Role.COUNSELLOR: Level.CENTRE,
    Role.CENTRE_MANAGER: Level.PROVINCE,
    Role.NATIONAL_OFFICER: Level.NATION,
    Role.ADMINISTRATOR: Level.NATION,
}


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / prefer not to say")
