"""Bulk import of jobseekers from paper registration forms typed up in a spreadsheet (at a job fair, say).

**File layout** (shown to users on the upload page, from `COLUMNS`): a CSV file in UTF-8 with a header row
(comma, semicolon or tab separated), or the first sheet of an Excel workbook (.xlsx) with the column names
in its first row. Columns may come in any order; unknown columns are ignored and listed.

The flow, shared by the upload pages, `manage.py import_jobseekers` and `bench/import_jobseekers.py`:

    read_table(data)      → Table: the header and the raw cells, or ValidationError for a malformed file
    check_import(table)   → ImportCheck: every row accepted, flagged (perhaps a person already registered or
                            typed twice; a counsellor decides) or rejected, with reasons (row, column, what)
    commit_import(...)    → one transaction: jobseekers, desired occupations, consents, `registered` events,
                            one IMPORT audit row and the search index, in batches — all rows or none
    ImportStore           → the checked rows between upload and confirmation, on disk outside the web root,
                            under a random token, for the uploader only, deleted after two hours

Duplicates are found with `jobseekers.duplicates`: the same national ID or phone number as a registered
person (or an earlier row) rejects the row; a similar name with the same date of birth flags it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import secrets
import time
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Sex
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.centres.models import JobCentre
from openpes.geography.models import Commune, District, Province
from openpes.jobseekers.duplicates import Candidate, DuplicateIndex, Match, name_keys
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, JobSeekerStatus, RegistrationChannel
from openpes.jobseekers.models import Consent, DesiredOccupation, JobSeeker, JobSeekerEvent
from openpes.jobseekers.search import jobseeker_index
from openpes.lib.khmer import has_khmer, normalize
from openpes.lib.phone import normalize_phone
from openpes.taxonomy.enums import IscoLevel
from openpes.taxonomy.models import EducationLevel, IscoGroup

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# An XLSX file of 100,000 rows unpacks to about 40 MB; far more means a decompression bomb.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MIN_AGE, MAX_AGE = 15, 80
BATCH_SIZE = 1000
STORE_TTL = timedelta(hours=2)

ACCEPTED, FLAGGED, REJECTED = "accepted", "flagged", "rejected"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: StrOrPromise
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("name_km", False, _("Name in Khmer script. Give name_km or name_latin, or both."), "សុខ ស្រីមុំ"),
    Column("name_latin", False, _("Name in Latin letters."), "Sok Sreymom"),
    Column("sex", True, _("F, M or X (or ស្រី, ប្រុស)."), "F"),
    Column("date_of_birth", True, _("YYYY-MM-DD or DD/MM/YYYY. The person must be 15 to 80 years old."), "25/04/1998"),
    Column("phone", False, _("Phone number. The same number as a registered person rejects the row."), "012 345 678"),
    Column("national_id", False, _("National ID card number, 9 to 12 digits."), "010203040"),
    Column("province", True, _("Province code (01 to 25) or name, in Khmer or English."), "15"),
    Column("district", False, _("District code (4 digits) or name, in that province."), "1501"),
    Column("commune", False, _("Commune code (6 digits) or name, in that district."), "150101"),
    Column("education_level", False, _("Highest level of education completed: ISCED 0 to 8."), "2"),
    Column("desired_occupation", False, _("The work wanted: an ISCO-08 unit group code (4 digits)."), "8153"),
    Column("channel", False, _("Where the form was filled in: fair, mobile or centre."), "fair"),
    Column("consent", True, _("yes if the person agreed that we keep their data. Rows without it are refused."), "yes"),
)
KNOWN_COLUMNS = frozenset(c.name for c in COLUMNS)
NAME_COLUMNS = ("name_km", "name_latin")

# Everything the UI or the command may show about a row, by code. Rendered in the reader's language.
MESSAGES: dict[str, StrOrPromise] = {
    # the file as a whole
    "file_empty": _("The file is empty."),
    "file_too_big": _("The file is too large: the limit is 20 MB."),
    "file_type": _("This is not a CSV or Excel (.xlsx) file. Save the spreadsheet as CSV UTF-8 or as .xlsx."),
    "file_xls": _("This is an old Excel file (.xls) or a protected workbook. Save it as .xlsx or as CSV UTF-8."),
    "file_encoding": _(
        "This CSV file is not in UTF-8, so Khmer text would be damaged. "
        "In Excel choose Save As, then 'CSV UTF-8 (Comma delimited)'."
    ),
    "file_unreadable": _("This Excel file cannot be read. Open it and save it again as .xlsx or as CSV UTF-8."),
    "file_macros": _("This workbook contains macros. Save it as a plain Excel workbook (.xlsx)."),
    "file_no_rows": _("The file has a header row but no rows of data."),
    "file_too_many_rows": _("The file has more than %(max)s rows. Split it into smaller files."),
    "file_missing_columns": _("The first row must name the columns. These required columns are missing: %(columns)s."),
    "file_duplicate_column": _("The column %(column)s appears twice in the first row."),
    # one cell
    "formula": _("This cell starts like a spreadsheet formula (=, +, -, @). Type the value itself."),
    "required": _("This column is empty, but it is required."),
    "name_missing": _("Give the name in Khmer script or in Latin letters (or both)."),
    "name_km_script": _("Write this name in Khmer script (use name_latin for Latin letters)."),
    "name_latin_script": _("Write this name in Latin letters only (use name_km for Khmer script)."),
    "too_long": _("Too long: at most %(max)s characters."),
    "sex": _("Write F, M or X (or ស្រី, ប្រុស)."),
    "date_format": _("Write the date as YYYY-MM-DD or DD/MM/YYYY, for example 1998-04-25 or 25/04/1998."),
    "date_invalid": _("This date does not exist."),
    "date_future": _("This date is in the future."),
    "age": _("Age %(age)s: a person registering must be %(min)s to %(max)s years old."),
    "phone": _("Enter a valid phone number, for example 012 345 678 or +855 12 345 678."),
    "national_id": _("A national ID card number has 9 to 12 digits."),
    "province": _("Unknown province: write its code (01 to 25) or its name in Khmer or English."),
    "district": _("Unknown district in this province: write its code (4 digits) or its name."),
    "district_province": _("This district is not in the province given."),
    "commune": _("Unknown commune: write its code (6 digits) or its name."),
    "commune_ambiguous": _("Several communes have this name: write the commune code or give the district."),
    "commune_district": _("This commune is not in the district or province given."),
    "education_level": _("Write an ISCED level from 0 to 8."),
    "isco_format": _("Write a 4-digit ISCO-08 unit group code, for example 8153."),
    "isco_unknown": _("There is no ISCO-08 unit group with this code."),
    "channel": _("Write fair, mobile or centre (or leave it empty)."),
    "consent_value": _("Write yes or no."),
    "consent_missing": _("No consent: a person's data can be kept only if they agreed. This row is not imported."),
    # duplicates
    "same_id_record": _("Same national ID number as jobseeker #%(pk)s, who is already registered."),
    "same_phone_record": _("Same phone number as jobseeker #%(pk)s, who is already registered."),
    "same_id_row": _("Same national ID number as row %(row)s of this file."),
    "same_phone_row": _("Same phone number as row %(row)s of this file."),
    "similar_record": _("Similar name and the same date of birth as jobseeker #%(pk)s."),
    "similar_row": _("Similar name and the same date of birth as row %(row)s of this file."),
    # confirmation
    "changed_since_check": _(
        "Records registered or changed since the file was checked match %(count)s rows. "
        "Those rows were moved to the lists below; check them again."
    ),
}
FLAG_CODES = frozenset({"similar_record", "similar_row"})


def message(code: str, params: dict[str, Any] | None = None) -> str:
    text = str(MESSAGES[code])
    return text % params if params else text


def file_error(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


# --------------------------------------------------------------------------------------------- reading files


@dataclass
class Table:
    """The raw cells of a file: row numbers as a spreadsheet shows them (the header is row 1)."""

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


def _csv_rows(text: str) -> Iterator[Sequence[Any]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(_column_name(c) in KNOWN_COLUMNS for c in first_line.split(d)))
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    except csv.Error:
        raise file_error("file_type") from None


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    import openpyxl

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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheet = workbook.worksheets[0]
                # Formulas stay formulas (data_only=False), so they are refused rather than trusted.
                yield from sheet.iter_rows(values_only=True)
            finally:
                workbook.close()
        except ValidationError:
            raise
        except Exception:  # openpyxl raises many kinds of errors on broken or hostile files
            raise file_error("file_unreadable") from None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(kind: str, rows: Iterator[Sequence[Any]]) -> Table:
    header = next(rows, None)
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
    for number, cells in enumerate(rows, start=2):
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


# --------------------------------------------------------------------------------------------- checking rows


@dataclass(frozen=True)
class Issue:
    """Why a row is rejected or flagged: the column ("" for the whole row), a message code and its values."""

    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return message(self.code, self.params)

    @property
    def is_flag(self) -> bool:
        return self.code in FLAG_CODES


# What a checked row holds for the database, in this order when stored.
FIELDS = (
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "phone",
    "national_id",
    "province_id",
    "district_id",
    "commune_id",
    "education_level_id",
    "isco_group_id",
    "channel",
    "name_keys",
)


@dataclass
class CheckedRow:
    row: int
    name: str  # as typed, to find the row again (shown on the review page)
    status: str
    issues: list[Issue] = field(default_factory=list)
    fields: dict[str, Any] | None = None  # None for rejected rows: their data is not kept

    def candidate(self, pk: int | None = None) -> Candidate:
        assert self.fields is not None
        return Candidate(
            pk=pk,
            date_of_birth=self.fields["date_of_birth"],
            national_id=self.fields["national_id"],
            phones=(self.fields["phone"],),
            keys=self.fields["name_keys"],
        )


@dataclass
class ImportCheck:
    rows: list[CheckedRow]
    kind: str
    ignored_columns: list[str]
    checked_at: datetime

    def with_status(self, status: str) -> list[CheckedRow]:
        return [r for r in self.rows if r.status == status]

    @property
    def counts(self) -> dict[str, int]:
        counts = {ACCEPTED: 0, FLAGGED: 0, REJECTED: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


_FORMULA = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s().\-/]*$)")
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_LATIN_NAME = re.compile(r"^[^\W\d_]+(?:[ '’.\-]+[^\W\d_]+)*\.?$")
_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_PLACE_PUNCTUATION = re.compile(r"[\s\-_.,'’()]+")
_PLACE_WORDS = re.compile(r"\b(province|city|capital|municipality|district|srok|khan|krong|commune|khum|sangkat)\b")
_PLACE_PREFIXES = ("រាជធានី", "ខេត្ត", "ស្រុក", "ខណ្ឌ", "ក្រុង", "ឃុំ", "សង្កាត់")
# Common Latin spellings of province names that differ from the official list.
_PROVINCE_ALIASES = {
    "kompongcham": "03",
    "kompongchhnang": "04",
    "kompongspeu": "05",
    "kompongthom": "06",
    "kohkong": "09",
    "kaohkong": "09",
    "kracheh": "10",
    "mondolkiri": "11",
    "mondulkiri": "11",
    "phnumpenh": "12",
    "pouthisat": "15",
    "ratanakiri": "16",
    "rattanakiri": "16",
    "ratanakkiri": "16",
    "siemreap": "17",
    "preahsihanouk": "18",
    "kampongsom": "18",
    "steungtraeng": "19",
    "stungtreng": "19",
    "oddarmeanchey": "22",
    "otdarmeanchey": "22",
    "tbongkhmum": "25",
    "tboungkhmum": "25",
}
_SEX = {
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "ស្រី": Sex.FEMALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "ប្រុស": Sex.MALE,
    "x": Sex.OTHER,
    "other": Sex.OTHER,
    "ផ្សេងទៀត": Sex.OTHER,
}
_CHANNELS = {
    "fair": RegistrationChannel.FAIR,
    "job fair": RegistrationChannel.FAIR,
    "ពិព័រណ៍": RegistrationChannel.FAIR,
    "ពិព័រណ៍ការងារ": RegistrationChannel.FAIR,
    "mobile": RegistrationChannel.MOBILE,
    "mobile unit": RegistrationChannel.MOBILE,
    "ចល័ត": RegistrationChannel.MOBILE,
    "អង្គភាពចល័ត": RegistrationChannel.MOBILE,
    "centre": RegistrationChannel.CENTRE,
    "center": RegistrationChannel.CENTRE,
    "job centre": RegistrationChannel.CENTRE,
    "job center": RegistrationChannel.CENTRE,
    "មជ្ឈមណ្ឌល": RegistrationChannel.CENTRE,
    "មជ្ឈមណ្ឌលការងារ": RegistrationChannel.CENTRE,
}
_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "agreed", "បាទ", "ចាស", "បាទ/ចាស", "យល់ព្រម", "ព្រម"})
_NO = frozenset({"no", "n", "false", "0", "ទេ", "មិនយល់ព្រម", "មិនព្រម"})


def _text(value: Any) -> str:
    """A cell as trimmed text (spreadsheets give numbers, dates and booleans too)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return _SPACES.sub(" ", str(value)).strip()


def _is_formula(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_FORMULA.match(value.lstrip(" ")))
    # openpyxl gives array and data-table formulas as objects.
    return not isinstance(value, int | float | date | datetime | dt_time | type(None))


def _place_key(text: str) -> str:
    key = _PLACE_WORDS.sub(" ", normalize(text).casefold())
    key = _PLACE_PUNCTUATION.sub("", key).translate(_KHMER_DIGITS).replace("kompong", "kampong")
    for prefix in _PLACE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def _cambodian_phone(value: str) -> str:
    """The E.164 form of a Cambodian number typed the usual ways (012 345 678, +855 12 345 678), as
    `normalize_phone` gives it but without its slow general parser; "" for anything else (then it decides)."""
    digits = _PHONE_SEPARATORS.sub("", value.translate(_KHMER_DIGITS))
    national = digits[4:] if digits.startswith("+855") else digits[1:] if digits.startswith("0") else ""
    if not (national.isdigit() and 8 <= len(national) <= 9) or national.startswith("0"):
        return ""
    number = phonenumbers.PhoneNumber(country_code=855, national_number=int(national))
    return "+855" + national if phonenumbers.is_valid_number(number) else ""


# Names repeat a lot (a few hundred family and given names), so their Khmer normalisation and duplicate keys
# are worth remembering for the length of a file.
_normalize = lru_cache(maxsize=50_000)(normalize)
_name_keys = lru_cache(maxsize=100_000)(name_keys)


def _key(text: str) -> str:
    return _normalize(text).casefold().strip()


def _digits(text: str) -> str:
    return text.translate(_KHMER_DIGITS).replace(" ", "")


class _Reference:
    """Reference data looked up by every row, loaded once per check (a few hundred queries' worth)."""

    def __init__(self) -> None:
        self.provinces: dict[str, int] = {}
        for pk, code, name_km, name_en in Province.objects.values_list("pk", "code", "name_km", "name_en"):
            for key in (code, _place_key(name_km), _place_key(name_en)):
                self.provinces[key] = pk
        codes = dict(Province.objects.values_list("code", "pk"))
        for alias, code in _PROVINCE_ALIASES.items():
            if code in codes:
                self.provinces.setdefault(alias, codes[code])
        self.districts: dict[str, tuple[int, int]] = {}
        self.district_names: dict[tuple[int, str], set[int]] = {}
        for pk, code, province_id, name_km, name_en in District.objects.values_list(
            "pk", "code", "province_id", "name_km", "name_en"
        ):
            self.districts[code] = (pk, province_id)
            for key in {_place_key(name_km), _place_key(name_en)}:
                self.district_names.setdefault((province_id, key), set()).add(pk)
        self.communes: dict[str, tuple[int, int, int]] = {}
        self.commune_names: dict[tuple[int, str], set[tuple[int, int]]] = {}  # by district and by province
        for pk, code, district_id, province_id, name_km, name_en in Commune.objects.values_list(
            "pk", "code", "district_id", "district__province_id", "name_km", "name_en"
        ):
            self.communes[code] = (pk, district_id, province_id)
            for key in {_place_key(name_km), _place_key(name_en)}:
                self.commune_names.setdefault((-district_id, key), set()).add((pk, district_id))
                self.commune_names.setdefault((province_id, key), set()).add((pk, district_id))
        self.education = dict(EducationLevel.objects.values_list("code", "pk"))
        self.isco_units = dict(IscoGroup.objects.filter(level=IscoLevel.UNIT).values_list("code", "pk"))


class RowChecker:
    """Validates one row at a time against the reference data; no database access per row."""

    def __init__(self, today: date | None = None) -> None:
        self.ref = _Reference()
        self.today = today or timezone.localdate()

    def check(self, number: int, cells: dict[str, Any]) -> CheckedRow:
        issues: list[Issue] = []
        text: dict[str, str] = {}
        for column, value in cells.items():
            if value is not None and _is_formula(value):
                issues.append(Issue(column, "formula"))
                text[column] = ""
            else:
                text[column] = _text(value)
        shown = text.get("name_km") or text.get("name_latin") or ""
        fields: dict[str, Any] = {}
        fields["name_km"], fields["name_latin"] = self._names(text, issues, "formula" in {i.code for i in issues})
        fields["sex"] = self._sex(text.get("sex", ""), issues)
        fields["date_of_birth"] = self._birth(cells.get("date_of_birth"), text.get("date_of_birth", ""), issues)
        fields["phone"] = self._phone(text.get("phone", ""), issues)
        fields["national_id"] = self._national_id(cells.get("national_id"), text.get("national_id", ""), issues)
        self._places(text, fields, issues)
        fields["education_level_id"] = self._education(text.get("education_level", ""), issues)
        fields["isco_group_id"] = self._isco(
            cells.get("desired_occupation"), text.get("desired_occupation", ""), issues
        )
        fields["channel"] = self._channel(text.get("channel", ""), issues)
        self._consent(text.get("consent", ""), issues)
        if issues:
            # A column can fail twice (a formula, then "required"); say it once.
            unique = list({(i.column, i.code): i for i in issues}.values())
            return CheckedRow(row=number, name=shown[:80], status=REJECTED, issues=unique)
        fields["name_keys"] = _name_keys(fields["name_km"], fields["name_latin"])
        return CheckedRow(row=number, name=shown[:80], status=ACCEPTED, fields=fields)

    # -- one method per column (or group of columns) --

    def _names(self, text: dict[str, str], issues: list[Issue], had_formula: bool) -> tuple[str, str]:
        name_km = _SPACES.sub(" ", _normalize(text.get("name_km", ""))).strip()
        name_latin = text.get("name_latin", "")
        if not name_km and not name_latin:
            if not had_formula:
                issues.append(Issue("name_km" if "name_km" in text else "name_latin", "name_missing"))
            return "", ""
        if name_km:
            if not has_khmer(name_km) or re.search(r"[A-Za-z0-9]", name_km):
                issues.append(Issue("name_km", "name_km_script"))
            elif len(name_km) > 150:
                issues.append(Issue("name_km", "too_long", {"max": 150}))
        if name_latin:
            if has_khmer(name_latin) or not _LATIN_NAME.match(name_latin):
                issues.append(Issue("name_latin", "name_latin_script"))
            elif len(name_latin) > 150:
                issues.append(Issue("name_latin", "too_long", {"max": 150}))
        return name_km, name_latin

    def _sex(self, value: str, issues: list[Issue]) -> str:
        if not value:
            issues.append(Issue("sex", "required"))
            return ""
        sex = _SEX.get(_key(value))
        if sex is None:
            issues.append(Issue("sex", "sex"))
            return ""
        return str(sex)

    def _birth(self, raw: Any, value: str, issues: list[Issue]) -> date | None:
        if isinstance(raw, datetime):
            born: date = raw.date()
        elif isinstance(raw, date):
            born = raw
        else:
            if not value:
                issues.append(Issue("date_of_birth", "required"))
                return None
            value = value.translate(_KHMER_DIGITS)
            iso, dmy = _ISO_DATE.match(value), _DMY_DATE.match(value)
            if iso:
                year, month, day = iso.groups()
            elif dmy:
                day, month, year = dmy.groups()
            else:
                issues.append(Issue("date_of_birth", "date_format"))
                return None
            try:
                born = date(int(year), int(month), int(day))
            except ValueError:
                issues.append(Issue("date_of_birth", "date_invalid"))
                return None
        if born > self.today:
            issues.append(Issue("date_of_birth", "date_future"))
            return None
        age = self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))
        if not MIN_AGE <= age <= MAX_AGE:
            issues.append(Issue("date_of_birth", "age", {"age": age, "min": MIN_AGE, "max": MAX_AGE}))
            return None
        return born

    def _phone(self, value: str, issues: list[Issue]) -> str:
        if not value:
            return ""
        fast = _cambodian_phone(value)
        if fast:
            return fast
        try:
            return normalize_phone(value)
        except ValidationError:
            issues.append(Issue("phone", "phone"))
            return ""

    def _national_id(self, raw: Any, value: str, issues: list[Issue]) -> str:
        digits = _digits(value).replace("-", "")
        if isinstance(raw, int | float) and digits.isdigit():
            digits = digits.zfill(9)  # Excel drops leading zeros from numbers typed in General cells
        if digits and not (digits.isdigit() and 9 <= len(digits) <= 12):
            issues.append(Issue("national_id", "national_id"))
            return ""
        return digits

    def _places(self, text: dict[str, str], fields: dict[str, Any], issues: list[Issue]) -> None:
        fields["province_id"] = fields["district_id"] = fields["commune_id"] = None
        value = text.get("province", "")
        if not value:
            issues.append(Issue("province", "required"))
            return
        digits = _digits(value)
        province = self.ref.provinces.get(digits.zfill(2) if digits.isdigit() else _place_key(value))
        if province is None:
            issues.append(Issue("province", "province"))
            return
        fields["province_id"] = province
        district = self._district(text.get("district", ""), province, issues)
        fields["district_id"] = district
        value = text.get("commune", "")
        if not value:
            return
        digits = _digits(value)
        if digits.isdigit():
            found = self.ref.communes.get(digits.zfill(6))
            if found is None:
                issues.append(Issue("commune", "commune"))
                return
            commune, commune_district, commune_province = found
            if commune_province != province or (district is not None and commune_district != district):
                issues.append(Issue("commune", "commune_district"))
                return
        else:
            key = _place_key(value)
            scope = -district if district is not None else province
            options = self.ref.commune_names.get((scope, key), set())
            if not options:
                elsewhere = any(k == key for (_, k) in self.ref.commune_names)
                issues.append(Issue("commune", "commune_district" if elsewhere else "commune"))
                return
            if len(options) > 1:
                issues.append(Issue("commune", "commune_ambiguous"))
                return
            commune, commune_district = next(iter(options))
        fields["commune_id"] = commune
        fields["district_id"] = commune_district

    def _district(self, value: str, province: int, issues: list[Issue]) -> int | None:
        if not value:
            return None
        digits = _digits(value)
        if digits.isdigit():
            found = self.ref.districts.get(digits.zfill(4))
            if found is None:
                issues.append(Issue("district", "district"))
                return None
            if found[1] != province:
                issues.append(Issue("district", "district_province"))
                return None
            return found[0]
        options = self.ref.district_names.get((province, _place_key(value)), set())
        if len(options) != 1:
            issues.append(Issue("district", "district"))
            return None
        return next(iter(options))

    def _education(self, value: str, issues: list[Issue]) -> int | None:
        if not value:
            return None
        digits = _digits(value)
        level = self.ref.education.get(int(digits)) if digits.isdigit() and len(digits) == 1 else None
        if level is None:
            issues.append(Issue("education_level", "education_level"))
        return level

    def _isco(self, raw: Any, value: str, issues: list[Issue]) -> int | None:
        if not value:
            return None
        code = _digits(value)
        if isinstance(raw, int | float) and code.isdigit():
            code = code.zfill(4)  # 0110 typed in a General cell becomes 110
        if not (code.isdigit() and len(code) == 4):
            issues.append(Issue("desired_occupation", "isco_format"))
            return None
        group = self.ref.isco_units.get(code)
        if group is None:
            issues.append(Issue("desired_occupation", "isco_unknown"))
        return group

    def _channel(self, value: str, issues: list[Issue]) -> str:
        if not value:
            return str(RegistrationChannel.IMPORT)
        channel = _CHANNELS.get(_key(value))
        if channel is None:
            issues.append(Issue("channel", "channel"))
            return ""
        return str(channel)

    def _consent(self, value: str, issues: list[Issue]) -> None:
        answer = _key(value)
        if answer in _YES:
            return
        if not answer or answer in _NO:
            issues.append(Issue("consent", "consent_missing"))
        else:
            issues.append(Issue("consent", "consent_value"))


# --------------------------------------------------------------------------------------------- duplicates


def _existing_candidates(rows: Sequence[CheckedRow], *, since: datetime | None = None) -> Iterator[Candidate]:
    """Registered people who share an ID, a phone or a birth date with some row (or, with `since`, everyone
    registered or changed since then). Merged records are left out: their survivor stands for them."""
    records = JobSeeker.objects.current()
    columns = ("pk", "date_of_birth", "national_id", "phone", "phone_alt", "name_keys")
    if since is not None:
        lookups: list[Q] = [Q(updated_at__gte=since)]
    else:
        ids = sorted({r.fields["national_id"] for r in rows if r.fields and r.fields["national_id"]})
        phones = sorted({r.fields["phone"] for r in rows if r.fields and r.fields["phone"]})
        births = sorted({r.fields["date_of_birth"] for r in rows if r.fields})
        lookups = []
        for start in range(0, len(ids), 5000):
            lookups.append(Q(national_id__in=ids[start : start + 5000]))
        for start in range(0, len(phones), 5000):
            chunk = phones[start : start + 5000]
            lookups.append(Q(phone__in=chunk) | Q(phone_alt__in=chunk))
        for start in range(0, len(births), 5000):
            lookups.append(Q(date_of_birth__in=births[start : start + 5000]))
    seen: set[int] = set()
    for lookup in lookups:
        for pk, born, national_id, phone, phone_alt, keys in records.filter(lookup).values_list(*columns):
            if pk not in seen:
                seen.add(pk)
                yield Candidate(
                    pk=pk, date_of_birth=born, national_id=national_id, phones=(phone, phone_alt), keys=keys
                )


def _match_issues(matches: list[Match], *, in_file: bool) -> list[Issue]:
    issues = []
    for match in sorted(matches, key=lambda m: m.pk):
        params = {"row": match.pk} if in_file else {"pk": match.pk}
        suffix = "row" if in_file else "record"
        if "national_id" in match.reasons:
            issues.append(Issue("national_id", f"same_id_{suffix}", params))
        elif "phone" in match.reasons:
            issues.append(Issue("phone", f"same_phone_{suffix}", params))
        else:
            issues.append(Issue("", f"similar_{suffix}", params))
    return issues


def find_duplicates(rows: Sequence[CheckedRow]) -> None:
    """Reject rows with the ID or phone of a registered person or an earlier row; flag similar names born
    on the same day. Rows are compared in file order, so the first of two copies is the one kept."""
    valid = [r for r in rows if r.status != REJECTED and r.fields is not None]
    registered = DuplicateIndex(_existing_candidates(valid))
    earlier = DuplicateIndex([])
    for row in valid:
        candidate = row.candidate()
        issues = _match_issues(registered.matches(candidate), in_file=False)
        if not any(not i.is_flag for i in issues):
            issues += _match_issues(earlier.matches(candidate), in_file=True)
        if any(not i.is_flag for i in issues):
            row.status, row.issues, row.fields = REJECTED, [i for i in issues if not i.is_flag], None
            continue
        earlier.add(row.candidate(pk=row.row))
        if issues:
            row.status, row.issues = FLAGGED, issues


def check_import(table: Table, *, today: date | None = None) -> ImportCheck:
    """Validate every row and look for duplicates. Saves nothing."""
    checked_at = timezone.now()
    checker = RowChecker(today=today)
    rows = [checker.check(number, cells) for number, cells in table.rows]
    find_duplicates(rows)
    return ImportCheck(rows=rows, kind=table.kind, ignored_columns=table.ignored_columns, checked_at=checked_at)


# --------------------------------------------------------------------------------------------- saving


class ImportConflictError(Exception):
    """Rows that match records registered or changed after the file was checked (nothing was saved)."""

    def __init__(self, conflicts: list[tuple[CheckedRow, list[Issue]]]) -> None:
        super().__init__(f"{len(conflicts)} rows match records changed since the check")
        self.conflicts = conflicts


def recheck(rows: Sequence[CheckedRow], since: datetime) -> list[tuple[CheckedRow, list[Issue]]]:
    """Compare rows with records registered or changed since the check; a flag a counsellor already saw
    (same record) is not raised again."""
    index = DuplicateIndex(_existing_candidates(rows, since=since))
    if not index.by_birth and not index.by_id and not index.by_phone:
        return []
    conflicts = []
    for row in rows:
        known = {i.params.get("pk") for i in row.issues if i.code == "similar_record"}
        issues = [
            i
            for i in _match_issues(index.matches(row.candidate()), in_file=False)
            if not (i.is_flag and i.params["pk"] in known)
        ]
        if issues:
            conflicts.append((row, issues))
    return conflicts


@dataclass(frozen=True)
class ImportResult:
    ids: list[int]
    batch: str
    seconds: float


_PLAIN_TYPES = frozenset(
    {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey", "IntegerField",
     "OneToOneField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField"}
)  # fmt: skip


class _Inserter:
    """INSERT many rows of one model with one `executemany`. Columns that are the same in every row (model
    defaults, the centre, the time) are prepared once from a template instance; only `varying` ones are
    given per row. Django's bulk_create prepares and compiles every value of every row in statements of 29
    rows on SQLite: it was three quarters of the import time (about 30 s of CPU per 100,000 people)."""

    def __init__(self, template: Model, varying: Sequence[str]) -> None:
        model = type(template)
        fields = [f for f in model._meta.concrete_fields if f.attname in varying or not f.primary_key]
        where = {name: index for index, name in enumerate(varying)}
        self.constant = [
            None if f.attname in where else f.get_db_prep_save(f.pre_save(template, add=True), connection)
            for f in fields
        ]
        self.varying = [
            (position, where[f.attname], None if f.get_internal_type() in _PLAIN_TYPES else f)
            for position, f in enumerate(fields)
            if f.attname in where
        ]
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(f.column or f.attname) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )

    def insert(self, rows: Iterable[Sequence[Any]]) -> None:
        prepared = []
        for values in rows:
            row = list(self.constant)
            for position, index, field_ in self.varying:
                value = values[index]
                row[position] = value if field_ is None else field_.get_db_prep_save(value, connection)
            prepared.append(row)
        if prepared:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, prepared)


def _new_ids(model: type[Model], count: int) -> list[int]:
    """Reserve primary keys for rows inserted without RETURNING (inside the import's transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock is ours for the whole transaction, so the next keys cannot be taken meanwhile.
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0), "
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        top = int(cursor.fetchone()[0])
    return list(range(top + 1, top + count + 1))


_JOBSEEKER_VARYING = ("id", *(name for name in FIELDS if name != "isco_group_id"))


@transaction.atomic
def commit_import(
    *,
    actor: Any,
    centre: JobCentre,
    rows: Sequence[CheckedRow],
    checked_at: datetime,
    detail: dict[str, Any] | None = None,
    request: Any = None,
) -> ImportResult:
    """Register every row (accepted ones and flagged ones a counsellor chose to import) in one transaction:
    any failure leaves the database as it was. Raises ImportConflictError if someone registered or changed a
    matching record since the check."""
    started = time.perf_counter()
    conflicts = recheck(rows, checked_at)
    if conflicts:
        raise ImportConflictError(conflicts)
    staff = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    batch_id = secrets.token_hex(6)
    people = _Inserter(
        JobSeeker(owner_centre=centre, registered_by=staff, status=JobSeekerStatus.ACTIVE, created_at=now),
        _JOBSEEKER_VARYING,
    )
    occupations = _Inserter(DesiredOccupation(rank=1), ("jobseeker_id", "isco_group_id"))
    consents = _Inserter(
        Consent(
            purpose=ConsentPurpose.REGISTRATION,
            given=True,
            method=ConsentMethod.PAPER,
            recorded_by=staff,
            on_behalf=True,
            at=now,
        ),
        ("jobseeker_id",),
    )
    events = _Inserter(
        JobSeekerEvent(kind=EventKind.REGISTERED, at=now, actor=staff, centre=centre, to_status=JobSeekerStatus.ACTIVE),
        ("jobseeker_id", "detail"),
    )
    ids = _new_ids(JobSeeker, len(rows))
    for start in range(0, len(rows), BATCH_SIZE):
        batch = list(zip(ids[start : start + BATCH_SIZE], rows[start : start + BATCH_SIZE], strict=True))
        people.insert([pk, *(row.fields[name] for name in _JOBSEEKER_VARYING[1:])] for pk, row in batch if row.fields)
        occupations.insert(
            (pk, row.fields["isco_group_id"]) for pk, row in batch if row.fields and row.fields["isco_group_id"]
        )
        consents.insert((pk,) for pk, _row in batch)
        events.insert((pk, {"channel": row.fields["channel"], "import": batch_id}) for pk, row in batch if row.fields)
        jobseeker_index.update([pk for pk, _row in batch])
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type=JobSeeker._meta.label_lower,
        count=len(ids),
        detail={"import": batch_id, "centre": centre.code, **(detail or {})},
        request=request,
    )
    return ImportResult(ids=ids, batch=batch_id, seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------------------------- between steps

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass
class PendingImport:
    """What the review page needs: counts and the rows a person must look at (not the accepted rows)."""

    token: str
    user_id: int
    filename: str
    kind: str
    created: float
    checked_at: datetime
    counts: dict[str, int]
    ignored_columns: list[str]
    rejected: list[CheckedRow]
    flagged: list[CheckedRow]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _issue_json(issues: list[Issue]) -> list[list[Any]]:
    return [[i.column, i.code, i.params] for i in issues]


def _issues_from(data: list[list[Any]]) -> list[Issue]:
    return [Issue(column, code, params) for column, code, params in data]


def _row_to_json(row: CheckedRow) -> list[Any]:
    assert row.fields is not None
    values = [row.fields[k] for k in FIELDS]
    values[FIELDS.index("date_of_birth")] = row.fields["date_of_birth"].isoformat()
    return [row.row, row.name, row.status, _issue_json(row.issues), values]


def _row_from_json(data: list[Any]) -> CheckedRow:
    number, name, status, issues, values = data
    fields = dict(zip(FIELDS, values, strict=True))
    fields["date_of_birth"] = date.fromisoformat(fields["date_of_birth"])
    return CheckedRow(row=number, name=name, status=status, issues=_issues_from(issues), fields=fields)


class ImportStore:
    """Checked rows between upload and confirmation: two files per import in a private folder (never the web
    root), named by a random token, readable only by the uploader, removed after STORE_TTL."""

    def __init__(self, directory: Path | None = None) -> None:
        configured = getattr(settings, "JOBSEEKER_IMPORT_DIR", None)
        self.directory = Path(directory or configured or Path(settings.VAR_DIR) / "imports")

    def _path(self, token: str, suffix: str) -> Path:
        if not _TOKEN.match(token):
            raise KeyError(token)
        return self.directory / f"{token}.{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        temporary = path.with_name(path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)

    def save(self, check: ImportCheck, *, user_id: int, filename: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.sweep()
        token = secrets.token_urlsafe(24)
        keep = [r for r in check.rows if r.status != REJECTED]
        rows = json.dumps([_row_to_json(r) for r in keep], ensure_ascii=False, separators=(",", ":"))
        self._write(self._path(token, "rows.json.gz"), gzip.compress(rows.encode(), compresslevel=1))
        self._write(
            self._path(token, "json"),
            json.dumps(
                {
                    "user": user_id,
                    "filename": filename[:120],
                    "kind": check.kind,
                    "created": time.time(),
                    "checked_at": check.checked_at.isoformat(),
                    "counts": check.counts,
                    "ignored": check.ignored_columns,
                    "rejected": [[r.row, r.name, _issue_json(r.issues)] for r in check.with_status(REJECTED)],
                    "flagged": [_row_to_json(r) for r in check.with_status(FLAGGED)],
                },
                ensure_ascii=False,
            ).encode(),
        )
        return token

    def load(self, token: str, *, user_id: int) -> PendingImport:
        """The pending import, or KeyError if it does not exist, expired or belongs to someone else."""
        try:
            meta = json.loads(self._path(token, "json").read_bytes())
        except (OSError, ValueError):
            raise KeyError(token) from None
        if meta["user"] != user_id or time.time() - meta["created"] > STORE_TTL.total_seconds():
            raise KeyError(token)
        return PendingImport(
            token=token,
            user_id=meta["user"],
            filename=meta["filename"],
            kind=meta["kind"],
            created=meta["created"],
            checked_at=datetime.fromisoformat(meta["checked_at"]),
            counts=meta["counts"],
            ignored_columns=meta["ignored"],
            rejected=[
                CheckedRow(row=n, name=name, status=REJECTED, issues=_issues_from(i)) for n, name, i in meta["rejected"]
            ],
            flagged=[_row_from_json(r) for r in meta["flagged"]],
        )

    def rows(self, pending: PendingImport) -> list[CheckedRow]:
        """Accepted and flagged rows, with their data, in file order."""
        try:
            data = json.loads(gzip.decompress(self._path(pending.token, "rows.json.gz").read_bytes()))
        except (OSError, ValueError):
            raise KeyError(pending.token) from None
        return [_row_from_json(r) for r in data]

    def replace(self, pending: PendingImport, rows: list[CheckedRow]) -> None:
        """Store the rows again after a re-check moved some of them (the token stays the same)."""
        check = ImportCheck(
            rows=sorted(rows + pending.rejected, key=lambda r: r.row),
            kind=pending.kind,
            ignored_columns=pending.ignored_columns,
            checked_at=timezone.now(),
        )
        keep = [r for r in check.rows if r.status != REJECTED]
        rows_json = json.dumps([_row_to_json(r) for r in keep], ensure_ascii=False, separators=(",", ":"))
        self._write(self._path(pending.token, "rows.json.gz"), gzip.compress(rows_json.encode(), compresslevel=1))
        meta = json.loads(self._path(pending.token, "json").read_bytes())
        meta.update(
            checked_at=check.checked_at.isoformat(),
            counts=check.counts,
            rejected=[[r.row, r.name, _issue_json(r.issues)] for r in check.with_status(REJECTED)],
            flagged=[_row_to_json(r) for r in check.with_status(FLAGGED)],
        )
        self._write(self._path(pending.token, "json"), json.dumps(meta, ensure_ascii=False).encode())

    def claim(self, pending: PendingImport) -> bool:
        """Take the import for confirmation; False if another request is already confirming it."""
        try:
            os.close(os.open(self._path(pending.token, "lock"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return False
        return True

    def release(self, pending: PendingImport) -> None:
        self._path(pending.token, "lock").unlink(missing_ok=True)

    def delete(self, token: str) -> None:
        for suffix in ("json", "rows.json.gz", "lock"):
            self._path(token, suffix).unlink(missing_ok=True)

    def sweep(self) -> int:
        """Remove imports older than STORE_TTL (called on every upload)."""
        removed = 0
        limit = time.time() - STORE_TTL.total_seconds()
        for path in self.directory.glob("*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


def apply_conflicts(rows: list[CheckedRow], conflicts: Iterable[tuple[CheckedRow, list[Issue]]]) -> list[CheckedRow]:
    """Move rows that a re-check found to match someone to the rejected or flagged list."""
    found = {row.row: issues for row, issues in conflicts}
    for row in rows:
        issues = found.get(row.row)
        if not issues:
            continue
        if any(not i.is_flag for i in issues):
            row.status, row.issues, row.fields = REJECTED, [i for i in issues if not i.is_flag], None
        else:
            row.status, row.issues = FLAGGED, row.issues + issues
    return rows
