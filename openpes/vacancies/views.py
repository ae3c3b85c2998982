"""Vacancies in the browser: the public job search and vacancy page; posting by employers (or by staff on an
employer's behalf), sending for review, the staff review queue, publishing, returning and closing.

Views: access helper → form → action → render or redirect.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.applications.access import get_applications_for_user
from openpes.applications.models import Application
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.employers.access import get_employer_for_edit, get_own_employers
from openpes.employers.enums import Verification
from openpes.employers.forms import add_action_errors
from openpes.employers.models import Employer
from openpes.lib.access import get_object_or_404
from openpes.lib.decorators import roles_required
from openpes.lib.http import AuthedRequest, Request
from openpes.lib.pagination import paginate
from openpes.taxonomy.enums import Accommodation, DrivingLicence
from openpes.vacancies import actions
from openpes.vacancies.access import (
    can_edit_vacancy,
    can_review_vacancy,
    get_managed_vacancies,
    get_managed_vacancy,
    get_public_vacancies,
    get_vacancy_for_edit,
)
from openpes.vacancies.enums import CloseReason, RejectReason, VacancyStatus
from openpes.vacancies.forms import CloseForm, JobSearchForm, ManageFilterForm, ReturnForm, VacancyForm
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import VacancyFilters, search_vacancies, vacancy_index

CASEWORKERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER]
CASEWORK = [*CASEWORKERS, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR]
POSTERS = [*CASEWORKERS, Role.EMPLOYER]
CLOSABLE = (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, VacancyStatus.REJECTED, VacancyStatus.PUBLISHED)


def with_application_counts(vacancies: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    """Annotate `application_count` (a subquery, so it combines with the search index's extra select)."""
    counts = (
        Application.objects.filter(vacancy=OuterRef("pk"))
        .order_by()
        .values("vacancy")
        .annotate(n=Count("id"))
        .values("n")
    )
    return vacancies.annotate(application_count=Coalesce(Subquery(counts), 0))


def _reason_label(vacancy: Vacancy | None) -> str:
    if vacancy is None or not vacancy.status_reason:
        return ""
    return str((dict(RejectReason.choices) | dict(CloseReason.choices)).get(vacancy.status_reason, ""))


def _labels(values: list[str], choices: Any) -> list[str]:
    return [str(choices(value).label) for value in values if value in choices.values]


# ------------------------------------------------------------------------------------------------ public


@login_not_required
def search(request: Request) -> HttpResponse:
    """Published, still open vacancies; htmx requests get only the results."""
    form = JobSearchForm(request.GET or None)
    filters = VacancyFilters()
    if form.is_bound:
        form.is_valid()  # invalid parameters are reported on the page and left out of the search
        filters = form.filters()
    results = search_vacancies(get_public_vacancies(), filters)  # the open ones: past closing dates are left out
    context = paginate(request, results, per_page=20)
    context["capped"] = results.capped  # "more than 1,000 jobs": counting stopped there
    filter_names = ("province", "isco", "sector", "employment_type", "posted_since", "disability_friendly")
    context.update(form=form, filtered=bool(form.errors) or any(request.GET.get(name) for name in filter_names))
    template = "vacancies/search.html#results" if request.htmx else "vacancies/search.html"
    return render(request, template, context)


@login_not_required
def public_detail(request: Request, pk: int) -> HttpResponse:
    """Everything a jobseeker needs to decide to apply. Unpublished vacancies do not exist for the public."""
    vacancy = get_object_or_404(
        get_public_vacancies().select_related("district", "education_level", "employer__sector"), pk=pk
    )
    context = {
        "vacancy": vacancy,
        "skills": vacancy.skills.select_related("skill").order_by("relation", "skill__label_en"),
        "languages": vacancy.languages.order_by("id"),
        "accommodations": _labels(vacancy.accommodations, Accommodation),
        "licences": _labels(vacancy.driving_licences, DrivingLicence),
        "is_open": vacancy.is_open,
    }
    return render(request, "vacancies/public_detail.html", context)


# ------------------------------------------------------------------------------------------------ posting


def _employer_for_posting(request: AuthedRequest) -> Employer | None:
    """The employer named by ?employer=, or an employer user's only business."""
    pk = request.GET.get("employer")
    if pk:
        return get_employer_for_edit(request.user, pk)
    if request.user.role == Role.EMPLOYER:
        own = list(get_own_employers(request.user)[:2])
        if len(own) == 1:
            return own[0]
    return None


@roles_required(POSTERS)
def vacancy_new(request: AuthedRequest) -> HttpResponse:
    """Post a vacancy: an employer user for their business, or staff taking it by phone (?employer=<pk>)."""
    employer = _employer_for_posting(request)
    if employer is None:
        if request.user.role == Role.EMPLOYER:
            if not get_own_employers(request.user).exists():
                messages.info(request, _("Register your business first."))
                return redirect("employers:register")
            messages.info(request, _("Choose the business the vacancy is for."))
            return redirect("employers:home")
        messages.info(request, _("Open the employer first, then choose “Take a vacancy”."))
        return redirect("employers:list")
    if employer.verification == Verification.REFUSED:
        messages.error(request, _("This employer's registration was refused: it cannot post vacancies."))
        if request.user.role == Role.EMPLOYER:
            return redirect("employers:home")
        return redirect("employers:detail", employer.pk)
    initial = {
        "province": employer.province_id,
        "district": employer.district_id,
        "positions": 1,
        "employment_type": "full_time",
        "experience_months": 0,
        "closing_date": timezone.localdate() + datetime.timedelta(days=30),
    }
    return _vacancy_form(request, employer=employer, vacancy=None, initial=initial)


@roles_required(POSTERS)
def vacancy_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    vacancy = get_vacancy_for_edit(request.user, pk)
    return _vacancy_form(request, employer=vacancy.employer, vacancy=vacancy, initial=VacancyForm.initial_for(vacancy))


def _vacancy_form(
    request: AuthedRequest, *, employer: Employer, vacancy: Vacancy | None, initial: dict[str, Any]
) -> HttpResponse:
    if request.method == "POST" and request.POST.get("add_skill"):
        form = VacancyForm.with_added_skill(request.POST)
    else:
        form = VacancyForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                vacancy = actions.save_vacancy(
                    actor=request.user,
                    employer=employer,
                    vacancy=vacancy,
                    fields=form.vacancy_fields(),
                    skills=form.skills(),
                    languages=form.languages(),
                    request=request,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                if request.POST.get("send"):
                    return _submit(request, vacancy)
                messages.success(request, _("The vacancy was saved."))
                return redirect("vacancies:detail_manage", vacancy.pk)
    can_send = vacancy is None or vacancy.status in (VacancyStatus.DRAFT, VacancyStatus.REJECTED)
    context = {
        "form": form,
        "employer": employer,
        "vacancy": vacancy,
        "can_send": can_send,
        "publishes_at_once": request.user.is_pes_staff and employer.is_verified,
        "reason_label": _reason_label(vacancy),
    }
    return render(request, "vacancies/form.html", context)


def _submit(request: AuthedRequest, vacancy: Vacancy) -> HttpResponse:
    try:
        actions.submit_vacancy(actor=request.user, vacancy=vacancy, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if vacancy.status == VacancyStatus.PUBLISHED:
            messages.success(request, _("The vacancy is published."))
        elif not vacancy.employer.is_verified:
            messages.success(
                request,
                _("The vacancy was sent for review. It will be published once the business is verified."),
            )
        else:
            messages.success(request, _("The vacancy was sent for review. The job centre will publish it soon."))
    return redirect("vacancies:detail_manage", vacancy.pk)


@roles_required(POSTERS)
@require_POST
def vacancy_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    vacancy = get_managed_vacancy(request.user, pk)
    if not can_edit_vacancy(request.user, vacancy):
        raise PermissionDenied
    return _submit(request, vacancy)


# ------------------------------------------------------------------------------------------------ managing


@roles_required([*CASEWORK, Role.EMPLOYER])
def manage(request: AuthedRequest) -> HttpResponse:
    """Vacancies the user manages. For staff it opens on the review queue (waiting for review)."""
    data = request.GET.copy()
    if "status" not in data and request.user.is_pes_staff:
        data["status"] = VacancyStatus.SUBMITTED
    form = ManageFilterForm(data)
    vacancies = with_application_counts(get_managed_vacancies(request.user))
    status = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        if status:
            vacancies = vacancies.filter(status=status)
        vacancies = vacancy_index.filter(vacancies, form.cleaned_data["q"])
    # The review queue is worked oldest first; other lists show the newest first.
    order = ("created_at", "id") if status == VacancyStatus.SUBMITTED else ("-created_at", "-id")
    context = paginate(request, vacancies.order_by(*order), per_page=25)
    context["form"] = form
    template = "vacancies/manage.html#results" if request.htmx else "vacancies/manage.html"
    return render(request, template, context)


def _event_rows(vacancy: Vacancy) -> list[tuple[Any, str, str]]:
    statuses = dict(VacancyStatus.choices)
    reasons = {**dict(RejectReason.choices), **dict(CloseReason.choices)}
    return [
        (event, str(statuses.get(event.to_status, event.to_status)), str(reasons.get(event.reason, "")))
        for event in vacancy.events.select_related("actor").order_by("at", "id")
    ]


@roles_required([*CASEWORK, Role.EMPLOYER])
def detail_manage(request: AuthedRequest, pk: int) -> HttpResponse:
    """The vacancy as its employer or the job centre sees it: status, history, applications, next steps."""
    user = request.user
    vacancy = get_managed_vacancy(user, pk)
    applications = list(get_applications_for_user(user).filter(vacancy=vacancy).order_by("-created_at", "-id")[:200])
    if applications:
        record(
            actor=user,
            action=AuditAction.LIST,
            object_type="applications.application",
            count=len(applications),
            detail={"vacancy": vacancy.pk},
            request=request,
        )
    can_review = can_review_vacancy(user, vacancy)
    context = {
        "vacancy": vacancy,
        "events": _event_rows(vacancy),
        "applications": applications,
        "can_edit": can_edit_vacancy(user, vacancy),
        "can_send": can_edit_vacancy(user, vacancy) and vacancy.status in (VacancyStatus.DRAFT, VacancyStatus.REJECTED),
        "can_review": can_review and vacancy.status == VacancyStatus.SUBMITTED,
        "can_close": _can_close(user, vacancy),
        "can_refer": user.role in CASEWORKERS and vacancy.status == VacancyStatus.PUBLISHED,
        "return_form": ReturnForm(),
        "close_form": CloseForm(),
        "reason_label": _reason_label(vacancy),
    }
    return render(request, "vacancies/detail_manage.html", context)


def _can_close(user: Any, vacancy: Vacancy) -> bool:
    # The access helper only gave an employer user their own vacancies; staff must be caseworkers.
    return vacancy.status in CLOSABLE and (user.role == Role.EMPLOYER or user.role in CASEWORKERS)


def _vacancy_to_review(request: AuthedRequest, pk: int) -> Vacancy:
    vacancy = get_managed_vacancy(request.user, pk)
    if not can_review_vacancy(request.user, vacancy):
        raise PermissionDenied
    return vacancy


@roles_required(CASEWORK)
@require_POST
def vacancy_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy_to_review(request, pk)
    try:
        actions.publish_vacancy(actor=request.user, vacancy=vacancy, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The vacancy is published."))
    return redirect("vacancies:detail_manage", vacancy.pk)


@roles_required(CASEWORK)
def vacancy_return(request: AuthedRequest, pk: int) -> HttpResponse:
    """Return a vacancy to the employer with a reason, so they can correct and send it again."""
    vacancy = _vacancy_to_review(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reject_vacancy(
                actor=request.user,
                vacancy=vacancy,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The vacancy was returned to the employer."))
            return redirect("vacancies:detail_manage", vacancy.pk)
    return render(request, "vacancies/reason.html", {"form": form, "vacancy": vacancy, "kind": "return"})


@roles_required(POSTERS)
def vacancy_close(request: AuthedRequest, pk: int) -> HttpResponse:
    vacancy = get_managed_vacancy(request.user, pk)
    if not _can_close(request.user, vacancy):
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_vacancy(
                actor=request.user,
                vacancy=vacancy,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The vacancy is closed."))
            return redirect("vacancies:detail_manage", vacancy.pk)
    return render(request, "vacancies/reason.html", {"form": form, "vacancy": vacancy, "kind": "close"})
