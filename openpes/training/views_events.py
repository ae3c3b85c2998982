"""Tiers 2–4 in the browser: programmes and events, enrolment, attendance (roster, rotating-code check-in,
imported sheets and webinar reports), ToT teach-backs and trainer certification, materials, evaluation
(L1–L4) and the programme reports with their exports.

Views: access helper → form → action → render or redirect.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.decorators import roles_required, staff_required
from openpes.lib.exports import Sheet, export_response
from openpes.lib.http import AuthedRequest
from openpes.lib.i18n import pick
from openpes.lib.pagination import paginate
from openpes.training import attendance as codes
from openpes.training import reports
from openpes.training.access import (
    READERS,
    RUNNERS,
    get_event_for_user,
    get_events_for_user,
    get_managed_event,
    get_managed_events,
    get_programmes_for_user,
    get_trainees_for_user,
    reads_reports,
    runs_programme,
)
from openpes.training.actions import events as actions
from openpes.training.enums import (
    CertificationStatus,
    QuizKind,
    RaterKind,
    RegistrationStatus,
    Tier,
)
from openpes.training.forms_events import (
    AttendanceFileForm,
    CaseworkForm,
    CertifyForm,
    CheckInForm,
    EnrolForm,
    EventForm,
    ManualMatchForm,
    MaterialForm,
    ProgrammeForm,
    RatingForm,
    ReactionForm,
    ReportFilterForm,
    RevokeForm,
    RosterForm,
    TeachBackForm,
    active_staff,
)
from openpes.training.models import (
    AttendanceImport,
    AttendanceImportRow,
    CheckInKey,
    Competence,
    Event,
    FundingProject,
    Material,
    Programme,
    Quiz,
    ReactionResponse,
    Registration,
    TrainerCertification,
)

runners_only = roles_required(RUNNERS)
readers_only = roles_required(READERS)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _participants(event: Event) -> list[User]:
    return list(
        User.objects.filter(
            training_registrations__event=event, training_registrations__status=RegistrationStatus.REGISTERED
        )
        .select_related("centre")
        .order_by("full_name", "pk")
    )


def _manages(user: User, event: Event) -> bool:
    return get_managed_events(user).filter(pk=event.pk).exists()


# ------------------------------------------------------------------------------------------ programmes


@readers_only
def programme_list(request: AuthedRequest) -> HttpResponse:
    programmes = (
        get_programmes_for_user(request.user)
        .prefetch_related("funding_projects")
        .annotate(event_count=Count("events", distinct=True), course_count=Count("courses", distinct=True))
    )
    return render(
        request,
        "training/events/programme_list.html",
        {"programmes": programmes, "runs": runs_programme(request.user)},
    )


@runners_only
def programme_new(request: AuthedRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.save_programme(
                actor=request.user,
                fields=form.programme_fields(),
                funding_projects=form.cleaned_data["funding_projects"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The programme is created. Now add its events."))
            return redirect("training:programme_detail", programme.pk)
    return render(
        request,
        "training/events/form_page.html",
        {"form": form, "title": _("New programme"), "cancel_url": reverse("training:programmes")},
    )


@runners_only
def programme_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(get_programmes_for_user(request.user), pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_programme(
                actor=request.user,
                programme=programme,
                fields=form.programme_fields(),
                funding_projects=form.cleaned_data["funding_projects"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("training:programme_detail", programme.pk)
    return render(
        request,
        "training/events/form_page.html",
        {
            "form": form,
            "title": _("Edit the programme"),
            "subtitle": programme.title,
            "cancel_url": reverse("training:programme_detail", args=[programme.pk]),
        },
    )


@readers_only
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(
        get_programmes_for_user(request.user).select_related("framework").prefetch_related("funding_projects"), pk=pk
    )
    events = (
        programme.events.select_related("province", "lead_trainer")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED), distinct=True
            )
        )
        .order_by("starts_on", "pk")
    )
    by_tier = [
        (Tier(tier).label, tier, [e for e in events if e.tier == tier])
        for tier in (Tier.TOT, Tier.PROVINCIAL, Tier.WEBINAR)
    ]
    context = {
        "programme": programme,
        "description": pick(programme.description_km, programme.description_en),
        "by_tier": by_tier,
        "courses": programme.courses.order_by("title_en"),
        "runs": runs_programme(request.user),
    }
    return render(request, "training/events/programme_detail.html", context)


# ------------------------------------------------------------------------------------------ events


@staff_required
def event_list(request: AuthedRequest) -> HttpResponse:
    """Events the user may open: all for coordinators and readers; their own and open ones for others."""
    tier = request.GET.get("tier", "")
    when = request.GET.get("when", "upcoming")
    events = get_events_for_user(request.user)
    if tier in Tier.values:
        events = events.filter(tier=tier)
    today = timezone.localdate()
    events = (
        events.filter(ends_on__gte=today).order_by("starts_on", "pk")
        if when != "past"
        else events.filter(ends_on__lt=today).order_by("-starts_on", "-pk")
    )
    events = events.annotate(
        registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED), distinct=True)
    )
    mine = set(
        Registration.objects.filter(participant=request.user, status=RegistrationStatus.REGISTERED).values_list(
            "event_id", flat=True
        )
    )
    context = paginate(request, events, per_page=25)
    context.update(
        {
            "tier": tier,
            "when": when,
            "tiers": [(t, Tier(t).label) for t in (Tier.TOT, Tier.PROVINCIAL, Tier.WEBINAR)],
            "mine": mine,
            "runs": runs_programme(request.user),
        }
    )
    return render(request, "training/events/event_list.html", context)


def _event_form_page(
    request: AuthedRequest, form: EventForm, programme: Programme, event: Event | None
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "programme": programme,
        "event": event,
        "tier_label": Tier(form.tier).label,
        "cancel_url": reverse("training:event_detail", args=[event.pk])
        if event
        else reverse("training:programme_detail", args=[programme.pk]),
    }
    if form.tier == Tier.WEBINAR:
        context["topics"] = reports.trending_topics()
    return render(request, "training/events/event_form.html", context)


@runners_only
def event_new(request: AuthedRequest, programme_pk: int) -> HttpResponse:
    programme = get_object_or_404(get_programmes_for_user(request.user), pk=programme_pk)
    tier = request.GET.get("tier") or request.POST.get("tier") or ""
    if tier not in (Tier.TOT, Tier.PROVINCIAL, Tier.WEBINAR):
        raise Http404
    initial = {"funding_projects": list(programme.funding_projects.all()), "starts_on": timezone.localdate()}
    if tier == Tier.WEBINAR:
        initial.update(hours=2, self_enrolment=True)
    form = EventForm(request.POST or None, tier=tier, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.save_event(
                actor=request.user,
                programme=programme,
                fields={**form.event_fields(), "tier": tier},
                funding_projects=form.cleaned_data["funding_projects"],
                facilitators=form.cleaned_data.get("facilitators") or [],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The event is created."))
            return redirect("training:event_detail", event.pk)
    return _event_form_page(request, form, programme, None)


@runners_only
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_managed_event(request.user, pk)
    form = EventForm(request.POST or None, instance=event, tier=event.tier, programme=event.programme)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_event(
                actor=request.user,
                programme=event.programme,
                event=event,
                fields=form.event_fields(),
                funding_projects=form.cleaned_data["funding_projects"],
                facilitators=form.cleaned_data.get("facilitators") or [],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("training:event_detail", event.pk)
    return _event_form_page(request, form, event.programme, event)


def _event_tests(event: Event) -> list[Quiz]:
    if event.course_id is None:
        return []
    return list(Quiz.objects.filter(course_id=event.course_id, kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST]))


@staff_required
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    event = get_event_for_user(user, pk)
    manages = _manages(user, event)
    registration = event.registrations.filter(participant=user).first()
    enrolled = registration is not None and registration.status == RegistrationStatus.REGISTERED
    participant = enrolled or event.attendance.filter(participant=user).exists()
    today = timezone.localdate()
    days = event.days
    counts = dict(event.attendance.values("day").annotate(n=Count("pk")).values_list("day", "n"))
    context: dict[str, Any] = {
        "event": event,
        "manages": manages,
        "runs": runs_programme(user),
        "reads": reads_reports(user),
        "enrolled": enrolled,
        "participant": participant,
        "registered_count": actions.registered_count(event),
        "days": [(day, counts.get(day, 0)) for day in days],
        "today_is_event_day": today in days,
        "facilitators": event.facilitators.select_related("centre").order_by("full_name"),
        "funding_projects": event.funding_projects.all(),
        "tests": _event_tests(event),
        "materials": event.materials.order_by("-uploaded_at")
        if (participant or manages or reads_reports(user))
        else [],
        "can_self_enrol": (event.self_enrolment and not enrolled and event.ends_on >= today and user.is_active),
        "my_days": sorted(event.attendance.filter(participant=user).values_list("day", flat=True)),
        "answered_survey": ReactionResponse.objects.filter(event=event, participant=user).exists(),
        "survey_open": participant and event.starts_on <= today,
        "check_in_open": actions.open_key(event) is not None,
        "today": today,
        "description": pick(event.description_km, event.description_en),
    }
    if event.tier == Tier.PROVINCIAL and event.trainer_certification_id:
        context["certification"] = event.trainer_certification
    if event.tier == Tier.TOT and (manages or reads_reports(user)):
        context["certified_count"] = event.certifications.values("trainer_id").distinct().count()
    return render(request, "training/events/event_detail.html", context)


@staff_required
@require_POST
def event_self_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    try:
        actions.self_enrol(actor=request.user, event=event, request=request)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("training:event_detail", event.pk)


@staff_required
@require_POST
def event_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    registration = get_object_or_404(
        Registration, event=event, participant=request.user, status=RegistrationStatus.REGISTERED
    )
    actions.cancel_registration(actor=request.user, registration=registration, request=request)
    messages.success(request, _("Your enrolment is cancelled."))
    return redirect("training:event_detail", event.pk)


@staff_required
def event_participants(request: AuthedRequest, pk: int) -> HttpResponse:
    """The participants (with their attendance) and, for those who manage the event, enrolment of staff."""
    event = get_managed_event(request.user, pk)
    participants = _participants(event)
    enrolled_ids = {p.pk for p in participants}
    query = request.GET.get("q", "").strip()[:100]
    candidates = active_staff().exclude(pk__in=enrolled_ids)
    if query:
        candidates = candidates.filter(
            Q(full_name__icontains=query)
            | Q(email__icontains=query)
            | Q(centre__name_en__icontains=query)
            | Q(centre__name_km__icontains=query)
            | Q(centre__province__name_en__icontains=query)
            | Q(centre__province__name_km__icontains=query)
        )
    form = EnrolForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.enrol(actor=request.user, event=event, people=form.cleaned_data["people"], request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(count)s people enrolled.") % {"count": added})
            return redirect("training:event_participants", event.pk)
    days = event.days
    attended: dict[int, set[date]] = {}
    for person_id, day in event.attendance.values_list("participant_id", "day"):
        attended.setdefault(person_id, set()).add(day)
    rows = [(p, [day in attended.get(p.pk, set()) for day in days]) for p in participants]
    if participants:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="training.registration",
            object_id=event.pk,
            count=len(participants),
            request=request,
        )
    context = {
        "event": event,
        "rows": rows,
        "days": days,
        "form": form,
        "query": query,
        "candidate_count": candidates.count(),
        "capacity_left": None if event.capacity is None else max(event.capacity - len(participants), 0),
    }
    return render(request, "training/events/participants.html", context)


@staff_required
@require_POST
def event_unenrol(request: AuthedRequest, pk: int, person_pk: int) -> HttpResponse:
    event = get_managed_event(request.user, pk)
    registration = get_object_or_404(
        Registration, event=event, participant_id=person_pk, status=RegistrationStatus.REGISTERED
    )
    actions.cancel_registration(actor=request.user, registration=registration, request=request)
    messages.success(request, _("%(name)s is no longer enrolled.") % {"name": registration.participant})
    return redirect("training:event_participants", event.pk)


# ------------------------------------------------------------------------------------------ attendance


@staff_required
def event_roster(request: AuthedRequest, pk: int, day: str) -> HttpResponse:
    event = get_managed_event(request.user, pk)
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if the_day not in event.days:
        raise Http404
    participants = _participants(event)
    present = {str(pk) for pk in event.attendance.filter(day=the_day).values_list("participant_id", flat=True)}
    form = RosterForm(request.POST or None, participants=participants, initial={"present": sorted(present)})
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = actions.record_roster(
                actor=request.user, event=event, day=the_day, present=form.present_ids(), request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(present)s present.") % {"present": len(form.present_ids())},
            )
            return redirect("training:event_participants", event.pk)
    methods = dict(event.attendance.filter(day=the_day).values_list("participant_id", "method"))
    if participants:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="training.attendance",
            object_id=event.pk,
            count=len(participants),
            request=request,
        )
    return render(
        request,
        "training/events/roster.html",
        {
            "event": event,
            "day": the_day,
            "form": form,
            "self_checked": sum(1 for m in methods.values() if m == "check_in"),
        },
    )


def _qr_svg(text: str, label: str) -> SafeString:
    """The check-in QR code as inline SVG (no script, no network): it carries the check-in page with the code."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    svg = svg.split("?>", 1)[-1].strip()
    svg = svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{escape(label)}" ', 1)
    svg = svg.replace('width="', 'data-w="', 1).replace('height="', 'data-h="', 1)
    return mark_safe(svg)  # generated by qrcode from our own URL; the label is escaped


@staff_required
def event_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    """The trainer's check-in screen: open check-in for today, then show the rotating code and its QR code.
    With htmx the code part refreshes itself every few seconds; without, a button reloads the page."""
    event = get_managed_event(request.user, pk)
    today = timezone.localdate()
    if request.method == "POST":
        if request.POST.get("action") == "close":
            key = CheckInKey.objects.filter(event=event, day=today).first()
            if key is not None:
                actions.close_check_in(actor=request.user, key=key, request=request)
                messages.success(request, _("Check-in is closed."))
        else:
            try:
                actions.open_check_in(actor=request.user, event=event, request=request)
            except ValidationError as error:
                messages.error(request, _error_text(error))
        return redirect("training:event_check_in", event.pk)
    key = actions.open_key(event)
    context: dict[str, Any] = {"event": event, "key": key, "today": today, "is_event_day": today in event.days}
    if key is not None:
        now = timezone.now()
        code, seconds_left = codes.current_code(key.secret, now)
        url = request.build_absolute_uri(reverse("training:check_in")) + f"?code={code}"
        context.update(
            {
                "code": code,
                "code_spaced": f"{code[:3]} {code[3:]}",
                "seconds_left": seconds_left,
                "qr": _qr_svg(url, _("QR code for check-in")),
                "present_today": event.attendance.filter(day=today).count(),
                "enrolled": actions.registered_count(event),
                "check_in_url": request.build_absolute_uri(reverse("training:check_in")),
            }
        )
    template = "training/events/check_in_screen.html#code" if request.htmx else "training/events/check_in_screen.html"
    return render(request, template, context)


@staff_required
def check_in(request: AuthedRequest) -> HttpResponse:
    """A participant checks in by typing (or scanning) the code on the trainer's screen."""
    form = CheckInForm(request.POST or None, initial={"code": codes.clean_code(request.GET.get("code", ""))[:6]})
    if request.method == "POST" and form.is_valid():
        try:
            attendance = actions.check_in(actor=request.user, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("You are checked in for %(event)s. Welcome!") % {"event": attendance.event})
            return redirect("training:event_detail", attendance.event_id)
    return render(request, "training/events/check_in.html", {"form": form})


@staff_required
def event_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a webinar platform's participant report or a typed-up paper sign-in sheet."""
    event = get_managed_event(request.user, pk)
    form = AttendanceFileForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        batch = actions.import_attendance(
            actor=request.user,
            event=event,
            file_name=form.cleaned_data["file"].name or "attendance",
            rows=form.cleaned_data["rows"],
            request=request,
        )
        return redirect("training:event_import_detail", event.pk, batch.pk)
    imports = event.attendance_imports.annotate(
        total=Count("rows"), unmatched=Count("rows", filter=Q(rows__matched__isnull=True))
    ).order_by("-imported_at")
    return render(
        request,
        "training/events/import_form.html",
        {"event": event, "form": form, "imports": imports, "aliases": _column_help()},
    )


def _column_help() -> list[tuple[str, str]]:
    return [
        (_("Name"), "Name, Name (Original Name), Full name, Display name"),
        (_("E-mail"), "Email, User Email, E-mail address"),
        (_("Phone"), "Phone, Phone number, Mobile"),
        (_("Staff ID"), "Staff ID, Employee ID, External User ID"),
        (_("Day"), "Date, Day, Join Time, Joined"),
        (_("Time attended"), "Duration (Minutes), Duration, Join Time + Leave Time"),
    ]


@staff_required
def event_import_detail(request: AuthedRequest, pk: int, batch_pk: int) -> HttpResponse:
    """The rows of an import: matched ones, and unmatched ones to match by hand (never by name alone)."""
    event = get_managed_event(request.user, pk)
    batch = get_object_or_404(AttendanceImport, event=event, pk=batch_pk)
    participants = _participants(event)
    candidates = active_staff()
    forms: dict[int, ManualMatchForm] = {}
    if request.method == "POST":
        row = get_object_or_404(AttendanceImportRow, batch=batch, pk=request.POST.get("row") or 0)
        form = ManualMatchForm(
            request.POST, event=event, need_day=row.day is None, candidates=candidates, prefix=f"row{row.pk}"
        )
        if form.is_valid():
            try:
                actions.match_row_by_hand(
                    actor=request.user,
                    row=row,
                    person=form.cleaned_data["person"],
                    day=form.cleaned_data.get("day"),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Line %(line)s is matched to %(name)s.")
                    % {"line": row.line, "name": form.cleaned_data["person"]},
                )
                return redirect("training:event_import_detail", event.pk, batch.pk)
        forms[row.pk] = form
    rows = list(batch.rows.select_related("matched").order_by("line"))
    unmatched = [
        (
            row,
            forms.get(row.pk)
            or ManualMatchForm(event=event, need_day=row.day is None, candidates=candidates, prefix=f"row{row.pk}"),
        )
        for row in rows
        if row.matched_id is None
    ]
    record(actor=request.user, action=AuditAction.VIEW, obj=batch, count=len(rows), request=request)
    return render(
        request,
        "training/events/import_detail.html",
        {
            "event": event,
            "batch": batch,
            "matched": [r for r in rows if r.matched_id is not None],
            "unmatched": unmatched,
            "participant_ids": {p.pk for p in participants},
        },
    )


# ------------------------------------------------------------------------------------------ ToT certification


@staff_required
def event_teach_back(request: AuthedRequest, pk: int, person_pk: int) -> HttpResponse:
    event = get_managed_event(request.user, pk)
    if event.tier != Tier.TOT:
        raise Http404
    person = get_object_or_404(User, pk=person_pk, training_registrations__event=event)
    form = TeachBackForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_teach_back(
                actor=request.user,
                event=event,
                participant=person,
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                observed_on=form.cleaned_data["observed_on"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The teach-back of %(name)s is recorded.") % {"name": person})
            return redirect("training:event_certification", event.pk)
    history = event.teach_backs.filter(participant=person).select_related("evaluator")
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="training.teachback",
        object_id=event.pk,
        subject_id=person.pk,
        request=request,
    )
    return render(
        request,
        "training/events/teach_back.html",
        {"event": event, "person": person, "form": form, "history": history},
    )


@staff_required
def event_certification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Each ToT participant's three conditions (attendance, post-test, teach-back); coordinators certify the
    eligible ones as trainers."""
    event = get_managed_event(request.user, pk)
    if event.tier != Tier.TOT:
        raise Http404
    participants = _participants(event)
    status = actions.certification_status(event, participants)
    certified = {
        c.trainer_id: c for c in TrainerCertification.objects.filter(tot_event=event).order_by("certified_on", "pk")
    }
    eligible = [p for p in participants if status[p.pk].eligible and p.pk not in certified]
    can_certify = runs_programme(request.user)
    form = CertifyForm(request.POST or None, eligible=eligible)
    if request.method == "POST":
        if not can_certify:
            raise PermissionDenied
        if form.is_valid():
            chosen = [p for p in eligible if str(p.pk) in form.cleaned_data["people"]]
            try:
                created = actions.certify_trainers(actor=request.user, event=event, people=chosen, request=request)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("%(count)s trainers certified.") % {"count": len(created)})
                return redirect("training:event_certification", event.pk)
    rows = [(p, status[p.pk], certified.get(p.pk)) for p in participants]
    if participants:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="training.trainercertification",
            object_id=event.pk,
            count=len(participants),
            request=request,
        )
    return render(
        request,
        "training/events/certification.html",
        {
            "event": event,
            "rows": rows,
            "form": form,
            "can_certify": can_certify,
            "eligible": eligible,
            "days_total": len(event.days),
            "all_days": actions.TOT_MIN_ATTENDANCE_SHARE >= 1,
            "years": actions.CERTIFICATION_YEARS,
            "post_test": next((q for q in _event_tests(event) if q.kind == QuizKind.POST_TEST), None),
        },
    )


def _certification_for(request: AuthedRequest, pk: int) -> TrainerCertification:
    certification = get_object_or_404(
        TrainerCertification.objects.select_related("trainer__centre", "tot_event", "certified_by", "renews"), pk=pk
    )
    if certification.trainer_id != request.user.pk:
        # Others see a certification only if they may see the trainer's training records.
        get_object_or_404(get_trainees_for_user(request.user), pk=certification.trainer_id)
    return certification


@staff_required
def certification_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    certification = _certification_for(request, pk)
    today = timezone.localdate()
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=certification,
        subject_id=certification.trainer_id,
        request=request,
    )
    context = {
        "certification": certification,
        "valid_today": certification.is_valid_on(today),
        "expired": certification.valid_until < today,
        "sessions": certification.sessions.select_related("province").order_by("starts_on"),
        "renewals": certification.renewals.order_by("certified_on"),
        "runs": runs_programme(request.user),
        "revoke_form": RevokeForm(),
    }
    return render(request, "training/events/certification_detail.html", context)


@runners_only
@require_POST
def certification_renew(request: AuthedRequest, pk: int) -> HttpResponse:
    certification = _certification_for(request, pk)
    try:
        renewal = actions.renew_certification(actor=request.user, certification=certification, request=request)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("training:certification_detail", certification.pk)
    messages.success(request, _("Renewed: valid until %(date)s.") % {"date": renewal.valid_until.strftime("%d/%m/%Y")})
    return redirect("training:certification_detail", renewal.pk)


@runners_only
def certification_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    certification = _certification_for(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revoke_certification(
                actor=request.user, certification=certification, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The certification is revoked."))
            return redirect("training:certification_detail", certification.pk)
    return render(
        request,
        "training/events/form_page.html",
        {
            "form": form,
            "title": _("Revoke a trainer certification"),
            "subtitle": certification.trainer,
            "lead": _(
                "The trainer can no longer be assigned to lead provincial sessions. "
                "Sessions already held keep their lineage."
            ),
            "submit": _("Revoke"),
            "cancel_url": reverse("training:certification_detail", args=[certification.pk]),
        },
    )


@readers_only
def trainer_list(request: AuthedRequest) -> HttpResponse:
    """Certified trainers: every certification, its ToT, validity and the sessions led under it."""
    status = request.GET.get("status", "valid")
    today = timezone.localdate()
    certifications = TrainerCertification.objects.select_related("trainer__centre__province", "tot_event").annotate(
        session_count=Count("sessions", distinct=True)
    )
    if status == "valid":
        certifications = certifications.filter(status=CertificationStatus.ACTIVE, valid_until__gte=today)
    elif status == "expired":
        certifications = certifications.filter(status=CertificationStatus.ACTIVE, valid_until__lt=today)
    elif status == "revoked":
        certifications = certifications.filter(status=CertificationStatus.REVOKED)
    certifications = certifications.order_by("trainer__full_name", "-certified_on")
    context = paginate(request, certifications, per_page=50)
    context.update({"status": status, "today": today})
    if context["page_obj"].object_list:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="training.trainercertification",
            count=len(context["page_obj"].object_list),
            request=request,
        )
    return render(request, "training/events/trainer_list.html", context)


# ------------------------------------------------------------------------------------------ materials


@staff_required
def material_new(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_managed_event(request.user, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actions.add_material(
            actor=request.user,
            event=event,
            title=form.cleaned_data["title"],
            checked=form.cleaned_data["checked"],
            request=request,
        )
        messages.success(request, _("The material is added. Participants can download it from the event page."))
        return redirect("training:event_detail", event.pk)
    return render(
        request,
        "training/events/form_page.html",
        {
            "form": form,
            "title": _("Add session material"),
            "subtitle": event.title,
            "multipart": True,
            "submit": _("Upload"),
            "cancel_url": reverse("training:event_detail", args=[event.pk]),
        },
    )


def _material_for(request: AuthedRequest, pk: int) -> Material:
    material = get_object_or_404(Material.objects.select_related("event"), pk=pk)
    event = get_event_for_user(request.user, material.event_id)
    user = request.user
    if not (_manages(user, event) or reads_reports(user) or actions.is_participant(user, event)):
        raise Http404
    return material


def material_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    material = _material_for(request, pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(actor=request.user, action=AuditAction.DOWNLOAD, obj=material, request=request)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(material.content_type, "docx")
    response = FileResponse(
        handle, as_attachment=True, filename=f"{material.title[:80]}.{extension}", content_type=material.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@staff_required
@require_POST
def material_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material, pk=pk)
    event = get_managed_event(request.user, material.event_id)
    actions.delete_material(actor=request.user, material=material, request=request)
    messages.success(request, _("The material is deleted."))
    return redirect("training:event_detail", event.pk)


# ------------------------------------------------------------------------------------------ evaluation


@staff_required
def event_survey(request: AuthedRequest, pk: int) -> HttpResponse:
    """Level 1: the participant's reaction survey, answered once."""
    event = get_event_for_user(request.user, pk)
    if not actions.is_participant(request.user, event):
        raise Http404
    if ReactionResponse.objects.filter(event=event, participant=request.user).exists():
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("training:event_detail", event.pk)
    form = ReactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_reaction(
                actor=request.user,
                event=event,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("training:event_detail", event.pk)
    return render(
        request,
        "training/events/form_page.html",
        {
            "form": form,
            "title": _("How was this training?"),
            "subtitle": event.title,
            "lead": _("Your answers help us improve the training. Trainers see only the totals."),
            "submit": _("Send my answers"),
            "cancel_url": reverse("training:event_detail", args=[event.pk]),
        },
    )


@staff_required
def event_evaluation(request: AuthedRequest, pk: int) -> HttpResponse:
    """L1 reaction summary and L2 learning gain of one event."""
    event = get_event_for_user(request.user, pk)
    if not (_manages(request.user, event) or reads_reports(request.user)):
        raise Http404
    pairs = reports.event_score_pairs([event.pk]).get(event.pk, [])
    names = dict(User.objects.filter(pk__in=[p.person_id for p in pairs]).values_list("pk", "full_name"))
    if pairs:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="training.quizattempt",
            object_id=event.pk,
            count=len(pairs),
            request=request,
        )
    from openpes.training import metrics

    return render(
        request,
        "training/events/evaluation.html",
        {
            "event": event,
            "reactions": reports.reaction_summary(event),
            "pairs": sorted(((names.get(p.person_id, ""), p) for p in pairs), key=lambda item: item[0]),
            "mean_gain": metrics.mean_gain(pairs),
            "mean_pre": metrics.mean_or_none(p.pre for p in pairs),
            "mean_post": metrics.mean_or_none(p.post for p in pairs),
        },
    )


@runners_only
@require_POST
def event_issue_certificates(request: AuthedRequest, pk: int) -> HttpResponse:
    """Certificates of participation for everyone who attended (the Learning part renders and verifies them)."""
    event = get_managed_event(request.user, pk)
    people = list(User.objects.filter(training_attendance__event=event).distinct())
    if not people:
        messages.error(request, _("Nobody attended yet: record attendance first."))
        return redirect("training:event_detail", event.pk)
    from openpes.training.actions.certificates import issue_certificates
    from openpes.training.enums import CertificateKind

    try:
        issued = issue_certificates(actor=request.user, kind=CertificateKind.PARTICIPATION, people=people, event=event)
    except (NotImplementedError, ValidationError):
        messages.error(request, _("Certificates cannot be issued yet."))
    else:
        messages.success(request, _("%(count)s certificates of participation issued.") % {"count": len(issued)})
    return redirect("training:event_detail", event.pk)


def _may_rate_as_supervisor(user: User, person: User) -> bool:
    if user.pk == person.pk or user.role not in {Role.CENTRE_MANAGER, *RUNNERS}:
        return False
    return get_trainees_for_user(user).filter(pk=person.pk).exists()


@staff_required
def follow_up_list(request: AuthedRequest) -> HttpResponse:
    """L3: competency follow-ups due (3–6 months after a ToT or provincial session): the user's own
    self-assessments, and supervisor ratings for the staff they supervise."""
    user = request.user
    if user.role in {Role.CENTRE_MANAGER, *RUNNERS}:
        people = get_trainees_for_user(user)
    else:
        people = User.objects.filter(pk=user.pk)
    due = reports.follow_ups_due(people)
    rows = [
        (
            item,
            item.person.pk == user.pk and not item.self_done,
            _may_rate_as_supervisor(user, item.person) and not item.supervisor_done,
        )
        for item in due
    ]
    if due:
        record(
            actor=user,
            action=AuditAction.LIST,
            object_type="training.competencyrating",
            count=len(due),
            request=request,
        )
    return render(request, "training/events/follow_ups.html", {"rows": rows})


@staff_required
def follow_up_rate(request: AuthedRequest, event_pk: int, person_pk: int, kind: str) -> HttpResponse:
    user = request.user
    if kind not in RaterKind.values:
        raise Http404
    person = get_object_or_404(get_trainees_for_user(user), pk=person_pk)
    if kind == RaterKind.SELF and person.pk != user.pk:
        raise Http404
    if kind == RaterKind.SUPERVISOR and not _may_rate_as_supervisor(user, person):
        raise Http404
    event = get_object_or_404(
        Event.objects.select_related("programme__framework").filter(attendance__participant=person).distinct(),
        pk=event_pk,
    )
    framework = event.programme.framework
    competences = (
        list(
            Competence.objects.filter(area__framework=framework).select_related("area").order_by("area__order", "order")
        )
        if framework
        else []
    )
    if actions.rated_already(person, event, kind):
        messages.info(request, _("This follow-up is already done."))
        return redirect("training:follow_ups")
    form = RatingForm(request.POST or None, competences=competences)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_competences(
                actor=user, person=person, rater_kind=kind, levels=form.levels(), event=event, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The follow-up is saved. Thank you."))
            return redirect("training:follow_ups")
    return render(
        request,
        "training/events/rating.html",
        {"form": form, "event": event, "person": person, "kind": kind, "self": kind == RaterKind.SELF},
    )


# ------------------------------------------------------------------------------------------ reports


def _filters(form: ReportFilterForm, project: FundingProject | None = None) -> reports.ReportFilters:
    data = form.cleaned_data if form.is_valid() else {}
    programme = data.get("programme")
    chosen_project = project or data.get("project")
    return reports.ReportFilters(
        programme_id=programme.pk if programme else None,
        funding_project_id=chosen_project.pk if chosen_project else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


@readers_only
def report_index(request: AuthedRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = _filters(form)
    tables = [
        *reports.trained_tables(filters),
        reports.pass_rate_table(filters),
        *reports.learning_tables(filters),
        reports.reaction_table(filters),
        reports.competency_table(filters),
    ]
    return render(
        request,
        "training/reports/index.html",
        {
            "form": form,
            "tables": tables,
            "query": request.GET.urlencode(),
            "projects": FundingProject.objects.order_by("code"),
            "export_name": "report_export",
        },
    )


@readers_only
def report_project(request: AuthedRequest, pk: int) -> HttpResponse:
    """One funding project's report: the events it paid for (alone or with another project) and their results."""
    project = get_object_or_404(FundingProject, pk=pk)
    form = ReportFilterForm(request.GET or None)
    if "project" in form.fields:
        del form.fields["project"]
    filters = _filters(form, project)
    tables = [
        *[t for t in reports.trained_tables(filters) if t.key != "projects"],
        reports.pass_rate_table(filters),
        *reports.learning_tables(filters)[:1],
        reports.reaction_table(filters),
        *reports.cascade_tables(filters)[:1],
    ]
    events = filters.events().order_by("starts_on").prefetch_related("funding_projects")
    return render(
        request,
        "training/reports/project.html",
        {"form": form, "tables": tables, "project": project, "events": events, "query": request.GET.urlencode()},
    )


@readers_only
def report_cascade(request: AuthedRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = _filters(form)
    cascade = reports.load_cascade(filters)
    return render(
        request,
        "training/reports/cascade.html",
        {
            "form": form,
            "tables": reports.cascade_tables(filters, cascade),
            "tree": reports.lineage_tree(cascade),
            "query": request.GET.urlencode(),
        },
    )


@readers_only
def report_casework(request: AuthedRequest) -> HttpResponse:
    """L4: each trained person's casework before and after their training, per cohort (event)."""
    form = CaseworkForm(request.GET or None)
    event = form.cleaned_data.get("event") if form.is_valid() else None
    window = (form.cleaned_data.get("window") if form.is_valid() else None) or 90
    context: dict[str, Any] = {
        "form": form,
        "event": event,
        "window": window,
        "indicators": reports.CASEWORK_INDICATORS,
    }
    if event is not None:
        rows = reports.casework_before_after(reports.cohort_people(event), window_days=window)
        cells = [
            (row, [(row.before[i.code], row.after[i.code]) for i in reports.CASEWORK_INDICATORS]) for row in rows
        ]
        context.update({"rows": cells, "totals": reports.cohort_totals(rows), "query": request.GET.urlencode()})
        if rows:
            record(
                actor=request.user,
                action=AuditAction.LIST,
                object_type="training.casework",
                object_id=event.pk,
                count=len(rows),
                request=request,
            )
    return render(request, "training/reports/casework.html", context)


EXPORTS = {"report", "cascade", "casework", "project"}


@readers_only
def report_export(request: AuthedRequest, kind: str, fmt: str) -> HttpResponse:
    """CSV or XLSX of a report (disability counts below 5 suppressed); one EXPORT audit row with the count."""
    if kind not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    form = ReportFilterForm(request.GET or None)
    if kind == "casework":
        case_form = CaseworkForm(request.GET or None)
        event = case_form.cleaned_data.get("event") if case_form.is_valid() else None
        if event is None:
            raise Http404
        window = case_form.cleaned_data.get("window") or 90
        rows = reports.casework_before_after(reports.cohort_people(event), window_days=window)
        tables = [reports.casework_table(rows, window)]
    elif kind == "cascade":
        tables = reports.cascade_tables(_filters(form))
    elif kind == "project":
        project = get_object_or_404(FundingProject, pk=request.GET.get("for_project") or 0)
        tables = [
            t
            for t in (
                *reports.trained_tables(_filters(form, project)),
                reports.pass_rate_table(_filters(form, project)),
                *reports.learning_tables(_filters(form, project)),
                reports.reaction_table(_filters(form, project)),
                *reports.cascade_tables(_filters(form, project)),
            )
            if t.key != "projects"
        ]
    else:
        tables = reports.all_tables(_filters(form)) + [reports.competency_table(_filters(form))]
    sheets = [Sheet(str(t.title), [str(c) for c in t.columns], t.export_rows()) for t in tables]
    response, count = export_response(sheets, filename=f"training-{kind}-{timezone.localdate().isoformat()}", fmt=fmt)
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type=f"training.report.{kind}",
        count=count,
        detail={"format": fmt},
        request=request,
    )
    return response
