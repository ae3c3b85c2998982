"""The jobseeker's own profile: every section can be filled in; bad input is refused with a clear error."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.geography.models import Commune, District, Province
from openpes.jobseekers import actions
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind
from openpes.jobseekers.models import JobSeeker, WgssAnswers, WorkExperience
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.taxonomy.models import EducationLevel, IscoGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(cast, en):
    """Jobseeker A, signed in, with a record owned by the Pursat centre."""
    jobseeker = JobSeekerFactory(user=cast.jobseeker_a, name_latin="Sok Sreymom", national_id="")
    en.force_login(cast.jobseeker_a)
    return jobseeker


def _section(name):
    return reverse("jobseekers:my_section", args=[name])


def _post(client, name, data):
    return client.post(_section(name), data)


def test_my_profile_shows_every_section_and_writes_a_view_audit_row(en, me):
    response = en.get(reverse("jobseekers:my_profile"))

    page = response.content.decode()
    assert response.status_code == 200
    for title in ("Personal details", "Contact and address", "Education", "Work history", "Skills", "Languages",
                  "Work I am looking for", "Preferences", "CV", "Work abroad", "Adjustments at work",
                  "Questions about difficulties", "Consents"):  # fmt: skip
        assert title in page, title
    assert "Sok Sreymom" in page
    assert "History of the record" not in page  # the staff-only event history
    assert "Change status" not in page
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, actor_id=me.user_id, object_type="jobseekers.jobseeker", object_id=str(me.pk)
    ).exists()


def test_a_jobseeker_account_without_a_record_completes_registration_first(en, cast):
    en.force_login(cast.jobseeker_b)
    page = en.get(reverse("jobseekers:my_profile")).content.decode()
    assert "Complete your registration" in page
    assert en.get(_section("education")).status_code == 302

    response = en.post(
        reverse("jobseekers:my_profile"),
        {"name_km": "ចាន់ ដារា", "sex": "M", "date_of_birth": "1990-02-03", "province": cast.pursat.province_id,
         "consent": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    jobseeker = JobSeeker.objects.get(user=cast.jobseeker_b)
    assert jobseeker.name_km == "ចាន់ ដារា"
    assert jobseeker.email == cast.jobseeker_b.email
    assert jobseeker.consents.get().purpose == ConsentPurpose.REGISTRATION


def test_completing_registration_without_consent_saves_nothing(en, cast):
    en.force_login(cast.jobseeker_b)
    response = en.post(
        reverse("jobseekers:my_profile"),
        {"name_km": "ចាន់ ដារា", "sex": "M", "date_of_birth": "1990-02-03", "province": cast.pursat.province_id},
    )
    assert "Tick the box to agree" in response.content.decode()
    assert not JobSeeker.objects.exists()


def test_personal_details_are_saved_with_an_event_and_an_audit_row(en, me):
    response = _post(
        en,
        "personal",
        {"name_km": "សុខ ស្រីមុំ", "name_latin": "Sok Sreymom", "sex": "F", "date_of_birth": "1996-05-01",
         "national_id": "0101 23456"},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"].endswith("#section-personal")
    me.refresh_from_db()
    assert me.date_of_birth == datetime.date(1996, 5, 1)
    assert me.national_id == "010123456"
    event = me.events.get(kind=EventKind.PROFILE_UPDATED)
    assert event.detail == {"fields": ["date_of_birth", "national_id"]}
    audit = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert audit.detail == {"fields": ["date_of_birth", "national_id"]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name_km": "", "name_latin": ""}, "Enter the name in Khmer script, in Latin letters, or both."),
        ({"name_km": "Sok"}, "Write this name in Khmer script only."),
        ({"name_latin": "Sok1"}, "Write this name in Latin letters only"),
        ({"date_of_birth": "2100-01-01"}, "The date of birth cannot be in the future."),
        ({"national_id": "12ab"}, "Enter the ID card number: 9 to 12 digits."),
        ({"national_id": "1234567890123"}, "Enter the ID card number: 9 to 12 digits."),
    ],
)
def test_bad_personal_details_are_refused_and_nothing_changes(en, me, changes, message):
    data = {"name_km": "សុខ ស្រីមុំ", "name_latin": "Sok Sreymom", "sex": "F", "date_of_birth": "1996-05-01"}
    before = JobSeeker.objects.values().get(pk=me.pk)

    response = _post(en, "personal", {**data, **changes})

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert JobSeeker.objects.values().get(pk=me.pk) == before
    assert not me.events.filter(kind=EventKind.PROFILE_UPDATED).exists()


def _select(page, name):
    return re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)


def _places():
    pursat = Province.objects.get(code="15")
    district = District.objects.filter(province=pursat).first()
    commune = Commune.objects.filter(district=district).first()
    other_district = District.objects.exclude(province=pursat).first()
    other_commune = Commune.objects.filter(district__province=pursat).exclude(district=district).first()
    return pursat, district, commune, other_district, other_commune


def test_contact_and_address_are_saved(en, me):
    pursat, district, commune, _other_district, _other_commune = _places()
    response = _post(
        en,
        "contact",
        {"phone": "097 765 4321", "phone_alt": "", "email": "", "province": pursat.pk, "district": district.pk,
         "commune": commune.pk, "address": "Phum Kandal"},
    )  # fmt: skip
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.phone, me.district, me.commune, me.address) == ("+855977654321", district, commune, "Phum Kandal")


def test_a_district_outside_the_province_or_a_commune_outside_the_district_is_refused(en, me):
    pursat, district, commune, other_district, other_commune = _places()
    base = {"phone": "", "phone_alt": "", "email": "", "province": pursat.pk, "address": ""}

    wrong_district = _post(en, "contact", {**base, "district": other_district.pk})
    wrong_commune = _post(en, "contact", {**base, "district": district.pk, "commune": other_commune.pk})
    commune_alone = _post(en, "contact", {**base, "commune": commune.pk})

    assert "This district is not in the province chosen." in wrong_district.content.decode()
    assert "This commune is not in the district chosen." in wrong_commune.content.decode()
    assert "Choose the district of this commune." in commune_alone.content.decode()
    me.refresh_from_db()
    assert me.district is None and me.commune is None


def test_the_district_list_offers_only_districts_of_the_chosen_province(en, me):
    pursat, district, commune, other_district, _other_commune = _places()
    page = en.get(_section("contact")).content.decode()
    districts = _select(page, "district")
    assert f'value="{district.pk}"' in districts
    assert f'value="{other_district.pk}"' not in districts
    assert 'hx-get="/me/profile/contact/"' in page
    assert "Show the districts and communes of my choice" in page  # the button for browsers without JS


def test_htmx_reloads_the_district_and_commune_lists_when_the_province_changes(en, me):
    _pursat, district, _commune, other_district, _other_commune = _places()
    response = en.get(
        _section("contact"),
        {"province": other_district.province_id, "district": district.pk, "commune": ""},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="places">')
    assert f'value="{other_district.pk}"' in _select(page, "district")
    assert f'value="{district.pk}"' not in _select(page, "district")  # the old district is in the old province
    assert _select(page, "commune").count("<option") == 1  # no district chosen yet: no communes
    assert "<h1" not in page


def test_without_javascript_the_refresh_button_redraws_the_lists_and_saves_nothing(en, me):
    _pursat, _district, _commune, other_district, _other_commune = _places()
    response = _post(
        en,
        "contact",
        {"phone": "", "phone_alt": "", "email": "", "province": other_district.province_id, "district": "",
         "commune": "", "address": "Phum Thmey", "refresh": "1"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{other_district.pk}"' in _select(page, "district")
    assert 'value="Phum Thmey"' in page
    me.refresh_from_db()
    assert me.address == ""


def test_education_is_saved(en, me):
    level = EducationLevel.objects.get(code=3)
    response = _post(
        en, "education", {"education_level": level.pk, "field_of_study": "Accounting", "institution": "Pursat HS"}
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.education_level, me.field_of_study) == (level, "Accounting")


def test_work_history_entries_are_added_changed_and_removed(en, me):
    add = _post(
        en,
        "experience",
        {"title": "Sewing machine operator", "isco_group": "8153", "employer_name": "Garment Co", "country": "Cambodia",
         "started_on": "2019-01-01", "ended_on": "2021-06-30", "description": "Sewing sleeves"},
    )  # fmt: skip
    assert add.status_code == 302
    job = WorkExperience.objects.get(jobseeker=me)
    assert job.isco_group == IscoGroup.objects.get(code="8153")

    edit_url = reverse("jobseekers:my_experience", args=[job.pk])
    assert "Sewing sleeves" in en.get(edit_url).content.decode()
    en.post(edit_url, {"title": "Line leader", "isco_group": "", "country": "Thailand", "started_on": "2019-01-01"})
    job = WorkExperience.objects.get(pk=job.pk)
    assert (job.title, job.country, job.isco_group_id, job.ended_on) == ("Line leader", "Thailand", None, None)

    assert en.post(reverse("jobseekers:my_experience_delete", args=[job.pk])).status_code == 302
    assert not WorkExperience.objects.exists()
    assert me.events.filter(kind=EventKind.PROFILE_UPDATED, detail__fields=["experience"]).count() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"isco_group": "9999"}, "Choose an occupation from the list, or type its 4-digit ISCO-08 code."),
        ({"isco_group": "not an occupation"}, "Choose an occupation from the list"),
        ({"ended_on": "2018-01-01"}, "The end date is before the start date."),
        ({"started_on": "2999-01-01", "ended_on": ""}, "This date cannot be in the future."),
        ({"description": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_bad_work_history_is_refused(en, me, changes, message):
    data = {"title": "Driver", "isco_group": "8322", "country": "Cambodia", "started_on": "2019-01-01"}
    response = _post(en, "experience", {**data, **changes})
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not WorkExperience.objects.exists()


def test_someone_else_s_work_history_entry_is_not_found(en, me, cast):
    other = JobSeekerFactory(user=cast.jobseeker_b)
    job = WorkExperience.objects.create(jobseeker=other, title="Driver")
    assert en.get(reverse("jobseekers:my_experience", args=[job.pk])).status_code == 404
    assert en.post(reverse("jobseekers:my_experience_delete", args=[job.pk])).status_code == 404
    assert WorkExperience.objects.filter(pk=job.pk).exists()


def test_skills_from_the_list_and_in_free_text_are_saved(en, me, skills):
    response = _post(
        en,
        "skills",
        {"q": "Drive a forklift", "skills": "sew garments\nuse a sewing machine", "skills_free_text": "Cooking"},
    )
    assert response.status_code == 302
    assert {s.skill.label_en for s in me.skills.all()} == {"sew garments", "use a sewing machine", "drive a forklift"}
    me.refresh_from_db()
    assert me.skills_free_text == "Cooking"


def test_an_unknown_skill_is_refused_and_nothing_is_saved(en, me, skills):
    response = _post(en, "skills", {"q": "", "skills": "sew garments\nflying a rocket", "skills_free_text": "Cooking"})
    assert "Not in the skills list: flying a rocket." in response.content.decode()
    assert not me.skills.exists()
    me.refresh_from_db()
    assert me.skills_free_text == ""


def test_the_skills_page_has_a_datalist_that_htmx_refreshes_from_the_suggestions(en, me, skills):
    page = en.get(_section("skills")).content.decode()
    assert '<datalist id="skill-suggestions">' in page
    assert f'hx-get="{reverse("taxonomy:skill_suggestions")}"' in page
    suggestions = en.get(reverse("taxonomy:skill_suggestions"), {"q": "sewing"}).content.decode()
    assert '<option value="use a sewing machine">' in suggestions


def test_languages_are_saved_with_their_level(en, me):
    response = _post(en, "languages", {"lang_km": "4", "lang_th": "2", "lang_en": ""})
    assert response.status_code == 302
    assert dict(me.languages.values_list("language", "level")) == {"km": 4, "th": 2}
    assert _post(en, "languages", {"lang_km": "9"}).status_code == 200
    assert dict(me.languages.values_list("language", "level")) == {"km": 4, "th": 2}


def test_up_to_three_desired_occupations_are_saved_in_order(en, me):
    response = _post(en, "occupations", {"occupation_1": "8153", "occupation_2": "8322", "occupation_3": ""})
    assert response.status_code == 302
    assert [d.isco_group.code for d in me.desired_occupations.all()] == ["8153", "8322"]
    page = en.get(_section("occupations")).content.decode()
    assert page.count('<datalist id="isco-unit-groups">') == 1  # one list shared by the three inputs
    assert page.count('list="isco-unit-groups"') == 3


def test_the_same_occupation_twice_or_an_unknown_one_is_refused(en, me):
    twice = _post(en, "occupations", {"occupation_1": "8153", "occupation_2": "8153"})
    unknown = _post(en, "occupations", {"occupation_1": "0000"})
    assert "Choose a different occupation for each choice." in twice.content.decode()
    assert "Choose an occupation from the list" in unknown.content.decode()
    assert not me.desired_occupations.exists()


def test_a_fourth_occupation_is_never_saved(en, me):
    _post(en, "occupations", {"occupation_1": "8153", "occupation_2": "8322", "occupation_3": "5120",
                              "occupation_4": "9112"})  # fmt: skip
    assert me.desired_occupations.count() == 3
    ids = list(IscoGroup.objects.filter(code__in=["8153", "8322", "5120", "9112"]).values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="at most three"):
        actions.set_desired_occupations(actor=me.user, jobseeker=me, isco_group_ids=ids)
    assert me.desired_occupations.count() == 3


def test_preferences_are_saved(en, me):
    provinces = list(Province.objects.filter(code__in=["15", "12"]))
    response = _post(
        en,
        "preferences",
        {"preferred_provinces": [p.pk for p in provinces], "willing_to_relocate": "on",
         "employment_types": ["full_time", "daily"], "expected_wage": "250", "available_from": "2030-01-01",
         "driving_licences": ["A1"]},
    )  # fmt: skip
    assert response.status_code == 302
    me.refresh_from_db()
    assert set(me.preferred_provinces.all()) == set(provinces)
    assert (me.willing_to_relocate, me.employment_types, me.expected_wage) == (True, ["full_time", "daily"], 250)
    assert me.driving_licences == ["A1"]
    page = en.get(reverse("jobseekers:my_profile")).content.decode()
    assert "Full-time, Daily work" in page


@pytest.mark.parametrize(
    "changes",
    [{"expected_wage": "-5"}, {"expected_wage": "1000000"}, {"employment_types": ["forever"]},
     {"driving_licences": ["Z"]}, {"available_from": "someday"}],
)  # fmt: skip
def test_bad_preferences_are_refused(en, me, changes):
    response = _post(en, "preferences", changes)
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()
    me.refresh_from_db()
    assert (me.employment_types, me.expected_wage, me.driving_licences) == ([], None, [])


def test_returning_migrant_details_are_saved_and_need_a_country(en, me):
    missing = _post(en, "migration", {"returning_migrant": "on", "migration_country": "", "returned_on": ""})
    assert "Enter the country." in missing.content.decode()
    future = _post(en, "migration", {"returning_migrant": "on", "migration_country": "Thailand",
                                     "returned_on": "2999-01-01"})  # fmt: skip
    assert "This date cannot be in the future." in future.content.decode()
    ok = _post(en, "migration", {"returning_migrant": "on", "migration_country": "Thailand",
                                 "returned_on": "2024-03-01"})  # fmt: skip
    assert ok.status_code == 302
    me.refresh_from_db()
    assert (me.returning_migrant, me.migration_country, me.returned_on) == (True, "Thailand", datetime.date(2024, 3, 1))


def test_the_wgss_questions_are_optional_explained_and_all_or_nothing(en, me):
    page = en.get(_section("wgss")).content.decode()
    assert "for statistics only and are never used to decide anything about you" in page

    partial = _post(en, "wgss", {"seeing": "1", "hearing": "2"})
    assert "Answer all six questions, or leave them all empty." in partial.content.decode()
    assert not WgssAnswers.objects.exists()

    answers = {"seeing": "1", "hearing": "1", "walking": "3", "cognition": "1", "self_care": "1", "communication": "1"}
    assert _post(en, "wgss", answers).status_code == 302
    assert WgssAnswers.objects.get(jobseeker=me).disability is True
    profile = en.get(reverse("jobseekers:my_profile")).content.decode()
    assert "WG disability identifier" in profile

    assert _post(en, "wgss", {"remove": "on"}).status_code == 302
    assert not WgssAnswers.objects.exists()


def test_accommodation_needs_are_recorded_apart_from_the_wgss_answers(en, me):
    response = _post(en, "accommodation", {"kinds": ["step_free", "flexible_hours"], "note": "Wheelchair user"})
    assert response.status_code == 302
    assert set(me.accommodation_needs.values_list("kind", flat=True)) == {"step_free", "flexible_hours"}
    assert not WgssAnswers.objects.exists()
    assert _post(en, "accommodation", {"kinds": ["teleport"]}).status_code == 200
    assert me.accommodation_needs.count() == 2


def test_the_person_gives_and_withdraws_consent_and_the_history_is_kept(en, me):
    actions.record_consent(
        actor=me.user, jobseeker=me, purpose=ConsentPurpose.REGISTRATION, given=True, method=ConsentMethod.ONLINE
    )
    assert _post(en, "consents", {"registration": "yes", "share_with_employers": "yes"}).status_code == 302
    assert _post(en, "consents", {"registration": "yes", "share_with_employers": "no"}).status_code == 302

    history = list(me.consents.order_by("at", "id").values_list("purpose", "given", "method", "on_behalf"))
    assert history == [
        ("registration", True, "online", False),
        ("share_with_employers", True, "online", False),
        ("share_with_employers", False, "online", False),
    ]
    page = en.get(reverse("jobseekers:my_profile")).content.decode()
    assert "History of answers" in page
    assert page.count("Not agreed") == 1
    assert "Not asked" in page  # SMS alerts


def test_the_status_section_is_for_staff_only(en, me):
    assert en.get(_section("status")).status_code == 404
    assert _post(en, "status", {"status": "inactive", "reason": "own_request"}).status_code == 404
    assert en.get(_section("nonsense")).status_code == 404
    me.refresh_from_db()
    assert me.status == "active"


def test_the_profile_page_in_khmer_is_khmer(client, me, cast):
    client.force_login(cast.jobseeker_a)
    cast.jobseeker_a.preferred_language = "km"
    cast.jobseeker_a.save()
    response = client.get(reverse("jobseekers:my_profile"))
    assert '<html lang="km">' in response.content.decode()


@pytest.mark.parametrize(
    ("section", "data", "message"),
    [
        ("contact", {"email": "not-an-email", "province": "15"}, "Enter a valid email address."),
        ("contact", {"province": "", "address": "x"}, "This field is required."),
        ("contact", {"phone": "12ab", "province": "15"}, "Enter a valid phone number"),
        ("contact", {"province": "15", "address": "x" * 251}, "Ensure this value has at most 250 characters"),
        ("education", {"education_level": "999"}, "Select a valid choice."),
        ("consents", {"registration": "maybe"}, "Select a valid choice."),
        (
            "wgss",
            {"seeing": "7", "hearing": "1", "walking": "1", "cognition": "1", "self_care": "1", "communication": "1"},
            "Select a valid choice.",
        ),  # fmt: skip
    ],
)
def test_junk_in_any_section_is_refused_with_a_clear_error_and_nothing_changes(en, me, section, data, message):
    if data.get("province") == "15":
        data = {**data, "province": Province.objects.get(code="15").pk}
    before = JobSeeker.objects.values().get(pk=me.pk)
    events = me.events.count()

    response = _post(en, section, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert JobSeeker.objects.values().get(pk=me.pk) == before
    assert me.events.count() == events
    assert not me.consents.exists() and not WgssAnswers.objects.exists()


def test_the_home_page_of_a_jobseeker_without_a_record_invites_them_to_complete_registration(en, cast):
    en.force_login(cast.jobseeker_b)
    page = en.get("/").content.decode()
    assert "you are not registered as a jobseeker yet" in page
    assert reverse("jobseekers:my_profile") in page
