"""A jobseeker's "Jobs for you": their own best open jobs, each with reasons, gaps, Apply and Not interested."""

import re

import pytest
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.matching import service
from openpes.matching.models import MatchDismissal, Recommendation
from openpes.matching.tests.builders import fresh_index, job, person

pytestmark = pytest.mark.django_db
URL = reverse("matching:my_jobs")


@pytest.fixture
def market(cast):
    me = person(user=cast.jobseeker_a, has=("sew",), name_latin="Sok Dara")
    other = person(user=cast.jobseeker_b, desired=("8322",), name_latin="Chan Bopha")
    sewing = job(title="Sewing machine operator", essential=("sew", "cut"))
    driving = job(title="Taxi driver", isco_code="8322", essential=(), driving_licences=["B"])
    closed = job(title="Closed sewing job", draft=True)
    fresh_index()
    return me, other, sewing, driving, closed


def _page(client, user):
    client.force_login(user)
    client.cookies["openpes_language"] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_jobseeker_sees_their_best_jobs_first_with_reasons_and_gaps(client, cast, market):
    me, _other, sewing, driving, closed = market
    page = _page(client, cast.jobseeker_a)
    assert "<h1>Jobs for you</h1>" in page
    assert page.index("Sewing machine operator") < page.index("Taxi driver")
    assert "Closed sewing job" not in page
    assert "Same occupation as one you want: Sewing machine operators" in page
    assert "You have 1 of the 2 skills asked for: operate sewing machines" in page
    assert "Asks for a skill that is not on your profile: cut fabrics" in page
    assert "Needs driving licence B — not on your profile" in page
    assert "<meter" in page and re.search(r"(Very good|Good|Fair|Weak) match</strong>\s*\(\d+ %\)", page)
    assert reverse("applications:apply", args=[sewing.pk]) in page
    assert reverse("matching:not_interested", args=[sewing.pk]) in page


def test_every_list_shown_is_logged_for_the_fairness_audit_and_audited(client, cast, market):
    me, *_ = market
    _page(client, cast.jobseeker_a)
    shown = Recommendation.objects.filter(jobseeker=me, direction="jobs").order_by("rank")
    assert [r.rank for r in shown] == [1, 2]
    assert all(0 <= r.score <= 1 for r in shown)
    assert AuditEvent.objects.filter(actor_id=cast.jobseeker_a.pk, action="view", subject_id=str(me.pk)).exists()


def test_jobseekers_see_only_their_own_recommendations(client, cast, market):
    page = _page(client, cast.jobseeker_b)
    assert "Taxi driver" in page
    assert "Sok Dara" not in page
    assert "Same occupation as one you want: Car, taxi and van drivers" in page


def test_not_interested_removes_the_job_from_later_suggestions(client, cast, market):
    me, _other, sewing, *_ = market
    client.force_login(cast.jobseeker_a)
    response = client.post(reverse("matching:not_interested", args=[sewing.pk]))
    assert response.status_code == 302
    dismissal = MatchDismissal.objects.get(jobseeker=me, vacancy=sewing)
    assert dismissal.reason == "not_interested" and dismissal.by == cast.jobseeker_a
    page = _page(client, cast.jobseeker_a)
    assert "We will not suggest “Sewing machine operator” again." in page
    assert reverse("applications:apply", args=[sewing.pk]) not in page
    assert "Taxi driver" in page
    # A rebuilt index (another process) reads the dismissal from the database.
    fresh_index()
    assert sewing.pk not in [m.id for m in service.get_index().top_vacancies(me.pk, 20)]


def test_not_interested_answers_htmx_with_the_replacement_item(client, cast, market):
    _me, _other, sewing, *_ = market
    client.force_login(cast.jobseeker_a)
    response = client.post(reverse("matching:not_interested", args=[sewing.pk]), headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.lstrip().startswith("<li") and "<html" not in fragment


def test_saying_not_interested_twice_keeps_one_decision(client, cast, market):
    _me, _other, sewing, *_ = market
    client.force_login(cast.jobseeker_a)
    client.post(reverse("matching:not_interested", args=[sewing.pk]))
    client.post(reverse("matching:not_interested", args=[sewing.pk]))
    assert MatchDismissal.objects.filter(vacancy=sewing).count() == 1


def test_an_unpublished_job_cannot_be_dismissed(client, cast, market):
    *_, closed = market
    client.force_login(cast.jobseeker_a)
    assert client.post(reverse("matching:not_interested", args=[closed.pk])).status_code == 404
    assert not MatchDismissal.objects.exists()


def test_someone_without_a_record_is_sent_to_complete_registration(client, cast, reference):
    client.force_login(cast.jobseeker_a)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("jobseekers:my_profile")


@pytest.mark.parametrize("who", ["employer_a", "counsellor_pursat", "national"])
def test_other_roles_have_no_jobs_for_you_page(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403


def test_the_page_is_linked_from_the_home_page_and_the_menu(client, cast, market):
    client.force_login(cast.jobseeker_a)
    home = client.get("/").content.decode()
    assert home.count(f'href="{URL}"') == 2


def test_the_list_costs_the_same_few_queries_for_two_jobs_or_twelve(
    client, cast, market, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(service, "SYNC_SECONDS", 3600.0)
    client.force_login(cast.jobseeker_a)
    client.get(URL)
    with django_assert_max_num_queries(30):
        few = client.get(URL)
    for n in range(10):
        job(title=f"Sewing job {n}")
    fresh_index()
    client.get(URL)
    with django_assert_max_num_queries(30):
        many = client.get(URL)
    assert few.content.decode().count("<meter") == 2
    assert many.content.decode().count("<meter") == 12
