"""Changes to jobseeker records. Each function is one atomic change that also writes its event row, its
audit row and the search index, so nothing is half-saved and every indicator can be recomputed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.centres.enums import CentreKind
from openpes.centres.models import JobCentre
from openpes.jobseekers.duplicates import name_keys
from openpes.jobseekers.enums import (
    ConsentMethod,
    ConsentPurpose,
    DeregistrationReason,
    EventKind,
    JobSeekerStatus,
    RegistrationChannel,
)
from openpes.jobseekers.models import (
    AccommodationNeed,
    Consent,
    DesiredOccupation,
    Document,
    DuplicateDismissal,
    JobSeeker,
    JobSeekerEvent,
    JobSeekerSkill,
    LanguageSkill,
    WgssAnswers,
    WorkExperience,
)
from openpes.jobseekers.search import jobseeker_index
from openpes.lib.uploads import CheckedFile
from openpes.taxonomy.actions import confirm_isco_code
from openpes.taxonomy.enums import CodingSource

# Fields whose change is worth an event (the search index and duplicate keys follow some of them).
IDENTITY_FIELDS = frozenset({"name_km", "name_latin", "phone", "phone_alt", "national_id", "date_of_birth"})


def centre_for_province(province_id: int) -> JobCentre:
    """The centre that serves people who register themselves in a province."""
    centre = (
        JobCentre.objects.filter(province_id=province_id, kind=CentreKind.PROVINCIAL, is_active=True).first()
        or JobCentre.objects.filter(kind=CentreKind.HEADQUARTERS).first()
    )
    if centre is None:
        raise ValidationError(_("No job centre serves this province yet."), code="no_centre")
    return centre


def _event(jobseeker: JobSeeker, kind: str, actor: Any, **extra: Any) -> JobSeekerEvent:
    return JobSeekerEvent.objects.create(
        jobseeker=jobseeker,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        centre_id=jobseeker.owner_centre_id,
        **extra,
    )


def _refresh_keys(jobseeker: JobSeeker) -> None:
    jobseeker.name_keys = name_keys(jobseeker.name_km, jobseeker.name_latin)


@transaction.atomic
def register_jobseeker(
    *,
    actor: Any,
    fields: dict[str, Any],
    channel: str,
    centre: JobCentre | None = None,
    user: User | None = None,
    consents: Sequence[str] = (ConsentPurpose.REGISTRATION,),
    consent_method: str = ConsentMethod.ONLINE,
    request: Any = None,
) -> JobSeeker:
    """Create a jobseeker record. Staff registrations belong to the staff member's centre; self-registrations
    to the centre of the person's province."""
    preferred_provinces = fields.pop("preferred_provinces", None)
    jobseeker = JobSeeker(**fields, user=user, channel=channel)
    if centre is None:
        centre = centre_for_province(jobseeker.province_id)
    jobseeker.owner_centre = centre
    if getattr(actor, "is_authenticated", False) and actor.is_pes_staff:
        jobseeker.registered_by = actor
    _refresh_keys(jobseeker)
    jobseeker.full_clean(exclude=["owner_centre", "user", "registered_by"])
    jobseeker.save()
    if preferred_provinces:
        jobseeker.preferred_provinces.set(preferred_provinces)
    on_behalf = channel != RegistrationChannel.SELF
    for purpose in consents:
        Consent.objects.create(
            jobseeker=jobseeker,
            purpose=purpose,
            given=True,
            method=ConsentMethod.VERBAL if on_behalf and consent_method == ConsentMethod.ONLINE else consent_method,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            on_behalf=on_behalf,
        )
    _event(jobseeker, EventKind.REGISTERED, actor, to_status=jobseeker.status, detail={"channel": channel})
    record(actor=actor, action=AuditAction.CREATE, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    jobseeker_index.update([jobseeker.pk])
    return jobseeker


@transaction.atomic
def update_jobseeker(*, actor: Any, jobseeker: JobSeeker, fields: dict[str, Any], request: Any = None) -> list[str]:
    """Change profile fields; returns the names of the fields that changed (values are not logged)."""
    preferred_provinces = fields.pop("preferred_provinces", None)
    changed = [name for name, value in fields.items() if getattr(jobseeker, name) != value]
    for name in changed:
        setattr(jobseeker, name, fields[name])
    if preferred_provinces is not None and set(preferred_provinces) != set(jobseeker.preferred_provinces.all()):
        jobseeker.preferred_provinces.set(preferred_provinces)
        changed.append("preferred_provinces")
    if not changed:
        return []
    if IDENTITY_FIELDS & set(changed):
        _refresh_keys(jobseeker)
    jobseeker.full_clean(exclude=["owner_centre", "user", "registered_by", "merged_into"])
    jobseeker.save()
    _event(jobseeker, EventKind.PROFILE_UPDATED, actor, detail={"fields": sorted(changed)})
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=jobseeker,
        subject_id=jobseeker.pk,
        detail={"fields": sorted(changed)},
        request=request,
    )
    if IDENTITY_FIELDS & set(changed):
        jobseeker_index.update([jobseeker.pk])
    return changed


@transaction.atomic
def change_status(*, actor: Any, jobseeker: JobSeeker, status: str, reason: str = "", request: Any = None) -> JobSeeker:
    """Move a jobseeker between active, placed and inactive (inactive needs a de-registration reason)."""
    if status == JobSeekerStatus.INACTIVE and reason not in DeregistrationReason.values:
        raise ValidationError({"reason": _("Choose why the person leaves the register.")}, code="reason")
    if status == jobseeker.status:
        return jobseeker
    previous = jobseeker.status
    jobseeker.status = status
    jobseeker.inactive_reason = reason if status == JobSeekerStatus.INACTIVE else ""
    jobseeker.save(update_fields=["status", "inactive_reason", "updated_at"])
    _event(jobseeker, EventKind.STATUS_CHANGED, actor, from_status=previous, to_status=status, reason=reason)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=jobseeker,
        subject_id=jobseeker.pk,
        detail={"status": status},
        request=request,
    )
    return jobseeker


def _audit_update(actor: Any, jobseeker: JobSeeker, what: str, request: Any) -> None:
    _event(jobseeker, EventKind.PROFILE_UPDATED, actor, detail={"fields": [what]})
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=jobseeker,
        subject_id=jobseeker.pk,
        detail={"fields": [what]},
        request=request,
    )


@transaction.atomic
def set_wgss(*, actor: Any, jobseeker: JobSeeker, answers: dict[str, int] | None, request: Any = None) -> None:
    """Record (or, with None, remove) the WG-SS answers."""
    if answers is None:
        WgssAnswers.objects.filter(jobseeker=jobseeker).delete()
    else:
        WgssAnswers.objects.update_or_create(
            jobseeker=jobseeker,
            defaults={
                **answers,
                # update_or_create saves only the fields named here: the identifier must be one of them.
                "disability": WgssAnswers.identifier(answers),
                "answered_at": timezone.now(),
                "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
    _audit_update(actor, jobseeker, "wgss", request)


@transaction.atomic
def set_accommodation_needs(
    *, actor: Any, jobseeker: JobSeeker, kinds: Iterable[str], note: str = "", request: Any = None
) -> None:
    kinds = set(kinds)
    jobseeker.accommodation_needs.exclude(kind__in=kinds).delete()
    for kind in kinds:
        AccommodationNeed.objects.update_or_create(jobseeker=jobseeker, kind=kind, defaults={"note": note[:250]})
    _audit_update(actor, jobseeker, "accommodation_needs", request)


@transaction.atomic
def set_skills(*, actor: Any, jobseeker: JobSeeker, skill_ids: Iterable[int], request: Any = None) -> None:
    skill_ids = set(skill_ids)
    jobseeker.skills.exclude(skill_id__in=skill_ids).delete()
    existing = set(jobseeker.skills.values_list("skill_id", flat=True))
    JobSeekerSkill.objects.bulk_create(
        [JobSeekerSkill(jobseeker=jobseeker, skill_id=pk) for pk in skill_ids - existing]
    )
    _audit_update(actor, jobseeker, "skills", request)


@transaction.atomic
def set_languages(*, actor: Any, jobseeker: JobSeeker, levels: dict[str, int], request: Any = None) -> None:
    jobseeker.languages.exclude(language__in=list(levels)).delete()
    for language, level in levels.items():
        LanguageSkill.objects.update_or_create(jobseeker=jobseeker, language=language, defaults={"level": level})
    _audit_update(actor, jobseeker, "languages", request)


@transaction.atomic
def set_desired_occupations(
    *, actor: Any, jobseeker: JobSeeker, isco_group_ids: Sequence[int], request: Any = None
) -> None:
    """Up to three ISCO-08 unit groups, in order of preference."""
    unique = list(dict.fromkeys(isco_group_ids))
    if len(unique) > 3:
        raise ValidationError(_("Choose at most three occupations."), code="too_many")
    jobseeker.desired_occupations.all().delete()
    DesiredOccupation.objects.bulk_create(
        [DesiredOccupation(jobseeker=jobseeker, isco_group_id=pk, rank=rank) for rank, pk in enumerate(unique, 1)]
    )
    _audit_update(actor, jobseeker, "desired_occupations", request)


@transaction.atomic
def save_experience(
    *,
    actor: Any,
    jobseeker: JobSeeker,
    fields: dict[str, Any],
    experience: WorkExperience | None = None,
    request: Any = None,
) -> WorkExperience:
    experience = experience or WorkExperience(jobseeker=jobseeker)
    for name, value in fields.items():
        setattr(experience, name, value)
    if experience.started_on and experience.ended_on and experience.ended_on < experience.started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")}, code="dates")
    experience.full_clean(exclude=["jobseeker"])
    experience.save()
    _audit_update(actor, jobseeker, "experience", request)
    if experience.isco_group is not None and experience.isco_group.level == 4:
        confirm_isco_code(text=experience.title, isco_group=experience.isco_group, source=CodingSource.WORK_HISTORY)
    return experience


@transaction.atomic
def delete_experience(*, actor: Any, experience: WorkExperience, request: Any = None) -> None:
    jobseeker = experience.jobseeker
    experience.delete()
    _audit_update(actor, jobseeker, "experience", request)


@transaction.atomic
def record_consent(
    *, actor: Any, jobseeker: JobSeeker, purpose: str, given: bool, method: str, request: Any = None
) -> Consent:
    on_behalf = jobseeker.user_id is None or jobseeker.user_id != getattr(actor, "pk", None)
    consent = Consent.objects.create(
        jobseeker=jobseeker,
        purpose=purpose,
        given=given,
        method=method,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        on_behalf=on_behalf,
    )
    _event(jobseeker, EventKind.CONSENT_RECORDED, actor, detail={"purpose": purpose, "given": given})
    record(actor=actor, action=AuditAction.UPDATE, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    return consent


def current_consents(jobseeker: JobSeeker) -> dict[str, bool]:
    """The latest answer for each purpose (absent: never asked)."""
    answers: dict[str, bool] = {}
    for consent in jobseeker.consents.order_by("at", "id"):
        answers[consent.purpose] = consent.given
    return answers


@transaction.atomic
def attach_cv(
    *, actor: Any, jobseeker: JobSeeker, checked: CheckedFile, original_name: str, request: Any = None
) -> Document:
    document = Document(
        jobseeker=jobseeker,
        original_name=original_name[:200],
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save("upload", ContentFile(checked.data), save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name or "")  # no orphan file when the row cannot be saved
        raise
    _event(jobseeker, EventKind.CV_UPLOADED, actor)
    record(actor=actor, action=AuditAction.CREATE, obj=document, subject_id=jobseeker.pk, request=request)
    return document


@transaction.atomic
def delete_cv(*, actor: Any, document: Document, request: Any = None) -> None:
    jobseeker = document.jobseeker
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)
    record(actor=actor, action=AuditAction.DELETE, obj=document, subject_id=jobseeker.pk, request=request)


@transaction.atomic
def merge_jobseekers(*, actor: Any, keep: JobSeeker, duplicate: JobSeeker, request: Any = None) -> JobSeeker:
    """Fold `duplicate` into `keep`: its history (applications, experience, skills, documents, consents,
    events) moves over, blanks in `keep` are filled from it, and it stays as an inactive pointer."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."), code="same")
    from openpes.applications.models import Application

    taken = set(Application.objects.filter(jobseeker=keep).values_list("vacancy_id", flat=True))
    Application.objects.filter(jobseeker=duplicate).exclude(vacancy_id__in=taken).update(jobseeker=keep)
    WorkExperience.objects.filter(jobseeker=duplicate).update(jobseeker=keep)
    Document.objects.filter(jobseeker=duplicate).update(jobseeker=keep)
    Consent.objects.filter(jobseeker=duplicate).update(jobseeker=keep)
    JobSeekerEvent.objects.filter(jobseeker=duplicate).update(jobseeker=keep)
    have_skills = set(keep.skills.values_list("skill_id", flat=True))
    JobSeekerSkill.objects.filter(jobseeker=duplicate).exclude(skill_id__in=have_skills).update(jobseeker=keep)
    have_languages = set(keep.languages.values_list("language", flat=True))
    LanguageSkill.objects.filter(jobseeker=duplicate).exclude(language__in=have_languages).update(jobseeker=keep)
    if not hasattr(keep, "wgss") and WgssAnswers.objects.filter(jobseeker=duplicate).exists():
        WgssAnswers.objects.filter(jobseeker=duplicate).update(jobseeker=keep)
    for name in ("name_km", "name_latin", "national_id", "phone", "phone_alt", "email", "address", "field_of_study",
                 "institution", "skills_free_text"):  # fmt: skip
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    for name in ("education_level", "district", "commune", "expected_wage", "available_from"):
        if getattr(keep, name) is None and getattr(duplicate, name) is not None:
            setattr(keep, name, getattr(duplicate, name))
    if keep.user_id is None and duplicate.user_id is not None:
        keep.user_id, duplicate.user_id = duplicate.user_id, None
        duplicate.save(update_fields=["user"])
    _refresh_keys(keep)
    keep.save()
    previous = duplicate.status
    duplicate.merged_into = keep
    duplicate.status = JobSeekerStatus.INACTIVE
    duplicate.inactive_reason = DeregistrationReason.DUPLICATE
    duplicate.save(update_fields=["merged_into", "status", "inactive_reason", "updated_at"])
    _event(keep, EventKind.MERGED, actor, detail={"merged": duplicate.pk})
    _event(
        duplicate,
        EventKind.STATUS_CHANGED,
        actor,
        from_status=previous,
        to_status=JobSeekerStatus.INACTIVE,
        reason=DeregistrationReason.DUPLICATE,
    )
    record(actor=actor, action=AuditAction.MERGE, obj=keep, subject_id=keep.pk, detail={"merged": duplicate.pk},
           request=request)  # fmt: skip
    jobseeker_index.update([keep.pk, duplicate.pk])
    return keep


@transaction.atomic
def dismiss_duplicate(*, actor: Any, first: JobSeeker, second: JobSeeker, request: Any = None) -> None:
    low, high = sorted([first, second], key=lambda j: j.pk)
    DuplicateDismissal.objects.get_or_create(first=low, second=high, defaults={"by": actor})
    _event(low, EventKind.DUPLICATE_DISMISSED, actor, detail={"other": high.pk})
    record(actor=actor, action=AuditAction.UPDATE, obj=low, subject_id=low.pk, detail={"not_duplicate": high.pk},
           request=request)  # fmt: skip


# -- Added for the profile pages: changes that the browser makes in one step. --


@transaction.atomic
def save_skills(
    *, actor: Any, jobseeker: JobSeeker, skill_ids: Iterable[int], free_text: str, request: Any = None
) -> None:
    """The skills section in one change: skills from the taxonomy and the free-text "other skills"."""
    set_skills(actor=actor, jobseeker=jobseeker, skill_ids=skill_ids, request=request)
    update_jobseeker(actor=actor, jobseeker=jobseeker, fields={"skills_free_text": free_text}, request=request)


@transaction.atomic
def record_consents(
    *, actor: Any, jobseeker: JobSeeker, answers: dict[str, bool], method: str, request: Any = None
) -> list[Consent]:
    """Record the answers that differ from the current ones (several purposes at once, all or nothing)."""
    current = current_consents(jobseeker)
    return [
        record_consent(actor=actor, jobseeker=jobseeker, purpose=purpose, given=given, method=method, request=request)
        for purpose, given in answers.items()
        if purpose in ConsentPurpose.values and current.get(purpose) is not given
    ]


@transaction.atomic
def register_not_duplicate(
    *,
    actor: Any,
    fields: dict[str, Any],
    channel: str,
    centre: JobCentre,
    consent_method: str,
    not_duplicates: Sequence[JobSeeker] = (),
    request: Any = None,
) -> JobSeeker:
    """Assisted registration after the counsellor checked the possible duplicates and confirmed that the
    person is none of them: the record and the dismissals are saved together."""
    jobseeker = register_jobseeker(
        actor=actor,
        fields=fields,
        channel=channel,
        centre=centre,
        consents=(ConsentPurpose.REGISTRATION,),
        consent_method=consent_method,
        request=request,
    )
    for other in not_duplicates:
        dismiss_duplicate(actor=actor, first=jobseeker, second=other, request=request)
    return jobseeker


# -- Added for case management: a case transferred to another centre takes the record with it. --


@transaction.atomic
def move_to_centre(*, actor: Any, jobseeker: JobSeeker, centre: JobCentre, request: Any = None) -> JobSeeker:
    """Give the record to another job centre; the old centre no longer sees it."""
    if jobseeker.owner_centre_id == centre.pk:
        return jobseeker
    previous = jobseeker.owner_centre_id
    jobseeker.owner_centre = centre
    jobseeker.save(update_fields=["owner_centre", "updated_at"])
    _event(jobseeker, EventKind.PROFILE_UPDATED, actor, detail={"fields": ["owner_centre"], "from_centre": previous})
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=jobseeker,
        subject_id=jobseeker.pk,
        detail={"fields": ["owner_centre"]},
        request=request,
    )
    return jobseeker
