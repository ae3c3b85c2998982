"""S13/S15: removing a person's data while keeping the statistics.

`anonymise_person` keeps what indicators need — sex, birth year (date of birth set to 1 July of that year),
province, education, status, coded data (occupations, skills, languages, WG-SS answers, adjustments needed) and
every event row — and removes everything that names or reaches the person: names, national ID, phone numbers,
e-mail and address, district and commune, free text everywhere (profile, work history, application notes,
case notes, intake answers, plans, referrals, follow-ups), uploaded files, messages sent to them, and the
identifiers of their account (which is deactivated). Records merged into theirs are treated the same way.
Audit rows hold no names by design and are never changed; they keep pointing at the record id.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.models import AccommodationNeed, Document, JobSeeker, JobSeekerEvent, WorkExperience
from openpes.jobseekers.search import jobseeker_index
from openpes.privacy.export import contact_points, related_records
from openpes.privacy.models import Anonymisation
from openpes.taxonomy.actions import forget_confirmed_titles
from openpes.taxonomy.enums import CodingSource

# What an anonymised record is called (a record must have a name; this one names nobody).
ANONYMOUS_NAME = "—"


def _needles(records: Iterable[JobSeeker]) -> list[str]:
    """Strings that identify the person, to scrub from free text written about several people at once."""
    found: set[str] = set()
    for jobseeker in records:
        for value in (jobseeker.name_km, jobseeker.name_latin, jobseeker.national_id, jobseeker.email):
            if value and len(value.strip()) >= 3:
                found.add(value.strip())
        for phone in (jobseeker.phone, jobseeker.phone_alt):
            if phone:
                found.add(phone)
                if phone.startswith("+855"):
                    found.update({phone[4:], "0" + phone[4:]})
    return sorted(found, key=len, reverse=True)


def scrub(text: str, needles: Iterable[str]) -> str:
    """`text` with every occurrence of the needles replaced by an ellipsis."""
    for needle in needles:
        text = re.sub(re.escape(needle), "…", text, flags=re.IGNORECASE)
    return text


def _blank(queryset: QuerySet[Any], **values: Any) -> None:
    if values:
        queryset.update(**values)


def _anonymise_account(user: User) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from openpes.accounts.models import ApiToken

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    # An account needs an e-mail address or a phone number (a database constraint): a placeholder in the
    # reserved .invalid domain names nobody and can receive nothing.
    user.email = f"anonymised-{user.pk}@openpes.invalid"
    user.phone = None
    user.phone_verified = False
    user.full_name = ""
    user.position = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _anonymise_record(jobseeker: JobSeeker, files: list[Any]) -> None:
    born = jobseeker.date_of_birth
    jobseeker.name_km = ""
    jobseeker.name_latin = ANONYMOUS_NAME
    jobseeker.name_keys = ""
    jobseeker.national_id = ""
    jobseeker.phone = ""
    jobseeker.phone_alt = ""
    jobseeker.email = ""
    jobseeker.address = ""
    jobseeker.district = None
    jobseeker.commune = None
    jobseeker.date_of_birth = datetime.date(born.year, 7, 1)
    jobseeker.field_of_study = ""
    jobseeker.institution = ""
    jobseeker.skills_free_text = ""
    jobseeker.migration_country = ""
    jobseeker.returned_on = None
    jobseeker.available_from = None
    jobseeker.expected_wage = None
    jobseeker.user = None
    jobseeker.save()
    jobseeker.preferred_provinces.clear()
    titles = WorkExperience.objects.filter(jobseeker=jobseeker).values_list("title", flat=True)
    forget_confirmed_titles(list(titles), CodingSource.WORK_HISTORY)
    WorkExperience.objects.filter(jobseeker=jobseeker).update(
        title="", employer_name="", country="", description="", started_on=None, ended_on=None
    )
    AccommodationNeed.objects.filter(jobseeker=jobseeker).update(note="")
    for document in Document.objects.filter(jobseeker=jobseeker):
        if document.file:
            files.append((document.file.storage, document.file.name))
    Document.objects.filter(jobseeker=jobseeker).delete()


def _anonymise_casework(jobseeker: JobSeeker, needles: list[str], files: list[Any]) -> None:
    from openpes.applications.models import Application

    Application.objects.filter(jobseeker=jobseeker).update(note="")
    if not apps.is_installed("openpes.cases"):
        return
    from openpes.cases import models as cases

    case_ids = list(cases.Case.objects.filter(jobseeker=jobseeker).values_list("pk", flat=True))
    _blank(cases.CaseTransfer.objects.filter(case__in=case_ids), reason="")
    _blank(cases.Intake.objects.filter(case__in=case_ids), goals="", constraints="")
    _blank(cases.Assessment.objects.filter(case__in=case_ids), override_reason="")
    _blank(cases.Barrier.objects.filter(plan__case__in=case_ids), description="")
    _blank(cases.Objective.objects.filter(plan__case__in=case_ids), text="")
    _blank(cases.PlanAction.objects.filter(objective__plan__case__in=case_ids), text="")
    _blank(cases.Appointment.objects.filter(case__in=case_ids), purpose="")
    _blank(cases.CaseNote.objects.filter(case__in=case_ids), text="")
    _blank(cases.ServiceReferral.objects.filter(case__in=case_ids), note="")
    _blank(cases.FollowUp.objects.filter(Q(case__in=case_ids) | Q(placement__jobseeker=jobseeker)), notes="")
    evidence = cases.PlacementEvidence.objects.filter(placement__jobseeker=jobseeker)
    for item in evidence:
        if item.file:
            files.append((item.file.storage, item.file.name))
    evidence.update(note="", file="", original_name="", content_type="", size=0)
    # A shortlist is written about several candidates: only this person's details are cut out of it.
    for shortlist in cases.Shortlist.objects.filter(applications__jobseeker=jobseeker).distinct():
        cleaned = scrub(shortlist.message, needles)
        if cleaned != shortlist.message:
            cases.Shortlist.objects.filter(pk=shortlist.pk).update(message=cleaned)


def _anonymise_messages(records: list[JobSeeker], needles: list[str]) -> None:
    from openpes.notifications.models import OutboundMessage

    OutboundMessage.objects.filter(to__in=sorted(contact_points(records))).update(to="", body="")
    # Messages to other people (an employer told about an applicant) may name the person too.
    named = Q(pk__in=[])
    for needle in needles:
        named |= Q(body__icontains=needle)
    for message in OutboundMessage.objects.filter(named).only("pk", "body"):
        OutboundMessage.objects.filter(pk=message.pk).update(body=scrub(message.body, needles))


def _forget_api_answers(records: list[JobSeeker]) -> None:
    """Stored answers to idempotent API writes (kept a day) repeat the record they created."""
    from openpes.privacy.models import IdempotencyKey

    about = Q(pk__in=[])
    for item in records:
        about |= Q(response_body__id=item.pk) | Q(response_body__jobseeker=item.pk)
    IdempotencyKey.objects.filter(about).delete()


def _anonymise_admin_log(records: list[JobSeeker], users: list[User]) -> None:
    for model, pks in ((JobSeeker, [j.pk for j in records]), (User, [u.pk for u in users])):
        content_type = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pks]).update(object_repr="")


def _purge_search_index() -> None:
    """Deleted rows of an SQLite FTS5 index live on in its segments until they are merged: merge them now."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {jobseeker_index.table}({jobseeker_index.table}) VALUES ('optimize')")


def _delete_files_on_commit(files: list[Any]) -> None:
    def delete() -> None:
        for storage, name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def anonymise_person(
    *,
    jobseeker: JobSeeker,
    actor: Any,
    reason: str = Anonymisation.REQUEST,
    request: Any = None,
    purge_index: bool = True,
) -> JobSeeker:
    """Remove the person's data from this record (and the records merged into it); see the module docstring.
    Running it again on an anonymised record changes nothing more."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")  # overwrite removed text on disk, not just unlink it
    records = related_records(jobseeker)
    needles = _needles(records)
    users = [record.user for record in records if record.user is not None]
    files: list[Any] = []
    _anonymise_messages(records, needles)
    for user in users:
        _anonymise_account(user)
    for item in records:
        _anonymise_record(item, files)
    _anonymise_casework(jobseeker, needles, files)
    _anonymise_admin_log(records, users)
    _forget_api_answers(records)
    jobseeker_index.update([item.pk for item in records])
    if purge_index:
        _purge_search_index()
    for item in records:
        Anonymisation.objects.get_or_create(
            jobseeker=item,
            defaults={"reason": reason, "by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        record(
            actor=actor,
            action=AuditAction.ANONYMISE,
            obj=item,
            subject_id=item.pk,
            detail={"reason": reason},
            request=request,
        )
    _delete_files_on_commit(files)
    return jobseeker


# -- S15: retention ------------------------------------------------------------------------------------------------


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.RETENTION_DAYS)


def inactive_jobseekers(cutoff: datetime.datetime) -> QuerySet[JobSeeker]:
    """Current records with no sign of life since `cutoff`: registered before it, and no event, sign-in,
    application or casework after it. Records already anonymised are left out."""
    from openpes.applications.models import Application, ApplicationEvent

    recent = [
        Exists(JobSeekerEvent.objects.filter(jobseeker=OuterRef("pk"), at__gte=cutoff)),
        Exists(Application.objects.filter(jobseeker=OuterRef("pk"), created_at__gte=cutoff)),
        Exists(ApplicationEvent.objects.filter(application__jobseeker=OuterRef("pk"), at__gte=cutoff)),
    ]
    if apps.is_installed("openpes.cases"):
        from openpes.cases.models import CaseEvent

        recent.append(Exists(CaseEvent.objects.filter(case__jobseeker=OuterRef("pk"), at__gte=cutoff)))
    queryset = JobSeeker.objects.current().filter(created_at__lt=cutoff, anonymisation__isnull=True)
    queryset = queryset.exclude(user__last_login__gte=cutoff)
    for condition in recent:
        queryset = queryset.exclude(condition)
    return queryset


def last_activity(jobseeker: JobSeeker) -> datetime.datetime:
    """When the person was last active (for the record page): the latest event, sign-in or application."""
    from openpes.applications.models import Application

    # A person has a few dozen events at most: reading their times through the jobseeker index is faster than
    # MAX(at), which PostgreSQL may answer by walking the whole time index backwards.
    moments: list[datetime.datetime | None] = [
        jobseeker.created_at,
        *JobSeekerEvent.objects.filter(jobseeker=jobseeker).values_list("at", flat=True),
        *Application.objects.filter(jobseeker=jobseeker).values_list("created_at", flat=True),
        jobseeker.user.last_login if jobseeker.user is not None else None,
    ]
    return max(moment for moment in moments if moment is not None)


def apply_retention(
    *, now: datetime.datetime | None = None, batch: int = 200, progress: Callable[[int], None] | None = None
) -> int:
    """Anonymise every record inactive beyond RETENTION_DAYS, a batch per transaction. Returns how many.
    Idempotent: anonymised records are not selected again."""
    cutoff = retention_cutoff(now)
    done = 0
    while True:
        with transaction.atomic():
            chunk = list(inactive_jobseekers(cutoff).select_related("user").order_by("pk")[:batch])
            for jobseeker in chunk:
                anonymise_person(jobseeker=jobseeker, actor=None, reason=Anonymisation.RETENTION, purge_index=False)
            if chunk:
                _purge_search_index()
        done += len(chunk)
        if progress is not None and chunk:
            progress(done)
        if len(chunk) < batch:
            return done
