"""Pages for matching: "Jobs for you", recommended jobs and candidate shortlists for staff, anonymous
suggestions for employers, the fairness audit and the weights.

Views: access helper → form → action → render or redirect. Every list shown is logged (`Recommendation`) for
the fairness audit and audited as a read of personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.access import get_jobseeker_for_user, get_own_jobseeker
from openpes.jobseekers.enums import JobSeekerStatus
from openpes.jobseekers.models import JobSeeker
from openpes.lib.decorators import roles_required
from openpes.lib.exports import export_response
from openpes.lib.http import AuthedRequest
from openpes.matching import actions, service
from openpes.matching.access import (
    FAIRNESS_ROLES,
    LIST_SIZE,
    SHORTLIST_ROLES,
    can_act_on_matches,
    consenting_jobseekers,
    get_recommendations_for_user,
    get_register_for_user,
    get_vacancy_for_shortlist,
    get_vacancy_for_suggestions,
    open_vacancies,
    shortlist_pool,
)
from openpes.matching.fairness import default_period, fairness_report, report_sheet
from openpes.matching.forms import DismissForm, FairnessForm, InviteForm, PairForm, WeightsForm
from openpes.matching.lists import anonymous_profiles, candidate_items, job_items
from openpes.matching.models import DismissReason, Invitation, Recommendation
from openpes.matching.weights import SIGNALS
from openpes.vacancies.access import get_vacancy_for_user
from openpes.vacancies.models import Vacancy

PANEL_SIZE = 3


def _safe_next(request: AuthedRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


# ------------------------------------------------------------------------------------------------ jobseekers


@roles_required([Role.JOBSEEKER])
def my_jobs(request: AuthedRequest) -> HttpResponse:
    """Jobs for you: the best open vacancies for the signed-in person, with reasons and gaps."""
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        messages.warning(request, _("Complete your registration to see jobs that fit you."))
        return redirect("jobseekers:my_profile")
    record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    items = job_items(jobseeker, audience="jobseeker")
    invitations = list(
        Invitation.objects.filter(jobseeker=jobseeker, vacancy__in=open_vacancies())
        .exclude(vacancy__applications__jobseeker=jobseeker)
        .select_related("vacancy__employer", "vacancy__province")
        .order_by("-at")
    )
    context = {
        "jobseeker": jobseeker,
        "items": items,
        "invitations": invitations,
        "active": jobseeker.status == JobSeekerStatus.ACTIVE,
    }
    return render(request, "matching/my_jobs.html", context)


@roles_required([Role.JOBSEEKER])
@require_POST
def not_interested(request: AuthedRequest, vacancy: int) -> HttpResponse:
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        raise Http404
    job = get_vacancy_for_user(request.user, vacancy)
    actions.dismiss(
        actor=request.user, jobseeker=jobseeker, vacancy=job, reason=DismissReason.NOT_INTERESTED, request=request
    )
    text = _("We will not suggest “%(job)s” again.") % {"job": job.title}
    if request.htmx:
        return render(request, "matching/_done.html", {"text": text, "ok": True})
    messages.success(request, text)
    return redirect("matching:my_jobs")


# ------------------------------------------------------------------------------------------------ staff


@roles_required(SHORTLIST_ROLES)
def jobseeker_jobs(request: AuthedRequest, pk: int) -> HttpResponse:
    """Recommended vacancies for a person in the staff member's scope, to refer in one click or dismiss. With
    `?panel=1` (htmx, from the person's page) only the first few, as a fragment."""
    jobseeker = get_jobseeker_for_user(request.user, pk)
    record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    panel = bool(request.htmx) and request.GET.get("panel") == "1"
    items = job_items(jobseeker, audience="staff", k=PANEL_SIZE if panel else LIST_SIZE)
    context = {
        "jobseeker": jobseeker,
        "items": items,
        "can_act": can_act_on_matches(request.user) and jobseeker.status == JobSeekerStatus.ACTIVE,
        "reasons": DismissReason.choices,
        "here": reverse("matching:jobseeker_jobs", args=[jobseeker.pk]),
        "panel": panel,
    }
    if panel:
        context["here"] = reverse("jobseekers:detail", args=[jobseeker.pk])
        return render(request, "matching/jobseeker_jobs.html#results", context)
    return render(request, "matching/jobseeker_jobs.html", context)


@roles_required(SHORTLIST_ROLES)
def vacancy_candidates(request: AuthedRequest, pk: int) -> HttpResponse:
    """A ranked shortlist of people in the staff member's scope for a vacancy, with reasons and gaps. With
    `?panel=1` (htmx, from the vacancy's page) only the first few, as a fragment."""
    vacancy = get_vacancy_for_shortlist(request.user, pk)
    panel = bool(request.htmx) and request.GET.get("panel") == "1"
    items = candidate_items(vacancy, shortlist_pool(request.user), k=PANEL_SIZE if panel else LIST_SIZE)
    if items:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="jobseekers.jobseeker",
            count=len(items),
            detail={"suggested_for_vacancy": vacancy.pk},
            request=request,
        )
    context = {
        "vacancy": vacancy,
        "items": items,
        "can_act": can_act_on_matches(request.user) and vacancy.is_open,
        "reasons": DismissReason.choices,
        "here": reverse("matching:vacancy_candidates", args=[vacancy.pk]),
        "panel": panel,
    }
    if panel:
        context["here"] = reverse("vacancies:detail_manage", args=[vacancy.pk])
        return render(request, "matching/vacancy_candidates.html#results", context)
    return render(request, "matching/vacancy_candidates.html", context)


def _pair(request: AuthedRequest, form: PairForm) -> tuple[JobSeeker, Vacancy]:
    if not can_act_on_matches(request.user):
        raise PermissionDenied
    jobseeker = get_jobseeker_for_user(request.user, form.cleaned_data["jobseeker"])
    vacancy = get_vacancy_for_user(request.user, form.cleaned_data["vacancy"])
    return jobseeker, vacancy


def _outcome(request: AuthedRequest, *, ok: bool, text: str, default: str) -> HttpResponse:
    if request.htmx:
        return render(request, "matching/_done.html", {"text": text, "ok": ok})
    (messages.success if ok else messages.error)(request, text)
    return redirect(_safe_next(request, default))


@roles_required(SHORTLIST_ROLES)
@require_POST
def refer(request: AuthedRequest) -> HttpResponse:
    """Refer in one click from a list of suggestions."""
    form = PairForm(request.POST)
    if not form.is_valid():
        raise Http404
    jobseeker, vacancy = _pair(request, form)
    default = reverse("matching:jobseeker_jobs", args=[jobseeker.pk])
    try:
        actions.refer(actor=request.user, jobseeker=jobseeker, vacancy=vacancy, request=request)
    except ValidationError as error:
        return _outcome(request, ok=False, text=" ".join(error.messages), default=default)
    text = _("%(person)s was referred to %(job)s.") % {"person": jobseeker.display_name, "job": vacancy.title}
    return _outcome(request, ok=True, text=text, default=default)


@roles_required(SHORTLIST_ROLES)
@require_POST
def dismiss(request: AuthedRequest) -> HttpResponse:
    """Dismiss a suggested pair with a reason; it is not suggested again."""
    form = DismissForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors and not ({"jobseeker", "vacancy"} & set(form.errors)):
            default = reverse("matching:jobseeker_jobs", args=[form.cleaned_data["jobseeker"]])
            return _outcome(request, ok=False, text=_("Choose why this suggestion does not fit."), default=default)
        raise Http404
    jobseeker, vacancy = _pair(request, form)
    actions.dismiss(
        actor=request.user,
        jobseeker=jobseeker,
        vacancy=vacancy,
        reason=form.cleaned_data["reason"],
        request=request,
    )
    text = _("%(job)s will not be suggested for %(person)s again.") % {
        "person": jobseeker.display_name,
        "job": vacancy.title,
    }
    return _outcome(request, ok=True, text=text, default=reverse("matching:jobseeker_jobs", args=[jobseeker.pk]))


# ------------------------------------------------------------------------------------------------ employers


@roles_required([Role.EMPLOYER])
def employer_suggestions(request: AuthedRequest, pk: int) -> HttpResponse:
    """Anonymous suggestions for one of the employer's vacancies, from people who agreed to be shown."""
    vacancy = get_vacancy_for_suggestions(request.user, pk)
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
    return render(request, "matching/employer_suggestions.html", {"vacancy": vacancy, "profiles": profiles})


@roles_required([Role.EMPLOYER])
@require_POST
def invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """Invite an anonymous suggested person to apply; they are told by SMS and on their "Jobs for you"."""
    vacancy = get_vacancy_for_suggestions(request.user, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        raise Http404
    shown = Recommendation.objects.filter(
        pk=form.cleaned_data["suggestion"], vacancy=vacancy, direction="employer"
    ).first()
    if shown is None:
        raise Http404
    jobseeker = consenting_jobseekers().filter(pk=shown.jobseeker_id).first()
    if jobseeker is None:
        messages.error(request, _("This person can no longer be invited."))
        return redirect("matching:employer_suggestions", vacancy.pk)
    try:
        actions.invite_to_apply(actor=request.user, vacancy=vacancy, jobseeker=jobseeker, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was sent. You will see the person's details if they apply."))
    return redirect("matching:employer_suggestions", vacancy.pk)


# ------------------------------------------------------------------------------------------------ audit, tuning


def _fairness_form(request: AuthedRequest) -> FairnessForm:
    if request.GET:
        return FairnessForm(request.GET)
    start, end = default_period()
    return FairnessForm({"start": start.isoformat(), "end": end.isoformat(), "direction": ""})


@roles_required(FAIRNESS_ROLES)
def fairness(request: AuthedRequest) -> HttpResponse:
    """Recommendation and referral rates by sex, age band and WG disability identifier, per vacancy group."""
    form = _fairness_form(request)
    report = None
    if form.is_valid():
        report = fairness_report(
            recommendations=get_recommendations_for_user(request.user),
            register=get_register_for_user(request.user),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            direction=form.cleaned_data["direction"],
        )
    query = request.GET.urlencode() if request.GET else ""
    return render(request, "matching/fairness.html", {"form": form, "report": report, "query": query})


@roles_required(FAIRNESS_ROLES)
def fairness_export(request: AuthedRequest) -> HttpResponse:
    form = _fairness_form(request)
    if not form.is_valid():
        messages.error(request, _("Correct the period first."))
        return redirect(f"{reverse('matching:fairness')}?{request.GET.urlencode()}")
    data = form.cleaned_data
    report = fairness_report(
        recommendations=get_recommendations_for_user(request.user),
        register=get_register_for_user(request.user),
        start=data["start"],
        end=data["end"],
        direction=data["direction"],
    )
    response, count = export_response(
        [report_sheet(report)], filename=f"fairness-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}", fmt="csv"
    )
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="matching.fairness",
        count=count,
        detail={"start": data["start"].isoformat(), "end": data["end"].isoformat(), "direction": data["direction"]},
        request=request,
    )
    return response


@roles_required([Role.ADMINISTRATOR])
def weights(request: AuthedRequest) -> HttpResponse:
    """Administrators tune the weights of the signals; they are renormalised and used by new queries."""
    current = service.current_weights()
    form = WeightsForm(request.POST or None, initial=WeightsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_weights(actor=request.user, weights=form.cleaned_data["normalised"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new weights are saved. New suggestions use them."))
            return redirect("matching:weights")
    from openpes.matching.weights import normalised

    in_use = normalised(current)
    rows = [(form[name], round(in_use[name] * 100, 1)) for name in SIGNALS]
    return render(request, "matching/weights.html", {"form": form, "rows": rows})
