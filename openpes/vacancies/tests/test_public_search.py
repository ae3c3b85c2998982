"""The public job search at /jobs/ and the public vacancy page at /jobs/<pk>/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.employers.tests.factories import EmployerFactory
from openpes.taxonomy.models import Sector
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import vacancy_index
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


def _titles(response):
    return [v.title for v in response.context["page_obj"].object_list]


def test_anyone_finds_published_vacancies_only(en, reference, django_assert_max_num_queries):
    VacancyFactory(title="Sewing machine operator")
    VacancyFactory(title="Hidden draft", draft=True)
    VacancyFactory(title="Hidden submitted", submitted=True)
    VacancyFactory(title="Already filled", status="filled")
    VacancyFactory.create_batch(5)
    with django_assert_max_num_queries(12):  # a constant: the search's few statements, the page's own
        response = en.get(reverse("vacancies:search"))
    assert response.status_code == 200
    titles = _titles(response)
    assert "Sewing machine operator" in titles
    assert not {"Hidden draft", "Hidden submitted", "Already filled"} & set(titles)


def test_each_result_shows_what_a_jobseeker_needs(en, reference):
    vacancy = VacancyFactory(title="Rice mill worker", wage_min=200, wage_max=250, employment_type="temporary")
    text = en.get(reverse("vacancies:search")).content.decode()
    assert "Rice mill worker" in text
    assert vacancy.employer.name_en in text
    assert "Pursat" in text
    assert "USD 200–250 a month" in text
    assert "Temporary or seasonal" in text
    assert reverse("vacancies:public_detail", args=[vacancy.pk]) in text


def test_a_published_vacancy_past_its_closing_date_is_not_listed(en, reference):
    VacancyFactory(title="Yesterday", closing_date=timezone.localdate() - datetime.timedelta(days=1))
    VacancyFactory(title="Today", closing_date=timezone.localdate())
    assert _titles(en.get(reverse("vacancies:search"))) == ["Today"]


def test_khmer_search_finds_a_word_inside_a_longer_unspaced_title(en, reference):
    VacancyFactory(title="អ្នកបើកបររថយន្តដឹកទំនិញ", isco_code="8322", description="ដឹកជញ្ជូន")
    VacancyFactory(title="Cook", isco_code="5120", description="Cook rice and soup.")
    assert _titles(en.get(reverse("vacancies:search"), {"q": "រថយន្ត"})) == ["អ្នកបើកបររថយន្តដឹកទំនិញ"]
    assert _titles(en.get(reverse("vacancies:search"), {"q": "cook"})) == ["Cook"]


def test_filters_narrow_the_results(en, reference):
    now = timezone.now()
    VacancyFactory(title="Pursat sewing", isco_code="8153")
    VacancyFactory(title="Battambang driver", isco_code="8322", province_code="02", employment_type="part_time")
    VacancyFactory(title="Inclusive cook", isco_code="5120", disability_friendly=True)
    old = VacancyFactory(title="Old cook", isco_code="5120")
    Vacancy.objects.filter(pk=old.pk).update(published_at=now - datetime.timedelta(days=40))
    vacancy_index.update([old.pk])
    VacancyFactory(title="Farm work", isco_code="6111", employer=EmployerFactory(sector=Sector.objects.get(code="A")))

    def search(**params):
        return set(_titles(en.get(reverse("vacancies:search"), params)))

    assert search(province="02") == {"Battambang driver"}
    assert search(isco="8") == {"Pursat sewing", "Battambang driver"}  # a major group
    assert search(isco="83") == {"Battambang driver"}  # a sub-major group
    assert search(isco="8322") == {"Battambang driver"}  # a unit group, from a link
    assert search(sector="A") == {"Farm work"}
    assert search(employment_type="part_time") == {"Battambang driver"}
    assert search(disability_friendly="on") == {"Inclusive cook"}
    assert "Old cook" not in search(posted_since="30")
    assert "Old cook" in search()


def test_posted_since_counts_whole_days_in_cambodian_time(reference):
    """Posting dates count whole days in Phnom Penh time: "the last 7 days" starts at local midnight."""
    from openpes.vacancies.access import get_public_vacancies
    from openpes.vacancies.search import VacancyFilters, search_vacancies

    today = timezone.localdate()
    since = today - datetime.timedelta(days=7)
    midnight = datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
    inside, outside = VacancyFactory(title="Inside"), VacancyFactory(title="Outside")
    Vacancy.objects.filter(pk=inside.pk).update(published_at=midnight)
    Vacancy.objects.filter(pk=outside.pk).update(published_at=midnight - datetime.timedelta(minutes=1))
    vacancy_index.update([inside.pk, outside.pk])
    found = search_vacancies(get_public_vacancies(), VacancyFilters(posted_since=since))
    assert [v.title for v in found] == ["Inside"]


def test_results_are_sorted_by_date_or_by_relevance(en, reference):
    now = timezone.now()
    first = VacancyFactory(title="Cook helper", description="Help in the kitchen.", isco_code="5120")
    Vacancy.objects.filter(pk=first.pk).update(published_at=now - datetime.timedelta(days=3))
    vacancy_index.update([first.pk])
    VacancyFactory(title="Cook", description="Cook, cook and cook for the cook team.", isco_code="5120")
    assert _titles(en.get(reverse("vacancies:search"), {"sort": "date"})) == ["Cook", "Cook helper"]
    assert _titles(en.get(reverse("vacancies:search"), {"q": "cook", "sort": "date"})) == ["Cook", "Cook helper"]


@pytest.mark.parametrize(
    "params",
    [
        {"province": "99"},
        {"isco": "9999"},
        {"isco": "'; DROP TABLE"},
        {"sector": "ZZ"},
        {"employment_type": "slave"},
        {"posted_since": "-1"},
        {"sort": "random()"},
        {"q": "x" * 500},
        {"page": "abc"},
    ],
)
def test_junk_in_the_query_string_gets_a_clear_message_not_an_error(en, reference, params):
    VacancyFactory(title="Sewing machine operator")
    response = en.get(reverse("vacancies:search"), params)
    assert response.status_code == 200
    if "page" not in params:
        assert "Some search choices were not understood" in response.content.decode()
    assert "Sewing machine operator" in _titles(response)  # the bad filter is left out, the search goes on


def test_htmx_gets_only_the_results(en, reference):
    VacancyFactory(title="Sewing machine operator")
    response = en.get(reverse("vacancies:search"), {"q": "sewing"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "Sewing machine operator" in text
    assert "<html" not in text
    assert 'id="job-results"' in text


def test_the_search_page_works_in_khmer(client, reference):
    VacancyFactory(title="Sewing machine operator")
    client.cookies["openpes_language"] = "km"
    response = client.get(reverse("vacancies:search"))
    assert response.status_code == 200
    assert '<html lang="km">' in response.content.decode()


def test_the_public_page_of_a_vacancy_has_everything_and_asks_visitors_to_sign_in(en, reference):
    vacancy = VacancyFactory(
        title="Sewing machine operator",
        disability_friendly=True,
        accommodations=["step_free", "sign_language"],
        driving_licences=["A1"],
        hours_per_week=48,
    )
    response = en.get(reverse("vacancies:public_detail", args=[vacancy.pk]))
    text = response.content.decode()
    assert "Sewing machine operator" in text
    assert "The employer encourages persons with disabilities to apply." in text
    assert "Step-free access (ramp or lift)" in text and "Sign language interpretation" in text
    assert "A1 — motorcycle up to 125 cc" in text
    assert "48 hours a week" in text
    assert "Sign in or register to apply." in text
    apply_url = reverse("applications:apply", args=[vacancy.pk])
    assert f"next={apply_url}" in text


def test_a_jobseeker_sees_the_apply_button_and_an_employer_does_not(client, cast):
    vacancy = VacancyFactory()
    apply_url = reverse("applications:apply", args=[vacancy.pk])
    client.force_login(cast.jobseeker_a)
    assert f'href="{apply_url}"' in client.get(reverse("vacancies:public_detail", args=[vacancy.pk])).content.decode()
    client.force_login(cast.employer_a)
    assert apply_url not in client.get(reverse("vacancies:public_detail", args=[vacancy.pk])).content.decode()


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "closed", "expired"])
def test_unpublished_vacancies_are_404_to_the_public(client, reference, state):
    vacancy = VacancyFactory(status=state, published_at=None)
    assert client.get(reverse("vacancies:public_detail", args=[vacancy.pk])).status_code == 404


def test_a_published_vacancy_past_its_closing_date_no_longer_takes_applications(en, reference):
    vacancy = VacancyFactory(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    text = en.get(reverse("vacancies:public_detail", args=[vacancy.pk])).content.decode()
    assert "This job no longer takes applications." in text
    assert "Sign in or register to apply." not in text
