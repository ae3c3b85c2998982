"""Checking rows one by one against the reference data, then looking for people registered twice."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from datetime import time as dt_time
from functools import lru_cache
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from openpes.accounts.enums import Sex
from openpes.geography.models import Commune, District, Province
from openpes.jobseekers.duplicates import Candidate, DuplicateIndex, Match, name_keys
from openpes.jobseekers.enums import RegistrationChannel
from openpes.jobseekers.importing.files import Table
from openpes.jobseekers.importing.layout import (
    ACCEPTED,
    FLAGGED,
    MAX_AGE,
    MIN_AGE,
    REJECTED,
    CheckedRow,
    ImportCheck,
    Issue,
)
from openpes.jobseekers.models import JobSeeker
from openpes.lib.khmer import has_khmer, normalize
from openpes.lib.phone import normalize_phone
from openpes.taxonomy.enums import IscoLevel
from openpes.taxonomy.models import EducationLevel, IscoGroup

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


# A job title in the occupation column (letters, Latin or Khmer) is coded; below this confidence it is refused.
_TITLE = re.compile(r"[A-Za-z\u1780-\u17ff]")
CODED_MIN_CONFIDENCE = 0.5


class RowChecker:
    """Validates one row at a time against the reference data; no database access per row."""

    def __init__(self, today: date | None = None) -> None:
        self.ref = _Reference()
        self.today = today or timezone.localdate()
        self.titles: dict[int, str] = {}  # row → a job title typed where a code was asked (coded afterwards)

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
        occupation = text.get("desired_occupation", "")
        if _TITLE.search(occupation):  # a job title rather than a code: the ISCO coder suggests one later
            fields["isco_group_id"] = None
            self.titles[number] = occupation[:200]
        else:
            fields["isco_group_id"] = self._isco(cells.get("desired_occupation"), occupation, issues)
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


# Above this many distinct birth dates in a file (about five years' worth), nearly every registered person
# shares one with some row, so reading them all in one pass is cheaper than long lists of values to match.
READ_ALL_ABOVE = 2000


def existing_candidates(rows: Sequence[CheckedRow], *, since: datetime | None = None) -> Iterator[Candidate]:
    """Registered people who share an ID, a phone or a birth date with some row (or, with `since`, everyone
    registered or changed since then). Merged records are left out: their survivor stands for them."""
    records = JobSeeker.objects.current()
    columns = ("pk", "date_of_birth", "national_id", "phone", "phone_alt", "name_keys")
    births = sorted({r.fields["date_of_birth"] for r in rows if r.fields})
    if since is not None:
        lookups: list[Q] = [Q(updated_at__gte=since)]
    elif len(births) > READ_ALL_ABOVE:
        lookups = [Q()]
    else:
        ids = sorted({r.fields["national_id"] for r in rows if r.fields and r.fields["national_id"]})
        phones = sorted({r.fields["phone"] for r in rows if r.fields and r.fields["phone"]})
        lookups = [Q(date_of_birth__in=births)] if births else []
        for start in range(0, len(ids), 5000):
            lookups.append(Q(national_id__in=ids[start : start + 5000]))
        for start in range(0, len(phones), 5000):
            chunk = phones[start : start + 5000]
            lookups.append(Q(phone__in=chunk) | Q(phone_alt__in=chunk))
    seen: set[int] = set()
    for lookup in lookups:
        for pk, born, national_id, phone, phone_alt, keys in (
            records.filter(lookup).values_list(*columns).iterator(chunk_size=5000)
        ):
            if pk not in seen:
                seen.add(pk)
                yield Candidate(
                    pk=pk, date_of_birth=born, national_id=national_id, phones=(phone, phone_alt), keys=keys
                )


def match_issues(matches: list[Match], *, in_file: bool) -> list[Issue]:
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
    registered = DuplicateIndex(existing_candidates(valid))
    earlier = DuplicateIndex([])
    for row in valid:
        candidate = row.candidate()
        issues = match_issues(registered.matches(candidate), in_file=False)
        if not any(not i.is_flag for i in issues):
            issues += match_issues(earlier.matches(candidate), in_file=True)
        if any(not i.is_flag for i in issues):
            row.status, row.issues, row.fields = REJECTED, [i for i in issues if not i.is_flag], None
            continue
        earlier.add(row.candidate(pk=row.row))
        if issues:
            row.status, row.issues = FLAGGED, issues


def code_titles(rows: Sequence[CheckedRow], titles: dict[int, str], units: dict[str, int]) -> None:
    """Rows that give a job title instead of an ISCO-08 code: the coder's best unit group is filled in and the
    row is flagged, so a counsellor confirms it before it is imported; when the coder is unsure, the row is
    rejected with its three best suggestions."""
    from openpes.taxonomy.coder.model import Query
    from openpes.taxonomy.coder.service import suggest_many

    pending = [r for r in rows if r.row in titles and r.status != REJECTED and r.fields is not None]
    if not pending:
        return
    found = suggest_many([Query(titles[r.row], "", "") for r in pending], limit=3)
    for row, suggestions in zip(pending, found, strict=True):
        assert row.fields is not None
        best = suggestions[0] if suggestions else None
        if best is not None and best.confidence >= CODED_MIN_CONFIDENCE and best.code in units:
            row.fields["isco_group_id"] = units[best.code]
            params = {"title": titles[row.row], "code": best.code, "confidence": round(best.confidence * 100)}
            row.issues.append(Issue("desired_occupation", "isco_coded", params))
            row.status = FLAGGED
        else:
            options = "; ".join(f"{s.code} {s.title_en}" for s in suggestions) or "—"
            row.status, row.fields = REJECTED, None
            row.issues = [Issue("desired_occupation", "isco_uncertain", {"title": titles[row.row], "options": options})]


def check_import(table: Table, *, today: date | None = None) -> ImportCheck:
    """Validate every row, code job titles and look for duplicates. Saves nothing."""
    checked_at = timezone.now()
    checker = RowChecker(today=today)
    rows = [checker.check(number, cells) for number, cells in table.rows]
    find_duplicates(rows)
    code_titles(rows, checker.titles, checker.ref.isco_units)
    return ImportCheck(rows=rows, kind=table.kind, ignored_columns=table.ignored_columns, checked_at=checked_at)
