"""Case management: one case per jobseeker episode, owned by a centre, assigned to a counsellor.

The flow follows the ILO practitioners' process: registration → intake → needs assessment → individual
employment plan → referrals (to vacancies, training, partner services) → placement → follow-up at 1, 3 and 6
months → closure. Every step is a CaseEvent, from which indicators are computed.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.cases.enums import (
    ActionOwner,
    ActionStatus,
    AppointmentKind,
    AppointmentStatus,
    BarrierTheme,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactChannel,
    ContactKind,
    DigitalAccess,
    FollowUpChannel,
    NoteCategory,
    PartnerKind,
    PlanStatus,
    ServiceOutcome,
    Situation,
    SupportGroup,
)
from openpes.lib.i18n import pick

USER = settings.AUTH_USER_MODEL


class Case(models.Model):
    """One episode of support for a jobseeker. Closing it and coming back later opens a new episode."""

    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.PROTECT, related_name="cases")
    episode = models.PositiveSmallIntegerField(_("episode"), default=1)
    owner_centre = models.ForeignKey(
        "centres.JobCentre", on_delete=models.PROTECT, related_name="cases", verbose_name=_("job centre")
    )
    counsellor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("counsellor")
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["jobseeker"], condition=Q(status=CaseStatus.OPEN), name="one_open_case_per_jobseeker"
            ),
            models.UniqueConstraint(fields=["jobseeker", "episode"], name="unique_case_episode"),
        ]
        indexes: ClassVar = [models.Index(fields=["owner_centre", "status"], name="case_centre_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.jobseeker_id}/{self.episode})"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseTransfer(models.Model):
    """A case handed to another counsellor or centre; the old centre loses access with it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_centre = models.ForeignKey("centres.JobCentre", on_delete=models.PROTECT, related_name="+")
    to_centre = models.ForeignKey("centres.JobCentre", on_delete=models.PROTECT, related_name="+")
    from_counsellor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    to_counsellor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_centre_id}→{self.to_centre_id}"


class Intake(models.Model):
    """The guided intake interview: situation, constraints, goals, digital access, contact preference.
    (Education and work history are recorded on the jobseeker profile itself.)"""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    situation = models.CharField(_("current situation"), max_length=20, choices=Situation.choices)
    months_without_work = models.PositiveSmallIntegerField(
        _("months without work"), default=0, validators=[MaxValueValidator(600)]
    )
    has_caring_duties = models.BooleanField(_("cares for children or relatives"), default=False)
    has_transport = models.BooleanField(_("has own transport or can travel to work"), default=True)
    health_limits_work = models.BooleanField(_("health limits the kind of work"), default=False)
    has_id_documents = models.BooleanField(_("has an ID card or other documents needed to work"), default=True)
    can_read_write = models.BooleanField(_("reads and writes Khmer comfortably"), default=True)
    digital_access = models.CharField(_("phone and internet"), max_length=15, choices=DigitalAccess.choices)
    can_use_apps = models.BooleanField(_("can use apps such as Telegram"), default=False)
    contact_channel = models.CharField(
        _("preferred way to be contacted"), max_length=10, choices=ContactChannel.choices
    )
    goals = models.TextField(_("goals in the person's words"), blank=True, max_length=2000)
    constraints = models.TextField(_("other constraints"), blank=True, max_length=2000)
    done_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake interview")
        verbose_name_plural = _("intake interviews")

    def __str__(self) -> str:
        return f"intake {self.case_id}"


class Assessment(models.Model):
    """A needs assessment: the published rules that fired, the resulting group, and any override."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    inputs = models.JSONField(default=dict)
    fired_rules = models.JSONField(default=list)
    group = models.CharField(_("support group"), max_length=15, choices=SupportGroup.choices)
    rules_version = models.CharField(max_length=20)
    override_group = models.CharField(
        _("counsellor's decision"), max_length=15, choices=SupportGroup.choices, blank=True
    )
    override_reason = models.TextField(_("reason for the decision"), blank=True, max_length=1000)
    overridden_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assessed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(override_group="") | ~Q(override_reason=""), name="override_needs_a_reason"
            )
        ]

    def __str__(self) -> str:
        return f"assessment {self.case_id}: {self.final_group}"

    @property
    def final_group(self) -> str:
        return self.override_group or self.group


class Plan(models.Model):
    """The individual employment plan: barriers → objectives → actions, agreed with the jobseeker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    agreed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    review_every_days = models.PositiveSmallIntegerField(_("review every (days)"), default=30)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("employment plan")
        verbose_name_plural = _("employment plans")
        constraints: ClassVar = [models.UniqueConstraint(fields=["case", "version"], name="unique_plan_version")]

    def __str__(self) -> str:
        return f"plan {self.case_id} v{self.version}"


class Barrier(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="barriers")
    theme = models.CharField(_("theme"), max_length=15, choices=BarrierTheme.choices)
    description = models.CharField(_("barrier"), max_length=500)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")

    def __str__(self) -> str:
        return self.description


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    barrier = models.ForeignKey(Barrier, on_delete=models.SET_NULL, null=True, blank=True, related_name="objectives")
    text = models.CharField(_("objective"), max_length=500)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text


class Partner(models.Model):
    """An organisation the service refers people to (training provider, social service, DPO…)."""

    name_km = models.CharField(_("name (Khmer)"), max_length=250, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=PartnerKind.choices)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en", "name_km"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(name_km="", name_en=""), name="partner_has_a_name")
        ]

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class PartnerService(models.Model):
    """A service a partner offers, and the provinces where it is available."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services")
    name_km = models.CharField(_("service (Khmer)"), max_length=250, blank=True)
    name_en = models.CharField(_("service (English)"), max_length=250, blank=True)
    description_km = models.TextField(_("description (Khmer)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    provinces = models.ManyToManyField("geography.Province", blank=True, verbose_name=_("provinces"))
    themes = models.JSONField(_("barriers it helps with"), default=list, blank=True)

    class Meta:
        ordering = ["partner", "name_en"]
        verbose_name = _("partner service")
        verbose_name_plural = _("partner services")

    def __str__(self) -> str:
        return pick(self.name_km, self.name_en)


class PlanAction(models.Model):
    """A step towards an objective, with who does it and by when."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("who"), max_length=10, choices=ActionOwner.choices)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("partner"))
    due_on = models.DateField(_("by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.TODO)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: date) -> bool:
        if self.due_on is None:
            return False
        return self.status in (ActionStatus.TODO, ActionStatus.IN_PROGRESS) and self.due_on < today


class AppointmentSlot(models.Model):
    """A time a counsellor is available; open slots can be booked by jobseekers themselves."""

    counsellor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="appointment_slots")
    centre = models.ForeignKey("centres.JobCentre", on_delete=models.CASCADE, related_name="appointment_slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=AppointmentKind.choices, default=AppointmentKind.IN_PERSON
    )
    open_to_jobseekers = models.BooleanField(_("jobseekers can book it"), default=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.counsellor_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    counsellor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="appointments")
    centre = models.ForeignKey("centres.JobCentre", on_delete=models.PROTECT, related_name="appointments")
    slot = models.OneToOneField(
        AppointmentSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=AppointmentKind.choices, default=AppointmentKind.IN_PERSON
    )
    purpose = models.CharField(_("purpose"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    booked_at = models.DateTimeField(default=timezone.now)
    reminder_queued = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.starts_at:%Y-%m-%d %H:%M}"


class CaseNote(models.Model):
    """A counsellor's note. Restricted to staff with access to the case; every read is audited; never shown
    to employers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    category = models.CharField(
        _("category"), max_length=20, choices=NoteCategory.choices, default=NoteCategory.GENERAL
    )
    text = models.TextField(_("note"), max_length=5000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"note {self.case_id} {self.created_at:%Y-%m-%d}"


class ServiceReferral(models.Model):
    """A referral to a partner's service (training, TVET, social or disability support), with its outcome."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_referrals")
    service = models.ForeignKey(PartnerService, on_delete=models.PROTECT, related_name="referrals")
    action = models.ForeignKey(PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals")
    note = models.CharField(_("note for the partner"), max_length=1000, blank=True)
    referred_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=ServiceOutcome.choices, default=ServiceOutcome.PENDING
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
        verbose_name = _("service referral")
        verbose_name_plural = _("service referrals")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.service_id}"


class FollowUp(models.Model):
    """A check at 1, 3 or 6 months after a placement: still employed? same employer? wage? satisfied?"""

    placement = models.ForeignKey("applications.Placement", on_delete=models.CASCADE, related_name="follow_ups")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("months after start"), choices=[(1, "1"), (3, "3"), (6, "6")])
    due_on = models.DateField(_("due"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(_("how"), max_length=10, choices=FollowUpChannel.choices, blank=True)
    reached = models.BooleanField(_("reached the person"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    same_employer = models.BooleanField(_("with the same employer"), null=True, blank=True)
    monthly_wage = models.PositiveIntegerField(_("monthly wage (USD)"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfied with the job (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    message_queued = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints: ClassVar = [models.UniqueConstraint(fields=["placement", "month"], name="unique_follow_up_month")]

    def __str__(self) -> str:
        return f"follow-up {self.placement_id} m{self.month}"


class CaseEvent(models.Model):
    """Something that happened in a case; indicators are computed from these rows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=25, choices=CaseEventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    centre = models.ForeignKey("centres.JobCentre", on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes: ClassVar = [models.Index(fields=["kind", "at"], name="case_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id}"


class EmployerContact(models.Model):
    """A contact of PES staff with an employer (visit, call, meeting), for employer services."""

    employer = models.ForeignKey("employers.Employer", on_delete=models.CASCADE, related_name="contacts")
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    summary = models.TextField(_("summary"), max_length=2000)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")

    def __str__(self) -> str:
        return f"{self.employer_id} {self.kind} {self.at:%Y-%m-%d}"


class Shortlist(models.Model):
    """Pre-screened candidates sent to an employer for a vacancy; each candidate becomes a referral."""

    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE, related_name="shortlists")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    applications = models.ManyToManyField("applications.Application", blank=True, related_name="shortlists")
    message = models.TextField(_("message to the employer"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self) -> str:
        return f"shortlist {self.vacancy_id}"


def evidence_path(instance: PlacementEvidence, filename: str) -> str:
    # Random names only: the original name is kept in the row, never on disk.
    import secrets

    return f"placements/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class PlacementEvidence(models.Model):
    """How a placement the counsellor recorded (rather than the employer's hire) was confirmed: a note and,
    optionally, the contract or the employer's letter, stored privately and served only to caseworkers."""

    placement = models.OneToOneField("applications.Placement", on_delete=models.CASCADE, related_name="evidence")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("how the job was confirmed"), max_length=2000)
    file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("placement evidence")
        verbose_name_plural = _("placement evidence")

    def __str__(self) -> str:
        return f"evidence {self.placement_id}"
