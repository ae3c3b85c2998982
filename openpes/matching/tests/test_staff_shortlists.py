"""Counsellors: recommended jobs on a person's page and a ranked shortlist on a vacancy's page, both within their
scope, with one-click referral and dismissal with a reason — after which the pair is not suggested again."""

import pytest
from django.urls import reverse

from openpes.applications.models import Application
from openpes.audit.models import AuditEvent
from openpes.employers.tests.factories import EmployerFactory
from openpes.matching import access, service
from openpes.matching.models import MatchDismissal, Recommendation
from openpes.matching.tests.builders import fresh_index, job, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(cast):
    """Two sewing candidates of the Pursat centre, one of the Battambang centre, one of the Pursat mobile unit."""
    best = person(has=("sew", "cut"), name_latin="Sok Dara")
    good = person(has=("sew",), name_latin="Keo Mealea")
    far = person(has=("sew", "cut"), province_code="02", name_latin="Chan Bopha")
    van = person(has=("sew", "cut"), owner_centre=cast.pursat_van, name_latin="Mao Vanna")
    sewing = job(title="Sewing machine operator")
    fresh_index()
    return best, good, far, van, sewing


def _get(client, user, url):
    client.force_login(user)
    client.cookies["openpes_language"] = "en"
    return client.get(url)


def test_a_counsellor_sees_a_ranked_shortlist_of_the_people_of_their_centre(client, cast, market):
    best, good, far, van, sewing = market
    response = _get(client, cast.counsellor_pursat, reverse("matching:vacancy_candidates", args=[sewing.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Sok Dara") < page.index("Keo Mealea")
    assert "Chan Bopha" not in page and "Mao Vanna" not in page
    assert "Has all 2 skills asked for: operate sewing machines, cut fabrics" in page
    assert "Lacks a required skill: cut fabrics" in page
    assert page.count('action="/matching/refer/"') == 2
    logged = Recommendation.objects.filter(vacancy=sewing, direction="people").order_by("rank")
    assert [r.jobseeker_id for r in logged] == [best.pk, good.pk]
    assert AuditEvent.objects.filter(actor_id=cast.counsellor_pursat.pk, action="list", count=2).exists()


def test_a_counsellor_of_another_centre_sees_none_of_those_people(client, cast, market):
    best, good, far, van, sewing = market
    page = _get(client, cast.counsellor_battambang, reverse("matching:vacancy_candidates", args=[sewing.pk]))
    text = page.content.decode()
    assert "Chan Bopha" in text
    for name in ("Sok Dara", "Keo Mealea", "Mao Vanna"):
        assert name not in text
    for jobseeker in (best, good, van):
        url = reverse("matching:jobseeker_jobs", args=[jobseeker.pk])
        assert _get(client, cast.counsellor_battambang, url).status_code == 404


def test_a_centre_manager_sees_the_province_and_a_national_officer_everyone(client, cast, market):
    url = reverse("matching:vacancy_candidates", args=[market[-1].pk])
    manager = _get(client, cast.manager_pursat, url).content.decode()
    assert "Sok Dara" in manager and "Mao Vanna" in manager and "Chan Bopha" not in manager
    national = _get(client, cast.national, url).content.decode()
    assert all(name in national for name in ("Sok Dara", "Mao Vanna", "Chan Bopha"))
    assert 'action="/matching/refer/"' not in national  # national officers read, caseworkers act


@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a", "trainer"])
def test_public_roles_and_trainers_get_no_shortlist(client, cast, market, who):
    sewing = market[-1]
    assert _get(client, getattr(cast, who), reverse("matching:vacancy_candidates", args=[sewing.pk])).status_code == 403
    assert _get(client, getattr(cast, who), reverse("matching:jobseeker_jobs", args=[market[0].pk])).status_code == 403


def test_a_draft_vacancy_of_another_centre_is_not_found(client, cast, market):
    other = job(title="Rice mill job", province_code="02", draft=True, employer=EmployerFactory(province_code="02"))
    response = _get(client, cast.counsellor_pursat, reverse("matching:vacancy_candidates", args=[other.pk]))
    assert response.status_code == 404


def test_refer_in_one_click_creates_the_referral_and_the_pair_is_not_suggested_again(client, cast, market):
    best, good, far, van, sewing = market
    client.force_login(cast.counsellor_pursat)
    here = reverse("matching:vacancy_candidates", args=[sewing.pk])
    response = client.post(reverse("matching:refer"), {"jobseeker": best.pk, "vacancy": sewing.pk, "next": here})
    assert response.status_code == 302 and response["Location"] == here
    application = Application.objects.get(jobseeker=best, vacancy=sewing)
    assert application.source == "referred" and application.referred_by == cast.counsellor_pursat
    page = _get(client, cast.counsellor_pursat, here).content.decode()
    assert f'name="jobseeker" value="{best.pk}"' not in page
    assert f'name="jobseeker" value="{good.pk}"' in page
    jobs = _get(client, cast.counsellor_pursat, reverse("matching:jobseeker_jobs", args=[best.pk])).content.decode()
    assert f'name="vacancy" value="{sewing.pk}"' not in jobs
    fresh_index()  # a rebuilt index reads the referral from the database
    assert best.pk not in [m.id for m in service.get_index().top_jobseekers(sewing.pk, 20)]


def test_referring_twice_is_refused_with_a_message(client, cast, market):
    best, *_, sewing = market
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    client.post(reverse("matching:refer"), {"jobseeker": best.pk, "vacancy": sewing.pk})
    response = client.post(reverse("matching:refer"), {"jobseeker": best.pk, "vacancy": sewing.pk}, follow=True)
    assert "already applied or been referred" in response.content.decode()
    assert Application.objects.filter(jobseeker=best, vacancy=sewing).count() == 1


def test_refer_over_htmx_answers_with_the_replacement_item(client, cast, market):
    best, *_, sewing = market
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(
        reverse("matching:refer"), {"jobseeker": best.pk, "vacancy": sewing.pk}, headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<li") and "was referred to Sewing machine operator" in fragment


def test_dismiss_with_a_reason_excludes_the_pair_from_later_suggestions(
    client, cast, market, django_capture_on_commit_callbacks
):
    best, good, far, van, sewing = market
    client.force_login(cast.counsellor_pursat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:dismiss"), {"jobseeker": good.pk, "vacancy": sewing.pk, "reason": "too_far"}
        )
    assert response.status_code == 302
    dismissal = MatchDismissal.objects.get(jobseeker=good, vacancy=sewing)
    assert dismissal.reason == "too_far" and dismissal.by == cast.counsellor_pursat
    assert AuditEvent.objects.filter(object_type="matching.matchdismissal", subject_id=str(good.pk)).exists()
    page = _get(client, cast.counsellor_pursat, reverse("matching:vacancy_candidates", args=[sewing.pk]))
    assert f'name="jobseeker" value="{good.pk}"' not in page.content.decode()
    assert f'name="jobseeker" value="{best.pk}"' in page.content.decode()
    assert good.pk not in [m.id for m in service.get_index().top_jobseekers(sewing.pk, 20)]  # this process at once


def test_dismissing_without_a_reason_changes_nothing_and_says_why(client, cast, market):
    best, *_, sewing = market
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(
        reverse("matching:dismiss"), {"jobseeker": best.pk, "vacancy": sewing.pk, "reason": ""}, follow=True
    )
    assert "Choose why this suggestion does not fit." in response.content.decode()
    assert not MatchDismissal.objects.exists()


def test_staff_cannot_act_on_people_outside_their_scope(client, cast, market):
    best, good, far, van, sewing = market
    client.force_login(cast.counsellor_battambang)
    assert client.post(reverse("matching:refer"), {"jobseeker": best.pk, "vacancy": sewing.pk}).status_code == 404
    data = {"jobseeker": best.pk, "vacancy": sewing.pk, "reason": "other"}
    assert client.post(reverse("matching:dismiss"), data).status_code == 404
    client.force_login(cast.national)
    assert client.post(reverse("matching:refer"), {"jobseeker": best.pk, "vacancy": sewing.pk}).status_code == 403
    assert not Application.objects.exists() and not MatchDismissal.objects.exists()


def test_recommended_jobs_for_a_person_list_open_jobs_with_refer_and_dismiss(client, cast, market):
    best, *_, sewing = market
    job(title="Taxi driver", isco_code="8322", essential=())
    fresh_index()
    url = reverse("matching:jobseeker_jobs", args=[best.pk])
    page = _get(client, cast.counsellor_pursat, url).content.decode()
    assert page.index("Sewing machine operator") < page.index("Taxi driver")
    assert "Same occupation as one they want: Sewing machine operators" in page
    assert page.count('name="reason"') == 2
    assert AuditEvent.objects.filter(action="view", subject_id=str(best.pk), actor_id=cast.counsellor_pursat.pk)


def test_the_persons_page_loads_the_first_few_as_a_fragment(client, cast, market):
    best, *_ = market
    profile = _get(client, cast.counsellor_pursat, reverse("jobseekers:detail", args=[best.pk])).content.decode()
    url = reverse("matching:jobseeker_jobs", args=[best.pk])
    assert f'hx-get="{url}?panel=1"' in profile and f'href="{url}"' in profile
    response = client.get(url, {"panel": "1"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert "<html" not in fragment and "Sewing machine operator" in fragment
    assert f'name="next" value="{reverse("jobseekers:detail", args=[best.pk])}"' in fragment


def test_the_vacancy_page_loads_the_best_few_candidates_as_a_fragment(client, cast, market):
    best, good, far, van, sewing = market
    manage = reverse("vacancies:detail_manage", args=[sewing.pk])
    page = _get(client, cast.counsellor_pursat, manage).content.decode()
    url = reverse("matching:vacancy_candidates", args=[sewing.pk])
    assert f'hx-get="{url}?panel=1"' in page
    fragment = client.get(url, {"panel": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "<h3>" in fragment
    assert fragment.index("Sok Dara") < fragment.index("Keo Mealea")
    assert f'name="next" value="{manage}"' in fragment
    client.force_login(cast.employer_a)
    assert "?panel=1" not in client.get(manage).content.decode()  # employers get anonymous suggestions instead


def test_a_next_address_elsewhere_is_ignored(client, cast, market):
    best, *_, sewing = market
    client.force_login(cast.counsellor_pursat)
    data = {"jobseeker": best.pk, "vacancy": sewing.pk, "reason": "other", "next": "https://evil.example/"}
    response = client.post(reverse("matching:dismiss"), data)
    assert response["Location"] == reverse("matching:jobseeker_jobs", args=[best.pk])


def test_the_vacancy_pages_link_to_the_shortlist(client, cast, market):
    sewing = market[-1]
    url = reverse("matching:vacancy_candidates", args=[sewing.pk])
    assert (
        url
        in _get(client, cast.counsellor_pursat, reverse("vacancies:detail_manage", args=[sewing.pk])).content.decode()
    )
    assert (
        url
        in _get(
            client, cast.counsellor_battambang, reverse("vacancies:public_detail", args=[sewing.pk])
        ).content.decode()
    )


def test_when_the_national_list_misses_the_scope_the_scope_is_scored_directly(cast, market, monkeypatch):
    best, good, far, van, sewing = market
    monkeypatch.setattr(access, "NATIONAL_POOL", 1)  # the engine's one best is in Pursat or Battambang
    pursat = access.ranked_jobseekers(sewing, access.shortlist_pool(cast.counsellor_battambang))
    assert [m.id for m in pursat] == [far.pk]
    everyone = access.ranked_jobseekers(sewing, access.shortlist_pool(cast.national))
    assert {m.id for m in everyone} == {best.pk, good.pk, far.pk, van.pk}
    assert everyone[-1].id == good.pk
    engine = {m.id: m.score for m in service.get_index().top_jobseekers(sewing.pk, 20)}
    for match in everyone:
        assert match.score == pytest.approx(engine[match.id], abs=1e-4)  # the reference scorer agrees with it


def test_the_shortlist_costs_the_same_few_queries_for_two_people_or_twelve(
    client, cast, market, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(service, "SYNC_SECONDS", 3600.0)
    sewing = market[-1]
    url = reverse("matching:vacancy_candidates", args=[sewing.pk])
    client.force_login(cast.counsellor_pursat)
    client.get(url)
    with django_assert_max_num_queries(40):
        few = client.get(url)
    for n in range(10):
        person(has=("sew",), name_latin=f"Extra {n}")
    fresh_index()
    client.get(url)
    with django_assert_max_num_queries(40):
        many = client.get(url)
    assert few.content.decode().count("<meter") == 2
    assert many.content.decode().count("<meter") == 12


def test_the_staff_pages_of_a_person_and_a_vacancy_load_their_suggestions_after_the_page(client, cast, market):
    best, _, _, _, sewing = market
    record = _get(client, cast.counsellor_pursat, reverse("jobseekers:detail", args=[best.pk])).content.decode()
    jobs_url = reverse("matching:jobseeker_jobs", args=[best.pk])
    assert f'hx-get="{jobs_url}?panel=1"' in record and f'href="{jobs_url}"' in record
    assert 'aria-labelledby="recommended-jobs-title"' in record and ">Recommended jobs</h2>" in record
    manage_url = reverse("vacancies:detail_manage", args=[sewing.pk])
    vacancy = _get(client, cast.counsellor_pursat, manage_url).content.decode()
    people_url = reverse("matching:vacancy_candidates", args=[sewing.pk])
    assert f'hx-get="{people_url}?panel=1"' in vacancy and ">Suggested candidates</h2>" in vacancy
