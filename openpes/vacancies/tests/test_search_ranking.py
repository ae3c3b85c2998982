"""How the public vacancy search ranks, pages, counts and keeps its index in step (the index answers it alone)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from openpes.employers.actions import update_employer
from openpes.employers.tests.factories import EmployerFactory
from openpes.lib.search import parse_query, tokens
from openpes.taxonomy.models import Sector
from openpes.vacancies import search as search_module
from openpes.vacancies.access import get_public_vacancies
from openpes.vacancies.actions import close_vacancy
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import VacancyFilters, search_vacancies, vacancy_index
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def _published(vacancy, days_ago):
    Vacancy.objects.filter(pk=vacancy.pk).update(published_at=timezone.now() - datetime.timedelta(days=days_ago))
    vacancy_index.update([vacancy.pk])
    return vacancy


def _search(**filters):
    return [v.title for v in search_vacancies(get_public_vacancies(), VacancyFilters(**filters))]


def test_a_title_match_comes_before_a_newer_match_in_the_description_only(reference):
    _published(VacancyFactory(title="Cook", description="Prepare meals."), days_ago=20)
    _published(VacancyFactory(title="Waiter", description="Serve what the cook prepares."), days_ago=1)
    _published(VacancyFactory(title="Head cook", description="Run the kitchen."), days_ago=5)
    assert _search(q="cook") == ["Head cook", "Cook", "Waiter"]
    assert _search(q="cook", sort="date") == ["Waiter", "Head cook", "Cook"]


def test_a_khmer_fragment_in_the_title_ranks_first_too(reference):
    _published(VacancyFactory(title="ជាងកាត់ដេរសម្លៀកបំពាក់", description="ធ្វើការនៅរោងចក្រ"), days_ago=10)
    shop = EmployerFactory(name_km="ហាងលក់ទំនិញ", name_en="General store")
    seller = VacancyFactory(title="អ្នកលក់", description="លក់សម្លៀកបំពាក់ដេររួច", isco_code="5223", employer=shop)
    _published(seller, days_ago=1)
    assert _search(q="ដេរ") == ["ជាងកាត់ដេរសម្លៀកបំពាក់", "អ្នកលក់"]


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_put_together_give_every_match_once_in_order(reference, sort):
    """Title matches and the others are two runs of the index; paging must cross from one to the other
    without losing or repeating a vacancy."""
    for day in range(7):
        _published(VacancyFactory(title=f"Welder {day}", description="Metal work."), days_ago=day * 2)
        _published(VacancyFactory(title=f"Fitter {day}", description="Assist the welder."), days_ago=day * 2 + 1)
    everything = search_vacancies(get_public_vacancies(), VacancyFilters(q="welder", sort=sort))
    expected = [v.title for v in everything[0:100]]
    assert len(expected) == 14
    if sort == "relevance":
        assert expected[:7] == [f"Welder {day}" for day in range(7)]
    for size in (1, 3, 5, 7, 20):
        found = search_vacancies(get_public_vacancies(), VacancyFilters(q="welder", sort=sort))
        pages = [v.title for start in range(0, 14, size) for v in found[start : start + size]]
        assert pages == expected, size


def test_counting_stops_at_the_cap_and_the_page_says_more_than(client, reference, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    for _ in range(5):
        VacancyFactory(title="Driver")
    found = search_vacancies(get_public_vacancies(), VacancyFilters(q="driver"))
    assert (found.count(), found.capped) == (3, True)
    client.cookies["openpes_language"] = "en"
    page = client.get(reverse("vacancies:search"), {"q": "driver"}).content.decode()
    assert "More than 3 jobs" in page
    client.cookies["openpes_language"] = "km"
    page = client.get(reverse("vacancies:search"), {"q": "driver"}).content.decode()
    assert "More than" not in page and "ការងារច្រើនជាង 3" in page


def test_the_api_says_when_the_count_is_capped(client, reference, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    for _ in range(3):
        VacancyFactory(title="Driver")
    body = client.get("/api/v1/vacancies", {"q": "driver", "limit": 10}).json()
    assert (body["count"], body["count_is_capped"], len(body["items"])) == (2, True, 2)
    body = client.get("/api/v1/vacancies", {"q": "plumber"}).json()
    assert (body["count"], body["count_is_capped"]) == (0, False)


def test_a_closed_vacancy_leaves_the_search_at_once(cast):
    vacancy = VacancyFactory(title="Mechanic")
    assert _search(q="mechanic") == ["Mechanic"]
    close_vacancy(actor=cast.counsellor_pursat, vacancy=vacancy, reason="cancelled")
    assert _search(q="mechanic") == []
    assert _search() == []


def test_a_vacancy_past_its_closing_date_is_not_counted_before_the_expiry_task_runs(reference):
    VacancyFactory(title="Mechanic")
    late = VacancyFactory(title="Mechanic late")
    Vacancy.objects.filter(pk=late.pk).update(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    found = search_vacancies(get_public_vacancies(), VacancyFilters(q="mechanic"))
    assert (found.count(), [v.title for v in found]) == (1, ["Mechanic"])


def test_a_change_to_the_employer_reaches_its_vacancies_in_the_index(cast):
    vacancy = VacancyFactory(title="Mechanic")
    other = Sector.objects.exclude(pk=vacancy.employer.sector_id).order_by("code").first()
    fields = {"sector": other, "name_en": "Zorvexa"}
    update_employer(actor=cast.counsellor_pursat, employer=vacancy.employer, fields=fields)
    assert _search(sector=other.code) == ["Mechanic"]
    assert _search(q="zorvexa") == ["Mechanic"]


def test_filters_are_terms_no_text_can_produce(reference):
    """A word typed in a description can never look like a filter (a province tag, say)."""
    VacancyFactory(title="Cook", description="_fprovince15 _tcook province15", province_code="02")
    assert _search(province="15") == []
    assert not {t for t in tokens("_fprovince15 _tcook") if t.startswith("_")}
    assert all(not t.token.startswith("_") for t in parse_query("_fprovince15").terms)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan settings")
def test_the_plan_settings_of_a_search_do_not_outlive_it(reference):
    VacancyFactory(title="Cook")
    assert _search(q="cook") == ["Cook"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on", "on")


def test_an_employer_with_hundreds_of_vacancies_is_reindexed_in_one_go(cast):
    """Reindexing reads each vacancy's skills: the query must stay within SQLite's limits (it once failed)."""
    from openpes.taxonomy.models import Skill
    from openpes.vacancies.models import VacancySkill

    first = VacancyFactory(title="Picker")
    fields = {f.attname: getattr(first, f.attname) for f in Vacancy._meta.concrete_fields if not f.primary_key}
    Vacancy.objects.bulk_create([Vacancy(**fields) for _ in range(999)])
    ids = list(Vacancy.objects.values_list("pk", flat=True))
    Skill.objects.bulk_create([Skill(uri=f"urn:test:{n}", label_en=f"Skill {n}") for n in range(3 * len(ids))])
    skills = list(Skill.objects.filter(uri__startswith="urn:test:").values_list("pk", flat=True))
    VacancySkill.objects.bulk_create(
        [
            VacancySkill(vacancy_id=pk, skill_id=skills[3 * n + k], relation="essential")
            for n, pk in enumerate(ids)
            for k in range(3)
        ]
    )
    update_employer(actor=cast.counsellor_pursat, employer=first.employer, fields={"name_en": "Many Jobs Co."})
    found = search_vacancies(get_public_vacancies(), VacancyFilters(q="many jobs"))
    assert (found.count(), found.capped) == (1000, False)
