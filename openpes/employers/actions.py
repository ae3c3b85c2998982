"""Changes to employer records: registration, details, verification, declared staff, users."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.employers.enums import EmployerEventKind, MemberRole, RefusalReason, Verification
from openpes.employers.models import Employer, EmployerEvent, EmployerMember
from openpes.jobseekers.actions import centre_for_province


def _event(employer: Employer, kind: str, actor: Any, **extra: Any) -> None:
    EmployerEvent.objects.create(
        employer=employer, kind=kind, actor=actor if getattr(actor, "is_authenticated", False) else None, **extra
    )


@transaction.atomic
def register_employer(
    *, actor: Any, fields: dict[str, Any], owner: User | None = None, request: Any = None
) -> Employer:
    """Create an employer, waiting for verification. `owner` is the employer's own first user (self-service);
    staff registering on the employer's behalf leave it empty. The serving centre is the staff member's own,
    or the provincial centre where the business is."""
    employer = Employer(**fields)
    if getattr(actor, "is_authenticated", False) and actor.is_pes_staff and actor.centre_id:
        employer.owner_centre_id = actor.centre_id
    else:
        employer.owner_centre = centre_for_province(employer.province_id)
    employer.created_by = actor if getattr(actor, "is_authenticated", False) else None
    employer.full_clean(exclude=["owner_centre", "created_by", "verified_by"])
    employer.save()
    if owner is not None:
        EmployerMember.objects.create(employer=employer, user=owner, role=MemberRole.OWNER)
    _event(employer, EmployerEventKind.REGISTERED, actor)
    record(actor=actor, action=AuditAction.CREATE, obj=employer, request=request)
    return employer


@transaction.atomic
def update_employer(*, actor: Any, employer: Employer, fields: dict[str, Any], request: Any = None) -> list[str]:
    changed = [name for name, value in fields.items() if getattr(employer, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(employer, name, fields[name])
    staff_fields = {"declared_staff", "declared_staff_with_disabilities"}
    if staff_fields & set(changed):
        employer.staff_declared_on = timezone.localdate()
    employer.full_clean(exclude=["owner_centre", "created_by", "verified_by"])
    employer.save()
    _event(
        employer,
        EmployerEventKind.STAFF_DECLARED if staff_fields >= set(changed) else EmployerEventKind.UPDATED,
        actor,
        detail={"fields": sorted(changed)},
    )
    record(actor=actor, action=AuditAction.UPDATE, obj=employer, detail={"fields": sorted(changed)}, request=request)
    if {"name_km", "name_en", "sector"} & set(changed):
        # Its vacancies are found by the business's names and filtered by its sector.
        from openpes.vacancies.search import vacancy_index

        vacancy_index.update(employer.vacancies.values_list("pk", flat=True))
    return changed


@transaction.atomic
def verify_employer(*, actor: Any, employer: Employer, request: Any = None) -> Employer:
    employer.verification = Verification.VERIFIED
    employer.refusal_reason = ""
    employer.refusal_note = ""
    employer.verified_by = actor
    employer.verified_at = timezone.now()
    employer.save()
    _event(employer, EmployerEventKind.VERIFIED, actor)
    record(actor=actor, action=AuditAction.UPDATE, obj=employer, detail={"verification": "verified"}, request=request)
    return employer


@transaction.atomic
def refuse_employer(*, actor: Any, employer: Employer, reason: str, note: str = "", request: Any = None) -> Employer:
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": _("Choose a reason for the refusal.")}, code="reason")
    employer.verification = Verification.REFUSED
    employer.refusal_reason = reason
    employer.refusal_note = note[:500]
    employer.verified_by = actor
    employer.verified_at = timezone.now()
    employer.save()
    _event(employer, EmployerEventKind.REFUSED, actor, reason=reason)
    record(actor=actor, action=AuditAction.UPDATE, obj=employer, detail={"verification": "refused"}, request=request)
    # Nothing of a refused employer stays public.
    from openpes.vacancies.actions import close_all_for_refused_employer

    close_all_for_refused_employer(actor=actor, employer=employer)
    return employer


@transaction.atomic
def add_member(*, actor: Any, employer: Employer, user: User, role: str = MemberRole.RECRUITER) -> EmployerMember:
    if user.role != Role.EMPLOYER:
        raise ValidationError(_("Only employer accounts can act for an employer."), code="role")
    member, _created = EmployerMember.objects.get_or_create(employer=employer, user=user, defaults={"role": role})
    _event(employer, EmployerEventKind.MEMBER_ADDED, actor, detail={"user": user.pk})
    record(actor=actor, action=AuditAction.UPDATE, obj=employer, detail={"member_added": user.pk})
    return member


@transaction.atomic
def register_employer_with_account(
    *,
    fields: dict[str, Any],
    full_name: str,
    password: str,
    phone: str = "",
    email: str = "",
    language: str = "km",
    request: Any = None,
) -> tuple[User, Employer]:
    """Self-registration: the employer user's account and the employer (waiting for verification) are created
    together, or neither is."""
    user = User.objects.create_user(
        email=email or None,
        password=password,
        phone=phone or None,
        role=Role.EMPLOYER,
        full_name=full_name,
        preferred_language=language if language in ("km", "en") else "km",
    )
    employer = register_employer(actor=user, fields=fields, owner=user, request=request)
    return user, employer
