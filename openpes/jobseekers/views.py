"""Jobseeker pages: self-service profile, staff list and record, assisted registration, duplicates, CVs.

Views: access helper → form → action → render or redirect. The person's own profile (`/me/profile/`) and the
staff view of a record (`/jobseekers/<pk>/`) share the section templates and one generic section-edit view
that maps a section name to its form and action (`SECTIONS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.centres.enums import CentreKind
from openpes.jobseekers import actions, forms, sections
from openpes.jobseekers.access import (
    CASEWORKERS,
    can_edit_jobseeker,
    can_see_wgss,
    get_document_for_user,
    get_jobseeker_for_edit,
    get_jobseekers_for_user,
    get_own_jobseeker,
)
from openpes.jobseekers.duplicates import find_possible_duplicates
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, JobSeekerStatus, RegistrationChannel
from openpes.jobseekers.models import (
    Consent,
    DesiredOccupation,
    JobSeeker,
    JobSeekerSkill,
    WgssAnswers,
    WorkExperience,
)
from openpes.jobseekers.search import jobseeker_index
from openpes.jobseekers.sections import SECTIONS, Data, completeness, make_form, section_or_404
from openpes.lib.decorators import roles_required
from openpes.lib.http import AuthedRequest
from openpes.lib.pagination import paginate
from openpes.taxonomy.enums import DrivingLicence, EmploymentType

STAFF = [Role.COUNSELLOR, Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR]
EDITORS = sorted(CASEWORKERS)


def _add_errors(form: django_forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and all(name in form.fields for name in error.error_dict):
        form.add_error(None, error)
    else:
        form.add_error(None, " ".join(error.messages))


# -- profile helpers shared by the person and staff ------------------------------------------------------------

PROFILE_PREFETCH: tuple[Any, ...] = (
    Prefetch("experience", queryset=WorkExperience.objects.select_related("isco_group")),
    Prefetch("skills", queryset=JobSeekerSkill.objects.select_related("skill")),
    "languages",
    Prefetch("desired_occupations", queryset=DesiredOccupation.objects.select_related("isco_group")),
    "preferred_provinces",
    "documents",
    "accommodation_needs",
    Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
)


def _load_profile(user: User, pk: int) -> JobSeeker:
    records = get_jobseekers_for_user(user).select_related("district", "commune", "education_level", "user")
    jobseeker = records.prefetch_related(*PROFILE_PREFETCH).filter(pk=pk).first()
    if jobseeker is None:
        raise Http404
    return jobseeker


def _edit_urls(user: User, jobseeker: JobSeeker, *, own: bool) -> dict[str, str]:
    """Edit links per section, only for sections this user may change."""
    if own:
        names = [n for n, s in SECTIONS.items() if not s.staff_only]
        return {name: reverse("jobseekers:my_section", args=[name]) for name in names}
    if not can_edit_jobseeker(user, jobseeker):
        return {}
    return {name: reverse("jobseekers:edit_section", args=[jobseeker.pk, name]) for name in SECTIONS}


REASONS = {
    "national_id": gettext_lazy("Same national ID number"),
    "phone": gettext_lazy("Same phone number"),
    "name_and_birth_date": gettext_lazy("Similar name and the same date of birth"),
}


@dataclass(frozen=True)
class PossibleDuplicate:
    record: JobSeeker
    reasons: list[str]
    visible: bool  # in the user's scope: name and link shown
    mergeable: bool  # the user may change both records


def _possible_duplicates(
    user: User, matches: list[tuple[Any, list[str]]], *, base: JobSeeker | None
) -> list[PossibleDuplicate]:
    ids = [record.pk for record, _reasons in matches]
    visible = set(get_jobseekers_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    may_edit = user.role in CASEWORKERS and (base is None or can_edit_jobseeker(user, base))
    return [
        PossibleDuplicate(
            record=record,
            reasons=[str(REASONS.get(reason, reason)) for reason in reasons],
            visible=record.pk in visible,
            mergeable=may_edit and record.pk in visible,
        )
        for record, reasons in matches
    ]


def _wgss_rows(wgss: WgssAnswers | None) -> list[tuple[str, str]]:
    if wgss is None:
        return []
    return [
        (str(getattr(WgssAnswers._meta.get_field(d), "verbose_name", d)), getattr(wgss, f"get_{d}_display")())
        for d in WgssAnswers.DOMAINS
    ]


def _profile_context(request: AuthedRequest, jobseeker: JobSeeker, *, own: bool) -> Data:
    urls = _edit_urls(request.user, jobseeker, own=own)
    consents = list(jobseeker.consents.all())
    current: dict[str, Consent] = {}
    for consent in sorted(consents, key=lambda c: (c.at, c.pk)):
        current[consent.purpose] = consent
    wgss = WgssAnswers.objects.filter(jobseeker=jobseeker).first() if can_see_wgss(request.user, jobseeker) else None
    return {
        "jobseeker": jobseeker,
        "own": own,
        "edit_urls": urls,
        "sections": SECTIONS,
        "show_wgss": can_see_wgss(request.user, jobseeker),
        "wgss": wgss,
        "wgss_rows": _wgss_rows(wgss),
        "consent_rows": [(purpose, current.get(purpose.value)) for purpose in ConsentPurpose],
        "consent_history": consents,
        "completeness": completeness(jobseeker, urls),
        "employment_types": [EmploymentType(v).label for v in jobseeker.employment_types if v in EmploymentType.values],
        "driving_licences": [DrivingLicence(v).label for v in jobseeker.driving_licences if v in DrivingLicence.values],
    }


# -- the person's own profile ----------------------------------------------------------------------------------


def home_context(user: User) -> Data:
    """For the jobseeker's home page: their record, how complete it is and what to do next."""
    jobseeker = get_own_jobseeker(user)
    if jobseeker is None:
        return {"jobseeker": None}
    urls = _edit_urls(user, jobseeker, own=True)
    return {"jobseeker": jobseeker, "completeness": completeness(jobseeker, urls)}


@roles_required([Role.JOBSEEKER])
def my_profile(request: AuthedRequest) -> HttpResponse:
    """The person's profile; someone with an account but no record yet first completes registration."""
    own = get_own_jobseeker(request.user)
    if own is None:
        return _complete_registration(request)
    jobseeker = _load_profile(request.user, own.pk)
    record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    return render(request, "jobseekers/profile.html", _profile_context(request, jobseeker, own=True))


def _complete_registration(request: AuthedRequest) -> HttpResponse:
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            actions.register_jobseeker(
                actor=user,
                fields={**form.fields_for_record(), "phone": user.phone or "", "email": user.email or ""},
                channel=RegistrationChannel.SELF,
                user=user,
                consents=[ConsentPurpose.REGISTRATION],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("You are registered. Now tell us about the work you are looking for."))
            return redirect("jobseekers:my_profile")
    return render(request, "jobseekers/complete_registration.html", {"form": form})


@roles_required([Role.JOBSEEKER])
def my_section(request: AuthedRequest, section: str, item: int | None = None) -> HttpResponse:
    own = get_own_jobseeker(request.user)
    if own is None:
        return redirect("jobseekers:my_profile")
    jobseeker = get_jobseeker_for_edit(request.user, own.pk)
    return _edit_section(request, jobseeker, section, item, own=True)


@roles_required([Role.JOBSEEKER])
@require_POST
def my_experience_delete(request: AuthedRequest, item: int) -> HttpResponse:
    own = get_own_jobseeker(request.user)
    if own is None:
        raise Http404
    return _delete_experience(request, get_jobseeker_for_edit(request.user, own.pk), item, own=True)


# -- staff pages -----------------------------------------------------------------------------------------------


def _search_text(text: str) -> str:
    """Phone and ID numbers are indexed as digits ("012345678"); people type them with spaces or +855."""
    text = text.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))
    if not re.fullmatch(r"[\d\s+\-().]+", text):
        return text
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+855") or (digits.startswith("855") and len(digits) >= 11):
        return "0" + digits[3:]
    return digits


@roles_required(STAFF)
def jobseeker_list(request: AuthedRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    records: QuerySet[JobSeeker] = get_jobseekers_for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            records = records.filter(status=data["status"])
        if data["sex"]:
            records = records.filter(sex=data["sex"])
        if data["since"]:
            records = records.filter(created_at__date__gte=data["since"])
        if data["q"].strip():
            found = jobseeker_index.filter(records, _search_text(data["q"].strip()))
            records = found.order_by("-search_rank", "-created_at", "-id")  # type: ignore[misc]  # an extra()
    context = paginate(request, records, per_page=25)
    context["form"] = form
    # The query itself is never logged: it may be a phone or ID number (S8).
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="jobseekers.jobseeker",
        count=len(context["page_obj"].object_list),
        detail={"search": bool(form.is_valid() and form.cleaned_data["q"].strip())},
        request=request,
    )
    context["can_register"] = request.user.role in CASEWORKERS
    template = "jobseekers/list.html#results" if request.htmx and not request.htmx.boosted else "jobseekers/list.html"
    return render(request, template, context)


@roles_required(EDITORS)
def register(request: AuthedRequest) -> HttpResponse:
    """Assisted registration, with a check for possible duplicates before anything is saved."""
    centre = request.user.centre
    if centre is None:
        raise PermissionDenied
    initial = {
        "province": centre.province_id,
        "channel": RegistrationChannel.MOBILE if centre.kind == CentreKind.MOBILE else RegistrationChannel.CENTRE,
        "consent_method": ConsentMethod.VERBAL,
    }
    form = forms.AssistedRegistrationForm(request.POST or None, initial=initial)
    candidates: list[PossibleDuplicate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = find_possible_duplicates(
            name_km=data["name_km"],
            name_latin=data["name_latin"],
            date_of_birth=data["date_of_birth"],
            national_id=data["national_id"],
            phones=[data["phone"]] if data["phone"] else [],
        )
        seen = {int(v) for v in request.POST.get("seen", "").split(",") if v.isdigit()}
        confirmed = request.POST.get("confirm_different") == "1"
        if matches and not (confirmed and {r.pk for r, _reasons in matches} <= seen):
            candidates = _possible_duplicates(request.user, matches, base=None)
            record(
                actor=request.user,
                action=AuditAction.LIST,
                object_type="jobseekers.jobseeker",
                count=len(candidates),
                detail={"possible_duplicates": [c.record.pk for c in candidates]},
                request=request,
            )
        else:
            try:
                jobseeker = actions.register_not_duplicate(
                    actor=request.user,
                    fields=form.fields_for_record(),
                    channel=data["channel"],
                    centre=centre,
                    consent_method=data["consent_method"],
                    not_duplicates=[r for r, _reasons in matches],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": jobseeker.display_name})
                return redirect("jobseekers:detail", jobseeker.pk)
    return render(
        request,
        "jobseekers/register.html",
        {"form": form, "candidates": candidates, "seen": ",".join(str(c.record.pk) for c in candidates)},
    )


@roles_required(STAFF)
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    jobseeker = _load_profile(request.user, pk)
    record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    context = _profile_context(request, jobseeker, own=False)
    matches = find_possible_duplicates(
        name_km=jobseeker.name_km,
        name_latin=jobseeker.name_latin,
        date_of_birth=jobseeker.date_of_birth,
        national_id=jobseeker.national_id,
        phones=[jobseeker.phone, jobseeker.phone_alt],
        exclude_pk=jobseeker.pk,
    )
    duplicates = _possible_duplicates(request.user, matches, base=jobseeker)
    if duplicates:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="jobseekers.jobseeker",
            count=len(duplicates),
            detail={"possible_duplicates_of": jobseeker.pk},
            request=request,
        )
    from openpes.applications.access import can_refer

    context.update(
        duplicates=duplicates,
        events=sections.event_rows(jobseeker),
        can_refer=can_refer(request.user) and jobseeker.status == JobSeekerStatus.ACTIVE,
    )
    return render(request, "jobseekers/profile.html", context)


@roles_required(STAFF)
def edit_section(request: AuthedRequest, pk: int, section: str, item: int | None = None) -> HttpResponse:
    jobseeker = get_jobseeker_for_edit(request.user, pk)
    return _edit_section(request, jobseeker, section, item, own=False)


@roles_required(STAFF)
@require_POST
def experience_delete(request: AuthedRequest, pk: int, item: int) -> HttpResponse:
    return _delete_experience(request, get_jobseeker_for_edit(request.user, pk), item, own=False)


def _back(jobseeker: JobSeeker, *, own: bool, section: str = "") -> str:
    url = reverse("jobseekers:my_profile") if own else reverse("jobseekers:detail", args=[jobseeker.pk])
    return f"{url}#section-{section}" if section else url


def _edit_section(
    request: AuthedRequest, jobseeker: JobSeeker, name: str, item: int | None, *, own: bool
) -> HttpResponse:
    section = section_or_404(name, user=request.user, jobseeker=jobseeker)
    experience = None
    if item is not None:
        if name != "experience":
            raise Http404
        experience = WorkExperience.objects.filter(jobseeker=jobseeker, pk=item).first()
        if experience is None:
            raise Http404
    refresh = _places_refresh(request) if name == "contact" else None
    form = refresh if refresh is not None else make_form(section, request, jobseeker, experience)
    if request.method == "POST" and refresh is None and form.is_valid():
        try:
            if name == "experience":
                actions.save_experience(
                    actor=request.user,
                    jobseeker=jobseeker,
                    fields=form.cleaned_data,
                    experience=experience,
                    request=request,
                )
            else:
                section.save(request, jobseeker, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if name == "cv":
                return redirect(request.path)
            return redirect(_back(jobseeker, own=own, section=name))
    context = {
        "jobseeker": jobseeker,
        "own": own,
        "section": section,
        "form": form,
        "experience": experience,
        "back_url": _back(jobseeker, own=own, section=name),
        "documents": jobseeker.documents.all() if name == "cv" else [],
        "delete_url": (
            reverse("jobseekers:my_experience_delete", args=[experience.pk])
            if own and experience
            else reverse("jobseekers:experience_delete", args=[jobseeker.pk, experience.pk])
            if experience
            else ""
        ),
    }
    if refresh is not None and request.method == "GET":
        return render(request, "jobseekers/section_edit.html#places", context)
    if request.method == "GET":
        record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    return render(request, "jobseekers/section_edit.html", context)


def _places_refresh(request: AuthedRequest) -> forms.ContactForm | None:
    """The contact form redrawn with the district and commune lists of the province and district chosen:
    for htmx (a GET with the form's values, answered with the lists only) or, without JavaScript, for the
    "show the districts" button. Nothing is saved or checked yet."""
    if request.method == "GET" and request.htmx and "province" in request.GET:
        source = request.GET
    elif request.method == "POST" and "refresh" in request.POST:
        source = request.POST
    else:
        return None
    initial = {name: source.get(name, "") for name in forms.ContactForm.base_fields}
    return forms.ContactForm(initial=initial, places_url=request.path)


def _delete_experience(request: AuthedRequest, jobseeker: JobSeeker, item: int, *, own: bool) -> HttpResponse:
    experience = WorkExperience.objects.filter(jobseeker=jobseeker, pk=item).first()
    if experience is None:
        raise Http404
    actions.delete_experience(actor=request.user, experience=experience, request=request)
    messages.success(request, _("The job was removed from your work history."))
    return redirect(_back(jobseeker, own=own, section="experience"))


@roles_required(EDITORS)
def merge(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """Merge two records of one person: choose the one to keep, confirm, and the other's history moves."""
    first = get_jobseeker_for_edit(request.user, pk)
    second = get_jobseeker_for_edit(request.user, other)
    if first.pk == second.pk:
        raise Http404
    form = forms.MergeForm(request.POST or None, records=(first, second), initial={"keep": first.pk})
    if request.method == "POST" and form.is_valid():
        keep, duplicate = (first, second) if form.cleaned_data["keep"] == first.pk else (second, first)
        try:
            actions.merge_jobseekers(actor=request.user, keep=keep, duplicate=duplicate, request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The two records are now one."))
            return redirect("jobseekers:detail", keep.pk)
    elif request.method == "GET":
        for jobseeker in (first, second):
            record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    rows = [
        (gettext_lazy("Name"), first.display_name, second.display_name),
        (gettext_lazy("Date of birth"), first.date_of_birth, second.date_of_birth),
        (gettext_lazy("National ID card number"), first.masked_national_id, second.masked_national_id),
        (gettext_lazy("Phone number"), first.masked_phone, second.masked_phone),
        (gettext_lazy("Job centre"), first.owner_centre, second.owner_centre),
        (gettext_lazy("Registered on"), first.created_at, second.created_at),
        (gettext_lazy("Status"), first.get_status_display(), second.get_status_display()),
        (gettext_lazy("Applications"), first.applications.count(), second.applications.count()),
        (gettext_lazy("Jobs in work history"), first.experience.count(), second.experience.count()),
        (gettext_lazy("Account for signing in"), _yes_no(first.user_id), _yes_no(second.user_id)),
    ]
    shown = [(label, *("—" if value in (None, "") else value for value in values)) for label, *values in rows]
    return render(request, "jobseekers/merge.html", {"form": form, "first": first, "second": second, "rows": shown})


def _yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


@roles_required(EDITORS)
@require_POST
def not_duplicate(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    first = get_jobseeker_for_edit(request.user, pk)
    second = get_jobseeker_for_edit(request.user, other)
    if first.pk == second.pk:
        raise Http404
    actions.dismiss_duplicate(actor=request.user, first=first, second=second, request=request)
    messages.success(request, _("Noted: these are two different people."))
    return redirect("jobseekers:detail", first.pk)


# -- CV files --------------------------------------------------------------------------------------------------


def cv_download(request: AuthedRequest, pk: int) -> FileResponse:
    """A CV, as an attachment that the browser must never run or display inline (S11)."""
    document = get_document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(
        actor=request.user, action=AuditAction.DOWNLOAD, obj=document, subject_id=document.jobseeker_id, request=request
    )
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_POST
def cv_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    jobseeker = document.jobseeker
    if not can_edit_jobseeker(request.user, jobseeker):
        raise PermissionDenied
    actions.delete_cv(actor=request.user, document=document, request=request)
    messages.success(request, _("The file was deleted."))
    if jobseeker.user_id is not None and jobseeker.user_id == request.user.pk:
        return redirect("jobseekers:my_section", "cv")
    return redirect("jobseekers:edit_section", jobseeker.pk, "cv")
