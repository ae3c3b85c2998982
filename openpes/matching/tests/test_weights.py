"""Administrators tune the weights: non-negative numbers, renormalised to sum to 1, used by the next query."""

import pytest
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.matching import service
from openpes.matching.models import MatchingWeights
from openpes.matching.tests.builders import fresh_index, job, person
from openpes.matching.weights import DEFAULT_WEIGHTS, SIGNALS

pytestmark = pytest.mark.django_db
URL = reverse("matching:weights")


def _form(**changes):
    return {**{name: str(value) for name, value in DEFAULT_WEIGHTS.items()}, **changes}


def test_an_administrator_sees_the_weights_in_use(client, cast):
    client.force_login(cast.admin)
    client.cookies["openpes_language"] = "en"
    page = client.get(URL).content.decode()
    assert "<h1>Matching weights</h1>" in page
    assert "28.0 %" in page  # occupation and skills, by default
    assert 'name="occupation"' in page and 'value="0.28"' in page


def test_new_weights_are_renormalised_audited_and_used_by_the_next_query(
    client, cast, django_capture_on_commit_callbacks
):
    seamstress = person(has=("sew", "cut"))
    near = job(title="Near job", isco_code="8322", essential=())  # same province, another occupation
    far = job(title="Far job", province_code="17", essential=("sew", "cut"))  # the right occupation, far away
    index = fresh_index()
    assert [m.id for m in index.top_vacancies(seamstress.pk, 2)] == [far.pk, near.pk]
    client.force_login(cast.admin)
    data = _form(occupation="0", skills="0", location="10", freshness="0")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    saved = MatchingWeights.objects.first()
    assert saved.changed_by == cast.admin
    assert sum(saved.as_dict().values()) == pytest.approx(1.0)
    assert saved.occupation == 0 and saved.location > 0.5
    assert AuditEvent.objects.filter(object_type="matching.matchingweights", action="update").exists()
    assert [m.id for m in service.get_index().top_vacancies(seamstress.pk, 2)] == [near.pk, far.pk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"skills": "-0.1"}, "greater than or equal to 0"),
        ({"skills": "abc"}, "Enter a number."),
        ({"skills": "1e9"}, "less than or equal to 1000"),
        (dict.fromkeys(SIGNALS, "0"), "At least one weight must be more than zero."),
    ],
)
def test_bad_weights_get_a_clear_error_and_nothing_is_saved(client, cast, changes, message):
    client.force_login(cast.admin)
    client.cookies["openpes_language"] = "en"
    response = client.post(URL, _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize("who", ["national", "manager_pursat", "counsellor_pursat", "jobseeker_a"])
def test_only_administrators_tune_the_weights(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(skills="5")).status_code == 403
    assert not MatchingWeights.objects.exists()


def test_the_django_admin_validates_and_renormalises_too(client, cast):
    cast.admin.is_staff = cast.admin.is_superuser = True  # an administrator with the admin site
    cast.admin.save()
    client.force_login(cast.admin)
    client.cookies["openpes_language"] = "en"
    add = reverse("admin:matching_matchingweights_add")
    refused = client.post(add, _form(location="-1"))
    assert refused.status_code == 200 and not MatchingWeights.objects.exists()
    client.post(add, _form(occupation="2", skills="2"))
    saved = MatchingWeights.objects.get()
    assert sum(saved.as_dict().values()) == pytest.approx(1.0)
    assert saved.occupation == pytest.approx(2 / (4 + sum(DEFAULT_WEIGHTS.values()) - 0.56))
