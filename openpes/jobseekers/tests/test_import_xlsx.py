"""The fast XLSX reader gives what openpyxl gives, for the workbooks people make; hostile ones are refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from openpes.jobseekers.importing import read_table, xlsx

HEADER = ["name_km", "name_latin", "sex", "date_of_birth", "phone", "province", "consent"]


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_openpyxl(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = workbook.worksheets[0]
    rows = [(next(c.row for c in cells if hasattr(c, "row")), [c.value for c in cells]) for cells in sheet.iter_rows()
            if any(c.value is not None for c in cells)]  # fmt: skip
    workbook.close()
    return [(n, tuple(_trim(cells))) for n, cells in rows]


def with_fast_reader(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    rows = xlsx.read_rows(zipfile.ZipFile(io.BytesIO(data)))
    return [(n, tuple(_trim(cells))) for n, cells in rows if any(c is not None for c in cells)]


def _trim(cells):
    cells = list(cells)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def everyday_workbook(*, write_only: bool = False, mac_dates: bool = False) -> bytes:
    workbook = openpyxl.Workbook(write_only=write_only)
    if mac_dates:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.create_sheet("People") if write_only else workbook.active
    if not write_only:
        sheet.title = "People"
        sheet.append([])  # the header on row 3, as when someone leaves a title line empty
        sheet.append([])
    sheet.append(HEADER)
    sheet.append(["សុខ ស្រីមុំ", "Sok Sreymom", "F", datetime(1995, 3, 14), 12345678, 15, True])
    sheet.append(["ចាន់ ដារ៉ា", "Chan Dara", "M", "01/01/1990", "+855 12 999 888", "Pursat", "yes"])
    sheet.append([None, "Keo Sophea", None, 35000.5, 1.5e10, "=A1&B1", False])
    sheet.append([])
    sheet.append(["ហេង", None, "X", date(2001, 12, 31), -3, "15", "បាទ/ចាស"])
    if not write_only:
        sheet["H4"] = "=SUM(E4:E6)"
        sheet["B8"] = CellRichText([TextBlock(InlineFont(b=True), "Ly "), "Visal"])
        sheet["A8"] = "ឡុង"
        sheet["D4"].number_format = "dd/mm/yyyy"
        sheet["D6"].number_format = "General"
    return save(workbook)


@pytest.mark.parametrize(
    "options",
    [{}, {"write_only": True}, {"mac_dates": True}],
    ids=["shared-strings-and-styles", "inline-strings", "1904-dates"],
)
def test_the_fast_reader_reads_what_openpyxl_reads(options):
    data = everyday_workbook(**options)
    assert with_fast_reader(data) == with_openpyxl(data)


def test_row_numbers_follow_the_sheet_even_with_empty_rows_before_the_header(reference):
    table = read_table(everyday_workbook())
    assert [number for number, _ in table.rows][:2] == [4, 5]
    assert table.rows[0][1]["date_of_birth"] == datetime(1995, 3, 14)
    assert table.rows[2][1]["province"] == "=A1&B1"  # formulas are passed on as formulas, to be refused


def test_a_workbook_with_a_document_type_declaration_is_refused_without_fallback(reference):
    data = everyday_workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"<worksheet",
                    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet',
                    1,
                )
            target.writestr(item, content)
    with pytest.raises(ValidationError) as refused:
        read_table(out.getvalue())
    assert refused.value.code == "file_unreadable"


def test_an_unexpected_layout_falls_back_to_openpyxl(reference, monkeypatch):
    def give_up(archive):
        if archive is not None:
            raise xlsx.XlsxError("something new")
        yield  # pragma: no cover

    monkeypatch.setattr(xlsx, "read_rows", give_up)
    table = read_table(everyday_workbook())
    assert table.rows[0][1]["name_latin"] == "Sok Sreymom"
    assert [number for number, _ in table.rows][:2] == [4, 5]


@pytest.mark.parametrize(
    ("code", "is_date"),
    [("yyyy-mm-dd", True), ("d/m/yy;@", True), ('[$-km-KH]dd mmmm yyyy', True), ("h:mm", True),
     ("0.00", False), ("#,##0", False), ('"day" 0', False), ("@", False), ("0.00E+00", False)],
)  # fmt: skip
def test_custom_number_formats_are_recognised_as_dates_or_not(code, is_date):
    assert xlsx.is_date_format(code) is is_date
