from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.employers.enums import EmployerEventKind, MemberRole, Ownership, RefusalReason, SizeBand, Verification
from openpes.lib.i18n import pick


class Employer(models.Model):
    """A business or public body that recruits through the service. Its vacancies go public only once PES
    staff have verified it, which protects jobseekers from fraudulent recruiters."""

    registration_number = models.CharField(_("business registration number"), max_length=40, blank=True, db_index=True)
    name_km = models.CharField(_("name in Khmer"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    sector = models.ForeignKey("taxonomy.Sector", on_delete=models.PROTECT, verbose_name=_("sector"))
    size_band = models.CharField(_("number of staff"), max_length=10, choices=SizeBand.choices)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.PRIVATE)
    province = models.ForeignKey("geography.Province", on_delete=models.PROTECT, verbose_name=_("province"))
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    owner_centre = models.ForeignKey(
        "centres.JobCentre", on_delete=models.PROTECT, related_name="employers", verbose_name=_("job centre")
    )
    # Declared for the disability employment quota report.
    declared_staff = models.PositiveIntegerField(_("total staff"), null=True, blank=True)
    declared_staff_with_disabilities = models.PositiveIntegerField(_("staff with disabilities"), null=True, blank=True)
    staff_declared_on = models.DateField(_("declared on"), null=True, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    refusal_reason = models.CharField(_("reason"), max_length=30, choices=RefusalReason.choices, blank=True)
    refusal_note = models.CharField(_("note"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered on"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_en", "name_km", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(name_km="", name_en=""), name="employer_has_a_name"),
            models.CheckConstraint(
                condition=Q(declared_staff_with_disabilities__isnull=True)
                | Q(declared_staff__gte=models.F("declared_staff_with_disabilities")),
                name="employer_disabled_staff_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_km, self.name_en)

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED


class EmployerMember(models.Model):
    """A user who acts for an employer (several per employer)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_memberships")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.RECRUITER)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("employer user")
        verbose_name_plural = _("employer users")
        constraints: ClassVar = [models.UniqueConstraint(fields=["employer", "user"], name="unique_employer_member")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer}"


class EmployerEvent(models.Model):
    """Something that happened to an employer record (registered, verified, refused…)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EmployerEventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(max_length=30, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("employer event")
        verbose_name_plural = _("employer events")

    def __str__(self) -> str:
        return f"{self.kind} #{self.employer_id}"
