"""Acting on suggestions: logging what was shown, referring, dismissing, inviting to apply, tuning weights.

Each change is atomic and audited; once it commits, this process's index stops suggesting the pair at once
(other processes pick the change up at their next sync, within seconds).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from openpes.applications.models import Application
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.actions import current_consents
from openpes.jobseekers.enums import ConsentPurpose, JobSeekerStatus
from openpes.jobseekers.models import JobSeeker
from openpes.matching import service
from openpes.matching.models import DismissReason, Invitation, MatchDismissal, MatchingWeights, Recommendation
from openpes.matching.weights import SIGNALS, normalised
from openpes.vacancies.models import Vacancy

DIRECTIONS = frozenset({"jobs", "people", "employer"})


def _exclude_in_index(jobseeker_id: int, vacancy_id: int) -> None:
    service.get_index().exclude(jobseeker_id, vacancy_id)


def log_recommendations(
    *, direction: str, jobseeker_ids: Sequence[int], vacancy_ids: Sequence[int], scores: Sequence[float]
) -> list[Recommendation]:
    """Keep a row per suggestion shown (for the fairness audit), in one insert. Ranks start at 1."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown direction {direction!r}")
    rows = [
        Recommendation(jobseeker_id=j, vacancy_id=v, direction=direction, rank=rank, score=float(s))
        for rank, (j, v, s) in enumerate(zip(jobseeker_ids, vacancy_ids, scores, strict=True), start=1)
    ]
    return Recommendation.objects.bulk_create(rows) if rows else []


@transaction.atomic
def dismiss(*, actor: Any, jobseeker: JobSeeker, vacancy: Vacancy, reason: str, request: Any = None) -> MatchDismissal:
    """This pair is not suggested again (a counsellor's decision with a reason, or the person's "not
    interested"). Dismissing twice keeps the first decision."""
    if reason not in DismissReason.values:
        raise ValidationError({"reason": _("Choose a reason.")}, code="reason")
    dismissal, created = MatchDismissal.objects.get_or_create(
        jobseeker=jobseeker,
        vacancy=vacancy,
        defaults={"reason": reason, "by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    if created:
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=dismissal,
            subject_id=jobseeker.pk,
            detail={"vacancy": vacancy.pk, "reason": reason},
            request=request,
        )
        transaction.on_commit(partial(_exclude_in_index, jobseeker.pk, vacancy.pk), robust=True)
    return dismissal


@transaction.atomic
def refer(*, actor: Any, jobseeker: JobSeeker, vacancy: Vacancy, note: str = "", request: Any = None) -> Application:
    """Refer from a list of suggestions, in one click: the referral is made by `applications.actions.refer`."""
    from openpes.applications.actions import refer as make_referral

    application = make_referral(actor=actor, vacancy=vacancy, jobseeker=jobseeker, note=note, request=request)
    transaction.on_commit(partial(_exclude_in_index, jobseeker.pk, vacancy.pk), robust=True)
    return application


def _language_of(jobseeker: JobSeeker) -> str:
    user = jobseeker.user
    language = getattr(user, "preferred_language", "") if user is not None else ""
    return language if language in ("km", "en") else "km"


def invitation_text(vacancy: Vacancy, language: str) -> str:
    """The SMS: who invites, for which job, and where to see it. Nothing about why the person was suggested."""
    url = settings.SITE_URL + reverse("vacancies:public_detail", args=[vacancy.pk])
    with translation.override(language):
        values = {"employer": vacancy.employer.name, "title": vacancy.title, "url": url}
        return gettext("%(employer)s invites you to apply for the job “%(title)s”. See it and apply: %(url)s") % values


@transaction.atomic
def invite_to_apply(*, actor: Any, vacancy: Vacancy, jobseeker: JobSeeker, request: Any = None) -> Invitation:
    """An employer invites a suggested person to apply. The person gets an SMS in their language (unless they
    said no to SMS) and sees the invitation on "Jobs for you"; the employer learns who they are only if they
    apply."""
    if not vacancy.is_open:
        raise ValidationError(_("This vacancy is no longer open."), code="closed")
    if jobseeker.status != JobSeekerStatus.ACTIVE or jobseeker.merged_into_id:
        raise ValidationError(_("This person is not on the active register."), code="inactive")
    consents = current_consents(jobseeker)
    if consents.get(ConsentPurpose.SHARE_WITH_EMPLOYERS) is not True:
        raise ValidationError(_("This person no longer shares their profile with employers."), code="consent")
    if Application.objects.filter(vacancy=vacancy, jobseeker=jobseeker).exists():
        raise ValidationError(_("This person has already applied to this vacancy."), code="dup")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                vacancy=vacancy, jobseeker=jobseeker, by=actor if getattr(actor, "is_authenticated", False) else None
            )
    except IntegrityError:
        raise ValidationError(_("You already invited this person."), code="dup") from None
    sms = jobseeker.phone and consents.get(ConsentPurpose.CONTACT_BY_SMS) is not False
    if sms:
        from openpes.notifications.actions import queue_sms

        queue_sms(to=jobseeker.phone, body=invitation_text(vacancy, _language_of(jobseeker)))
    record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=invitation,
        subject_id=jobseeker.pk,
        detail={"vacancy": vacancy.pk, "sms": bool(sms)},
        request=request,
    )
    return invitation


def clean_weights(values: dict[str, Any]) -> dict[str, float]:
    """Weights for every signal: numbers, not negative, not all zero; renormalised to sum to 1."""
    weights: dict[str, float] = {}
    for signal in SIGNALS:
        try:
            value = float(values.get(signal, 0.0))
        except (TypeError, ValueError):
            raise ValidationError({signal: _("Enter a number.")}, code="invalid") from None
        if not math.isfinite(value) or value < 0:
            raise ValidationError({signal: _("A weight cannot be negative.")}, code="negative")
        weights[signal] = value
    if sum(weights.values()) <= 0:
        raise ValidationError(_("At least one weight must be more than zero."), code="all_zero")
    return normalised(weights)


@transaction.atomic
def save_weights(*, actor: Any, weights: dict[str, Any], request: Any = None) -> MatchingWeights:
    """Store new weights (renormalised; the latest row wins). New queries use them: this process forgets its
    index once the change commits and rebuilds it with the new weights on the next query."""
    clean = clean_weights(weights)
    row = MatchingWeights.objects.create(
        changed_by=actor if getattr(actor, "is_authenticated", False) else None, **clean
    )
    record(actor=actor, action=AuditAction.UPDATE, obj=row, detail={"weights": clean}, request=request)
    transaction.on_commit(service.reset, robust=True)
    return row
