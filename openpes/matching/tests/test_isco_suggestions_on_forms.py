"""The ISCO-08 coder's top 3 suggestions sit next to the occupation field of the vacancy form and of the
work-history form: htmx asks for them as the title or tasks change; without JavaScript a link opens the coder."""

import pytest

from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.matching.tests.builders import person
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def _hooked(page):
    assert 'hx-get="/classifications/isco/suggest/"' in page
    assert 'hx-vals=\'{"target": "id_isco_group"}\'' in page
    assert 'hx-include="#id_title, #id_description"' in page
    assert "change from:#id_title" in page
    assert "/static/taxonomy/isco-suggest.js" in page
    assert '<a href="/classifications/isco/suggest/"' in page  # inside <noscript>
    assert page.index('id="id_isco_group"') < page.index("data-isco-suggestions")


def test_the_vacancy_form_offers_isco_suggestions_next_to_the_occupation(client, cast):
    employer = VacancyFactory().employer
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    client.force_login(cast.employer_a)
    _hooked(client.get(f"/vacancies/new/?employer={employer.pk}").content.decode())


def test_the_work_history_form_offers_isco_suggestions_for_the_person_and_for_staff(client, cast):
    jobseeker = person(user=cast.jobseeker_a)
    client.force_login(cast.jobseeker_a)
    _hooked(client.get("/me/profile/experience/").content.decode())
    client.force_login(cast.counsellor_pursat)
    _hooked(client.get(f"/jobseekers/{jobseeker.pk}/edit/experience/").content.decode())


def test_other_sections_do_not_load_the_coder(client, cast):
    person(user=cast.jobseeker_a)
    client.force_login(cast.jobseeker_a)
    page = client.get("/me/profile/skills/").content.decode()
    assert "isco-suggest.js" not in page and "data-isco-suggestions" not in page
