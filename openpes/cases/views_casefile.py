"""Case-file pages: open a case, the case page, intake, needs assessment, the employment plan (and its PDF),
notes, hand-over and closure, the caseload and the manager's team view, and the jobseeker's own plan.

Views: access helper → form → action → render or redirect. Every page that shows a person's data writes an
audit row for the read; note texts never reach logs or audit details.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.accounts.enums import Role
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.cases import assessment as rules
from openpes.cases import caseload as work
from openpes.cases import forms_casefile as forms
from openpes.cases.access import (
    can_manage_caseloads,
    can_tick_action,
    can_work_on_case,
    get_case_for_user,
    get_case_for_work,
    get_cases_for_user,
    get_notes_for_user,
    get_plan_action_for_user,
)
from openpes.cases.actions import casefile as actions
from openpes.cases.enums import (
    ActionOwner,
    ActionStatus,
    BarrierTheme,
    CaseEventKind,
    CaseStatus,
    PlanStatus,
    SupportGroup,
)
from openpes.cases.models import Assessment, Barrier, Case, CaseEvent, Intake, Objective, Partner, Plan, PlanAction
from openpes.jobseekers import actions as jobseeker_actions
from openpes.jobseekers.access import get_jobseeker_for_user
from openpes.jobseekers.forms import EducationForm, ExperienceForm
from openpes.lib.decorators import roles_required
from openpes.lib.http import AuthedRequest
from openpes.lib.pagination import paginate

CASEWORKERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER]
READERS = [Role.COUNSELLOR, Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR]
SERVICE_FRAGMENTS = ("_case_appointments", "_case_referrals", "_case_placements")
RULES_BY_CODE = {rule.code: rule for rule in rules.RULES}


def _error_into(form: Form, error: ValidationError) -> None:
    """Put an action's error on the form: on the field it names when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _posted(request: AuthedRequest) -> Any:
    """The submitted data on POST (even when empty, so that required fields say so), else None."""
    return request.POST if request.method == "POST" else None


def _audit_view(request: AuthedRequest, case: Case, **detail: Any) -> None:
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=case,
        subject_id=case.jobseeker_id,
        detail=detail or None,
        request=request,
    )


def _next_url(request: AuthedRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.select_related("overridden_by", "assessed_by").first()


def explain(assessment: Assessment | None) -> list[rules.Rule]:
    """The rules that fired in a stored assessment, in the published order."""
    if assessment is None:
        return []
    return [RULES_BY_CODE[code] for code in assessment.fired_rules if code in RULES_BY_CODE]


# -- lists -------------------------------------------------------------------------------------------------------


@roles_required(CASEWORKERS)
def caseload(request: AuthedRequest) -> HttpResponse:
    """The counsellor's work list: their cases with what needs doing today, most urgent first."""
    form = forms.CaseloadFilterForm(request.GET or None)
    filters = work.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = work.Filters(due=data["due"], group=data["group"], status=data["status"])
    elif not form.is_bound:
        form = forms.CaseloadFilterForm(initial={"status": CaseStatus.OPEN})
    cases = work.caseload(request.user, filters)
    context = paginate(request, cases, per_page=25)
    summary = work.summarise(work.annotate_work(work.my_cases(request.user)))
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="cases.case",
        count=len(context["page_obj"].object_list),
        request=request,
    )
    context.update(form=form, summary=summary, is_manager=can_manage_caseloads(request.user))
    return render(request, "cases/casefile/caseload.html", context)


@roles_required([Role.CENTRE_MANAGER])
def team(request: AuthedRequest) -> HttpResponse:
    """Caseloads per counsellor, outcomes over 90 days and the cases waiting for a counsellor."""
    overview = work.team(request.user)
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="cases.case",
        count=len(overview.unassigned),
        detail={"team": True},
        request=request,
    )
    return render(request, "cases/casefile/team.html", {"team": overview})


@roles_required(READERS)
def case_list(request: AuthedRequest) -> HttpResponse:
    """Every case in the user's scope (oversight for managers and national staff)."""
    form = forms.CaseListFilterForm(request.GET or None)
    cases: QuerySet[Any] = work.annotate_work(get_cases_for_user(request.user))
    if form.is_valid():
        if form.cleaned_data["status"]:
            cases = cases.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["group"]:
            cases = cases.filter(group=form.cleaned_data["group"])
    context = paginate(request, cases.order_by("-opened_at", "-pk"), per_page=25)
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="cases.case",
        count=len(context["page_obj"].object_list),
        request=request,
    )
    context["form"] = form
    return render(request, "cases/casefile/list.html", context)


# -- opening, the case page, hand-over and closure ------------------------------------------------------------------


@roles_required(CASEWORKERS)
def open_case(request: AuthedRequest, jobseeker: int) -> HttpResponse:
    person = get_jobseeker_for_user(request.user, jobseeker)
    existing = get_cases_for_user(request.user).filter(jobseeker=person, status=CaseStatus.OPEN).first()
    if existing is not None:
        messages.info(request, _("This person already has an open case."))
        return redirect("cases:detail", existing.pk)
    counsellors = actions.eligible_counsellors(person.owner_centre)
    form = forms.OpenCaseForm(_posted(request), counsellors=counsellors)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.open_case(
                actor=request.user, jobseeker=person, counsellor=form.cleaned_data["counsellor"], request=request
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Case opened. Start with the intake interview."))
            return redirect("cases:detail", case.pk)
    episodes = get_cases_for_user(request.user).filter(jobseeker=person).order_by("-episode")
    if request.method == "GET":
        record(actor=request.user, action=AuditAction.VIEW, obj=person, subject_id=person.pk, request=request)
    return render(
        request,
        "cases/casefile/open.html",
        {"jobseeker": person, "form": form, "episodes": episodes, "is_manager": can_manage_caseloads(request.user)},
    )


def _services_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    """The Services part of the case page (appointments, referrals, placements), when it is installed."""
    try:
        module = importlib.import_module("openpes.cases.views_services")
    except ImportError:
        return {}
    helper = getattr(module, "case_services_context", None)
    return dict(helper(request, case)) if helper else {}


def _service_fragments() -> list[str]:
    names = []
    for name in SERVICE_FRAGMENTS:
        template = f"cases/services/{name}.html"
        try:
            get_template(template)
        except TemplateDoesNotExist:
            continue
        names.append(template)
    return names


def _event_rows(case: Case) -> list[dict[str, Any]]:
    labels = dict(CaseEventKind.choices)
    events = CaseEvent.objects.filter(case=case).select_related("actor", "centre").order_by("-at", "-id")[:100]
    return [{"event": event, "label": labels.get(event.kind, event.kind)} for event in events]


@roles_required(READERS)
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    can_work = can_work_on_case(request.user, case)
    assessment = _latest_assessment(case)
    plan = actions.current_plan(case)
    _audit_view(request, case)
    context: dict[str, Any] = {
        "case": case,
        "can_work": can_work,
        "can_assign": can_work and can_manage_caseloads(request.user) and case.is_open,
        "intake": Intake.objects.filter(case=case).first(),
        "assessment": assessment,
        "reasons": explain(assessment),
        "plan": plan,
        "plan_actions": (
            PlanAction.objects.filter(objective__plan=plan).select_related("partner")
            if plan
            else PlanAction.objects.none()
        ),
        "transfers": case.transfers.select_related(
            "from_centre", "to_centre", "from_counsellor", "to_counsellor", "by"
        ),
        "episodes": Case.objects.filter(jobseeker_id=case.jobseeker_id).exclude(pk=case.pk).order_by("-episode"),
        "events": _event_rows(case),
        "notes_count": get_notes_for_user(request.user, case).count() if can_work else None,
        "has_open_episode": Case.objects.filter(jobseeker_id=case.jobseeker_id, status=CaseStatus.OPEN).exists(),
        "today": timezone.localdate(),
        "service_fragments": _service_fragments(),
    }
    if context["can_assign"]:
        context["assign_form"] = forms.AssignForm(
            initial={"counsellor": case.counsellor_id}, counsellors=actions.eligible_counsellors(case.owner_centre)
        )
    context.update(_services_context(request, case))
    return render(request, "cases/casefile/detail.html", context)


@roles_required([Role.CENTRE_MANAGER])
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_work(request.user, pk)
    form = forms.AssignForm(request.POST, counsellors=actions.eligible_counsellors(case.owner_centre))
    if form.is_valid():
        try:
            actions.assign_counsellor(
                actor=request.user, case=case, counsellor=form.cleaned_data["counsellor"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The case is now with %(name)s.") % {"name": form.cleaned_data["counsellor"].full_name}
            )
    else:
        messages.error(request, _("Choose a counsellor of the case's job centre."))
    return redirect(_next_url(request, reverse("cases:detail", args=[case.pk])))


def _transfer_counsellors(request: AuthedRequest) -> QuerySet[Any]:
    """Counsellors the user works with: their centre, or their province for a manager."""
    return work.team_members(request.user).order_by("centre__code", "full_name")


@roles_required(CASEWORKERS)
def transfer(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_work(request.user, pk)
    form = forms.TransferForm(_posted(request), counsellors=_transfer_counsellors(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.transfer_case(
                actor=request.user,
                case=case,
                to_centre=data["to_centre"],
                to_counsellor=data["to_counsellor"],
                reason=data["reason"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("The case was transferred."))
            if get_cases_for_user(request.user).filter(pk=case.pk).exists():
                return redirect("cases:detail", case.pk)
            return redirect("cases:caseload")
    if request.method == "GET":
        _audit_view(request, case, page="transfer")
    return render(request, "cases/casefile/transfer.html", {"case": case, "form": form})


@roles_required(CASEWORKERS)
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_work(request.user, pk)
    form = forms.CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_case(actor=request.user, case=case, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("cases:detail", case.pk)
    if request.method == "GET":
        _audit_view(request, case, page="close")
    return render(request, "cases/casefile/close.html", {"case": case, "form": form})


@roles_required(CASEWORKERS)
@require_POST
def reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_work(request.user, pk)
    try:
        new = actions.reopen_case(actor=request.user, case=case, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:detail", case.pk)
    messages.success(request, _("A new episode is open."))
    return redirect("cases:detail", new.pk)


# -- intake ----------------------------------------------------------------------------------------------------------

INTAKE_STEPS = (
    ("interview", "cases:intake"),
    ("education", "cases:intake_education"),
    ("work", "cases:intake_work"),
)


def _steps(case: Case, current: str) -> list[dict[str, Any]]:
    titles = {"interview": _("Interview"), "education": _("Education"), "work": _("Work history")}
    return [
        {"name": name, "title": titles[name], "url": reverse(url, args=[case.pk]), "current": name == current}
        for name, url in INTAKE_STEPS
    ]


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise Http404


@roles_required(CASEWORKERS)
def intake(request: AuthedRequest, pk: int) -> HttpResponse:
    """Step 1 of the intake: the interview questions."""
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    existing = Intake.objects.filter(case=case).first()
    form = forms.IntakeForm(_posted(request), initial=forms.IntakeForm.initial_from(existing))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_intake(actor=request.user, case=case, fields=form.cleaned_data, request=request)
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Interview saved."))
            return redirect("cases:intake_education", case.pk)
    if request.method == "GET":
        _audit_view(request, case, page="intake")
    return render(
        request,
        "cases/casefile/intake.html",
        {"case": case, "form": form, "steps": _steps(case, "interview"), "step": 1},
    )


@roles_required(CASEWORKERS)
def intake_education(request: AuthedRequest, pk: int) -> HttpResponse:
    """Step 2: the profile's education, updated in the same flow."""
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    person = case.jobseeker
    initial = {
        "education_level": person.education_level_id,
        "field_of_study": person.field_of_study,
        "institution": person.institution,
    }
    form = EducationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            jobseeker_actions.update_jobseeker(
                actor=request.user, jobseeker=person, fields=dict(form.cleaned_data), request=request
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            return redirect("cases:intake_work", case.pk)
    if request.method == "GET":
        _audit_view(request, case, page="intake_education")
    return render(
        request,
        "cases/casefile/intake_education.html",
        {"case": case, "form": form, "steps": _steps(case, "education"), "step": 2},
    )


@roles_required(CASEWORKERS)
def intake_work(request: AuthedRequest, pk: int) -> HttpResponse:
    """Step 3: the work history on the profile, one job at a time."""
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    person = case.jobseeker
    form = ExperienceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            jobseeker_actions.save_experience(
                actor=request.user, jobseeker=person, fields=dict(form.cleaned_data), request=request
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Job added to the work history."))
            return redirect("cases:intake_work", case.pk)
    if request.method == "GET":
        _audit_view(request, case, page="intake_work")
    return render(
        request,
        "cases/casefile/intake_work.html",
        {
            "case": case,
            "form": form,
            "jobs": person.experience.select_related("isco_group"),
            "steps": _steps(case, "work"),
            "step": 3,
            "has_intake": Intake.objects.filter(case=case).exists(),
        },
    )


# -- needs assessment --------------------------------------------------------------------------------------------


@roles_required(READERS)
def assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    """The latest assessment with the rules that fired, in words; POST runs the rules again."""
    case = get_case_for_user(request.user, pk)
    can_work = can_work_on_case(request.user, case)
    form = forms.RunAssessmentForm(_posted(request))
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        try:
            actions.run_assessment(actor=request.user, case=case, request=request)
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Assessment done."))
            return redirect("cases:assessment", case.pk)
    latest = _latest_assessment(case)
    _audit_view(request, case, page="assessment")
    return render(
        request,
        "cases/casefile/assessment.html",
        {
            "case": case,
            "assessment": latest,
            "reasons": explain(latest),
            "score": sum(rule.weight for rule in explain(latest)),
            "history": case.assessments.all()[1:20],
            "has_intake": Intake.objects.filter(case=case).exists(),
            "can_work": can_work and case.is_open,
            "form": form,
        },
    )


@roles_required(CASEWORKERS)
def override(request: AuthedRequest, pk: int, assessment_pk: int) -> HttpResponse:
    case = get_case_for_work(request.user, pk)
    _require_open(case)
    stored = case.assessments.filter(pk=assessment_pk).first()
    if stored is None:
        raise Http404
    form = forms.OverrideForm(_posted(request), computed=stored.group)
    if request.method == "POST" and form.is_valid():
        try:
            actions.override_assessment(
                actor=request.user,
                assessment=stored,
                group=form.cleaned_data["group"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("cases:assessment", case.pk)
    if request.method == "GET":
        _audit_view(request, case, page="override")
    return render(
        request,
        "cases/casefile/override.html",
        {"case": case, "assessment": stored, "reasons": explain(stored), "form": form},
    )


def assessment_rules(request: AuthedRequest) -> HttpResponse:
    """How the assessment works: every rule, its weight and the thresholds, in Khmer and English."""
    other = "en" if (translation.get_language() or "km").startswith("km") else "km"
    with translation.override(other):
        other_texts = {rule.code: str(rule.description) for rule in rules.RULES}
        other_groups = {value: str(label) for value, label in SupportGroup.choices}
    rows = [
        {
            "rule": rule,
            "theme": BarrierTheme(rule.theme).label,
            "other": other_texts[rule.code],
        }
        for rule in rules.RULES
    ]
    bands = (
        (SupportGroup.JOB_READY, 0, rules.SOME_SUPPORT_FROM - 1),
        (SupportGroup.SOME_SUPPORT, rules.SOME_SUPPORT_FROM, rules.INTENSIVE_FROM - 1),
        (SupportGroup.INTENSIVE, rules.INTENSIVE_FROM, None),
    )
    groups = [
        {"low": low, "high": high, "label": group.label, "other": other_groups[group.value]}
        for group, low, high in bands
    ]
    return render(
        request,
        "cases/casefile/assessment_rules.html",
        {"rows": rows, "groups": groups, "other_language": other, "version": rules.RULES_VERSION},
    )


# -- the employment plan -------------------------------------------------------------------------------------------


def _plan_tree(plan: Plan | None) -> list[dict[str, Any]]:
    """Barriers → objectives → actions, with objectives not tied to a barrier under "general"."""
    if plan is None:
        return []
    objectives = list(
        plan.objectives.prefetch_related(Prefetch("actions", queryset=PlanAction.objects.select_related("partner")))
    )
    tree = []
    for barrier in plan.barriers.all():
        tree.append({"barrier": barrier, "objectives": [o for o in objectives if o.barrier_id == barrier.pk]})
    general = [o for o in objectives if o.barrier_id is None]
    if general:
        tree.append({"barrier": None, "objectives": general})
    return tree


def _suggestions(case: Case, plan: Plan | None) -> list[rules.Rule]:
    """Barriers suggested by the rules that fired, for themes the plan does not have yet."""
    taken = set(plan.barriers.values_list("theme", flat=True)) if plan else set()
    seen: set[str] = set()
    suggestions = []
    for rule in explain(_latest_assessment(case)):
        if rule.theme not in taken and rule.code not in seen:
            seen.add(rule.code)
            suggestions.append(rule)
    return suggestions


def _partners_for(case: Case) -> QuerySet[Partner]:
    """Active partners with a service in the person's province (or with services anywhere)."""
    local = Q(services__provinces=case.jobseeker.province_id) | Q(services__provinces__isnull=True)
    return Partner.objects.filter(local, is_active=True).distinct().order_by("name_en", "name_km")


def _plan_forms(case: Case, plan: Plan | None) -> dict[str, Any]:
    barriers = plan.barriers.all() if plan else Barrier.objects.none()
    objectives = plan.objectives.all() if plan else Objective.objects.none()
    return {
        "barrier_form": forms.BarrierForm(prefix="barrier"),
        "objective_form": forms.ObjectiveForm(prefix="objective", barriers=barriers),
        "action_form": forms.PlanActionForm(prefix="action", objectives=objectives, partners=_partners_for(case)),
        "agree_form": forms.AgreeForm(
            prefix="agree", initial={"review_every_days": plan.review_every_days if plan else 30}
        ),
        "review_form": forms.ReviewForm(prefix="review"),
    }


def _plan_page(request: AuthedRequest, case: Case, *, which: str = "", form: Form | None = None) -> HttpResponse:
    """The plan page; after a failed change, the form named `which` comes back with its errors."""
    plan = actions.current_plan(case)
    can_work = can_work_on_case(request.user, case) and case.is_open
    context: dict[str, Any] = {
        "case": case,
        "plan": plan,
        "tree": _plan_tree(plan),
        "can_work": can_work,
        "editable": can_work and plan is not None and plan.status == PlanStatus.DRAFT,
        "suggestions": _suggestions(case, plan) if can_work else [],
        "agreed_versions": case.plans.filter(status=PlanStatus.AGREED).select_related("agreed_by"),
        "statuses": ActionStatus.choices,
        "today": timezone.localdate(),
    }
    if can_work:
        context.update(_plan_forms(case, plan))
    if which and form is not None:
        context[f"{which}_form"] = form
    return render(request, "cases/casefile/plan.html", context)


@roles_required(READERS)
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """The plan page; POST starts the first draft."""
    case = get_case_for_user(request.user, pk)
    if request.method == "POST":
        if not can_work_on_case(request.user, case):
            raise PermissionDenied
        try:
            actions.start_plan(actor=request.user, case=case, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("cases:plan", case.pk)
    _audit_view(request, case, page="plan")
    return _plan_page(request, case)


def _plan_for_work(request: AuthedRequest, pk: int) -> tuple[Case, Plan]:
    case = get_case_for_work(request.user, pk)
    plan = actions.current_plan(case)
    if plan is None:
        raise Http404
    return case, plan


def _plan_change(request: AuthedRequest, case: Case, form: Form, which: str, change: Any) -> HttpResponse:
    """Validate the form, run the change, and come back to the plan (or show the errors in place)."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            _error_into(form, error)
        else:
            return redirect(reverse("cases:plan", args=[case.pk]) + f"#{which}")
    return _plan_page(request, case, which=which, form=form)


@roles_required(CASEWORKERS)
@require_POST
def plan_barrier(request: AuthedRequest, pk: int) -> HttpResponse:
    case, current = _plan_for_work(request, pk)
    form = forms.BarrierForm(request.POST, prefix="barrier")
    return _plan_change(
        request,
        case,
        form,
        "barrier",
        lambda data: actions.add_barrier(
            actor=request.user, plan=current, theme=data["theme"], description=data["description"], request=request
        ),
    )


@roles_required(CASEWORKERS)
@require_POST
def plan_suggestion(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a barrier the assessment suggested (one click: theme and wording come from the rule)."""
    case, current = _plan_for_work(request, pk)
    rule = RULES_BY_CODE.get(request.POST.get("rule", ""))
    if rule is None:
        raise Http404
    try:
        actions.add_barrier(
            actor=request.user, plan=current, theme=rule.theme, description=str(rule.description), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("cases:plan", args=[case.pk]) + "#barriers")


@roles_required(CASEWORKERS)
@require_POST
def plan_objective(request: AuthedRequest, pk: int) -> HttpResponse:
    case, current = _plan_for_work(request, pk)
    form = forms.ObjectiveForm(request.POST, prefix="objective", barriers=current.barriers.all())
    return _plan_change(
        request,
        case,
        form,
        "objective",
        lambda data: actions.add_objective(
            actor=request.user, plan=current, text=data["text"], barrier=data["barrier"], request=request
        ),
    )


@roles_required(CASEWORKERS)
@require_POST
def plan_action(request: AuthedRequest, pk: int) -> HttpResponse:
    case, current = _plan_for_work(request, pk)
    form = forms.PlanActionForm(
        request.POST, prefix="action", objectives=current.objectives.all(), partners=_partners_for(case)
    )
    return _plan_change(
        request,
        case,
        form,
        "action",
        lambda data: actions.add_plan_action(
            actor=request.user,
            objective=data["objective"],
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            partner=data["partner"],
            request=request,
        ),
    )


@roles_required(CASEWORKERS)
@require_POST
def plan_remove(request: AuthedRequest, pk: int, kind: str, item: int) -> HttpResponse:
    case, current = _plan_for_work(request, pk)
    models: dict[str, Any] = {
        "barrier": Barrier.objects.filter(plan=current),
        "objective": Objective.objects.filter(plan=current),
        "action": PlanAction.objects.filter(objective__plan=current).select_related("objective__plan"),
    }
    if kind not in models:
        raise Http404
    target = models[kind].filter(pk=item).first()
    if target is None:
        raise Http404
    try:
        actions.remove_plan_item(actor=request.user, item=target, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:plan", case.pk)


@roles_required(CASEWORKERS)
@require_POST
def plan_action_status(request: AuthedRequest, pk: int, action: int) -> HttpResponse:
    case = get_case_for_work(request.user, pk)
    item = get_plan_action_for_user(request.user, action)
    if item.objective.plan.case_id != case.pk:
        raise Http404
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.set_action_status(
                actor=request.user, action=item, status=form.cleaned_data["status"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(reverse("cases:plan", args=[case.pk]) + f"#action-{item.pk}")


@roles_required(CASEWORKERS)
@require_POST
def plan_agree(request: AuthedRequest, pk: int) -> HttpResponse:
    case, current = _plan_for_work(request, pk)
    form = forms.AgreeForm(request.POST, prefix="agree")
    return _plan_change(
        request,
        case,
        form,
        "agree",
        lambda data: actions.agree_plan(
            actor=request.user, plan=current, review_every_days=data["review_every_days"], request=request
        ),
    )


@roles_required(CASEWORKERS)
@require_POST
def plan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    case, _current = _plan_for_work(request, pk)
    agreed = case.plans.filter(status=PlanStatus.AGREED).order_by("-version").first()
    if agreed is None:
        raise Http404
    form = forms.ReviewForm(request.POST, prefix="review")
    return _plan_change(
        request,
        case,
        form,
        "review",
        lambda data: actions.review_plan(actor=request.user, plan=agreed, note=data["note"], request=request),
    )


@roles_required(CASEWORKERS)
@require_POST
def plan_new_version(request: AuthedRequest, pk: int) -> HttpResponse:
    case, current = _plan_for_work(request, pk)
    try:
        actions.new_plan_version(actor=request.user, plan=current, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new draft version of the plan is ready to change."))
    return redirect("cases:plan", case.pk)


def _pdf_response(request: AuthedRequest, case: Case, plan: Plan) -> HttpResponse:
    from openpes.cases.plan_pdf import render_plan_pdf

    language = request.GET.get("lang") or translation.get_language() or "km"
    language = "en" if language.startswith("en") else "km"
    pdf = render_plan_pdf(case, plan, language=language)
    record(
        actor=request.user,
        action=AuditAction.DOWNLOAD,
        obj=plan,
        subject_id=case.jobseeker_id,
        detail={"language": language},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{case.pk}-v{plan.version}-{language}.pdf"'
    return response


@roles_required(READERS)
def plan_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    plan = actions.current_plan(case)
    if plan is None:
        raise Http404
    return _pdf_response(request, case, plan)


# -- notes -----------------------------------------------------------------------------------------------------------


@roles_required(CASEWORKERS)
def notes(request: AuthedRequest, pk: int) -> HttpResponse:
    """Case notes: only caseworkers with access to the case; every read of the list is audited."""
    case = get_case_for_work(request.user, pk)
    form = forms.NoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_note(
                actor=request.user,
                case=case,
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
                request=request,
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Note saved."))
            return redirect("cases:notes", case.pk)
    context = paginate(request, get_notes_for_user(request.user, case), per_page=30)
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="cases.casenote",
        object_id=case.pk,
        subject_id=case.jobseeker_id,
        count=len(context["page_obj"].object_list),
        request=request,
    )
    context.update(case=case, form=form)
    return render(request, "cases/casefile/notes.html", context)


# -- the jobseeker's own case ----------------------------------------------------------------------------------------


def _own_case(request: AuthedRequest) -> Case | None:
    cases = get_cases_for_user(request.user)
    return cases.filter(status=CaseStatus.OPEN).first() or cases.order_by("-opened_at").first()


def _own_plan(case: Case) -> Plan | None:
    """What the person sees: the latest agreed plan, else the draft being prepared."""
    return case.plans.filter(status=PlanStatus.AGREED).order_by("-version").first() or actions.current_plan(case)


@roles_required([Role.JOBSEEKER])
def my_case(request: AuthedRequest) -> HttpResponse:
    case = _own_case(request)
    context: dict[str, Any] = {"case": case}
    if case is not None:
        latest = _latest_assessment(case)
        own_plan = _own_plan(case)
        context.update(
            assessment=latest,
            reasons=explain(latest),
            plan=own_plan,
            tree=_plan_tree(own_plan),
            counsellor=case.counsellor,
            today=timezone.localdate(),
            mine=ActionOwner.JOBSEEKER,
            done=ActionStatus.DONE,
        )
        _audit_view(request, case, page="my_case")
    return render(request, "cases/casefile/my_case.html", context)


@roles_required([Role.JOBSEEKER])
@require_POST
def my_action(request: AuthedRequest, action: int) -> HttpResponse:
    """The person ticks one of their own actions done (or not done after all)."""
    item = get_plan_action_for_user(request.user, action)
    if not can_tick_action(request.user, item):
        raise Http404
    status = ActionStatus.DONE if request.POST.get("done") == "1" else ActionStatus.TODO
    try:
        actions.set_action_status(actor=request.user, action=item, status=status, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Well done!") if status == ActionStatus.DONE else _("Saved."))
    return redirect(reverse("cases:my_case") + f"#action-{item.pk}")


@roles_required([Role.JOBSEEKER])
def my_plan_pdf(request: AuthedRequest) -> HttpResponse:
    case = _own_case(request)
    own_plan = _own_plan(case) if case else None
    if case is None or own_plan is None:
        raise Http404
    return _pdf_response(request, case, own_plan)
