"""Spreadsheet exports (CSV and XLSX) that cannot carry formulas into the reader's spreadsheet (S10).

A cell that begins with `=`, `+`, `-` or `@` — or with a tab or carriage return, which some spreadsheets skip
before looking for those — is read as a formula by Excel, LibreOffice and Google Sheets ("CSV injection").
Every text cell goes through `neutralise`, which prefixes such values with an apostrophe so they are shown as
typed. Numbers stay numbers (a negative number is not text and is not evaluated).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX (XML 1.0) file cannot hold; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

Cell = str | int | float | Decimal | date | None


def neutralise(value: Any) -> Cell:
    """The value as a safe cell: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Sheet:
    """One table to export: a title (the XLSX sheet name), its column headings and its rows."""

    title: str
    header: Sequence[Any]
    rows: Sequence[Sequence[Any]]


def csv_bytes(sheets: Iterable[Sheet]) -> tuple[bytes, int]:
    """UTF-8 CSV with a byte-order mark (so Excel reads Khmer); several tables are separated by a blank row
    and a title row. Returns the bytes and the number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for index, sheet in enumerate(sheets):
        if index:
            writer.writerow([])
            writer.writerow([neutralise(sheet.title)])
        writer.writerow([neutralise(h) for h in sheet.header])
        for row in sheet.rows:
            writer.writerow([_csv_text(neutralise(v)) for v in row])
            count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_cell(value: Any) -> Cell:
    """A safe XLSX cell. Characters XML cannot hold are removed *before* neutralising, so that "\x08@…" cannot
    become a cell starting with "@"."""
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("", value)
    cell = neutralise(value)
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        return cell.replace(tzinfo=None)
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    # Sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def xlsx_bytes(sheets: Iterable[Sheet]) -> tuple[bytes, int]:
    """An XLSX workbook with one worksheet per table; every text cell is stored as text, never a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    default = workbook.active
    used: set[str] = set()
    count = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(str(sheet.title), used))
        worksheet.append([_xlsx_cell(h) for h in sheet.header])
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(v) for v in row])
            count += 1
        for cells in worksheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # belt and braces: openpyxl treats "=…" as a formula
                    cell.data_type = "s"
    if default is not None and len(workbook.worksheets) > 1:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_response(sheets: Sequence[Sheet], *, filename: str, fmt: str) -> tuple[HttpResponse, int]:
    """A download of the tables as `fmt` ("csv" or "xlsx"); returns the response and the row count (for the
    EXPORT audit row)."""
    if fmt == "xlsx":
        data, count = xlsx_bytes(sheets)
        content_type, extension = XLSX_TYPE, "xlsx"
    else:
        data, count = csv_bytes(sheets)
        content_type, extension = CSV_TYPE, "csv"
    safe_name = re.sub(r"[^A-Za-z0-9_.-]", "-", filename)[:80] or "export"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response, count
