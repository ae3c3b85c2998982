"""Changes to the programme and its events (tiers 2–4): programmes and events, enrolment, attendance (roster,
rotating-code check-in, imported sheets and webinar reports), teach-backs, trainer certification, session
materials and evaluation (L1 reactions, L3 competency ratings).

Every function is keyword-only and atomic, checks the domain rules itself (views also check them in forms, but
a rule lives here) and writes an audit row. Permission to act is checked by the caller through `access.py`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import STAFF_ROLES
from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.phone import normalize_phone
from openpes.lib.uploads import CheckedFile
from openpes.training import attendance as codes
from openpes.training.enums import (
    AttendanceMethod,
    CertificationStatus,
    RaterKind,
    RegistrationStatus,
    TeachBackResult,
    Tier,
)
from openpes.training.metrics import Eligibility, days_needed
from openpes.training.models import (
    Attendance,
    AttendanceImport,
    AttendanceImportRow,
    CheckInKey,
    Competence,
    CompetencyRating,
    Event,
    FundingProject,
    Material,
    Programme,
    ReactionResponse,
    Registration,
    TeachBack,
    TrainerCertification,
)

CERTIFICATION_YEARS = 2
# ToT certification needs attendance on this share of the event's days (1.0 = every day). Documented on the
# certification page; a programme that accepts, say, 80 % changes it here.
TOT_MIN_ATTENDANCE_SHARE = 1.0
CHECK_IN_HOURS = 4
CHECK_IN_MAX_FAILURES = 10
CHECK_IN_FAILURE_WINDOW = 600  # seconds


def _who(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# ------------------------------------------------------------------------------------------ programmes


@transaction.atomic
def save_programme(
    *,
    actor: Any,
    fields: Mapping[str, Any],
    funding_projects: Iterable[FundingProject],
    programme: Programme | None = None,
    request: Any = None,
) -> Programme:
    """Create a programme, or update `programme`, with its funding projects."""
    creating = programme is None
    programme = programme or Programme(created_by=_who(actor))
    for name, value in fields.items():
        setattr(programme, name, value)
    if programme.starts_on and programme.ends_on and programme.ends_on < programme.starts_on:
        raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})
    if not (programme.title_km or programme.title_en):
        raise ValidationError({"title_km": _("Give the title in Khmer or in English.")})
    programme.full_clean(exclude=["created_by"])
    programme.save()
    programme.funding_projects.set(list(funding_projects))
    record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=programme, request=request)
    return programme


# ------------------------------------------------------------------------------------------ events


def valid_certification(trainer: User, *, starts_on: date, ends_on: date | None = None) -> TrainerCertification | None:
    """The trainer's most recent active certification valid on every day from `starts_on` to `ends_on`."""
    ends_on = ends_on or starts_on
    return (
        TrainerCertification.objects.filter(
            trainer=trainer,
            status=CertificationStatus.ACTIVE,
            certified_on__lte=starts_on,
            valid_until__gte=ends_on,
        )
        .select_related("tot_event")
        .order_by("-certified_on", "-id")
        .first()
    )


def certified_trainers(*, starts_on: date, ends_on: date | None = None) -> Any:
    """Active staff who may lead a provincial session on those dates."""
    ends_on = ends_on or starts_on
    return (
        User.objects.filter(
            is_active=True,
            role__in=sorted(STAFF_ROLES),
            trainer_certifications__status=CertificationStatus.ACTIVE,
            trainer_certifications__certified_on__lte=starts_on,
            trainer_certifications__valid_until__gte=ends_on,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


@transaction.atomic
def save_event(
    *,
    actor: Any,
    programme: Programme,
    fields: Mapping[str, Any],
    funding_projects: Iterable[FundingProject] = (),
    facilitators: Iterable[User] = (),
    event: Event | None = None,
    request: Any = None,
) -> Event:
    """Create or update an event. A provincial session must be led by a holder of a certification valid on all
    its days; the session records that certification, so its lineage (which ToT) is known."""
    creating = event is None
    event = event or Event(created_by=_who(actor))
    event.programme = programme
    for name, value in fields.items():
        setattr(event, name, value)
    if not (event.title_km or event.title_en):
        raise ValidationError({"title_km": _("Give the title in Khmer or in English.")})
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    if event.tier == Tier.WEBINAR and not event.link:
        raise ValidationError({"link": _("A webinar needs the link participants use to join.")})
    if event.tier == Tier.TOT and event.course_id is None:
        raise ValidationError(
            {
                "course": _(
                    "Choose the course whose item bank gives the pre- and post-test; trainers are certified on it."
                )
            }
        )
    if event.tier == Tier.PROVINCIAL:
        lead = event.lead_trainer
        if lead is None:
            raise ValidationError({"lead_trainer": _("A provincial session needs a certified lead trainer.")})
        certification = valid_certification(lead, starts_on=event.starts_on, ends_on=event.ends_on)
        if certification is None or not lead.is_active:
            raise ValidationError(
                {
                    "lead_trainer": _(
                        "%(name)s has no trainer certification valid on these dates, so cannot lead a provincial "
                        "session."
                    )
                    % {"name": lead}
                }
            )
        event.trainer_certification = certification
    else:
        event.lead_trainer = None
        event.trainer_certification = None
    event.full_clean(exclude=["created_by", "lead_trainer", "trainer_certification", "programme"])
    event.save()
    event.funding_projects.set(list(funding_projects))
    facilitators = list(facilitators)
    if event.tier == Tier.PROVINCIAL and event.lead_trainer is not None and event.lead_trainer not in facilitators:
        facilitators.append(event.lead_trainer)
    event.facilitators.set(facilitators)
    record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=event, request=request)
    return event


# ------------------------------------------------------------------------------------------ enrolment


def registered_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _ensure_registered(event: Event, person: User, actor: Any) -> Registration:
    registration, created = Registration.objects.get_or_create(
        event=event, participant=person, defaults={"enrolled_by": _who(actor)}
    )
    if not created and registration.status != RegistrationStatus.REGISTERED:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
    return registration


@transaction.atomic
def enrol(*, actor: Any, event: Event, people: Iterable[User], request: Any = None) -> int:
    """Enrol staff in an event (coordinator or facilitator); returns how many were newly enrolled."""
    people = [p for p in people if p.is_active and p.role in STAFF_ROLES]
    Event.objects.select_for_update().filter(pk=event.pk).first()  # one enrolment at a time per event
    current = set(
        event.registrations.filter(status=RegistrationStatus.REGISTERED).values_list("participant_id", flat=True)
    )
    new = [p for p in people if p.pk not in current]
    if event.capacity is not None and len(current) + len(new) > event.capacity:
        raise ValidationError(
            _("Only %(free)s places are left in this event (%(capacity)s in all)."),
            params={"free": max(event.capacity - len(current), 0), "capacity": event.capacity},
            code="capacity",
        )
    for person in new:
        _ensure_registered(event, person, actor)
    if new:
        record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="training.registration",
            object_id=event.pk,
            count=len(new),
            request=request,
        )
    return len(new)


@transaction.atomic
def self_enrol(*, actor: User, event: Event, request: Any = None) -> Registration:
    """A staff member enrols themself in an event open to self-enrolment that has not ended."""
    if not event.self_enrolment:
        raise ValidationError(
            _("This event does not take self-enrolment; ask the training coordinator."), code="closed"
        )
    if event.ends_on < timezone.localdate():
        raise ValidationError(_("This event is over."), code="over")
    if event.lead_trainer_id == actor.pk or event.facilitators.filter(pk=actor.pk).exists():
        raise ValidationError(_("You run this event, so you do not enrol in it."), code="runs_it")
    Event.objects.select_for_update().filter(pk=event.pk).first()
    existing = event.registrations.filter(participant=actor, status=RegistrationStatus.REGISTERED).first()
    if existing is not None:
        return existing
    if event.capacity is not None and registered_count(event) >= event.capacity:
        raise ValidationError(_("This event is full."), code="full")
    registration = _ensure_registered(event, actor, actor)
    record(actor=actor, action=AuditAction.CREATE, obj=registration, subject_id=actor.pk, request=request)
    return registration


@transaction.atomic
def cancel_registration(*, actor: Any, registration: Registration, request: Any = None) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=registration,
        subject_id=registration.participant_id,
        request=request,
    )


# ------------------------------------------------------------------------------------------ attendance


def _check_day(event: Event, day: date) -> None:
    if day not in event.days:
        raise ValidationError(_("%(day)s is not a day of this event."), params={"day": day}, code="not_event_day")


@transaction.atomic
def record_roster(
    *, actor: Any, event: Event, day: date, present: Iterable[int], request: Any = None
) -> tuple[int, int]:
    """Set who was present on `day` from the trainer's roster: ticked participants are marked present, unticked
    ones are not (whatever recorded them before). Returns (added, removed)."""
    _check_day(event, day)
    enrolled = set(
        event.registrations.filter(status=RegistrationStatus.REGISTERED).values_list("participant_id", flat=True)
    )
    present = set(present)
    if present - enrolled:
        raise ValidationError(_("Only enrolled participants can be marked present."), code="not_enrolled")
    already = set(event.attendance.filter(day=day).values_list("participant_id", flat=True))
    added = present - already
    removed = (already & enrolled) - present
    Attendance.objects.bulk_create(
        [
            Attendance(event=event, participant_id=pk, day=day, method=AttendanceMethod.ROSTER, recorded_by=_who(actor))
            for pk in sorted(added)
        ]
    )
    event.attendance.filter(day=day, participant_id__in=removed).delete()
    if added or removed:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="training.attendance",
            object_id=event.pk,
            count=len(added) + len(removed),
            detail={"day": day.isoformat(), "added": len(added), "removed": len(removed)},
            request=request,
        )
    return len(added), len(removed)


@transaction.atomic
def open_check_in(*, actor: Any, event: Event, now: datetime | None = None, request: Any = None) -> CheckInKey:
    """Open (or reopen) self check-in for today: participants type the rotating code for a few hours."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check_day(event, today)
    closes_at = now + timedelta(hours=CHECK_IN_HOURS)
    key, created = CheckInKey.objects.get_or_create(
        event=event,
        day=today,
        defaults={"secret": secrets.token_hex(32), "opened_by": _who(actor), "opened_at": now, "closes_at": closes_at},
    )
    if not created and key.closes_at < closes_at:
        key.closes_at = closes_at
        key.opened_by = _who(actor)
        key.save(update_fields=["closes_at", "opened_by"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=key,
        detail={"check_in": "open", "day": today.isoformat()},
        request=request,
    )
    return key


@transaction.atomic
def close_check_in(*, actor: Any, key: CheckInKey, now: datetime | None = None, request: Any = None) -> None:
    key.closes_at = now or timezone.now()
    key.save(update_fields=["closes_at"])
    record(actor=actor, action=AuditAction.UPDATE, obj=key, detail={"check_in": "closed"}, request=request)


def open_key(event: Event, now: datetime | None = None) -> CheckInKey | None:
    now = now or timezone.now()
    return CheckInKey.objects.filter(event=event, day=timezone.localdate(now), closes_at__gt=now).first()


def _failures_key(user: User) -> str:
    return f"training:check-in-failures:{user.pk}"


@transaction.atomic
def check_in(*, actor: User, code: str, now: datetime | None = None, request: Any = None) -> Attendance:
    """A participant checks themself in with the code on the trainer's screen. Raises ValidationError with a
    message they can act on: wrong code, expired code, not enrolled, already checked in, too many tries."""
    now = now or timezone.now()
    failures = cache.get(_failures_key(actor), 0)
    if failures >= CHECK_IN_MAX_FAILURES:
        raise ValidationError(
            _("Too many wrong codes. Wait ten minutes, then type the code on the trainer's screen."), code="too_many"
        )
    code = codes.clean_code(code)
    if len(code) != codes.CODE_DIGITS:
        raise ValidationError(_("The code has 6 digits. Type the code on the trainer's screen."), code="format")
    found: CheckInKey | None = None
    expired = False
    keys = CheckInKey.objects.filter(day=timezone.localdate(now), closes_at__gt=now).select_related("event")
    # Codes of different events could collide: prefer an event the person is enrolled in.
    enrolled = set(
        Registration.objects.filter(participant=actor, status=RegistrationStatus.REGISTERED).values_list(
            "event_id", flat=True
        )
    )
    for key in sorted(keys, key=lambda k: k.event_id not in enrolled):
        verdict = codes.check_code(key.secret, code, now)
        if verdict == codes.VALID:
            found = key
            break
        if verdict == codes.EXPIRED:
            expired = True
    if found is None:
        cache.set(_failures_key(actor), failures + 1, CHECK_IN_FAILURE_WINDOW)
        if expired:
            raise ValidationError(
                _("This code has expired: codes change every 30 seconds. Type the code now on the trainer's screen."),
                code="expired",
            )
        raise ValidationError(
            _("This code is not right, or check-in is closed. Type the code now on the trainer's screen."), code="wrong"
        )
    event = found.event
    if found.event_id not in enrolled:
        if not event.self_enrolment:
            raise ValidationError(
                _("You are not enrolled in %(event)s. Ask the trainer to enrol you."),
                params={"event": event},
                code="not_enrolled",
            )
        if event.capacity is not None and registered_count(event) >= event.capacity:
            raise ValidationError(_("This event is full."), code="full")
        _ensure_registered(event, actor, actor)
    if event.attendance.filter(participant=actor, day=found.day).exists():
        raise ValidationError(
            _("You are already checked in for %(event)s today."), params={"event": event}, code="already"
        )
    attendance = Attendance.objects.create(
        event=event, participant=actor, day=found.day, method=AttendanceMethod.SELF_CHECK_IN, recorded_by=actor
    )
    record(actor=actor, action=AuditAction.CREATE, obj=attendance, subject_id=actor.pk, request=request)
    return attendance


# ------------------------------------------------------------------------------------------ imported attendance


def _staff() -> QuerySet[User]:
    return User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True)


def match_person(*, email: str, phone: str, staff_id: str) -> User | None:
    """The staff member a row identifies by e-mail, phone or staff ID (our user number). Never by name. When
    the identifiers point at different people the row stays unmatched, for a person to decide."""
    candidates: set[int] = set()
    if staff_id:
        digits = staff_id.lstrip("#").strip()
        if digits.isdigit() and len(digits) < 12:
            candidates.update(_staff().filter(pk=int(digits)).values_list("pk", flat=True))
    if email and "@" in email:
        candidates.update(_staff().filter(email__iexact=email.strip()).values_list("pk", flat=True))
    if phone:
        try:
            e164 = normalize_phone(phone)
        except ValidationError:
            e164 = ""
        if e164:
            candidates.update(_staff().filter(phone=e164).values_list("pk", flat=True))
    if len(candidates) != 1:
        return None
    return _staff().filter(pk=candidates.pop()).first()


def _attend_from_row(event: Event, row: AttendanceImportRow, method: str, actor: Any) -> bool:
    """Record the attendance a matched row gives (minutes add up when a person joined several times)."""
    if row.matched is None or row.day is None or row.day not in event.days:
        return False
    _ensure_registered(event, row.matched, actor)
    attendance, created = Attendance.objects.get_or_create(
        event=event,
        participant_id=row.matched_id,
        day=row.day,
        defaults={"method": method, "minutes": row.minutes, "recorded_by": _who(actor)},
    )
    if not created and row.minutes and attendance.method == method:
        attendance.minutes = min((attendance.minutes or 0) + row.minutes, 32767)
        attendance.save(update_fields=["minutes"])
    return True


def import_method(event: Event) -> str:
    return AttendanceMethod.PLATFORM if event.tier == Tier.WEBINAR else AttendanceMethod.SHEET


@transaction.atomic
def import_attendance(
    *, actor: Any, event: Event, file_name: str, rows: Iterable[codes.FileRow], request: Any = None
) -> AttendanceImport:
    """Store an attendance file's rows, match each to a staff member by e-mail, phone or staff ID, and record
    attendance for the matched ones. Unmatched rows wait for a person to match them by hand."""
    batch = AttendanceImport.objects.create(event=event, file_name=file_name[:200], imported_by=_who(actor))
    method = import_method(event)
    matched = 0
    for row in rows:
        person = match_person(email=row.email, phone=row.phone, staff_id=row.staff_id)
        stored = AttendanceImportRow.objects.create(
            batch=batch,
            line=row.line,
            display_name=row.display_name,
            email=row.email,
            phone=row.phone,
            staff_id=row.staff_id,
            day=row.day,
            minutes=row.minutes,
            matched=person,
        )
        if person is not None and _attend_from_row(event, stored, method, actor):
            matched += 1
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=batch,
        count=batch.rows.count(),
        detail={"matched": matched},
        request=request,
    )
    return batch


@transaction.atomic
def match_row_by_hand(
    *, actor: Any, row: AttendanceImportRow, person: User, day: date | None = None, request: Any = None
) -> None:
    """A person decided who an unmatched row is (and which day, if the file did not say)."""
    event = row.batch.event
    if person.role not in STAFF_ROLES or not person.is_active:
        raise ValidationError(_("Choose an active staff member."), code="not_staff")
    if day is not None:
        _check_day(event, day)
        row.day = day
    if row.day is None:
        raise ValidationError({"day": _("Choose the day of the event this row is for.")})
    row.matched = person
    row.matched_by_hand = True
    row.save(update_fields=["matched", "matched_by_hand", "day"])
    _attend_from_row(event, row, import_method(event), actor)
    record(actor=actor, action=AuditAction.UPDATE, obj=row, subject_id=person.pk, request=request)


# ------------------------------------------------------------------------------- ToT: teach-back, certification


@transaction.atomic
def record_teach_back(
    *,
    actor: User,
    event: Event,
    participant: User,
    result: str,
    notes: str = "",
    observed_on: date | None = None,
    request: Any = None,
) -> TeachBack:
    if event.tier != Tier.TOT:
        raise ValidationError(_("Teach-backs are observed in a training of trainers."), code="not_tot")
    if not event.registrations.filter(participant=participant, status=RegistrationStatus.REGISTERED).exists():
        raise ValidationError(
            _("%(name)s is not enrolled in this event."), params={"name": participant}, code="not_enrolled"
        )
    if result not in TeachBackResult.values:
        raise ValidationError({"result": _("Choose pass or not yet.")})
    teach_back = TeachBack.objects.create(
        event=event,
        participant=participant,
        evaluator=actor,
        result=result,
        notes=notes[:2000],
        observed_on=observed_on or timezone.localdate(),
    )
    record(actor=actor, action=AuditAction.CREATE, obj=teach_back, subject_id=participant.pk, request=request)
    return teach_back


def certification_status(event: Event, people: Iterable[User] | None = None) -> dict[int, Eligibility]:
    """Each participant's three conditions: attendance, post-test score, latest teach-back."""
    from openpes.training.reports import best_post_scores

    if people is None:
        ids = list(
            event.registrations.filter(status=RegistrationStatus.REGISTERED).values_list("participant_id", flat=True)
        )
    else:
        ids = [p.pk for p in people]
    total_days = len(event.days)
    needed = days_needed(total_days, TOT_MIN_ATTENDANCE_SHARE)
    attended: dict[int, int] = {}
    for pk in event.attendance.filter(participant_id__in=ids).values_list("participant_id", flat=True):
        attended[pk] = attended.get(pk, 0) + 1
    scores = best_post_scores(event, ids)
    teach_backs: dict[int, bool] = {}
    for teach_back in event.teach_backs.filter(participant_id__in=ids).order_by("observed_on", "id"):
        teach_backs[teach_back.participant_id] = teach_back.result == TeachBackResult.PASS
    return {
        pk: Eligibility(
            days_attended=attended.get(pk, 0),
            days_needed=needed,
            post_score=scores.get(pk),
            threshold=event.post_test_threshold,
            teach_back_passed=teach_backs.get(pk),
        )
        for pk in ids
    }


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def active_certification(person: User, event: Event) -> TrainerCertification | None:
    today = timezone.localdate()
    return (
        TrainerCertification.objects.filter(
            trainer=person, tot_event=event, status=CertificationStatus.ACTIVE, valid_until__gte=today
        )
        .order_by("-certified_on", "-id")
        .first()
    )


@transaction.atomic
def certify_trainers(
    *, actor: User, event: Event, people: Iterable[User], years: int = CERTIFICATION_YEARS, request: Any = None
) -> list[TrainerCertification]:
    """Certify ToT participants as trainers. Each must meet all three conditions; people who already hold an
    active certification from this ToT are skipped. All or nothing."""
    if event.tier != Tier.TOT:
        raise ValidationError(_("Trainers are certified by a training of trainers."), code="not_tot")
    people = list(people)
    status = certification_status(event, people)
    refused = [str(p) for p in people if not status[p.pk].eligible]
    if refused:
        raise ValidationError(
            _("Not all conditions are met for: %(names)s."), params={"names": ", ".join(refused)}, code="not_eligible"
        )
    today = timezone.localdate()
    created = []
    for person in people:
        if active_certification(person, event) is not None:
            continue
        certification = TrainerCertification.objects.create(
            trainer=person,
            tot_event=event,
            certified_by=actor,
            certified_on=today,
            valid_until=add_years(today, years),
        )
        record(actor=actor, action=AuditAction.CREATE, obj=certification, subject_id=person.pk, request=request)
        created.append(certification)
    return created


@transaction.atomic
def renew_certification(
    *, actor: User, certification: TrainerCertification, years: int = CERTIFICATION_YEARS, request: Any = None
) -> TrainerCertification:
    """A new certification from today, pointing at the one it renews (the ToT, hence the lineage, stays)."""
    if certification.status != CertificationStatus.ACTIVE:
        raise ValidationError(_("A revoked certification cannot be renewed."), code="revoked")
    if certification.renewals.exists():
        raise ValidationError(_("This certification was already renewed."), code="renewed")
    today = timezone.localdate()
    renewal = TrainerCertification.objects.create(
        trainer=certification.trainer,
        tot_event=certification.tot_event,
        certified_by=actor,
        certified_on=today,
        valid_until=add_years(max(today, certification.valid_until), years)
        if certification.valid_until >= today
        else add_years(today, years),
        renews=certification,
    )
    record(actor=actor, action=AuditAction.CREATE, obj=renewal, subject_id=renewal.trainer_id, request=request)
    return renewal


@transaction.atomic
def revoke_certification(*, actor: User, certification: TrainerCertification, reason: str, request: Any = None) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    if certification.status == CertificationStatus.REVOKED:
        raise ValidationError(_("This certification is already revoked."), code="revoked")
    certification.status = CertificationStatus.REVOKED
    certification.revoked_reason = reason[:300]
    certification.save(update_fields=["status", "revoked_reason"])
    record(
        actor=actor, action=AuditAction.UPDATE, obj=certification, subject_id=certification.trainer_id, request=request
    )


# ------------------------------------------------------------------------------------------ materials


@transaction.atomic
def add_material(*, actor: User, event: Event, title: str, checked: CheckedFile, request: Any = None) -> Material:
    material = Material(event=event, title=title.strip()[:250], content_type=checked.content_type, uploaded_by=actor)
    # Random names only: the title is kept in the row, never on disk.
    material.file.save(secrets.token_hex(16), ContentFile(checked.data), save=False)
    try:
        material.save()
    except Exception:
        material.file.storage.delete(material.file.name or "")
        raise
    record(actor=actor, action=AuditAction.CREATE, obj=material, request=request)
    return material


@transaction.atomic
def delete_material(*, actor: User, material: Material, request: Any = None) -> None:
    name = material.file.name
    storage = material.file.storage
    record(actor=actor, action=AuditAction.DELETE, obj=material, request=request)
    material.delete()
    transaction.on_commit(lambda: storage.delete(name or ""))


# ------------------------------------------------------------------------------------------ evaluation


def is_participant(person: User, event: Event) -> bool:
    return event.registrations.filter(participant=person, status=RegistrationStatus.REGISTERED).exists() or (
        event.attendance.filter(participant=person).exists()
    )


@transaction.atomic
def answer_reaction(
    *, actor: User, event: Event, ratings: Mapping[str, int], comment: str = "", request: Any = None
) -> ReactionResponse:
    """Level 1: a participant's reaction, once per event, after the event has started."""
    if event.starts_on > timezone.localdate():
        raise ValidationError(_("The survey opens when the event starts."), code="not_started")
    if not is_participant(actor, event):
        raise ValidationError(_("Only participants answer this survey."), code="not_participant")
    response = ReactionResponse(event=event, participant=actor, comment=(comment or "").strip()[:2000], **ratings)
    response.full_clean(exclude=["event", "participant"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey. Thank you!"), code="answered") from None
    record(actor=actor, action=AuditAction.CREATE, obj=response, subject_id=actor.pk, request=request)
    return response


@transaction.atomic
def rate_competences(
    *,
    actor: User,
    person: User,
    rater_kind: str,
    levels: Mapping[Competence, int],
    event: Event | None = None,
    request: Any = None,
) -> list[CompetencyRating]:
    """Level 3: one rating per competence, by the person (self) or a supervisor, some months after training."""
    if rater_kind == RaterKind.SELF and actor.pk != person.pk:
        raise ValidationError(_("A self-assessment is made by the person themself."), code="not_self")
    if rater_kind == RaterKind.SUPERVISOR and actor.pk == person.pk:
        raise ValidationError(_("A supervisor cannot rate themself."), code="self_supervisor")
    if not levels:
        raise ValidationError(_("Rate at least one competence."), code="empty")
    today = timezone.localdate()
    ratings = [
        CompetencyRating(
            person=person,
            competence=competence,
            rater_kind=rater_kind,
            rater=actor,
            level=level,
            rated_on=today,
            event=event,
        )
        for competence, level in levels.items()
    ]
    for rating in ratings:
        rating.full_clean(exclude=["person", "competence", "rater", "event"])
    CompetencyRating.objects.bulk_create(ratings)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="training.competencyrating",
        object_id=event.pk if event else None,
        subject_id=person.pk,
        count=len(ratings),
        request=request,
    )
    return ratings


def rated_already(person: User, event: Event, rater_kind: str) -> bool:
    return CompetencyRating.objects.filter(person=person, event=event, rater_kind=rater_kind).exists()


def upcoming_events_q(today: date | None = None) -> Q:
    return Q(ends_on__gte=today or timezone.localdate())
