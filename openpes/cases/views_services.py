"""Services pages of case management: the appointment calendar and slots, booking (by staff for a case and by
jobseekers for open slots), the partner directory and referrals to services, placements with evidence and
their follow-ups (call script or message), employer contacts and shortlists.

Views: access helper → form → action → render or redirect. Pages that show a person's data write an audit row
for the read. `case_services_context` feeds the sections of the case page (cases:detail).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.applications.access import get_applications_for_user, shared_profile
from openpes.applications.enums import ApplicationSource
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.cases import forms_services as forms
from openpes.cases import service_lists as lists
from openpes.cases.access import (
    bookable_slots,
    can_edit_partners,
    can_follow_up,
    can_manage_slot,
    can_work_on_case,
    get_appointment_for_user,
    get_appointments_for_user,
    get_bookable_slot,
    get_case_for_user,
    get_case_for_work,
    get_follow_up_for_user,
    get_follow_ups_for_user,
    get_placement_for_user,
    get_placements_for_user,
    get_service_referral_for_user,
    get_shortlist_for_user,
    get_shortlists_for_user,
    get_slot_for_user,
    get_slots_for_user,
)
from openpes.cases.actions import services as actions
from openpes.cases.actions.casefile import close_case, eligible_counsellors
from openpes.cases.caseload import team_members
from openpes.cases.enums import AppointmentStatus, ClosureReason, ServiceOutcome
from openpes.cases.models import Appointment, Case, EmployerContact, Partner, PartnerService, PlanAction
from openpes.employers.access import get_employer_for_user, get_employers_for_user
from openpes.employers.models import Employer
from openpes.jobseekers.access import get_jobseekers_for_user, get_own_jobseeker
from openpes.jobseekers.search import jobseeker_index
from openpes.lib.decorators import roles_required, staff_required
from openpes.lib.http import AuthedRequest
from openpes.lib.pagination import paginate
from openpes.lib.uploads import check_upload
from openpes.vacancies.access import get_managed_vacancy

CASEWORKERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER]
READERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR]
BOOKING_DAYS = 28


def _posted(request: AuthedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _error_into(form: Form, error: ValidationError) -> None:
    """Put an action's error on the form: on the field it names when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _next_url(request: AuthedRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _when(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise Http404


def _audit_case_page(request: AuthedRequest, case: Case, page: str) -> None:
    """A form page about a person (their name and case above it) is a read of personal data."""
    if request.method == "GET":
        record(
            actor=request.user,
            action=AuditAction.VIEW,
            obj=case,
            subject_id=case.jobseeker_id,
            detail={"page": page},
            request=request,
        )


def _case_or_none(request: AuthedRequest, pk: int) -> Case | None:
    try:
        return get_case_for_user(request.user, pk)
    except Http404:
        return None


# -- the case page's sections ----------------------------------------------------------------------------------


def case_services_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    """What the case page's appointments, referrals and placements sections show (cases:detail includes
    `cases/services/_case_*.html`). A handful of queries, whatever the case's history."""
    now = timezone.now()
    appointments = list(
        Appointment.objects.filter(case=case).select_related("counsellor", "centre").order_by("-starts_at", "-pk")[:20]
    )
    placements = list(
        get_placements_for_user(request.user)
        .filter(jobseeker_id=case.jobseeker_id)
        .select_related("evidence")
        .prefetch_related("follow_ups")
        .order_by("-start_date", "-pk")[:10]
    )
    vacancy_referrals = list(
        get_applications_for_user(request.user)
        .filter(jobseeker_id=case.jobseeker_id, source=ApplicationSource.REFERRED)
        .order_by("-created_at", "-pk")[:10]
    )
    placed_since_opened = any(p.recorded_at >= case.opened_at for p in placements)
    return {
        "svc_now": now,
        "svc_upcoming": [a for a in appointments if a.starts_at >= now and a.status == AppointmentStatus.BOOKED][::-1],
        "svc_past": [a for a in appointments if not (a.starts_at >= now and a.status == AppointmentStatus.BOOKED)],
        "svc_referrals": list(
            case.service_referrals.select_related("service__partner", "action").order_by("-referred_at", "-pk")
        ),
        "svc_vacancy_referrals": vacancy_referrals,
        "svc_outcome_choices": [c for c in ServiceOutcome.choices if c[0] != ServiceOutcome.PENDING],
        "svc_placements": placements,
        "svc_offer_close": case.is_open and placed_since_opened,
        "svc_final_outcomes": sorted(actions.FINAL_OUTCOMES),
    }


# -- appointments: the calendar and slots ----------------------------------------------------------------------


def _calendar_counsellors(request: AuthedRequest) -> Any:
    return team_members(request.user).filter(centre_id=request.user.centre_id).order_by("full_name", "pk")


@roles_required(CASEWORKERS)
def calendar(request: AuthedRequest) -> HttpResponse:
    """A day or a week of appointments and free slots, for me, a colleague or the whole centre."""
    counsellors = _calendar_counsellors(request)
    today = timezone.localdate()
    form = forms.CalendarForm(request.GET or None, counsellors=counsellors, initial={"day": today, "view": "day"})
    day, view, whose = today, "day", ""
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["day"] or today
        view = form.cleaned_data["view"] or "day"
        whose = form.cleaned_data["counsellor"]
    first = day - timedelta(days=day.weekday()) if view == "week" else day
    length = 7 if view == "week" else 1
    appointments = get_appointments_for_user(request.user).filter(centre_id=request.user.centre_id)
    slots = get_slots_for_user(request.user).filter(centre_id=request.user.centre_id)
    if whose == "all":
        pass
    elif whose:
        appointments, slots = appointments.filter(counsellor_id=int(whose)), slots.filter(counsellor_id=int(whose))
    else:
        appointments, slots = appointments.filter(counsellor=request.user), slots.filter(counsellor=request.user)
    days = lists.calendar_days(appointments, slots, first, length)
    booked = sum(1 for d in days for row in d.rows if row.appointment)
    record(actor=request.user, action=AuditAction.LIST, object_type="cases.appointment", count=booked, request=request)
    step = timedelta(days=length)
    query = {"view": view, "counsellor": whose}
    return render(
        request,
        "cases/services/calendar.html",
        {
            "form": form,
            "days": days,
            "view": view,
            "first": first,
            "last": first + timedelta(days=length - 1),
            "previous": {**query, "day": (first - step).isoformat()},
            "following": {**query, "day": (first + step).isoformat()},
            "now": timezone.now(),
            "show_counsellor": whose == "all",
        },
    )


@roles_required(CASEWORKERS)
def slot_new(request: AuthedRequest) -> HttpResponse:
    """Publish free times: one or several in a row, repeated weekly if wished."""
    if request.user.role == Role.COUNSELLOR:
        counsellors = team_members(request.user).filter(pk=request.user.pk)
    else:
        counsellors = team_members(request.user).order_by("centre__code", "full_name")
    form = forms.SlotForm(_posted(request), counsellors=counsellors, initial={"counsellor": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slots = actions.publish_slots(
                actor=request.user,
                counsellor=data["counsellor"],
                starts_at=form.starts_at() or timezone.now(),
                minutes=data["minutes"],
                kind=data["kind"],
                open_to_jobseekers=data["open_to_jobseekers"],
                weeks=data["weeks"],
                count=data["count"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("%(n)s free times published.") % {"n": len(slots)})
            return redirect(
                reverse("cases:calendar")
                + f"?day={data['day'].isoformat()}&view=week&counsellor={data['counsellor'].pk}"
            )
    return render(request, "cases/services/slot_form.html", {"form": form})


@roles_required(CASEWORKERS)
@require_POST
def slot_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    slot = get_slot_for_user(request.user, pk)
    if not can_manage_slot(request.user, slot):
        raise PermissionDenied
    try:
        actions.delete_slot(actor=request.user, slot=slot, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The free time was removed."))
    return redirect(_next_url(request, reverse("cases:calendar")))


# -- appointments: booking, cancelling, attendance --------------------------------------------------------------


@roles_required(CASEWORKERS)
def book(request: AuthedRequest, pk: int) -> HttpResponse:
    """Book an appointment for a case: a free slot of the case's centre, or a time agreed with the person."""
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    free = (
        get_slots_for_user(request.user)
        .filter(centre_id=case.owner_centre_id, starts_at__gt=timezone.now(), appointment__isnull=True)
        .order_by("starts_at")
    )
    counsellors = eligible_counsellors(case.owner_centre)
    form = forms.BookForm(
        _posted(request),
        slots=free,
        counsellors=counsellors,
        initial={"counsellor": case.counsellor_id or request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = actions.book_appointment(
                actor=request.user,
                case=case,
                slot=data["slot"],
                counsellor=data["counsellor"],
                starts_at=form.starts_at(),
                minutes=data["minutes"],
                kind=data["kind"],
                purpose=data["purpose"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Appointment booked for %(when)s.") % {"when": _when(appointment.starts_at)})
            return redirect(reverse("cases:detail", args=[case.pk]) + "#appointments-title")
    _audit_case_page(request, case, "book")
    return render(request, "cases/services/book.html", {"case": case, "form": form, "can_work": True})


def _appointment_for_work(request: AuthedRequest, pk: int) -> Appointment:
    appointment = get_appointment_for_user(request.user, pk)
    if not can_work_on_case(request.user, appointment.case):
        raise PermissionDenied
    return appointment


@roles_required(CASEWORKERS)
@require_POST
def appointment_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = _appointment_for_work(request, pk)
    try:
        actions.cancel_appointment(actor=request.user, appointment=appointment, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appointment was cancelled; the time is free again."))
    return redirect(_next_url(request, reverse("cases:detail", args=[appointment.case_id])))


@roles_required(CASEWORKERS)
@require_POST
def appointment_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = _appointment_for_work(request, pk)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the person came."))
    else:
        attended = bool(form.cleaned_data["attended"])
        try:
            actions.record_attendance(actor=request.user, appointment=appointment, attended=attended, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded: came.") if attended else _("Recorded: did not come."))
    return redirect(_next_url(request, reverse("cases:detail", args=[appointment.case_id])))


# -- the jobseeker's own appointments ---------------------------------------------------------------------------


@roles_required([Role.JOBSEEKER])
def my_appointments(request: AuthedRequest) -> HttpResponse:
    """My appointments, and the free times of my job centre I can book myself."""
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        messages.info(request, _("Complete your registration first."))
        return redirect("home")
    now = timezone.now()
    mine = get_appointments_for_user(request.user).order_by("-starts_at")
    upcoming = list(mine.filter(status=AppointmentStatus.BOOKED, starts_at__gt=now).order_by("starts_at"))
    past = list(mine.exclude(status=AppointmentStatus.BOOKED, starts_at__gt=now)[:10])
    free = bookable_slots(request.user).filter(starts_at__lt=now + timedelta(days=BOOKING_DAYS)).order_by("starts_at")
    by_day: dict[Any, list[Any]] = {}
    for slot in free[:80]:
        by_day.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    if upcoming or past:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="cases.appointment",
            count=len(upcoming) + len(past),
            request=request,
        )
    return render(
        request,
        "cases/services/my_appointments.html",
        {"upcoming": upcoming, "past": past, "free_days": sorted(by_day.items()), "centre": jobseeker.owner_centre},
    )


@roles_required([Role.JOBSEEKER])
@require_POST
def my_book(request: AuthedRequest, slot: int) -> HttpResponse:
    jobseeker = get_own_jobseeker(request.user)
    if jobseeker is None:
        raise Http404
    chosen = get_bookable_slot(request.user, slot)
    try:
        appointment = actions.book_open_slot(actor=request.user, jobseeker=jobseeker, slot=chosen, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your appointment is booked: %(when)s, %(centre)s.")
            % {"when": _when(appointment.starts_at), "centre": appointment.centre.name},
        )
    return redirect("cases:my_appointments")


@roles_required([Role.JOBSEEKER])
@require_POST
def my_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for_user(request.user, pk)
    try:
        actions.cancel_appointment(actor=request.user, appointment=appointment, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your appointment is cancelled."))
    return redirect("cases:my_appointments")


# -- the partner directory --------------------------------------------------------------------------------------


@staff_required
def partners(request: AuthedRequest) -> HttpResponse:
    """Partner organisations and their services, by province and kind."""
    form = forms.PartnerFilterForm(request.GET or None)
    found = Partner.objects.all()
    services = PartnerService.objects.order_by("name_en", "pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            found = found.filter(
                Q(name_km__icontains=text)
                | Q(name_en__icontains=text)
                | Q(services__name_km__icontains=text)
                | Q(services__name_en__icontains=text)
            )
        if data["province"]:
            found = found.filter(services__provinces=data["province"])
            services = services.filter(provinces=data["province"])
        if data["kind"]:
            found = found.filter(kind=data["kind"])
    found = found.distinct().order_by("-is_active", "name_en", "name_km", "pk")
    context = paginate(request, found.prefetch_related(Prefetch("services", queryset=services)), per_page=20)
    context.update(form=form, can_edit=can_edit_partners(request.user))
    return render(request, "cases/services/partners.html", context)


@staff_required
def partner_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        partner = Partner.objects.get(pk=pk)
    except Partner.DoesNotExist:
        raise Http404 from None
    services = partner.services.prefetch_related("provinces").order_by("name_en", "pk")
    return render(
        request,
        "cases/services/partner_detail.html",
        {"partner": partner, "services": services, "can_edit": can_edit_partners(request.user)},
    )


def _partner_for_edit(request: AuthedRequest, pk: int | None) -> Partner | None:
    if not can_edit_partners(request.user):
        raise PermissionDenied
    if pk is None:
        return None
    try:
        return Partner.objects.get(pk=pk)
    except Partner.DoesNotExist:
        raise Http404 from None


@staff_required
def partner_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    partner = _partner_for_edit(request, pk)
    initial = {name: getattr(partner, name) for name in actions.PARTNER_FIELDS} if partner else {"is_active": True}
    form = forms.PartnerForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_partner(actor=request.user, partner=partner, fields=form.cleaned_data, request=request)
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:partner", saved.pk)
    return render(request, "cases/services/partner_form.html", {"form": form, "partner": partner})


@staff_required
def service_form(request: AuthedRequest, pk: int, service: int | None = None) -> HttpResponse:
    partner = _partner_for_edit(request, pk)
    assert partner is not None
    existing = None
    if service is not None:
        existing = partner.services.filter(pk=service).first()
        if existing is None:
            raise Http404
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in actions.SERVICE_FIELDS}
        initial["provinces"] = list(existing.provinces.values_list("pk", flat=True))
    form = forms.PartnerServiceForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        provinces = data.pop("provinces")
        try:
            actions.save_partner_service(
                actor=request.user,
                partner=partner,
                service=existing,
                fields=data,
                provinces=provinces,
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:partner", partner.pk)
    return render(request, "cases/services/service_form.html", {"form": form, "partner": partner, "service": existing})


# -- referrals to partner services ------------------------------------------------------------------------------


@roles_required(CASEWORKERS)
def refer_service(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refer the person to a partner's service available in their province (or the centre's)."""
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    provinces = {case.jobseeker.province_id, case.owner_centre.province_id}
    services = (
        PartnerService.objects.filter(partner__is_active=True, provinces__in=provinces)
        .select_related("partner")
        .distinct()
        .order_by("partner__kind", "partner__name_en", "name_en", "pk")
    )
    plan_actions = PlanAction.objects.filter(objective__plan__case=case).exclude(status__in=["done", "cancelled"])
    initial = {"service": request.GET.get("service"), "action": request.GET.get("action")}
    form = forms.ServiceReferralForm(_posted(request), services=services, actions=plan_actions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.refer_to_service(
                actor=request.user,
                case=case,
                service=data["service"],
                action=data["action"],
                note=data["note"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Referral recorded. Record the outcome when the partner tells you."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#referrals-title")
    _audit_case_page(request, case, "refer_service")
    return render(request, "cases/services/refer_service.html", {"case": case, "form": form, "can_work": True})


@roles_required(CASEWORKERS)
@require_POST
def referral_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = get_service_referral_for_user(request.user, pk)
    if not can_work_on_case(request.user, referral.case):
        raise PermissionDenied
    form = forms.ServiceOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
    else:
        try:
            actions.record_service_outcome(
                actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Outcome recorded."))
    return redirect(reverse("cases:detail", args=[referral.case_id]) + "#referrals-title")


# -- placements -------------------------------------------------------------------------------------------------


@roles_required(CASEWORKERS)
def placement_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """The counsellor records a job the person found, with evidence."""
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    employers = get_employers_for_user(request.user).exclude(verification="refused").order_by("name_en", "name_km")
    form = forms.PlacementForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        employers=employers,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checked = None
        upload = data.get("evidence")
        try:
            if upload is not None:
                checked = check_upload(upload)
            placement = actions.record_placement(
                actor=request.user,
                case=case,
                employer=data["employer"],
                start_date=data["start_date"],
                monthly_wage=data["monthly_wage"],
                note=data["note"],
                evidence=checked,
                original_name=upload.name if upload is not None else "",
                keep_open=data["keep_open"],
                request=request,
            )
        except ValidationError as error:
            if upload is not None and checked is None:
                form.add_error("evidence", error)
            else:
                _error_into(form, error)
        else:
            messages.success(request, _("Placement recorded. Follow-ups are planned at 1, 3 and 6 months."))
            return redirect("cases:placement", placement.pk)
    _audit_case_page(request, case, "placement_new")
    return render(request, "cases/services/placement_form.html", {"case": case, "form": form, "can_work": True})


@roles_required(READERS)
def placement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = get_placement_for_user(request.user, pk)
    evidence = getattr(placement, "evidence", None)
    follow_ups = placement.follow_ups.select_related("done_by").order_by("month")
    record(
        actor=request.user, action=AuditAction.VIEW, obj=placement, subject_id=placement.jobseeker_id, request=request
    )
    latest = Case.objects.filter(jobseeker_id=placement.jobseeker_id).order_by("-episode").first()
    case = _case_or_none(request, latest.pk) if latest else None
    return render(
        request,
        "cases/services/placement.html",
        {
            "placement": placement,
            "evidence": evidence,
            "follow_ups": follow_ups,
            "case": case,
            "can_follow_up": can_follow_up(request.user),
            "today": timezone.localdate(),
        },
    )


def placement_evidence(request: AuthedRequest, pk: int) -> FileResponse:
    """The contract or letter, as an attachment the browser must never run or display inline (S11)."""
    if request.user.role not in CASEWORKERS or not request.user.is_active:
        raise PermissionDenied
    placement = get_placement_for_user(request.user, pk)
    evidence = getattr(placement, "evidence", None)
    if evidence is None or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(
        actor=request.user,
        action=AuditAction.DOWNLOAD,
        obj=evidence,
        subject_id=placement.jobseeker_id,
        request=request,
    )
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name or "evidence", content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@roles_required(CASEWORKERS)
@require_POST
def close_placed(request: AuthedRequest, pk: int) -> HttpResponse:
    """Close the case as "placed in work" after a hire (the follow-ups continue)."""
    case = get_case_for_work(request.user, pk)
    try:
        close_case(actor=request.user, case=case, reason=ClosureReason.PLACED, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is closed as placed in work. The follow-ups continue."))
    return redirect("cases:detail", case.pk)


# -- follow-ups -------------------------------------------------------------------------------------------------


@roles_required(CASEWORKERS)
def follow_ups(request: AuthedRequest) -> HttpResponse:
    """Follow-ups due (today and overdue), coming up, or done: mine, or the whole centre's."""
    state = request.GET.get("state", "due")
    state = state if state in lists.FOLLOW_UP_STATES else "due"
    whose = "all" if request.GET.get("whose") == "all" else "mine"
    today = timezone.localdate()
    found = get_follow_ups_for_user(request.user)
    if whose == "mine":
        found = found.filter(
            Q(case__counsellor=request.user) | Q(case__isnull=True, placement__recorded_by=request.user)
        )
    context = paginate(request, lists.follow_ups_in(found, state, today), per_page=25)
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="cases.followup",
        count=len(context["page_obj"].object_list),
        request=request,
    )
    tabs = [
        {"state": "due", "label": _("Due"), "current": state == "due"},
        {"state": "upcoming", "label": _("Next 30 days"), "current": state == "upcoming"},
        {"state": "done", "label": _("Done"), "current": state == "done"},
    ]
    context.update(state=state, whose=whose, tabs=tabs, today=today)
    return render(request, "cases/services/follow_ups.html", context)


@roles_required(CASEWORKERS)
def follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    """The call script, in the counsellor's language, and the answers form."""
    item = get_follow_up_for_user(request.user, pk)
    placement = item.placement
    initial = {"try_again": True, "channel": item.channel or "call"}
    form = forms.FollowUpForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_follow_up(
                actor=request.user,
                follow_up=item,
                channel=data["channel"],
                reached=bool(data["reached"]),
                still_employed=data["still_employed"],
                same_employer=data["same_employer"],
                monthly_wage=data["monthly_wage"],
                satisfaction=data["satisfaction"],
                notes=data["notes"],
                try_again=data["try_again"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            item.refresh_from_db()
            if item.done_at is None:
                messages.info(request, _("Attempt saved. The follow-up stays on your list."))
            else:
                messages.success(request, _("Follow-up recorded."))
            return redirect("cases:follow_ups")
    if request.method == "GET":
        record(
            actor=request.user, action=AuditAction.VIEW, obj=item, subject_id=placement.jobseeker_id, request=request
        )
    return render(
        request,
        "cases/services/follow_up.html",
        {
            "item": item,
            "placement": placement,
            "person": placement.jobseeker,
            "form": form,
            "centre": placement.centre,
            "today": timezone.localdate(),
        },
    )


@roles_required(CASEWORKERS)
@require_POST
def follow_up_message(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_follow_up_for_user(request.user, pk)
    try:
        actions.queue_follow_up_message(actor=request.user, follow_up=item, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message is on its way. Record the answers when the person replies."))
    return redirect("cases:follow_up", item.pk)


# -- employer services ------------------------------------------------------------------------------------------


def employer_contacts_context(request: Any, employer: Employer, *, limit: int = 5) -> dict[str, Any]:
    """For the employer's page (`cases/services/_employer_contacts.html`): the latest contacts, for staff only."""
    user = request.user
    if not getattr(user, "is_pes_staff", False) or user.role not in CASEWORKERS + [Role.NATIONAL_OFFICER]:
        return {"show_contacts": False}
    contacts = list(employer.contacts.select_related("staff").order_by("-at", "-pk")[: limit + 1])
    return {
        "show_contacts": True,
        "employer": employer,
        "contacts": contacts[:limit],
        "more_contacts": len(contacts) > limit,
        "can_record_contact": user.role in CASEWORKERS,
    }


@roles_required(CASEWORKERS)
def employer_contacts(request: AuthedRequest, pk: int) -> HttpResponse:
    """All contacts with an employer, and the form to record a new one."""
    employer = get_employer_for_user(request.user, pk)
    form = forms.EmployerContactForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_employer_contact(
                actor=request.user,
                employer=employer,
                kind=data["kind"],
                summary=data["summary"],
                at=form.contact_time(),
                next_contact_on=data["next_contact_on"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("cases:employer_contacts", employer.pk)
    contacts = EmployerContact.objects.filter(employer=employer).select_related("staff").order_by("-at", "-pk")
    context = paginate(request, contacts, per_page=20)
    context.update(employer=employer, form=form)
    return render(request, "cases/services/employer_contacts.html", context)


@roles_required(CASEWORKERS)
def employers_due(request: AuthedRequest) -> HttpResponse:
    """Employers to contact: the planned next contact has come, or nobody called them for six months."""
    employers = get_employers_for_user(request.user).select_related("province")
    due = lists.employers_due_for_contact(employers, timezone.localdate())
    context = paginate(request, due, per_page=25)
    context.update(today=timezone.localdate(), every=lists.CONTACT_EVERY_DAYS)
    return render(request, "cases/services/employers_due.html", context)


@roles_required(CASEWORKERS)
def shortlist_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pre-screen people for a vacancy and send the shortlist: each chosen person becomes a referral."""
    vacancy = get_managed_vacancy(request.user, pk)
    if not vacancy.is_open:
        messages.error(request, _("This vacancy is no longer open."))
        return redirect("vacancies:detail_manage", vacancy.pk)
    people = get_jobseekers_for_user(request.user).filter(status="active")
    form = forms.ShortlistForm(_posted(request))
    if request.method == "POST":
        chosen_ids = [value for value in request.POST.getlist("candidate") if value.isdigit()][:50]
        chosen = {str(p.pk): p for p in people.filter(pk__in=chosen_ids)}
        if len(chosen) != len(set(chosen_ids)):
            raise Http404  # someone outside the user's scope
        candidates = [(chosen[pk], request.POST.get(f"note-{pk}", "")) for pk in dict.fromkeys(chosen_ids)]
        if form.is_valid():
            try:
                shortlist = actions.send_shortlist(
                    actor=request.user,
                    vacancy=vacancy,
                    candidates=candidates,
                    message=form.cleaned_data["message"],
                    request=request,
                )
            except ValidationError as error:
                _error_into(form, error)
            else:
                messages.success(request, _("The shortlist was sent: %(n)s people referred.") % {"n": len(candidates)})
                return redirect("cases:shortlist", shortlist.pk)
    search = forms.CandidateSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    already = set(vacancy.applications.values_list("jobseeker_id", flat=True))
    found = jobseeker_index.filter(people.exclude(pk__in=already), query)
    ranking = ("-search_rank", "-created_at") if query else ("-created_at",)
    found = found.order_by(*ranking)
    results = list(found.select_related("province", "education_level")[:20])
    posted_notes = {key[5:]: value for key, value in request.POST.items() if key.startswith("note-")}
    posted_chosen = set(request.POST.getlist("candidate"))
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="jobseekers.jobseeker",
        count=len(results),
        detail={"shortlist_for": vacancy.pk},
        request=request,
    )
    rows = [
        {"person": p, "note": posted_notes.get(str(p.pk), ""), "chosen": str(p.pk) in posted_chosen} for p in results
    ]
    return render(
        request,
        "cases/services/shortlist_form.html",
        {"vacancy": vacancy, "form": form, "search": search, "rows": rows, "query": query},
    )


@roles_required([*CASEWORKERS, Role.EMPLOYER])
def shortlist_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A sent shortlist. The employer sees each candidate's shared profile and the pre-screening note, never
    case data."""
    shortlist = get_shortlist_for_user(request.user, pk)
    applications = list(shortlist.applications.select_related("jobseeker__province", "jobseeker__education_level"))
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="applications.application",
        count=len(applications),
        detail={"shortlist": shortlist.pk},
        request=request,
    )
    candidates = [{"application": a, "profile": shared_profile(a.jobseeker)} for a in applications]
    return render(
        request,
        "cases/services/shortlist.html",
        {"shortlist": shortlist, "vacancy": shortlist.vacancy, "candidates": candidates},
    )


def vacancy_shortlists_context(request: Any, vacancy: Any) -> dict[str, Any]:
    """For the vacancy page (`cases/services/_vacancy_shortlists.html`): its sent shortlists, for the employer
    and the staff who manage it."""
    user = request.user
    shortlists = list(
        get_shortlists_for_user(user)
        .filter(vacancy=vacancy, sent_at__isnull=False)
        .prefetch_related("applications__jobseeker")
        .order_by("-sent_at")[:10]
    )
    return {
        "vacancy": vacancy,
        "shortlists": shortlists,
        "can_shortlist": user.role in CASEWORKERS and vacancy.is_open,
        "show_shortlists": bool(shortlists) or (user.role in CASEWORKERS and vacancy.is_open),
    }
