"""Vacancy lifecycle: draft → submitted → published (after staff review) → filled / closed / expired.
Every transition is a VacancyEvent; the search index follows every change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.employers.models import Employer
from openpes.taxonomy.actions import confirm_isco_code
from openpes.taxonomy.enums import CodingSource, SkillRelation
from openpes.vacancies.enums import CloseReason, RejectReason, VacancyStatus
from openpes.vacancies.models import Vacancy, VacancyEvent, VacancyLanguage, VacancySkill
from openpes.vacancies.search import vacancy_index


def _transition(vacancy: Vacancy, status: str, actor: Any, *, reason: str = "", note: str = "") -> Vacancy:
    vacancy.check_transition(status)
    previous = vacancy.status
    vacancy.status = status
    vacancy.status_reason = reason
    vacancy.status_note = note[:500]
    if status == VacancyStatus.PUBLISHED:
        vacancy.published_at = vacancy.published_at or timezone.now()
    vacancy.save()
    VacancyEvent.objects.create(
        vacancy=vacancy,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=previous,
        to_status=status,
        reason=reason,
        note=note[:500],
    )
    vacancy_index.update([vacancy.pk])  # the status and publication time are in the index
    return vacancy


def _check_fields(vacancy: Vacancy) -> None:
    if vacancy.isco_group_id and vacancy.isco_group.level != 4:
        raise ValidationError({"isco_group": _("Choose a 4-digit ISCO-08 unit group.")}, code="isco_level")
    if vacancy.closing_date and vacancy.closing_date < timezone.localdate():
        raise ValidationError({"closing_date": _("The closing date is in the past.")}, code="closing_date")
    if vacancy.wage_min and vacancy.wage_max and vacancy.wage_max < vacancy.wage_min:
        raise ValidationError({"wage_max": _("The highest wage is lower than the lowest.")}, code="wage")


@transaction.atomic
def save_vacancy(
    *,
    actor: Any,
    employer: Employer,
    fields: dict[str, Any],
    vacancy: Vacancy | None = None,
    skills: dict[int, str] | None = None,
    languages: dict[str, int] | None = None,
    request: Any = None,
) -> Vacancy:
    """Create or edit a vacancy (a draft, or a submitted/returned one). `skills` maps skill id → essential/optional."""
    creating = vacancy is None
    vacancy = vacancy or Vacancy(employer=employer, owner_centre_id=employer.owner_centre_id)
    for name, value in fields.items():
        setattr(vacancy, name, value)
    if creating:
        vacancy.created_by = actor if getattr(actor, "is_authenticated", False) else None
        vacancy.posted_by_staff = bool(getattr(actor, "is_pes_staff", False))
    _check_fields(vacancy)
    vacancy.full_clean(exclude=["employer", "owner_centre", "created_by"])
    vacancy.save()
    if creating:
        VacancyEvent.objects.create(vacancy=vacancy, actor=vacancy.created_by, to_status=VacancyStatus.DRAFT)
    if skills is not None:
        vacancy.skills.exclude(skill_id__in=list(skills)).delete()
        for skill_id, relation in skills.items():
            if relation not in SkillRelation.values:
                raise ValidationError(_("A skill must be essential or optional."), code="relation")
            VacancySkill.objects.update_or_create(vacancy=vacancy, skill_id=skill_id, defaults={"relation": relation})
    if languages is not None:
        vacancy.languages.exclude(language__in=list(languages)).delete()
        for language, level in languages.items():
            VacancyLanguage.objects.update_or_create(vacancy=vacancy, language=language, defaults={"level": level})
    record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=vacancy, request=request)
    vacancy_index.update([vacancy.pk])
    # The title and code chosen teach the ISCO-08 coder (confirmed codes improve later suggestions).
    confirm_isco_code(text=vacancy.title, isco_group=vacancy.isco_group, source=CodingSource.VACANCY)
    return vacancy


@transaction.atomic
def submit_vacancy(*, actor: Any, vacancy: Vacancy, request: Any = None) -> Vacancy:
    """Send a draft for staff review. A vacancy taken by staff for a verified employer is published at once."""
    _check_fields(vacancy)
    _transition(vacancy, VacancyStatus.SUBMITTED, actor)
    if getattr(actor, "is_pes_staff", False) and vacancy.employer.is_verified:
        _transition(vacancy, VacancyStatus.PUBLISHED, actor)
    record(actor=actor, action=AuditAction.UPDATE, obj=vacancy, detail={"status": vacancy.status}, request=request)
    vacancy_index.update([vacancy.pk])
    return vacancy


@transaction.atomic
def publish_vacancy(*, actor: Any, vacancy: Vacancy, request: Any = None) -> Vacancy:
    """Staff approve a submitted vacancy. Only verified employers' vacancies go public."""
    if not vacancy.employer.is_verified:
        raise ValidationError(
            _("The employer must be verified before its vacancies can be published."), code="unverified"
        )
    _check_fields(vacancy)
    _transition(vacancy, VacancyStatus.PUBLISHED, actor)
    record(actor=actor, action=AuditAction.UPDATE, obj=vacancy, detail={"status": "published"}, request=request)
    return vacancy


@transaction.atomic
def reject_vacancy(*, actor: Any, vacancy: Vacancy, reason: str, note: str = "", request: Any = None) -> Vacancy:
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Choose why the vacancy is returned.")}, code="reason")
    _transition(vacancy, VacancyStatus.REJECTED, actor, reason=reason, note=note)
    record(actor=actor, action=AuditAction.UPDATE, obj=vacancy, detail={"status": "rejected"}, request=request)
    return vacancy


@transaction.atomic
def close_vacancy(*, actor: Any, vacancy: Vacancy, reason: str, note: str = "", request: Any = None) -> Vacancy:
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose why the vacancy is closed.")}, code="reason")
    status = (
        VacancyStatus.FILLED
        if reason in (CloseReason.FILLED_BY_PES, CloseReason.FILLED_ELSEWHERE)
        and vacancy.status == VacancyStatus.PUBLISHED
        else VacancyStatus.CLOSED
    )
    _transition(vacancy, status, actor, reason=reason, note=note)
    record(actor=actor, action=AuditAction.UPDATE, obj=vacancy, detail={"status": status}, request=request)
    return vacancy


def expire_vacancies(today: Any = None) -> int:
    """Close published vacancies whose closing date has passed (run daily by the scheduler)."""
    today = today or timezone.localdate()
    count = 0
    for pk in Vacancy.objects.published().filter(closing_date__lt=today).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            vacancy = Vacancy.objects.select_for_update().get(pk=pk)
            if vacancy.status == VacancyStatus.PUBLISHED and vacancy.closing_date < today:
                _transition(vacancy, VacancyStatus.EXPIRED, None, reason=CloseReason.CLOSING_DATE)
                count += 1
    return count


def close_all_for_refused_employer(*, actor: Any, employer: Employer) -> None:
    open_statuses: Iterable[str] = (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, VacancyStatus.PUBLISHED)
    for vacancy in employer.vacancies.filter(status__in=list(open_statuses)):
        _transition(vacancy, VacancyStatus.CLOSED, actor, reason=CloseReason.CANCELLED, note="employer refused")
