"""What an import file holds and what checking it produces: the columns, the limits, the messages (by
code, shown in the reader's language) and the checked rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openpes.jobseekers.duplicates import Candidate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MIN_AGE, MAX_AGE = 15, 80

ACCEPTED, FLAGGED, REJECTED = "accepted", "flagged", "rejected"


@dataclass(frozen=True)
class Column:
    """A column of the import layout, as documented on the upload page."""

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
    "isco_coded": _(
        "Occupation coded from the job title “%(title)s” as ISCO-08 %(code)s (%(confidence)s%% sure): "
        "check it before importing."
    ),
    "isco_uncertain": _(
        "The job title “%(title)s” could not be coded with confidence. Write its 4-digit ISCO-08 code; "
        "closest: %(options)s."
    ),
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
}
FLAG_CODES = frozenset({"similar_record", "similar_row", "isco_coded"})


def message(code: str, params: dict[str, Any] | None = None) -> str:
    text = str(MESSAGES[code])
    return text % params if params else text


def file_error(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


# --------------------------------------------------------------------------------------------- checked rows


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
    """One row of the file after checking: accepted, flagged (a counsellor decides) or rejected, and why."""

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
    """Every row of a file, checked at `checked_at` (records registered later are looked at again on saving)."""

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
