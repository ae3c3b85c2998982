"""Applying, referring, and moving applications through selection to a hire.

Views: access helper → form → action → render or redirect. Employers see only what an applicant shares.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.applications import actions
from openpes.applications.access import (
    can_refer,
    get_application_for_user,
    get_applications_for_user,
    shared_profile,
)
from openpes.applications.forms import ApplyForm, HireForm, MoveForm, ReferForm, ReferSearchForm, WithdrawForm
from openpes.applications.models import Application
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.access import get_jobseeker_for_user, get_jobseekers_for_user, get_own_jobseeker
from openpes.jobseekers.search import jobseeker_index
from openpes.lib.decorators import roles_required
from openpes.lib.http import AuthedRequest
from openpes.lib.pagination import paginate
from openpes.vacancies.access import get_public_vacancies, get_vacancy_for_user
from openpes.vacancies.search import VacancyFilters, search_vacancies

REFERRERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@roles_required([Role.JOBSEEKER])
def apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """A jobseeker applies to a published vacancy; the page says what the employer will see."""
    vacancy = get_vacancy_for_user(request.user, pk)
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        messages.warning(request, _("Complete your registration before applying."))
        return redirect("home")
    existing = Application.objects.filter(vacancy=vacancy, jobseeker=jobseeker).first()
    if existing is not None:
        messages.info(request, _("You have already applied to this job."))
        return redirect("applications:detail", existing.pk)
    form = ApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application = actions.apply(
                actor=request.user,
                vacancy=vacancy,
                jobseeker=jobseeker,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your application was sent to the employer."))
            return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/apply.html",
        {"vacancy": vacancy, "form": form, "profile": shared_profile(jobseeker)},
    )


@roles_required([Role.JOBSEEKER])
def mine(request: AuthedRequest) -> HttpResponse:
    applications = get_applications_for_user(request.user).select_related("vacancy__province")
    return render(request, "applications/mine.html", paginate(request, applications, per_page=20))


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    role = request.user.role
    context: dict[str, object] = {"application": application, "events": application.events.all()}
    if role == Role.JOBSEEKER:
        context["withdraw_form"] = WithdrawForm() if application.is_open else None
        return render(request, "applications/detail_jobseeker.html", context)
    # Employers and staff see the applicant's shared profile: an audited read of personal data.
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=application,
        subject_id=application.jobseeker_id,
        request=request,
    )
    context["profile"] = shared_profile(application.jobseeker)
    context["can_decide"] = _can_decide(request, application)
    if context["can_decide"] and application.is_open:
        context["move_form"] = MoveForm(application=application)
        context["hire_form"] = HireForm()
    return render(request, "applications/detail.html", context)


def _can_decide(request: AuthedRequest, application: Application) -> bool:
    """The employer, or staff serving the vacancy's employer (taking results by phone), move applications."""
    role = request.user.role
    if role == Role.EMPLOYER:
        return True  # the access helper only returned applications to this employer's vacancies
    if role in REFERRERS:
        from openpes.vacancies.access import get_managed_vacancies

        return get_managed_vacancies(request.user).filter(pk=application.vacancy_id).exists() or (
            application.referred_by_id == request.user.pk
        )
    return False


@require_POST
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    if not _can_decide(request, application):
        raise PermissionDenied
    form = MoveForm(request.POST, application=application)
    if form.is_valid():
        try:
            actions.move_application(
                actor=request.user,
                application=application,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
                request=request,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The application was updated."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("applications:detail", application.pk)


@require_POST
def hire(request: AuthedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    if not _can_decide(request, application):
        raise PermissionDenied
    form = HireForm(request.POST)
    if form.is_valid():
        try:
            actions.record_hire(
                actor=request.user,
                application=application,
                start_date=form.cleaned_data["start_date"],
                monthly_wage=form.cleaned_data.get("monthly_wage"),
                request=request,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The hire was recorded. Thank you for telling us."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("applications:detail", application.pk)


@roles_required([Role.JOBSEEKER])
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your application was withdrawn."))
    else:
        messages.error(request, _("Choose why you are withdrawing."))
    return redirect("applications:detail", application.pk)


@roles_required(REFERRERS)
def refer(request: AuthedRequest) -> HttpResponse:
    """Refer a jobseeker to a vacancy: start from the person (search vacancies) or from the vacancy (search
    people in my scope). POST with both ids and a note makes the referral."""
    if not can_refer(request.user):
        raise PermissionDenied
    jobseeker_id = request.POST.get("jobseeker") or request.GET.get("jobseeker")
    vacancy_id = request.POST.get("vacancy") or request.GET.get("vacancy")
    jobseeker = get_jobseeker_for_user(request.user, jobseeker_id) if jobseeker_id else None
    vacancy = get_vacancy_for_user(request.user, vacancy_id) if vacancy_id else None
    if jobseeker is None and vacancy is None:
        messages.info(request, _("Open a jobseeker or a vacancy first, then choose Refer."))
        return redirect("home")
    form = ReferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and jobseeker is not None and vacancy is not None and form.is_valid():
        try:
            actions.refer(
                actor=request.user,
                vacancy=vacancy,
                jobseeker=jobseeker,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("%(person)s was referred to %(job)s.") % {"person": jobseeker.display_name, "job": vacancy.title},
            )
            # Back to the list the counsellor started from, to refer more.
            if request.POST.get("start") == "vacancy":
                return redirect(f"{request.path}?vacancy={vacancy.pk}")
            return redirect(f"{request.path}?jobseeker={jobseeker.pk}")
    search = ReferSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context: dict[str, object] = {"jobseeker": jobseeker, "vacancy": vacancy, "form": form, "search": search}
    if jobseeker is not None and vacancy is None:
        already = set(jobseeker.applications.values_list("vacancy_id", flat=True))
        results = search_vacancies(get_public_vacancies(), VacancyFilters(q=query))
        context.update(paginate(request, results, per_page=10))
        context["already"] = already
    elif vacancy is not None and jobseeker is None:
        people = jobseeker_index.filter(get_jobseekers_for_user(request.user).filter(status="active"), query)
        context.update(paginate(request, people.order_by("-search_rank", "-created_at") if query else people, 10))  # type: ignore[misc]
        context["already"] = set(vacancy.applications.values_list("jobseeker_id", flat=True))
        record(
            actor=request.user, action=AuditAction.LIST, object_type="jobseekers.jobseeker", count=10, request=request
        )
    return render(request, "applications/refer.html", context)
