"""Matching in the JSON API: the jobseeker's recommended jobs, a staff shortlist scoped like the pages, and an
employer's anonymous suggestions with "invite to apply"."""

import pytest
from django.test import Client

from openpes.accounts.models import ApiToken
from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.matching.models import Invitation, Recommendation
from openpes.matching.tests.builders import fresh_index, job, person, shares_with_employers
from openpes.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db
API = "/api/v1/matching"


@pytest.fixture
def market(cast):
    mine = person(user=cast.jobseeker_a, has=("sew",), name_latin="Sok Dara", national_id="123123123")
    shares_with_employers(mine)
    other = person(has=("sew", "cut"), province_code="02", name_latin="Chan Bopha")
    shares_with_employers(other)
    sewing = job(title="Sewing machine operator")
    EmployerMemberFactory(employer=sewing.employer, user=cast.employer_a)
    fresh_index()
    return mine, other, sewing


def _api(user):
    _token, clear = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {clear}", "Accept-Language": "en"})


def test_a_jobseeker_gets_their_recommended_jobs_with_reasons(cast, market):
    mine, _other, sewing = market
    response = _api(cast.jobseeker_a).get(f"{API}/jobs")
    assert response.status_code == 200
    (item,) = response.json()
    assert item["vacancy"] == sewing.pk and item["title"] == "Sewing machine operator"
    assert 0 <= item["fit"]["score"] <= 1 and item["fit"]["band_label"].endswith("match")
    assert {"code": "occupation", "text": "Same occupation as one you want: Sewing machine operators"} in item["fit"][
        "reasons"
    ]
    assert item["fit"]["gaps"][0]["code"] == "missing_skill"
    assert Recommendation.objects.filter(jobseeker=mine, direction="jobs").count() == 1


def test_other_roles_and_strangers_get_no_jobs_list(cast, market):
    assert _api(cast.counsellor_pursat).get(f"{API}/jobs").status_code == 403
    assert Client().get(f"{API}/jobs").status_code == 401
    assert _api(cast.jobseeker_b).get(f"{API}/jobs").status_code == 404  # no record yet


def test_staff_get_a_shortlist_of_people_in_their_scope_only(cast, market):
    mine, other, sewing = market
    pursat = _api(cast.counsellor_pursat).get(f"{API}/vacancies/{sewing.pk}/candidates").json()
    assert [c["jobseeker"] for c in pursat] == [mine.pk]
    assert "123123123" not in str(pursat)
    battambang = _api(cast.counsellor_battambang).get(f"{API}/vacancies/{sewing.pk}/candidates").json()
    assert [c["jobseeker"] for c in battambang] == [other.pk]
    assert _api(cast.employer_a).get(f"{API}/vacancies/{sewing.pk}/candidates").status_code == 403
    assert _api(cast.counsellor_pursat).get(f"{API}/vacancies/999999/candidates").status_code == 404


def test_an_employer_gets_anonymous_suggestions_and_invites_one(cast, market):
    mine, other, sewing = market
    api = _api(cast.employer_a)
    suggestions = api.get(f"{API}/vacancies/{sewing.pk}/suggestions").json()
    assert len(suggestions) == 2
    text = str(suggestions)
    for secret in ("Sok Dara", "Chan Bopha", "123123123", str(mine.phone), "jobseeker"):
        assert secret not in text
    assert {s["area"] for s in suggestions} == {"Pursat", "Battambang"}
    first = suggestions[0]["suggestion"]
    invited = api.post(f"{API}/vacancies/{sewing.pk}/suggestions/{first}/invite")
    assert invited.status_code == 201 and invited.json()["suggestion"] == first
    assert Invitation.objects.count() == 1 and OutboundMessage.objects.count() == 1
    again = api.post(f"{API}/vacancies/{sewing.pk}/suggestions/{first}/invite")
    assert again.status_code == 409
    assert _api(cast.employer_b).get(f"{API}/vacancies/{sewing.pk}/suggestions").status_code == 404
    assert _api(cast.employer_b).post(f"{API}/vacancies/{sewing.pk}/suggestions/{first}/invite").status_code == 404


def test_the_operations_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    own = {path: item for path, item in paths.items() if path.startswith(API)}
    assert set(own) == {
        f"{API}/jobs",
        f"{API}/vacancies/{{vacancy_id}}/candidates",
        f"{API}/vacancies/{{vacancy_id}}/suggestions",
        f"{API}/vacancies/{{vacancy_id}}/suggestions/{{suggestion_id}}/invite",
    }
    for item in own.values():
        for operation in item.values():
            assert operation["summary"] and "401" in operation["responses"]
