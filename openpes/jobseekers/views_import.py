"""Bulk import of jobseekers from CSV/XLSX: upload → validation report → confirm (all or nothing).

The file is read and checked on upload; only the checked rows are kept (see `importing.ImportStore`) until the
counsellor confirms or cancels on the review page. Counsellors and centre managers only; the records belong
to their centre.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from openpes.jobseekers.access import CASEWORKERS, get_jobseekers_for_user
from openpes.jobseekers.importing import (
    ACCEPTED,
    COLUMNS,
    FLAGGED,
    MAX_FILE_BYTES,
    MAX_ROWS,
    CheckedRow,
    ImportConflictError,
    ImportStore,
    PendingImport,
    Table,
    apply_conflicts,
    check_import,
    commit_import,
    file_error,
    read_table,
)
from openpes.lib.decorators import roles_required
from openpes.lib.http import AuthedRequest
from openpes.lib.khmer import has_khmer

FLAGGED_SHOWN = 300


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file (CSV or Excel .xlsx)"),
        help_text=_("Up to 100,000 rows and 20 MB. The first row must hold the column names."),
        widget=forms.FileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self) -> Table:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is None or upload.size > MAX_FILE_BYTES:
            raise file_error("file_too_big")
        self.file_name = (upload.name or "")[:120]
        return read_table(upload.read(MAX_FILE_BYTES + 1))


class ConfirmForm(forms.Form):
    """Which flagged rows (maybe the same person as someone else) the counsellor imports anyway."""

    import_anyway = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])

    def __init__(self, *args: Any, flagged: list[CheckedRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shown = flagged[:FLAGGED_SHOWN]
        self.fields["import_anyway"].choices = [(row.row, str(row.row)) for row in shown]  # type: ignore[attr-defined]


def _template_csv() -> HttpResponse:
    """An empty file with the column names (with a byte-order mark so Excel opens it as UTF-8)."""
    response = HttpResponse("\ufeff" + ",".join(c.name for c in COLUMNS) + "\r\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="jobseekers-import.csv"'
    return response


@roles_required(CASEWORKERS)
def upload(request: AuthedRequest) -> HttpResponse:
    if request.GET.get("template") == "csv":
        return _template_csv()
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        check = check_import(form.cleaned_data["file"])
        token = ImportStore().save(check, user_id=request.user.pk, filename=form.file_name)
        return redirect("jobseekers:import_review", token=token)
    columns = [(column, has_khmer(column.example)) for column in COLUMNS]
    return render(request, "jobseekers/import_upload.html", {"form": form, "columns": columns, "max_rows": MAX_ROWS})


def _problems(rows: list[CheckedRow], visible: set[int], chosen: Collection[int] = ()) -> list[dict[str, Any]]:
    """Rows for the templates: the reasons in the reader's language, with a link where they may follow it."""
    out = []
    for row in rows:
        problems = []
        for issue in row.issues:
            pk = issue.params.get("pk")
            problems.append({"column": issue.column, "text": issue.message, "record": pk if pk in visible else None})
        out.append(
            {
                "row": row.row,
                "name": row.name,
                "khmer": has_khmer(row.name),
                "fields": row.fields,
                "problems": problems,
                "chosen": row.row in chosen,
                # Flagged only because the occupation was coded from a job title (not a possible duplicate).
                "coded_only": bool(row.issues) and all(i.code == "isco_coded" for i in row.issues),
            }
        )
    return out


def _visible_records(request: AuthedRequest, rows: list[CheckedRow]) -> set[int]:
    pks = {i.params["pk"] for row in rows for i in row.issues if "pk" in i.params}
    if not pks:
        return set()
    return set(get_jobseekers_for_user(request.user).filter(pk__in=pks).values_list("pk", flat=True))


def _after_import_url() -> str:
    try:
        return reverse("jobseekers:list")
    except NoReverseMatch:
        return reverse("jobseekers:import")


def _confirm(request: AuthedRequest, store: ImportStore, pending: PendingImport, chosen: set[int]) -> HttpResponse:
    if not store.claim(pending):
        messages.warning(request, gettext("This import is already being saved. Wait a moment and reload the page."))
        return redirect("jobseekers:import_review", token=pending.token)
    try:
        rows = store.rows(pending)
        selected = [r for r in rows if r.status == ACCEPTED or (r.status == FLAGGED and r.row in chosen)]
        result = commit_import(
            actor=request.user,
            centre=request.user.centre,  # type: ignore[arg-type]  # caseworkers always have a centre
            rows=selected,
            checked_at=pending.checked_at,
            detail={
                "rows": pending.total,
                "rejected": pending.counts["rejected"],
                "flagged": pending.counts["flagged"],
                "imported_anyway": len([r for r in selected if r.status == FLAGGED]),
                "source": pending.kind,
            },
            request=request,
        )
    except ImportConflictError as conflict:
        store.replace(pending, apply_conflicts(rows, conflict.conflicts))
        store.release(pending)
        messages.warning(
            request,
            ngettext(
                "A record registered or changed since the file was checked matches %(count)s row. "
                "It was moved to the lists below: check it again.",
                "Records registered or changed since the file was checked match %(count)s rows. "
                "They were moved to the lists below: check them again.",
                len(conflict.conflicts),
            )
            % {"count": len(conflict.conflicts)},
        )
        return redirect("jobseekers:import_review", token=pending.token)
    except BaseException:
        store.release(pending)
        raise
    store.delete(pending.token)  # the lock goes with it, so the same rows cannot be imported twice
    count = len(result.ids)
    messages.success(
        request,
        ngettext(
            "%(count)s jobseeker was imported into %(centre)s.",
            "%(count)s jobseekers were imported into %(centre)s.",
            count,
        )
        % {"count": count, "centre": request.user.centre},
    )
    return redirect(_after_import_url())


@roles_required(CASEWORKERS)
def review(request: AuthedRequest, token: str) -> HttpResponse:
    store = ImportStore()
    try:
        pending = store.load(token, user_id=request.user.pk)
    except KeyError:
        raise Http404 from None
    form = ConfirmForm(request.POST if request.method == "POST" else None, flagged=pending.flagged)
    chosen: set[int] = set()
    if request.method == "POST":
        if "cancel" in request.POST:
            store.delete(token)
            messages.info(request, gettext("The import was cancelled. Nothing was saved."))
            return redirect("jobseekers:import")
        if form.is_valid():
            chosen = set(form.cleaned_data["import_anyway"])
            if pending.counts[ACCEPTED] or chosen:
                return _confirm(request, store, pending, chosen)
            form.add_error(None, gettext("There is nothing to import: no row was accepted and none was ticked."))
    page = Paginator(pending.rejected, 50).get_page(request.GET.get("page"))
    # Rows to decide on are all on one page (the ticks go with the confirmation); a file with more than this
    # many is better split, and the rows not shown are simply not imported.
    flagged = pending.flagged[:FLAGGED_SHOWN]
    visible = _visible_records(request, list(page.object_list) + flagged)
    return render(
        request,
        "jobseekers/import_review.html",
        {
            "pending": pending,
            "form": form,
            "page_obj": page,
            "page_query": "",
            "rejected": _problems(list(page.object_list), visible),
            "flagged": _problems(flagged, visible, chosen),
            "flagged_hidden": len(pending.flagged) - len(flagged),
        },
    )
