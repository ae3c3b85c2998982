"""Reading an uploaded file: CSV (UTF-8) or the first sheet of an XLSX workbook, decided by content."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from django.core.exceptions import ValidationError

from openpes.jobseekers.importing import xlsx
from openpes.jobseekers.importing.layout import (
    COLUMNS,
    KNOWN_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NAME_COLUMNS,
    file_error,
)

# An XLSX file of 100,000 rows unpacks to about 40 MB; far more means a decompression bomb.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024


@dataclass
class Table:
    """The raw cells of a file, with row numbers as a spreadsheet shows them (the header is usually row 1)."""

    kind: str  # "csv" or "xlsx"
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    ignored_columns: list[str] = field(default_factory=list)


def read_table(data: bytes) -> Table:
    """Read a CSV or XLSX file by its content (never its name); raise ValidationError if it is malformed."""
    if not data:
        raise file_error("file_empty")
    if len(data) > MAX_FILE_BYTES:
        raise file_error("file_too_big")
    if data.startswith(b"PK\x03\x04"):
        return _table("xlsx", _xlsx_rows(data))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise file_error("file_xls")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_error("file_encoding")  # Excel's "Unicode text" is UTF-16
    if b"\x00" in data[:8192] or data.startswith(b"%PDF"):
        raise file_error("file_type")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error("file_encoding") from None
    return _table("csv", _csv_rows(text))


def _column_name(cell: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(cell if cell is not None else "").strip().casefold()).strip("_")


Rows = Iterator[tuple[int, Sequence[Any]]]  # (row number as a spreadsheet shows it, cells)


def _csv_rows(text: str) -> Rows:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(_column_name(c) in KNOWN_COLUMNS for c in first_line.split(d)))
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    except csv.Error:
        raise file_error("file_type") from None


def _xlsx_rows(data: bytes) -> Rows:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise file_error("file_type") from None
    if "xl/workbook.xml" not in names:
        raise file_error("file_type")  # a Word document, an OpenDocument file, any other zip
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise file_error("file_macros")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise file_error("file_too_big")
    try:
        # Collected before use: if the fast reader gives up half-way, openpyxl starts again from the top.
        rows = _enough(xlsx.read_rows(archive))
    except xlsx.XlsxRefusedError:
        raise file_error("file_unreadable") from None
    except (xlsx.XlsxError, expat.ExpatError, KeyError, ValueError, IndexError, zipfile.BadZipFile, EOFError):
        rows = _enough(_openpyxl_rows(data))
    yield from rows


def _enough(rows: Rows) -> list[tuple[int, Sequence[Any]]]:
    """The rows, stopping once there are more than MAX_ROWS with data (enough to say the file is too long)."""
    out = []
    filled = 0
    for number, cells in rows:
        out.append((number, cells))
        filled += not all(_is_blank(cell) for cell in cells)
        if filled > MAX_ROWS + 1:
            break
    return out


def _openpyxl_rows(data: bytes) -> Rows:
    """The slower, more forgiving reader, for workbooks `xlsx.read_rows` does not understand."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheet = workbook.worksheets[0]
                # Formulas stay formulas (data_only=False), so they are refused rather than trusted. Row numbers
                # come from the cells: empty rows have none, and the first rows may be missing.
                number = 0
                for cells in sheet.iter_rows():
                    number = next((c.row for c in cells if getattr(c, "row", None)), number + 1)
                    yield number, tuple(c.value for c in cells)
            finally:
                workbook.close()
        except ValidationError:
            raise
        except Exception:  # openpyxl raises many kinds of errors on broken or hostile files
            raise file_error("file_unreadable") from None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(kind: str, rows: Rows) -> Table:
    # The column names are in the first row that is not empty.
    header: Sequence[Any] | None = None
    for _number, cells in rows:
        if not all(_is_blank(cell) for cell in cells):
            header = cells
            break
    if header is None:
        raise file_error("file_empty")
    index: dict[str, int] = {}
    ignored: list[str] = []
    for position, cell in enumerate(header):
        name = _column_name(cell)
        if not name:
            continue
        if name not in KNOWN_COLUMNS:
            ignored.append(str(cell).strip()[:40])
        elif name in index:
            raise file_error("file_duplicate_column", column=name)
        else:
            index[name] = position
    missing = [c.name for c in COLUMNS if c.required and c.name not in index]
    if not any(name in index for name in NAME_COLUMNS):
        missing.insert(0, "name_km / name_latin")
    if missing:
        raise file_error("file_missing_columns", columns=", ".join(missing))
    table = Table(kind=kind, columns=list(index), rows=[], ignored_columns=ignored)
    positions = list(index.items())
    for number, cells in rows:
        width = len(cells)
        values = {name: cells[position] if position < width else None for name, position in positions}
        if all(_is_blank(v) for v in values.values()):
            continue  # empty lines, typically at the end of a sheet
        if len(table.rows) >= MAX_ROWS:
            raise file_error("file_too_many_rows", max=f"{MAX_ROWS:,}")
        table.rows.append((number, values))
    if not table.rows:
        raise file_error("file_no_rows")
    return table
