"""ToT teach-backs and trainer certification in the browser: each participant's three conditions,
certifying, renewing and revoking, and the list of certified trainers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.decorators import staff_required
from openpes.lib.http import AuthedRequest
from openpes.lib.pagination import paginate
from openpes.training.access import (
    get_managed_event,
    get_trainees_for_user,
    runs_programme,
)
from openpes.training.actions import events as actions
from openpes.training.enums import (
    CertificationStatus,
    QuizKind,
    Tier,
)
from openpes.training.forms_events import (
    CertifyForm,
    RevokeForm,
    TeachBackForm,
)
from openpes.training.models import (
    TrainerCertification,
)
from openpes.training.views_events import (
    add_errors,
    error_text,
    event_tests,
    participants_of,
    readers_only,
    runners_only,
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
            add_errors(form, error)
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
    participants = participants_of(event)
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
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s trainer certified.", "%(count)s trainers certified.", len(created))
                    % {"count": len(created)},
                )
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
            "post_test": next((q for q in event_tests(event) if q.kind == QuizKind.POST_TEST), None),
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
        messages.error(request, error_text(error))
        return redirect("training:certification_detail", certification.pk)
    messages.success(
        request, _("Renewed: valid until %(date)s.") % {"date": formats.date_format(renewal.valid_until, "DATE_FORMAT")}
    )
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
            add_errors(form, error)
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
