"""Tiers 2–4 in the browser: programmes and events, enrolment, attendance (roster, rotating-code check-in,
imported sheets and webinar reports), ToT teach-backs and trainer certification, materials, evaluation
(L1–L4) and the programme reports with their exports.

Views: access helper → form → action → render or redirect.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.decorators import roles_required, staff_required
from openpes.lib.http import AuthedRequest
from openpes.lib.i18n import pick
from openpes.lib.pagination import paginate
from openpes.training import topics
from openpes.training.access import (
    READERS,
    RUNNERS,
    get_event_for_user,
    get_events_for_user,
    get_managed_event,
    get_managed_events,
    get_programmes_for_user,
    reads_reports,
    runs_programme,
)
from openpes.training.actions import events as actions
from openpes.training.enums import (
    QuizKind,
    RegistrationStatus,
    Tier,
)
from openpes.training.forms_events import (
    EnrolForm,
    EventForm,
    MaterialForm,
    ProgrammeForm,
    active_staff,
)
from openpes.training.models import (
    Event,
    Material,
    Programme,
    Quiz,
    ReactionResponse,
    Registration,
)

ENROL_LIST_LIMIT = 60
runners_only = roles_required(RUNNERS)
readers_only = roles_required(READERS)


def add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def participants_of(event: Event) -> list[User]:
    return list(
        User.objects.filter(
            training_registrations__event=event, training_registrations__status=RegistrationStatus.REGISTERED
        )
        .select_related("centre")
        .order_by("full_name", "pk")
    )


def manages(user: User, event: Event) -> bool:
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
            add_errors(form, error)
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
            add_errors(form, error)
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
        context["topics"] = topics.trending_topics()
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
            add_errors(form, error)
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
            add_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("training:event_detail", event.pk)
    return _event_form_page(request, form, event.programme, event)


def event_tests(event: Event) -> list[Quiz]:
    if event.course_id is None:
        return []
    return list(Quiz.objects.filter(course_id=event.course_id, kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST]))


@staff_required
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    event = get_event_for_user(user, pk)
    runs_it = manages(user, event)
    registration = event.registrations.filter(participant=user).first()
    enrolled = registration is not None and registration.status == RegistrationStatus.REGISTERED
    participant = enrolled or event.attendance.filter(participant=user).exists()
    today = timezone.localdate()
    days = event.days
    counts = dict(event.attendance.values("day").annotate(n=Count("pk")).values_list("day", "n"))
    context: dict[str, Any] = {
        "event": event,
        "manages": runs_it,
        "runs": runs_programme(user),
        "reads": reads_reports(user),
        "enrolled": enrolled,
        "participant": participant,
        "registered_count": actions.registered_count(event),
        "days": [(day, counts.get(day, 0)) for day in days],
        "today_is_event_day": today in days,
        "facilitators": event.facilitators.select_related("centre").order_by("full_name"),
        "funding_projects": event.funding_projects.all(),
        "tests": event_tests(event),
        "materials": event.materials.order_by("-uploaded_at")
        if (participant or runs_it or reads_reports(user))
        else [],
        "can_self_enrol": event.self_enrolment and not enrolled and not runs_it and event.ends_on >= today,
        "my_days": sorted(event.attendance.filter(participant=user).values_list("day", flat=True)),
        "answered_survey": ReactionResponse.objects.filter(event=event, participant=user).exists(),
        "survey_open": participant and event.starts_on <= today,
        "check_in_open": actions.open_key(event) is not None,
        "today": today,
        "description": pick(event.description_km, event.description_en),
    }
    if event.tier == Tier.PROVINCIAL and event.trainer_certification_id:
        context["certification"] = event.trainer_certification
    if event.tier == Tier.TOT and (runs_it or reads_reports(user)):
        context["certified_count"] = event.certifications.values("trainer_id").distinct().count()
    return render(request, "training/events/event_detail.html", context)


@staff_required
@require_POST
def event_self_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    try:
        actions.self_enrol(actor=request.user, event=event, request=request)
    except ValidationError as error:
        messages.error(request, error_text(error))
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
    participants = participants_of(event)
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
    candidate_count = candidates.count()
    if candidate_count > ENROL_LIST_LIMIT:
        # A long list is hard to use on a phone: show the first ones and ask for a search.
        candidates = candidates.filter(pk__in=list(candidates.values_list("pk", flat=True)[:ENROL_LIST_LIMIT]))
    form = EnrolForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.enrol(actor=request.user, event=event, people=form.cleaned_data["people"], request=request)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, ngettext("%(count)s person enrolled.", "%(count)s people enrolled.", added) % {"count": added}
            )
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
        "candidate_count": candidate_count,
        "list_limit": ENROL_LIST_LIMIT,
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
    if not (manages(user, event) or reads_reports(user) or actions.is_participant(user, event)):
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
