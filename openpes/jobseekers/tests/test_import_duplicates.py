"""Import: people already registered, and people typed twice in the same file."""

from __future__ import annotations

import pytest
from django.utils import translation

from openpes.jobseekers.importing import ACCEPTED, FLAGGED, REJECTED, check_import, checks, read_table
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["values", "everyone"], ids=["by-matching-values", "reading-everyone"])
def lookup(request, monkeypatch):
    """Small files look registered people up by their IDs, phones and birth dates; big ones read everyone."""
    if request.param == "everyone":
        monkeypatch.setattr(checks, "READ_ALL_ABOVE", 0)


HEADER = "name_km,name_latin,sex,date_of_birth,phone,national_id,province,consent\n"


def check(*lines: str):
    return check_import(read_table((HEADER + "\n".join(lines) + "\n").encode())).rows


def reasons(row) -> list[tuple[str, str, dict[str, object]]]:
    return [(i.column, i.code, i.params) for i in row.issues]


def test_the_national_id_of_a_registered_person_rejects_the_row_with_their_record_number(reference):
    existing = JobSeekerFactory(national_id="010203040", phone="")
    (row,) = check("ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,,010203040,15,yes")
    assert row.status == REJECTED
    assert reasons(row) == [("national_id", "same_id_record", {"pk": existing.pk})]
    with translation.override("en"):
        assert (
            row.issues[0].message == f"Same national ID number as jobseeker #{existing.pk}, who is already registered."
        )


def test_the_phone_of_a_registered_person_rejects_the_row_even_as_their_second_number(reference):
    first = JobSeekerFactory(phone="+85512345678")
    second = JobSeekerFactory(phone="+85511111111", phone_alt="+85597654321")
    one, two = check(
        "ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,012 345 678,,15,yes",
        "កែវ សុភា,Keo Sophea,F,1991-01-01,097 654 321,,15,yes",
    )
    assert reasons(one) == [("phone", "same_phone_record", {"pk": first.pk})]
    assert reasons(two) == [("phone", "same_phone_record", {"pk": second.pk})]


def test_a_similar_name_born_the_same_day_is_flagged_for_a_counsellor_not_rejected(reference):
    import datetime

    existing = JobSeekerFactory(
        name_km="សុខ ស្រីមុំ", name_latin="Sok Sreymom", date_of_birth=datetime.date(1995, 3, 14), phone=""
    )
    spelled_differently, other_day, other_name = check(
        ",Sokh Srey Mom,F,1995-03-14,,,15,yes",
        ",Sok Sreymom,F,1995-03-15,,,15,yes",
        ",Chan Dara,M,1995-03-14,,,15,yes",
    )
    assert spelled_differently.status == FLAGGED
    assert reasons(spelled_differently) == [("", "similar_record", {"pk": existing.pk})]
    assert spelled_differently.fields is not None  # kept, in case the counsellor imports it anyway
    assert other_day.status == ACCEPTED
    assert other_name.status == ACCEPTED


def test_people_typed_twice_in_the_file_are_caught_and_the_first_copy_is_kept(reference):
    rows = check(
        "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,010203040,15,yes",
        "ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,,010203040,15,yes",
        "កែវ សុភា,Keo Sophea,F,1991-01-01,012 345 678,,15,yes",
        "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,,,Pursat,yes",
        "លី វិសាល,Ly Visal,M,1992-02-02,,,15,yes",
    )
    assert [(r.row, r.status) for r in rows] == [
        (2, ACCEPTED),
        (3, REJECTED),
        (4, REJECTED),
        (5, FLAGGED),
        (6, ACCEPTED),
    ]
    assert reasons(rows[1]) == [("national_id", "same_id_row", {"row": 2})]
    assert reasons(rows[2]) == [("phone", "same_phone_row", {"row": 2})]
    assert reasons(rows[3]) == [("", "similar_row", {"row": 2})]
    with translation.override("en"):
        assert rows[3].issues[0].message == "Similar name and the same date of birth as row 2 of this file."


def test_a_rejected_row_is_not_what_later_rows_are_compared_with(reference):
    rows = check(
        "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,,99,yes",  # unknown province: rejected
        "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,,15,yes",
    )
    assert [r.status for r in rows] == [REJECTED, ACCEPTED]


def test_records_merged_into_another_are_not_reported(reference):
    keep = JobSeekerFactory(phone="+85599000001")
    JobSeekerFactory(national_id="010203040", phone="", merged_into=keep)
    (row,) = check("ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,,010203040,15,yes")
    assert row.status == ACCEPTED


def test_records_of_other_centres_count_too(reference, cast):
    other = JobSeekerFactory(phone="+85512345678", province_code="02")
    (row,) = check("ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,012345678,,15,yes")
    assert reasons(row) == [("phone", "same_phone_record", {"pk": other.pk})]
