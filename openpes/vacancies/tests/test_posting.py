"""Posting a vacancy: by a verified or unverified employer, or by staff taking it by phone; bad input; who may."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.audit.models import AuditEvent
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.taxonomy.models import Skill
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy, VacancyEvent
from openpes.vacancies.tests.factories import VacancyFactory, vacancy_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def business_a(cast):
    employer = EmployerFactory(name_en="A Garments")
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    return employer


@pytest.fixture
def skills(reference):
    return [
        Skill.objects.create(uri="esco:sew", label_en="operate sewing machines", label_km="ប្រើម៉ាស៊ីនដេរ"),
        Skill.objects.create(uri="esco:qc", label_en="inspect quality of products"),
    ]


def new_url(employer):
    return f"{reverse('vacancies:new')}?employer={employer.pk}"


def test_an_employer_posts_a_draft_with_every_field(client, cast, business_a, skills):
    client.force_login(cast.employer_a)
    page = client.get(reverse("vacancies:new"))  # their only business is chosen for them
    assert page.status_code == 200
    assert 'list="isco-unit-groups"' in page.content.decode()
    response = client.post(
        new_url(business_a),
        vacancy_form_data(
            skills_required="operate sewing machines", skills_optional="inspect quality of products", language_2="th"
        )
        | {"level_2": "1"},
    )
    vacancy = Vacancy.objects.get()
    assert response["Location"] == reverse("vacancies:detail_manage", args=[vacancy.pk])
    assert vacancy.status == VacancyStatus.DRAFT
    assert vacancy.employer == business_a
    assert vacancy.owner_centre == business_a.owner_centre
    assert vacancy.isco_group.code == "8153"
    assert (vacancy.wage_min, vacancy.wage_max, vacancy.positions, vacancy.hours_per_week) == (208, 260, 10, 48)
    assert vacancy.district.province.code == "15"
    assert vacancy.disability_friendly
    assert vacancy.accommodations == ["step_free", "flexible_hours"]
    assert vacancy.driving_licences == ["A1"]
    assert not vacancy.posted_by_staff
    assert {(s.skill.label_en, s.relation) for s in vacancy.skills.select_related("skill")} == {
        ("operate sewing machines", "essential"),
        ("inspect quality of products", "optional"),
    }
    assert dict(vacancy.languages.values_list("language", "level")) == {"km": 3, "th": 1}
    assert VacancyEvent.objects.filter(vacancy=vacancy, to_status="draft").count() == 1
    assert AuditEvent.objects.filter(object_type="vacancies.vacancy", object_id=str(vacancy.pk), action="create")


def test_an_employer_saves_and_sends_for_review_in_one_go(client, cast, business_a):
    client.force_login(cast.employer_a)
    client.post(new_url(business_a), vacancy_form_data(send="1"))
    vacancy = Vacancy.objects.get()
    assert vacancy.status == VacancyStatus.SUBMITTED
    assert list(vacancy.events.values_list("to_status", flat=True)) == ["draft", "submitted"]
    assert AuditEvent.objects.filter(object_id=str(vacancy.pk), detail__status="submitted").exists()


def test_an_unverified_employer_can_submit_but_nothing_is_published(client, cast, reference):
    employer = EmployerFactory(pending=True)
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    client.force_login(cast.employer_a)
    page = client.get(new_url(employer)).content.decode()
    assert "not verified yet" in page
    client.post(new_url(employer), vacancy_form_data(send="1"))
    vacancy = Vacancy.objects.get()
    assert vacancy.status == VacancyStatus.SUBMITTED
    # The counsellor cannot publish it until the employer is verified.
    client.force_login(cast.counsellor_pursat)
    detail = client.get(reverse("vacancies:detail_manage", args=[vacancy.pk])).content.decode()
    assert "verify it before publishing" in detail
    client.post(reverse("vacancies:publish", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.SUBMITTED
    assert client.get(reverse("vacancies:public_detail", args=[vacancy.pk])).status_code == 404


def test_staff_take_a_vacancy_by_phone_and_it_is_published_at_once(client, cast, business_a):
    client.force_login(cast.counsellor_pursat)
    page = client.get(new_url(business_a)).content.decode()
    assert "on behalf of" in page and "Save and publish" in page
    client.post(new_url(business_a), vacancy_form_data(send="1"))
    vacancy = Vacancy.objects.get()
    assert vacancy.posted_by_staff
    assert vacancy.created_by == cast.counsellor_pursat
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert client.get(reverse("vacancies:public_detail", args=[vacancy.pk])).status_code == 200


def test_staff_need_an_employer_to_post_for(client, cast, reference):
    client.force_login(cast.counsellor_pursat)
    response = client.get(reverse("vacancies:new"))
    assert response["Location"] == reverse("employers:list")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"isco_group": ""}, "isco_group", "This field is required."),
        ({"isco_group": "9999"}, "isco_group", "Choose an occupation from the list"),
        ({"isco_group": "81"}, "isco_group", "Choose an occupation from the list"),
        ({"wage_min": "300", "wage_max": "250"}, "wage_max", "The highest wage is lower than the lowest wage."),
        ({"closing_date": "2020-01-01"}, "closing_date", "The closing date is in the past."),
        ({"closing_date": "31/31/2031"}, "closing_date", "Enter a valid date."),
        ({"title": ""}, "title", "This field is required."),
        ({"positions": "0"}, "positions", "greater than or equal to 1"),
        ({"hours_per_week": "100"}, "hours_per_week", "less than or equal to 84"),
        ({"employment_type": "slavery"}, "employment_type", "Select a valid choice"),
        ({"accommodations": ["free_lunch"]}, "accommodations", "Select a valid choice"),
        ({"level_1": ""}, "level_1", "Choose the level needed for this language."),
        ({"language_2": "km", "level_2": "1"}, "language_2", "This language is already listed."),
        ({"skills_required": "juggling knives"}, "skills_required", "Not in the skills list: juggling knives"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(client, cast, business_a, overrides, field, message):
    client.force_login(cast.employer_a)
    response = client.post(new_url(business_a), vacancy_form_data(send="1", **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message.split("%")[0] in response.content.decode().replace("&#x27;", "'")
    assert not Vacancy.objects.exists()
    assert not VacancyEvent.objects.exists()


def test_a_district_of_another_province_is_refused(client, cast, business_a):
    from openpes.geography.models import District

    client.force_login(cast.employer_a)
    battambang_district = District.objects.filter(province__code="02").first()
    response = client.post(new_url(business_a), vacancy_form_data(district=str(battambang_district.pk)))
    assert "is not in" in " ".join(response.context["form"].errors["district"])
    assert not Vacancy.objects.exists()


def test_the_form_comes_back_with_what_was_typed(client, cast, business_a):
    client.force_login(cast.employer_a)
    response = client.post(new_url(business_a), vacancy_form_data(wage_min="300", wage_max="250"))
    text = response.content.decode()
    assert 'value="8153 — ' in text  # the occupation is shown back with its title
    assert "ប្រតិបត្តិករម៉ាស៊ីនដេរ" in text


def test_skills_are_added_one_at_a_time_without_javascript(client, cast, business_a, skills):
    client.force_login(cast.employer_a)
    data = vacancy_form_data(q="operate sewing machines", add_skill="essential", wage_min="300", wage_max="1")
    response = client.post(new_url(business_a), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound  # nothing validated, nothing saved yet
    assert form.initial["skills_required"] == "operate sewing machines"
    assert "The highest wage is lower" not in response.content.decode()
    data = vacancy_form_data(
        skills_required="operate sewing machines", q="inspect quality of products", add_skill="optional"
    )
    form = client.post(new_url(business_a), data).context["form"]
    assert form.initial["skills_optional"] == "inspect quality of products"
    assert form.initial["skills_required"] == "operate sewing machines"
    assert form.initial["accommodations"] == ["step_free", "flexible_hours"]
    assert not Vacancy.objects.exists()


def test_an_employer_edits_a_draft_and_cannot_edit_a_published_vacancy(client, cast, business_a, skills):
    draft = VacancyFactory(employer=business_a, draft=True, title="Old title")
    published = VacancyFactory(employer=business_a)
    client.force_login(cast.employer_a)
    page = client.get(reverse("vacancies:edit", args=[draft.pk])).content.decode()
    assert "Old title" in page and 'value="8153 — ' in page
    response = client.post(
        reverse("vacancies:edit", args=[draft.pk]),
        vacancy_form_data(title="New title", skills_required="operate sewing machines"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "New title"
    assert draft.skills.count() == 1
    assert AuditEvent.objects.filter(object_id=str(draft.pk), action="update").exists()
    assert client.get(reverse("vacancies:edit", args=[published.pk])).status_code == 403


def test_editing_shows_the_saved_skills_and_languages(client, cast, business_a, skills):
    client.force_login(cast.employer_a)
    client.post(
        new_url(business_a),
        vacancy_form_data(skills_required="operate sewing machines", language_2="en", level_2="2"),
    )
    vacancy = Vacancy.objects.get()
    form = client.get(reverse("vacancies:edit", args=[vacancy.pk])).context["form"]
    assert [s.label_en for s in form.initial["skills_required"]] == ["operate sewing machines"]
    assert (form.initial["language_1"], form.initial["level_1"]) == ("km", 3)
    assert (form.initial["language_2"], form.initial["level_2"]) == ("en", 2)


def test_employer_b_cannot_see_edit_or_post_for_employer_a(client, cast, business_a):
    vacancy = VacancyFactory(employer=business_a, draft=True)
    client.force_login(cast.employer_b)
    assert client.get(reverse("vacancies:detail_manage", args=[vacancy.pk])).status_code == 404
    assert client.get(reverse("vacancies:edit", args=[vacancy.pk])).status_code == 404
    assert client.post(reverse("vacancies:submit", args=[vacancy.pk])).status_code == 404
    assert client.get(new_url(business_a)).status_code == 404
    assert client.post(new_url(business_a), vacancy_form_data()).status_code == 404
    assert Vacancy.objects.count() == 1


@pytest.mark.parametrize("who", ["jobseeker_a", "national", "trainer"])
def test_people_who_do_not_post_vacancies_are_refused(client, cast, business_a, who):
    client.force_login(getattr(cast, who))
    assert client.get(new_url(business_a)).status_code == 403
    assert client.post(new_url(business_a), vacancy_form_data()).status_code == 403
    assert not Vacancy.objects.exists()


def test_a_refused_employer_cannot_post(client, cast, reference):
    employer = EmployerFactory(verification="refused", refusal_reason="duplicate")
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    client.force_login(cast.employer_a)
    assert client.get(new_url(employer))["Location"] == reverse("employers:home")


def test_an_employer_without_a_business_is_sent_to_register_it(client, cast, reference):
    client.force_login(cast.employer_b)
    assert client.get(reverse("vacancies:new"))["Location"] == reverse("employers:register")


def test_the_closing_date_today_is_accepted(client, cast, business_a):
    client.force_login(cast.employer_a)
    client.post(new_url(business_a), vacancy_form_data(closing_date=timezone.localdate().isoformat()))
    assert Vacancy.objects.get().closing_date == timezone.localdate()
    assert Vacancy.objects.get().closing_date < timezone.localdate() + datetime.timedelta(days=1)
