"""Evaluation in the browser: the L1 reaction survey, an event's L1/L2 results, certificates of
participation, and L3 competency follow-ups (self and supervisor)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.decorators import staff_required
from openpes.lib.http import AuthedRequest
from openpes.training import reports
from openpes.training.access import (
    RUNNERS,
    get_event_for_user,
    get_managed_event,
    get_trainees_for_user,
    reads_reports,
)
from openpes.training.actions import events as actions
from openpes.training.enums import (
    RaterKind,
)
from openpes.training.forms_events import (
    RatingForm,
    ReactionForm,
)
from openpes.training.models import (
    Competence,
    CompetencyFramework,
    Event,
    ReactionResponse,
)
from openpes.training.views_events import (
    add_errors,
    manages,
)

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
            add_errors(form, error)
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
            "lead": _(
                "Your answers help us improve the training. Trainers see the totals and comments, not who wrote them."
            ),
            "submit": _("Send my answers"),
            "cancel_url": reverse("training:event_detail", args=[event.pk]),
        },
    )


@staff_required
def event_evaluation(request: AuthedRequest, pk: int) -> HttpResponse:
    """L1 reaction summary and L2 learning gain of one event."""
    event = get_event_for_user(request.user, pk)
    if not (manages(request.user, event) or reads_reports(request.user)):
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


@staff_required
@require_POST
def event_issue_certificates(request: AuthedRequest, pk: int) -> HttpResponse:
    """Certificates of participation for everyone who attended, issued by whoever runs the event (the Learning
    part renders and verifies them)."""
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
        messages.success(
            request,
            ngettext(
                "%(count)s certificate of participation issued.",
                "%(count)s certificates of participation issued.",
                len(issued),
            )
            % {"count": len(issued)},
        )
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
    # A programme without its own framework is rated on the default one (the PES counsellor profile).
    framework = event.programme.framework or CompetencyFramework.objects.order_by("pk").first()
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
            add_errors(form, error)
        else:
            messages.success(request, _("The follow-up is saved. Thank you."))
            return redirect("training:follow_ups")
    return render(
        request,
        "training/events/rating.html",
        {"form": form, "event": event, "person": person, "kind": kind, "self": kind == RaterKind.SELF},
    )
