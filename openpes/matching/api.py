"""Matching in the JSON API: the signed-in jobseeker's recommended jobs, a staff shortlist for a vacancy, and
an employer's anonymous suggestions (with "invite to apply").

Scoped like the pages, through `matching.access` and `matching.lists`: staff see only people in their scope,
employers never see who a suggested person is (only a suggestion number) unless that person applies. Every
list is logged for the fairness audit and audited as a read of personal data.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from openpes.accounts.enums import Role
from openpes.api.schemas import Id, errors
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.access import get_own_jobseeker
from openpes.lib.http import AuthedRequest
from openpes.matching import actions
from openpes.matching.access import (
    consenting_jobseekers,
    get_vacancy_for_shortlist,
    get_vacancy_for_suggestions,
    shortlist_pool,
)
from openpes.matching.explain import Explained
from openpes.matching.lists import anonymous_profiles, candidate_items, job_items
from openpes.matching.models import Recommendation

router = Router(tags=["matching"])


class LineOut(Schema):
    code: str = Field(description="A stable code (occupation, skills, location, missing_skill, licence, …)")
    text: str = Field(description="The sentence, in the caller's language")


class FitOut(Schema):
    score: float = Field(ge=0, le=1, description="0 to 1")
    band: str = Field(description="very_good, good, fair or weak")
    band_label: str = Field(description="The band in words, in the caller's language")
    reasons: list[LineOut] = Field(description="The top reasons, strongest first")
    gaps: list[LineOut] = Field(description="What may be missing")


def _fit(fit: Explained) -> FitOut:
    return FitOut(
        score=min(max(fit.score, 0.0), 1.0),
        band=fit.band,
        band_label=fit.band_label,
        reasons=[LineOut(code=line.code, text=line.text) for line in fit.reasons],
        gaps=[LineOut(code=line.code, text=line.text) for line in fit.gaps],
    )


class JobOut(Schema):
    vacancy: int
    title: str
    employer_name: str
    province: str
    invited: bool = Field(description="The employer invited the person to apply")
    fit: FitOut


class CandidateOut(Schema):
    jobseeker: int
    name: str
    province: str
    fit: FitOut


class SuggestionOut(Schema):
    """An anonymous suggested person: no name, contact, sex, age or health data."""

    suggestion: int = Field(description="The number of this suggestion, to invite the person")
    area: str = Field(description="Province")
    education: str
    experience: list[str] = Field(description="Occupations and months, without employers")
    skills: list[str]
    invited_at: datetime | None
    fit: FitOut


class InvitationOut(Schema):
    suggestion: int
    invited_at: datetime


@router.get(
    "/jobs",
    response={200: list[JobOut], **errors(401, 403, 404)},
    summary="Recommended jobs for the signed-in jobseeker",
    description="The best open vacancies for the caller's own record, with reasons and gaps in the caller's "
    "language. 403 for other roles; 404 until the person completes registration.",
)
def my_jobs(request: AuthedRequest) -> list[JobOut]:
    if request.user.role != Role.JOBSEEKER:
        raise PermissionDenied
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        raise Http404
    record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    return [
        JobOut(
            vacancy=item.vacancy.pk,
            title=item.vacancy.title,
            employer_name=item.vacancy.employer.name,
            province=item.vacancy.province.name,
            invited=item.invited,
            fit=_fit(item.fit),
        )
        for item in job_items(jobseeker, audience="jobseeker")
    ]


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    response={200: list[CandidateOut], **errors(401, 403, 404, 422)},
    summary="A ranked shortlist of jobseekers for a vacancy (staff)",
    description="People in the caller's scope (centre, province or nation) ranked for the vacancy, with reasons "
    "and gaps. 404 for a vacancy the caller may not see. The list is audited.",
)
def vacancy_candidates(request: AuthedRequest, vacancy_id: Id) -> list[CandidateOut]:
    vacancy = get_vacancy_for_shortlist(request.user, vacancy_id)
    items = candidate_items(vacancy, shortlist_pool(request.user))
    if items:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="jobseekers.jobseeker",
            count=len(items),
            detail={"suggested_for_vacancy": vacancy.pk},
            request=request,
        )
    return [
        CandidateOut(
            jobseeker=item.jobseeker.pk,
            name=item.jobseeker.display_name,
            province=item.jobseeker.province.name,
            fit=_fit(item.fit),
        )
        for item in items
    ]


@router.get(
    "/vacancies/{vacancy_id}/suggestions",
    response={200: list[SuggestionOut], **errors(401, 403, 404, 422)},
    summary="Anonymous suggested people for the employer's vacancy",
    description="People who agreed to be shown to employers, ranked for one of the caller's vacancies, without "
    "their identity. Invite one with its suggestion number; their details appear if they apply.",
)
def employer_suggestions(request: AuthedRequest, vacancy_id: Id) -> list[SuggestionOut]:
    vacancy = get_vacancy_for_suggestions(request.user, vacancy_id)
    profiles = anonymous_profiles(vacancy)
    if profiles:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="jobseekers.jobseeker",
            count=len(profiles),
            detail={"anonymous_suggestions_for_vacancy": vacancy.pk},
            request=request,
        )
    return [
        SuggestionOut(
            suggestion=profile.suggestion_id,
            area=profile.area,
            education=profile.education,
            experience=profile.experience,
            skills=profile.skills,
            invited_at=profile.invited_on,
            fit=_fit(profile.fit),
        )
        for profile in profiles
    ]


@router.post(
    "/vacancies/{vacancy_id}/suggestions/{suggestion_id}/invite",
    response={201: InvitationOut, **errors(401, 403, 404, 409, 422)},
    summary="Invite a suggested person to apply",
    description="The person is told by SMS (unless they said no to SMS) and on their recommended jobs. 409 when "
    "they were already invited, already applied, or the vacancy is closed; 404 for a suggestion not shown for "
    "this vacancy or a person who no longer agrees to be shown.",
)
def invite(request: AuthedRequest, vacancy_id: Id, suggestion_id: Id) -> Status[InvitationOut]:
    vacancy = get_vacancy_for_suggestions(request.user, vacancy_id)
    shown = Recommendation.objects.filter(pk=suggestion_id, vacancy=vacancy, direction="employer").first()
    if shown is None:
        raise Http404
    jobseeker = consenting_jobseekers().filter(pk=shown.jobseeker_id).first()
    if jobseeker is None:
        raise Http404(_("This person can no longer be invited."))
    invitation = actions.invite_to_apply(actor=request.user, vacancy=vacancy, jobseeker=jobseeker, request=request)
    return Status(201, InvitationOut(suggestion=shown.pk, invited_at=invitation.at))
