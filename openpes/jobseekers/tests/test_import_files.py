"""Import: reading CSV and XLSX files, and a clear message for every kind of malformed file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from openpes.jobseekers.importing import ACCEPTED, REJECTED, check_import, read_table
from openpes.jobseekers.importing import files as importing_files

pytestmark = pytest.mark.django_db

HEADER = "name_km,name_latin,sex,date_of_birth,phone,national_id,province,consent"
ROW = "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,010203040,15,yes"


def xlsx_bytes(rows: Sequence[Sequence[object]], *, extra: dict[str, bytes] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def refusal(data: bytes) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        read_table(data)
    with translation.override("en"):
        return caught.value.code or "", caught.value.messages[0]


def test_a_utf8_csv_with_a_byte_order_mark_is_read(reference):
    table = read_table(("\ufeff" + HEADER + "\r\n" + ROW + "\r\n").encode())
    assert table.kind == "csv"
    assert table.rows == [(2, dict(zip(HEADER.split(","), ROW.split(","), strict=True)))]


def test_semicolon_and_tab_separated_files_are_read_too(reference):
    for separator in (";", "\t"):
        data = (HEADER.replace(",", separator) + "\n" + ROW.replace(",", separator) + "\n").encode()
        assert read_table(data).rows[0][1]["name_latin"] == "Sok Sreymom"


def test_column_names_are_matched_loosely_and_unknown_columns_are_listed(reference):
    data = (
        "Name KM,name-latin,Sex,Date of birth,Province,CONSENT,Notes\n" + "សុខ,Sok,F,1995-03-14,15,yes,hi\n"
    ).encode()
    table = read_table(data)
    assert table.columns == ["name_km", "name_latin", "sex", "date_of_birth", "province", "consent"]
    assert table.ignored_columns == ["Notes"]
    (row,) = check_import(table).rows
    assert row.status == ACCEPTED


def test_the_first_sheet_of_an_xlsx_workbook_is_read_with_dates_and_numbers_as_excel_stores_them(reference):
    data = xlsx_bytes(
        [
            HEADER.split(",") + ["desired_occupation"],
            ["សុខ ស្រីមុំ", "Sok Sreymom", "F", datetime(1995, 3, 14), 12345678, 10203040, 15, "yes", 8153],
            ["ចាន់ ដារ៉ា", "Chan Dara", "M", "14/03/1990", "012 999 888", None, "Pursat", True, None],
        ]
    )
    table = read_table(data)
    assert table.kind == "xlsx"
    first, second = check_import(table).rows
    assert first.status == ACCEPTED, [i.message for i in first.issues]
    assert first.fields is not None
    assert first.fields["date_of_birth"] == date(1995, 3, 14)
    assert first.fields["phone"] == "+85512345678"  # Excel dropped the leading 0 of 012…
    assert first.fields["national_id"] == "010203040"  # …and of the ID number
    assert second.status == ACCEPTED, [i.message for i in second.issues]


def test_formulas_in_a_workbook_are_refused_not_evaluated(reference):
    data = xlsx_bytes([HEADER.split(","), ["សុខ", "Sok", "F", "1995-03-14", "=A1&B1", "", "15", "yes"]])
    (row,) = check_import(read_table(data)).rows
    assert row.status == REJECTED
    assert [(i.column, i.code) for i in row.issues] == [("phone", "formula")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file_empty"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF", "file_type"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls"),
        ((HEADER + "\n" + ROW + "\n").encode("utf-16"), "file_encoding"),
        ((HEADER + "\nChéa,Chéa,F,1995-03-14,,,15,yes\n").encode("cp1252"), "file_encoding"),
        (HEADER.encode() + b"\n", "file_no_rows"),
        (b"name,sex,birthday\nSok,F,1995-03-14\n", "file_missing_columns"),
        (b"<html><body>not a spreadsheet</body></html>", "file_missing_columns"),
        ((HEADER + ",sex\n" + ROW + ",F\n").encode(), "file_duplicate_column"),
        (b"PK\x03\x04 broken zip", "file_type"),
    ],
    ids=[
        "empty",
        "pdf",
        "png",
        "old-xls",
        "utf16",
        "windows-1252",
        "header-only",
        "missing-columns",
        "html",
        "duplicate-column",
        "broken-zip",
    ],
)
def test_malformed_files_get_a_clear_message(reference, data, code):
    assert refusal(data)[0] == code


def test_missing_columns_are_named(reference):
    code, text = refusal(b"name_latin,sex\nSok,F\n")
    assert code == "file_missing_columns"
    assert text == (
        "The first row must name the columns. These required columns are missing: date_of_birth, province, consent."
    )
    assert "name_km / name_latin" in refusal(b"sex,date_of_birth,province,consent\nF,1995-03-14,15,yes\n")[1]


def test_a_word_document_or_a_workbook_with_macros_is_refused(reference):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refusal(buffer.getvalue())[0] == "file_type"
    macros = xlsx_bytes([HEADER.split(","), ROW.split(",")], extra={"xl/vbaProject.bin": b"\x00" * 10})
    assert refusal(macros)[0] == "file_macros"


def test_a_broken_workbook_is_refused(reference):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really")
    assert refusal(buffer.getvalue())[0] == "file_unreadable"


def test_a_file_over_20_mb_is_refused_before_reading(reference):
    assert refusal(b"x" * (20 * 1024 * 1024 + 1))[0] == "file_too_big"


def test_a_zip_bomb_is_refused(reference, monkeypatch):
    monkeypatch.setattr(importing_files, "MAX_UNZIPPED_BYTES", 1000)
    data = xlsx_bytes([HEADER.split(","), ["x" * 2000] + ROW.split(",")[1:]])
    assert refusal(data)[0] == "file_too_big"


def test_more_than_100000_rows_are_refused_with_the_limit_in_the_message(reference):
    lines = [HEADER] + [ROW] * 100_001
    code, text = refusal("\n".join(lines).encode())
    assert code == "file_too_many_rows"
    assert text == "The file has more than 100,000 rows. Split it into smaller files."
    assert len(read_table("\n".join(lines[:100_001]).encode()).rows) == 100_000
