"""Employers in the browser: self-registration, the employer's own home page, and the staff side (the list and
verification queue, registering on the employer's behalf, details, edit, verify or refuse).

Views: access helper → form → action → render or redirect.
"""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.employers import actions
from openpes.employers.access import (
    can_manage_employer,
    can_verify_employer,
    get_employer_for_edit,
    get_employer_for_user,
    get_employers_for_user,
    get_own_employers,
)
from openpes.employers.enums import RefusalReason, Verification
from openpes.employers.forms import (
    EMPLOYER_FIELDS,
    EmployerFilterForm,
    EmployerForm,
    EmployerRegistrationForm,
    RefuseForm,
    add_action_errors,
)
from openpes.employers.models import Employer
from openpes.lib.decorators import roles_required
from openpes.lib.http import AuthedRequest, Request
from openpes.lib.pagination import paginate
from openpes.vacancies.access import get_managed_vacancies
from openpes.vacancies.views import with_application_counts

CASEWORK = [Role.COUNSELLOR, Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR]
CASEWORKERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER]


@login_not_required
def register(request: Request) -> HttpResponse:
    """A business registers itself (and its first user). Signed-in employer users add a business; staff use
    the staff form."""
    user = request.user if isinstance(request.user, User) else None
    signed_in = user is not None
    if user is not None and user.is_pes_staff:
        return redirect("employers:new")
    if user is not None and user.role != Role.EMPLOYER:
        raise PermissionDenied
    form: EmployerForm = (
        EmployerForm(request.POST or None) if signed_in else EmployerRegistrationForm(request.POST or None)
    )
    status = 200
    if request.method == "POST":
        if not signed_in and not ratelimit.consume(request, action="signup"):
            form.add_error(None, _("Too many registrations from this connection. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                if user is not None:
                    actions.register_employer(actor=user, fields=form.employer_fields(), owner=user, request=request)
                else:
                    data = form.cleaned_data
                    account, _employer = actions.register_employer_with_account(
                        fields=form.employer_fields(),
                        full_name=data["full_name"],
                        password=data["password1"],
                        phone=data["login_phone"],
                        email=data["login_email"],
                        language=getattr(request, "LANGUAGE_CODE", "km"),
                        request=request,
                    )
                    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Your business is registered. It is now waiting for verification."))
                return redirect("employers:home")
    return render(request, "employers/register.html", {"form": form, "signed_in": signed_in}, status=status)


def home_context(request: AuthedRequest) -> dict[str, Any]:
    """What an employer user's home page shows: their businesses, each with its state and its vacancies."""
    employers = list(get_own_employers(request.user).select_related("owner_centre", "province").order_by("pk"))
    vacancies = with_application_counts(get_managed_vacancies(request.user)).order_by("-created_at", "-id")
    by_employer: dict[int, list[Any]] = {}
    for vacancy in vacancies[:200]:
        by_employer.setdefault(vacancy.employer_id, []).append(vacancy)
    return {"businesses": [(employer, by_employer.get(employer.pk, [])) for employer in employers]}


@roles_required([Role.EMPLOYER])
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/home/employer.html", {"role": request.user.role, **home_context(request)})


@roles_required(CASEWORK)
def employer_list(request: AuthedRequest) -> HttpResponse:
    """Employers served by centres in the user's scope; filtering by verification gives the queue."""
    form = EmployerFilterForm(request.GET)
    employers = form.filter(get_employers_for_user(request.user)).order_by("-created_at", "-id")
    context = paginate(request, employers, per_page=25)
    context["form"] = form
    context["pending_count"] = get_employers_for_user(request.user).filter(verification=Verification.PENDING).count()
    count = len(context["page_obj"].object_list)
    if count:
        record(
            actor=request.user, action=AuditAction.LIST, object_type="employers.employer", count=count, request=request
        )
    template = "employers/list.html#results" if request.htmx else "employers/list.html"
    return render(request, template, context)


@roles_required(CASEWORKERS)
def employer_new(request: AuthedRequest) -> HttpResponse:
    """Staff register an employer on its behalf (by phone or at the centre); it is served by their centre."""
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = actions.register_employer(actor=request.user, fields=form.employer_fields(), request=request)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The employer is registered. Verify it when its details are checked."))
            return redirect("employers:detail", employer.pk)
    return render(request, "employers/form.html", {"form": form, "employer": None})


def employer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = get_employer_for_user(request.user, pk)
    user = request.user
    record(actor=user, action=AuditAction.VIEW, obj=employer, request=request)
    vacancies = with_application_counts(get_managed_vacancies(user).filter(employer=employer)).order_by(
        "-created_at", "-id"
    )[:100]
    context = {
        "employer": employer,
        "members": employer.members.select_related("user").order_by("added_at"),
        "events": [
            (event, RefusalReason(event.reason).label if event.reason in RefusalReason.values else "")
            for event in employer.events.select_related("actor").order_by("-at", "-id")[:50]
        ],
        "vacancies": vacancies,
        "can_manage": can_manage_employer(user, employer),
        "can_verify": can_verify_employer(user, employer),
        "refuse_form": RefuseForm(),
    }
    return render(request, "employers/detail.html", context)


def employer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Employer users edit their own business's details and staff numbers; caseworkers those in their scope."""
    employer = get_employer_for_edit(request.user, pk)
    form = EmployerForm(request.POST or None, initial=model_to_dict(employer, fields=EMPLOYER_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.update_employer(
                actor=request.user, employer=employer, fields=form.employer_fields(), request=request
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The details were saved.") if changed else _("Nothing was changed."))
            if request.user.role == Role.EMPLOYER:
                return redirect("employers:home")
            return redirect("employers:detail", employer.pk)
    cancel = "employers:home" if request.user.role == Role.EMPLOYER else "employers:detail"
    return render(request, "employers/form.html", {"form": form, "employer": employer, "cancel": cancel})


def _employer_to_verify(request: AuthedRequest, pk: int) -> Employer:
    employer = get_employer_for_user(request.user, pk)
    if not can_verify_employer(request.user, employer):
        raise PermissionDenied
    return employer


@require_POST
def employer_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = _employer_to_verify(request, pk)
    if employer.verification == Verification.VERIFIED:
        messages.info(request, _("This employer is already verified."))
    else:
        actions.verify_employer(actor=request.user, employer=employer, request=request)
        messages.success(request, _("%(name)s is verified. Its vacancies can now be published.") % {"name": employer})
    return redirect("employers:detail", employer.pk)


def employer_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refuse a registration (or withdraw a verification) with a reason the employer sees."""
    employer = _employer_to_verify(request, pk)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.refuse_employer(
                actor=request.user,
                employer=employer,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The registration of %(name)s was refused.") % {"name": employer})
            return redirect("employers:detail", employer.pk)
    return render(request, "employers/refuse.html", {"form": form, "employer": employer})
