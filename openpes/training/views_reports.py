"""Programme reports in the browser (readers: training coordinators, administrators, national officers):
trained persons, pass rates, learning gain, reactions and competency follow-up; one funding project's report;
the cascade and its lineage; casework before and after training (L4); CSV and XLSX exports, each audited.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.decorators import roles_required
from openpes.lib.exports import Sheet, export_response
from openpes.lib.http import AuthedRequest
from openpes.training import cascade, casework, reports
from openpes.training.access import READERS
from openpes.training.forms_events import CaseworkForm, ReportFilterForm
from openpes.training.models import FundingProject

readers_only = roles_required(READERS)


def all_tables(filters: reports.ReportFilters) -> list[reports.Table]:
    """Every table of the programme report (the export writes them all)."""
    return [
        *reports.trained_tables(filters),
        reports.pass_rate_table(filters),
        *reports.learning_tables(filters),
        reports.reaction_table(filters),
        reports.competency_table(filters),
        *cascade.cascade_tables(filters),
    ]


def _audit(request: AuthedRequest, kind: str, tables: list[reports.Table]) -> None:
    """Reports name trainers next to their results: reading one is recorded like reading a list."""
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type=f"training.report.{kind}",
        count=sum(len(t.rows) for t in tables),
        request=request,
    )


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
    _audit(request, "report", tables)
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
        *cascade.cascade_tables(filters)[:1],
    ]
    events = filters.events().order_by("starts_on").prefetch_related("funding_projects")
    _audit(request, "project", tables)
    return render(
        request,
        "training/reports/project.html",
        {"form": form, "tables": tables, "project": project, "events": events, "query": request.GET.urlencode()},
    )


@readers_only
def report_cascade(request: AuthedRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = _filters(form)
    loaded = cascade.load_cascade(filters)
    tables = cascade.cascade_tables(filters, loaded)
    _audit(request, "cascade", tables)
    return render(
        request,
        "training/reports/cascade.html",
        {
            "form": form,
            "tables": tables,
            "tree": cascade.lineage_tree(loaded),
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
        "indicators": casework.CASEWORK_INDICATORS,
    }
    if event is not None:
        rows = casework.casework_before_after(casework.cohort_people(event), window_days=window)
        cells = [(row, [(row.before[i.code], row.after[i.code]) for i in casework.CASEWORK_INDICATORS]) for row in rows]
        context.update({"rows": cells, "totals": casework.cohort_totals(rows), "query": request.GET.urlencode()})
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
        rows = casework.casework_before_after(casework.cohort_people(event), window_days=window)
        tables = [casework.casework_table(rows, window)]
    elif kind == "cascade":
        tables = cascade.cascade_tables(_filters(form))
    elif kind == "project":
        project = get_object_or_404(FundingProject, pk=request.GET.get("for_project") or 0)
        tables = [
            t
            for t in (
                *reports.trained_tables(_filters(form, project)),
                reports.pass_rate_table(_filters(form, project)),
                *reports.learning_tables(_filters(form, project)),
                reports.reaction_table(_filters(form, project)),
                *cascade.cascade_tables(_filters(form, project)),
            )
            if t.key != "projects"
        ]
    else:
        tables = all_tables(_filters(form))
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
