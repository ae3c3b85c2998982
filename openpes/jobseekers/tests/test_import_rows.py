"""Import, row by row: every column kind with good and bad values, and the reasons a counsellor reads."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.utils import translation

from openpes.geography.models import Commune, District, Province
from openpes.jobseekers.duplicates import name_keys
from openpes.jobseekers.importing import ACCEPTED, REJECTED, check_import, read_table
from openpes.taxonomy.models import EducationLevel, IscoGroup

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
GOOD = {
    "name_km": "សុខ ស្រីមុំ",
    "name_latin": "Sok Sreymom",
    "sex": "F",
    "date_of_birth": "1995-03-14",
    "phone": "012 345 678",
    "national_id": "010203040",
    "province": "15",
    "district": "",
    "commune": "",
    "education_level": "2",
    "desired_occupation": "8153",
    "channel": "fair",
    "consent": "yes",
}


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(GOOD), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def check_one(**changes: str):
    table = read_table(csv_bytes([{**GOOD, **changes}]))
    (row,) = check_import(table, today=TODAY).rows
    return row


def test_a_complete_row_is_accepted_with_the_values_for_the_database(reference):
    row = check_one(district="1501", commune="150101")
    assert row.status == ACCEPTED, row.issues
    assert row.row == 2  # the header is row 1, as a spreadsheet shows it
    assert row.fields == {
        "name_km": "សុខ ស្រីមុំ",
        "name_latin": "Sok Sreymom",
        "sex": "F",
        "date_of_birth": date(1995, 3, 14),
        "phone": "+85512345678",
        "national_id": "010203040",
        "province_id": Province.objects.get(code="15").pk,
        "district_id": District.objects.get(code="1501").pk,
        "commune_id": Commune.objects.get(code="150101").pk,
        "education_level_id": EducationLevel.objects.get(code=2).pk,
        "isco_group_id": IscoGroup.objects.get(code="8153").pk,
        "channel": "fair",
        "name_keys": name_keys("សុខ ស្រីមុំ", "Sok Sreymom"),
    }


# (column, value typed, expected value in `fields` — or the code of the problem)
GOOD_VALUES = [
    ("name_km", "", ("name_km", "")),
    ("name_latin", "", ("name_latin", "")),
    ("name_latin", "Chan  Dara", ("name_latin", "Chan Dara")),
    ("name_latin", "O'Neil-Sok", ("name_latin", "O'Neil-Sok")),
    ("sex", "m", ("sex", "M")),
    ("sex", "ស្រី", ("sex", "F")),
    ("sex", "ប្រុស", ("sex", "M")),
    ("sex", "X", ("sex", "X")),
    ("date_of_birth", "14/03/1995", ("date_of_birth", date(1995, 3, 14))),
    ("date_of_birth", "4/3/1995", ("date_of_birth", date(1995, 3, 4))),
    ("date_of_birth", "១៩៩៥-០៣-១៤", ("date_of_birth", date(1995, 3, 14))),
    ("phone", "", ("phone", "")),
    ("phone", "+855 97 123 4567", ("phone", "+855971234567")),
    ("phone", "០១២៣៤៥៦៧៨", ("phone", "+85512345678")),
    ("national_id", "", ("national_id", "")),
    ("national_id", "0102 03040", ("national_id", "010203040")),
    ("national_id", "123456789012", ("national_id", "123456789012")),
    ("province", "1", ("province_code", "01")),
    ("province", "Pursat", ("province_code", "15")),
    ("province", "ពោធិ៍សាត់", ("province_code", "15")),
    ("province", "ខេត្តពោធិ៍សាត់", ("province_code", "15")),
    ("province", "Siem Reap", ("province_code", "17")),
    ("province", "phnom penh", ("province_code", "12")),
    ("province", "រាជធានីភ្នំពេញ", ("province_code", "12")),
    ("province", "Kompong Cham", ("province_code", "03")),
    ("education_level", "", ("education_level_id", None)),
    ("education_level", "0", ("education_code", 0)),
    ("education_level", "៨", ("education_code", 8)),
    ("desired_occupation", "", ("isco_group_id", None)),
    ("channel", "", ("channel", "import")),
    ("channel", "Mobile", ("channel", "mobile")),
    ("channel", "centre", ("channel", "centre")),
    ("consent", "Yes", None),
    ("consent", "បាទ/ចាស", None),
    ("consent", "យល់ព្រម", None),
]


@pytest.mark.parametrize(("column", "value", "expected"), GOOD_VALUES)
def test_good_values_of_every_column_are_accepted(reference, column, value, expected):
    row = check_one(**{column: value})
    assert row.status == ACCEPTED, [i.message for i in row.issues]
    if expected is None:
        return
    key, wanted = expected
    if key == "province_code":
        assert Province.objects.get(pk=row.fields["province_id"]).code == wanted
    elif key == "education_code":
        assert EducationLevel.objects.get(pk=row.fields["education_level_id"]).code == wanted
    else:
        assert row.fields[key] == wanted


BAD_VALUES = [
    ("name_km", "Sok Sreymom", "name_km", "name_km_script"),
    ("name_km", "សុខ 123", "name_km", "name_km_script"),
    ("name_latin", "សុខ", "name_latin", "name_latin_script"),
    ("name_latin", "<script>alert(1)</script>", "name_latin", "name_latin_script"),
    ("name_latin", "Sok " + "a" * 150, "name_latin", "too_long"),
    ("sex", "", "sex", "required"),
    ("sex", "woman?", "sex", "sex"),
    ("date_of_birth", "", "date_of_birth", "required"),
    ("date_of_birth", "March 1995", "date_of_birth", "date_format"),
    ("date_of_birth", "1995/03/14", "date_of_birth", "date_format"),
    ("date_of_birth", "31/02/1995", "date_of_birth", "date_invalid"),
    ("date_of_birth", "2030-01-01", "date_of_birth", "date_future"),
    ("date_of_birth", "2015-01-01", "date_of_birth", "age"),
    ("date_of_birth", "1930-01-01", "date_of_birth", "age"),
    ("phone", "12345", "phone", "phone"),
    ("phone", "call me", "phone", "phone"),
    ("national_id", "12AB", "national_id", "national_id"),
    ("national_id", "12345", "national_id", "national_id"),
    ("province", "", "province", "required"),
    ("province", "99", "province", "province"),
    ("province", "Atlantis", "province", "province"),
    ("district", "9999", "district", "district"),
    ("district", "0201", "district", "district_province"),  # Battambang's, not Pursat's
    ("district", "Nowhere", "district", "district"),
    ("commune", "999999", "commune", "commune"),
    ("commune", "020101", "commune", "commune_district"),
    ("commune", "Nowhere", "commune", "commune"),
    ("education_level", "9", "education_level", "education_level"),
    ("education_level", "primary", "education_level", "education_level"),
    ("desired_occupation", "815", "desired_occupation", "isco_format"),
    ("desired_occupation", "8153.0.1", "desired_occupation", "isco_format"),  # (a job title is coded instead)
    ("desired_occupation", "9999", "desired_occupation", "isco_unknown"),
    ("channel", "facebook", "channel", "channel"),
    ("consent", "", "consent", "consent_missing"),
    ("consent", "no", "consent", "consent_missing"),
    ("consent", "ទេ", "consent", "consent_missing"),
    ("consent", "maybe", "consent", "consent_value"),
    ("phone", '=HYPERLINK("http://x")', "phone", "formula"),
    ("name_latin", "@SUM(A1)", "name_latin", "formula"),
    ("national_id", "+1+2", "national_id", "formula"),
    ("name_latin", "-2+3", "name_latin", "formula"),
]


@pytest.mark.parametrize(("column", "value", "problem_column", "code"), BAD_VALUES)
def test_bad_values_of_every_column_reject_the_row_with_the_column_and_the_reason(
    reference, column, value, problem_column, code
):
    row = check_one(**{column: value})
    assert row.status == REJECTED
    assert row.fields is None  # nothing of a rejected row is kept for saving
    assert [(i.column, i.code) for i in row.issues] == [(problem_column, code)]


def test_a_row_without_any_name_is_rejected(reference):
    row = check_one(name_km="", name_latin="")
    assert [(i.column, i.code) for i in row.issues] == [("name_km", "name_missing")]


def test_district_and_commune_by_name_are_found_inside_the_province(reference):
    row = check_one(district="Bakan", commune="បឹងខ្នារ")
    assert row.status == ACCEPTED, [i.message for i in row.issues]
    assert row.fields["district_id"] == District.objects.get(code="1501").pk
    assert row.fields["commune_id"] == Commune.objects.get(code="150102").pk


def test_a_commune_code_alone_fills_in_its_district(reference):
    row = check_one(commune="150102")
    assert row.fields["district_id"] == District.objects.get(code="1501").pk


def test_every_problem_of_a_row_is_reported_at_once(reference):
    row = check_one(sex="?", date_of_birth="yesterday", phone="1", consent="no")
    assert {i.column for i in row.issues} == {"sex", "date_of_birth", "phone", "consent"}


def test_reasons_are_written_in_the_readers_language(reference):
    row = check_one(date_of_birth="2015-01-01")
    (issue,) = row.issues
    with translation.override("en"):
        assert issue.message == "Age 11: a person registering must be 15 to 80 years old."


def test_rows_are_numbered_as_the_spreadsheet_shows_them_and_blank_lines_are_skipped(reference):
    data = csv_bytes([GOOD]) + b",,,,,,,,,,,,\r\n\r\n" + csv_bytes([{**GOOD, "sex": "?"}]).split(b"\r\n", 1)[1]
    rows = check_import(read_table(data), today=TODAY).rows
    assert [(r.row, r.status) for r in rows] == [(2, ACCEPTED), (5, REJECTED)]
