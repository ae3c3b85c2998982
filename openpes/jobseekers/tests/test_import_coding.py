"""Import: a job title typed where an ISCO-08 code was asked is coded by the ISCO coder (issue 6) and flagged
for a counsellor to confirm; a title the coder is unsure of is refused with its closest codes."""

from __future__ import annotations

import pytest
from django.utils import translation

from openpes.jobseekers.importing import ACCEPTED, FLAGGED, REJECTED, check_import, read_table
from openpes.taxonomy.models import IscoGroup

pytestmark = pytest.mark.django_db

HEADER = "name_km,name_latin,sex,date_of_birth,province,desired_occupation,consent\n"


def check(*lines: str):
    return check_import(read_table((HEADER + "\n".join(lines) + "\n").encode())).rows


def test_a_job_title_in_english_or_khmer_is_coded_and_flagged_for_a_counsellor(reference):
    code, english, khmer, none = check(
        "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,15,8153,yes",
        "ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,15,sewing machine operator,yes",
        "កែវ សុភា,Keo Sophea,F,1992-05-05,15,ជាងដេរ,yes",
        "លី ណា,Ly Na,F,1993-06-06,15,,yes",
    )
    assert code.status == ACCEPTED and none.status == ACCEPTED
    sewing = IscoGroup.objects.get(code="8153").pk
    for row in (english, khmer):
        assert row.status == FLAGGED, [i.code for i in row.issues]
        assert row.fields is not None and row.fields["isco_group_id"] == sewing
        (issue,) = row.issues
        assert (issue.column, issue.code, issue.params["code"]) == ("desired_occupation", "isco_coded", "8153")
    with translation.override("en"):
        message = english.issues[0].message
    assert message.startswith("Occupation coded from the job title “sewing machine operator” as ISCO-08 8153 (")
    with translation.override("km"):
        khmer_message = english.issues[0].message
    assert "ISCO-08 8153" in khmer_message and "ពិនិត្យមុននាំចូល" in khmer_message


def test_a_title_the_coder_is_unsure_of_is_refused_with_the_closest_codes(reference):
    (row,) = check("ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,15,qwzx blorp,yes")
    assert row.status == REJECTED and row.fields is None
    (issue,) = row.issues
    assert (issue.column, issue.code) == ("desired_occupation", "isco_uncertain")
    with translation.override("en"):
        assert "could not be coded with confidence" in issue.message


def test_a_malformed_code_is_still_a_format_error(reference):
    (row,) = check("ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,15,81-53,yes")
    assert row.status == REJECTED
    assert [(i.column, i.code) for i in row.issues] == [("desired_occupation", "isco_format")]
