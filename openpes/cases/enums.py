from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    PLACED = "placed", _("Placed in work")
    TRAINING = "training", _("Moved into education or training")
    SELF_EMPLOYED = "self_employed", _("Started own business")
    MOVED_AWAY = "moved_away", _("Moved away")
    NO_CONTACT = "no_contact", _("No contact for 90 days")
    NOT_AVAILABLE = "not_available", _("No longer available for work")
    OWN_REQUEST = "own_request", _("At their own request")
    TRANSFERRED = "transferred", _("Transferred elsewhere")


class Situation(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Without work")
    UNDEREMPLOYED = "underemployed", _("Working, but not enough hours or income")
    INFORMAL = "informal", _("Working informally, wants a formal job")
    STUDENT = "student", _("Student or just finished school")
    RETURNING_MIGRANT = "returning_migrant", _("Just returned from working abroad")
    CARING = "caring", _("Caring for family, wants to return to work")


class DigitalAccess(models.TextChoices):
    NONE = "none", _("No phone")
    BASIC_PHONE = "basic_phone", _("Basic phone (calls and SMS)")
    SMARTPHONE = "smartphone", _("Smartphone with internet")
    COMPUTER = "computer", _("Computer and internet")


class ContactChannel(models.TextChoices):
    PHONE_CALL = "call", _("Phone call")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")
    IN_PERSON = "in_person", _("In person at the centre")


class SupportGroup(models.TextChoices):
    """Needs-assessment groups (rule-based, published rules)."""

    JOB_READY = "job_ready", _("Job-ready")
    SOME_SUPPORT = "some_support", _("Needs some support")
    INTENSIVE = "intensive", _("Needs intensive support")


class BarrierTheme(models.TextChoices):
    EMPLOYMENT = "employment", _("Work experience and job search")
    TRAINING = "training", _("Skills and training")
    MOBILITY = "mobility", _("Transport and mobility")
    HEALTH = "health", _("Health")
    CHILDCARE = "childcare", _("Childcare and family care")
    DIGITAL = "digital", _("Digital skills")
    DOCUMENTS = "documents", _("Identity and other documents")
    LANGUAGE = "language", _("Literacy and language")
    FINANCE = "finance", _("Money and debt")
    HOUSING = "housing", _("Housing")


class ActionOwner(models.TextChoices):
    JOBSEEKER = "jobseeker", _("The jobseeker")
    COUNSELLOR = "counsellor", _("The counsellor")
    PARTNER = "partner", _("A partner organisation")


class ActionStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class AppointmentKind(models.TextChoices):
    IN_PERSON = "in_person", _("At the centre")
    PHONE = "phone", _("By phone")
    MOBILE_UNIT = "mobile", _("At the mobile unit")
    VIDEO = "video", _("Video call")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


class NoteCategory(models.TextChoices):
    GENERAL = "general", _("General")
    INTAKE = "intake", _("Intake")
    GUIDANCE = "guidance", _("Guidance session")
    JOB_SEARCH = "job_search", _("Job search")
    EMPLOYER_FEEDBACK = "employer_feedback", _("Employer feedback")
    FOLLOW_UP = "follow_up", _("Follow-up")
    SENSITIVE = "sensitive", _("Sensitive (restricted)")


class PartnerKind(models.TextChoices):
    TVET = "tvet", _("Technical and vocational training")
    TRAINING = "training", _("Short training course provider")
    SOCIAL = "social", _("Social services")
    DISABILITY = "disability", _("Organisation of persons with disabilities")
    MIGRATION = "migration", _("Support for returning migrants")
    FINANCE = "finance", _("Microfinance or business support")
    HEALTH = "health", _("Health services")


class ServiceOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
    DECLINED = "declined", _("Declined by the service")


class FollowUpChannel(models.TextChoices):
    PHONE_CALL = "call", _("Phone call")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("Visit")
    EMPLOYER = "employer", _("Asked the employer")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("Meeting at the centre")
    MESSAGE = "message", _("E-mail or message")


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    ASSIGNED = "assigned", _("Counsellor assigned")
    TRANSFERRED = "transferred", _("Transferred")
    INTAKE_DONE = "intake_done", _("Intake interview done")
    ASSESSED = "assessed", _("Needs assessed")
    OVERRIDDEN = "overridden", _("Assessment overridden")
    PLAN_AGREED = "plan_agreed", _("Employment plan agreed")
    PLAN_REVIEWED = "plan_reviewed", _("Employment plan reviewed")
    ACTION_DONE = "action_done", _("Plan action done")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    APPOINTMENT_ATTENDED = "appointment_attended", _("Appointment attended")
    NO_SHOW = "no_show", _("Missed an appointment")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    SERVICE_REFERRAL = "service_referral", _("Referred to a service")
    SERVICE_OUTCOME = "service_outcome", _("Outcome of a service referral")
    VACANCY_REFERRAL = "vacancy_referral", _("Referred to a vacancy")
    PLACED = "placed", _("Placed in work")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("New episode opened")
