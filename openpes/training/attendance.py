"""Attendance helpers without database access: rotating check-in codes, and reading attendance files.

**Check-in codes** work like TOTP (RFC 6238): the code is an HMAC of the event day's secret
(`CheckInKey.secret`) and the number of 30-second steps since the epoch, cut to six digits. The trainer's
screen shows the current code (and a QR code carrying it); a typed code is accepted during its own step and
the next one, so a code lives 30 to 60 seconds. Each event day has its own secret, so a code is useless on
another day or at another event.

**Attendance files**: a webinar platform's participant report (Zoom, Jitsi, BigBlueButton…) or a typed-up
paper sign-in sheet, as CSV or XLSX. Platforms name their columns differently; `COLUMN_ALIASES` accepts the
common ones. A person is identified by e-mail, phone or staff ID — a display name alone is never enough.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STEP_SECONDS = 30
CODE_DIGITS = 6
ACCEPTED_STEPS = 2  # the current step and the previous one
EXPIRED_LOOKBACK_STEPS = 40  # an older code (up to 20 minutes) is reported as expired rather than wrong


def counter_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_for(secret: str, counter: int) -> str:
    digest = hmac.new(secret.encode(), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def current_code(secret: str, now: datetime) -> tuple[str, int]:
    """The code to show now, and the seconds until it changes."""
    counter = counter_at(now)
    seconds_left = STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS
    return code_for(secret, counter), seconds_left


def clean_code(value: str) -> str:
    """Digits only (Khmer digits accepted), so '123 456' and '១២៣៤៥៦' work."""
    value = (value or "").translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))
    return re.sub(r"\D", "", value)


VALID, EXPIRED = "valid", "expired"


def check_code(secret: str, code: str, now: datetime) -> str | None:
    """VALID if `code` is the current or previous step's code, EXPIRED if it was valid a little earlier,
    None if it was never this secret's code."""
    counter = counter_at(now)
    for step in range(ACCEPTED_STEPS):
        if hmac.compare_digest(code_for(secret, counter - step), code):
            return VALID
    for step in range(ACCEPTED_STEPS, EXPIRED_LOOKBACK_STEPS):
        if hmac.compare_digest(code_for(secret, counter - step), code):
            return EXPIRED
    return None


# ------------------------------------------------------------------------------------------ attendance files

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

NAME, EMAIL, PHONE, STAFF_ID, JOIN, LEAVE, DURATION, DAY = (
    "name", "email", "phone", "staff_id", "join", "leave", "duration", "day",
)  # fmt: skip

# Header texts (lower case, letters and digits only) → our field. Zoom: "Name (Original Name)", "User Email",
# "Join Time", "Leave Time", "Duration (Minutes)"; BigBlueButton's learning dashboard: "Name", "Join", "Left",
# "Duration", "External User ID"; Jitsi and others: "Name", "Email", "Joined", "Left". Paper sheets: "name",
# "phone", "staff id", "date".
COLUMN_ALIASES: dict[str, str] = {
    "name": NAME, "nameoriginalname": NAME, "fullname": NAME, "displayname": NAME, "participant": NAME,
    "participantname": NAME, "username": NAME, "attendee": NAME, "attendeename": NAME, "ឈ្មោះ": NAME,
    "email": EMAIL, "useremail": EMAIL, "emailaddress": EMAIL, "attendeeemail": EMAIL, "mail": EMAIL,
    "participantemail": EMAIL, "អ៊ីមែល": EMAIL,
    "phone": PHONE, "phonenumber": PHONE, "mobile": PHONE, "mobilenumber": PHONE, "telephone": PHONE, "tel": PHONE,
    "លេខទូរស័ព្ទ": PHONE, "ទូរស័ព្ទ": PHONE,
    "staffid": STAFF_ID, "staffnumber": STAFF_ID, "staffno": STAFF_ID, "employeeid": STAFF_ID,
    "externaluserid": STAFF_ID, "extuserid": STAFF_ID, "externalid": STAFF_ID,
    "jointime": JOIN, "joined": JOIN, "join": JOIN, "firstjoin": JOIN, "jointimestamp": JOIN, "starttime": JOIN,
    "leavetime": LEAVE, "left": LEAVE, "leave": LEAVE, "lastleave": LEAVE, "endtime": LEAVE,
    "duration": DURATION, "durationminutes": DURATION, "durationmins": DURATION, "minutes": DURATION,
    "timeinsession": DURATION, "attendanceduration": DURATION, "totaltime": DURATION, "onlinetime": DURATION,
    "date": DAY, "day": DAY, "ថ្ងៃ": DAY, "កាលបរិច្ឆេទ": DAY,
}  # fmt: skip
IDENTIFIERS = (EMAIL, PHONE, STAFF_ID)


@dataclass(frozen=True)
class FileRow:
    """One participant row as read from the file (not yet matched to anybody)."""

    line: int
    display_name: str
    email: str
    phone: str
    staff_id: str
    day: date | None
    minutes: int | None


def _key(header: Any) -> str:
    text = str(header or "").strip().lower()
    return "".join(ch for ch in text if ch.isalnum() or "\u1780" <= ch <= "\u17ff")


def _refuse(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _read_csv(data: bytes) -> list[list[Any]]:
    # Some platforms write UTF-16 with a byte-order mark; everything else must be UTF-8.
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise _refuse(
            _("This CSV file is not in UTF-8. In Excel choose Save As, then 'CSV UTF-8 (Comma delimited)'."),
            "file_encoding",
        ) from None
    if "\x00" in text:
        raise _refuse(_("This is not a CSV or Excel (.xlsx) file."), "file_type")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        # newline="": the csv module reads line ends itself (a lone "\r" inside a cell is not a new row).
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error:
        raise _refuse(_("This is not a CSV or Excel (.xlsx) file."), "file_type") from None


def _read_xlsx(data: bytes) -> list[list[Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > 20 * MAX_FILE_BYTES:
            raise _refuse(
                _("This Excel file cannot be read. Save it again as .xlsx or as CSV UTF-8."), "file_unreadable"
            )
        if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
            raise _refuse(_("This workbook contains macros. Save it as a plain Excel workbook (.xlsx)."), "file_macros")
    except zipfile.BadZipFile:
        raise _refuse(
            _("This Excel file cannot be read. Save it again as .xlsx or as CSV UTF-8."), "file_unreadable"
        ) from None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 50:
                break
        workbook.close()
    except Exception:  # openpyxl raises many kinds of errors on broken files
        raise _refuse(
            _("This Excel file cannot be read. Save it again as .xlsx or as CSV UTF-8."), "file_unreadable"
        ) from None
    return rows


def read_table(data: bytes) -> list[list[Any]]:
    if not data:
        raise _refuse(_("The file is empty."), "file_empty")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(_("The file is too large: the limit is 5 MB."), "file_too_big")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(_("This is an old Excel file (.xls). Save it as .xlsx or as CSV UTF-8."), "file_xls")
    return _read_csv(data)


def _find_header(table: Sequence[Sequence[Any]]) -> tuple[int, dict[int, str]]:
    """The row naming the participant columns. Zoom can put a block about the meeting above the participants
    (with its own "User Email" and "Duration" headings), so the best candidate among the first rows wins: the
    one naming a person (a name column) and the most columns we read; on a tie, the later one."""
    best: tuple[int, int, dict[int, str]] | None = None
    for index, row in enumerate(table[:40]):
        columns: dict[int, str] = {}
        for position, cell in enumerate(row):
            field = COLUMN_ALIASES.get(_key(cell))
            if field and field not in columns.values():
                columns[position] = field
        found = set(columns.values())
        if not (found & set(IDENTIFIERS) or (NAME in found and len(found) >= 2)):
            continue
        score = len(found) + (2 if NAME in found else 0)
        if best is None or score >= best[0]:
            best = (score, index, columns)
    if best is None:
        raise _refuse(
            _(
                "No column with an e-mail address, phone number or staff ID was found. The first row must name the "
                "columns, for example: name, email, phone, staff id, join time, duration."
            ),
            "file_missing_columns",
        )
    return best[1], best[2]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:200]


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y", "%b %d, %Y", "%d %b %Y")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")


def _parse(text: str, fmt: str) -> datetime:
    # Naive on purpose: platform reports give local wall-clock times; only their dates and differences are used.
    return datetime.strptime(text, fmt)  # noqa: DTZ007


def _candidate_days(value: Any) -> list[date]:
    if isinstance(value, datetime):
        return [value.date()]
    if isinstance(value, date):
        return [value]
    text = _text(value).replace("T", " ")
    if not text:
        return []
    text = re.sub(r"(?i)\s*(am|pm)$", lambda m: " " + m.group(1).upper(), text)
    parts = text.split(" ", 1)
    days = []
    for fmt in _DATE_FORMATS:
        for candidate in (text, parts[0]):
            try:
                days.append(_parse(candidate, fmt).date())
            except ValueError:
                continue
    if not days and len(parts) == 2:
        for fmt in _DATE_FORMATS:
            for tfmt in _TIME_FORMATS:
                try:
                    days.append(_parse(text, f"{fmt} {tfmt}").date())
                except ValueError:
                    continue
    return list(dict.fromkeys(days))


def _pick_day(values: Iterable[Any], event_days: Sequence[date]) -> date | None:
    """The event day a row belongs to: the first date that falls on one of the event's days (day/month order
    is ambiguous in some exports, so both readings are tried). A one-day event needs no date at all."""
    for value in values:
        for day in _candidate_days(value):
            if day in event_days:
                return day
    if len(event_days) == 1:
        return event_days[0]
    return None


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    text = _text(value).replace("T", " ")
    text = re.sub(r"(?i)\s*(am|pm)$", lambda m: " " + m.group(1).upper(), text)
    for fmt in _DATE_FORMATS:
        for tfmt in _TIME_FORMATS:
            try:
                return _parse(text, f"{fmt} {tfmt}")
            except ValueError:
                continue
    for tfmt in _TIME_FORMATS:
        try:
            return datetime.combine(date(2000, 1, 1), _parse(text, tfmt).time())
        except ValueError:
            continue
    return None


_UNITS = re.compile(r"(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?\s*(?:(\d+)\s*s(?:ec(?:ond)?s?)?)?")


def parse_minutes(value: Any) -> int | None:
    """A duration as minutes: 45, 45.5, '00:45:12', '1:05:00', '1h 5m', '65 mins', or a time cell."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return round(value) if 0 <= value < 100_000 else None  # also refuses NaN and infinity
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 60)
    if isinstance(value, time):
        return value.hour * 60 + value.minute + round(value.second / 60)
    text = _text(value).lower()
    if match := re.fullmatch(r"(\d+):(\d{1,2}):(\d{1,2})", text):
        hours, minutes, seconds = (int(g) for g in match.groups())
        return hours * 60 + minutes + round(seconds / 60)
    if match := re.fullmatch(r"(\d+):(\d{1,2})", text):
        return int(match.group(1)) * 60 + int(match.group(2))
    units = _UNITS.fullmatch(text)
    if units and any(units.groups()):
        hours, minutes, seconds = (int(g or 0) for g in units.groups())
        return hours * 60 + minutes + round(seconds / 60)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return round(number) if 0 <= number < 100_000 else None


def parse_attendance_file(data: bytes, event_days: Sequence[date]) -> list[FileRow]:
    """The participant rows of an attendance file; raises ValidationError (in the reader's language) for a
    file that cannot be read or has no identifying column."""
    table = read_table(data)
    header_index, columns = _find_header(table)
    rows: list[FileRow] = []
    for offset, raw in enumerate(table[header_index + 1 :], start=header_index + 2):
        values: dict[str, Any] = {}
        for position, field in columns.items():
            if position < len(raw):
                values[field] = raw[position]
        if not any(_text(v) for v in values.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise _refuse(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS},
                "file_too_many_rows",
            )
        minutes = parse_minutes(values.get(DURATION))
        if minutes is None and values.get(JOIN) and values.get(LEAVE):
            joined, left = _moment(values[JOIN]), _moment(values[LEAVE])
            if joined and left and left >= joined:
                minutes = round((left - joined).total_seconds() / 60)
        rows.append(
            FileRow(
                line=offset,
                display_name=_text(values.get(NAME)),
                email=_text(values.get(EMAIL)).lower()[:254],
                phone=_text(values.get(PHONE))[:30],
                staff_id=_text(values.get(STAFF_ID))[:30],
                day=_pick_day([values.get(DAY), values.get(JOIN), values.get(LEAVE)], event_days),
                minutes=min(minutes, 32767) if minutes is not None else None,
            )
        )
    if not rows:
        raise _refuse(_("The file has a header row but no rows of data."), "file_no_rows")
    return rows
