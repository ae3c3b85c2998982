"""The needs assessment: published rules, results explained in words, the counsellor's override with a
required reason, and a property test that protected attributes (sex, age, disability, WG-SS answers,
workplace adjustments) never change the result."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpes.cases import assessment as rules
from openpes.cases.actions import casefile as actions
from openpes.cases.enums import CaseEventKind, DigitalAccess, Situation, SupportGroup
from openpes.cases.models import Assessment, CaseEvent
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.models import AccommodationNeed, WgssAnswers, WorkExperience
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.taxonomy.enums import Accommodation
from openpes.taxonomy.models import EducationLevel

BASE_INTAKE = {
    "situation": Situation.UNEMPLOYED,
    "months_without_work": 3,
    "has_caring_duties": False,
    "has_transport": True,
    "health_limits_work": False,
    "has_id_documents": True,
    "can_read_write": True,
    "digital_access": DigitalAccess.SMARTPHONE,
    "can_use_apps": True,
    "contact_channel": "sms",
}


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


@pytest.fixture
def assessed(cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    actions.save_intake(actor=cast.counsellor_pursat, case=case, fields={**BASE_INTAKE, "months_without_work": 14})
    return case, actions.run_assessment(actor=cast.counsellor_pursat, case=case)


def test_the_rules_never_look_at_protected_attributes():
    names = {f.name for f in dataclasses.fields(rules.Inputs)}
    assert not names & {"sex", "age", "date_of_birth", "ethnicity", "religion", "disability", "wgss", "health"}


@pytest.mark.django_db
def test_the_assessment_stores_its_inputs_rules_and_version_and_is_an_event(cast, assessed):
    case, assessment = assessed
    # No work history on the profile: "no experience" fires too. 2 + 2 = 4 → some support.
    assert assessment.fired_rules == ["no_experience", "long_unemployment"]
    assert assessment.group == SupportGroup.SOME_SUPPORT
    assert assessment.rules_version == rules.RULES_VERSION
    assert assessment.inputs["months_without_work"] == 14 and assessment.inputs["digital_access"] == "smartphone"
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.ASSESSED)
    assert event.detail == {
        "group": "some_support",
        "score": 4,
        "fired": ["no_experience", "long_unemployment"],
        "rules_version": rules.RULES_VERSION,
    }


@pytest.mark.django_db
def test_the_assessment_needs_the_intake_first(en, cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    with pytest.raises(ValidationError, match="intake interview first"):
        actions.run_assessment(actor=cast.counsellor_pursat, case=case)
    en.force_login(cast.counsellor_pursat)
    page = en.post(reverse("cases:assessment", args=[case.pk]))
    assert page.status_code == 200 and "Record the intake interview first." in page.content.decode()
    assert not Assessment.objects.exists() and not CaseEvent.objects.filter(kind="assessed").exists()


@pytest.mark.django_db
def test_the_result_page_says_which_rules_fired_in_words(en, cast, assessed):
    case, _ = assessed
    en.force_login(cast.counsellor_pursat)
    page = en.get(reverse("cases:assessment", args=[case.pk])).content.decode()
    assert "Needs some support" in page
    assert "Has never had a job (no work experience)." in page
    assert "Without work for 12 months or more." in page
    assert "Cares for children or relatives." not in page
    assert "4 points in total" in page


@pytest.mark.django_db
def test_an_override_without_a_reason_is_refused_and_nothing_is_saved(en, cast, assessed):
    case, assessment = assessed
    en.force_login(cast.counsellor_pursat)
    url = reverse("cases:override", args=[case.pk, assessment.pk])
    page = en.post(url, {"group": "intensive", "reason": "   "})
    assert page.status_code == 200
    assert "Say why you decide differently from the rules." in page.content.decode()
    page = en.get(url).content.decode()
    assert 'value="intensive"' in page and 'value="some_support"' not in page  # only the other groups
    page = en.post(url, {"group": "some_support", "reason": "Same as the rules"})
    assert "Select a valid choice" in page.content.decode()
    with pytest.raises(ValidationError, match="This is the group the rules gave"):
        actions.override_assessment(
            actor=cast.counsellor_pursat, assessment=assessment, group="some_support", reason="Same"
        )
    with pytest.raises(ValidationError):
        actions.override_assessment(actor=cast.counsellor_pursat, assessment=assessment, group="intensive", reason="")
    assessment.refresh_from_db()
    assert assessment.override_group == "" and assessment.override_reason == ""
    assert not CaseEvent.objects.filter(kind=CaseEventKind.OVERRIDDEN).exists()


@pytest.mark.django_db
def test_an_override_with_a_reason_is_kept_and_the_jobseeker_can_read_it(en, cast):
    person = JobSeekerFactory(user=cast.jobseeker_a)
    case = CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)
    actions.save_intake(actor=cast.counsellor_pursat, case=case, fields=BASE_INTAKE)
    assessment = actions.run_assessment(actor=cast.counsellor_pursat, case=case)
    en.force_login(cast.counsellor_pursat)
    response = en.post(
        reverse("cases:override", args=[case.pk, assessment.pk]),
        {"group": "intensive", "reason": "Lost the last three jobs within a week"},
    )
    assert response["Location"] == reverse("cases:assessment", args=[case.pk])
    assessment.refresh_from_db()
    assert assessment.final_group == "intensive" and assessment.overridden_by == cast.counsellor_pursat
    event = CaseEvent.objects.get(kind=CaseEventKind.OVERRIDDEN)
    assert event.detail == {"assessment": assessment.pk, "previous": "some_support", "group": "intensive"}
    en.force_login(cast.jobseeker_a)
    page = en.get(reverse("cases:my_case")).content.decode()
    assert "Needs intensive support" in page and "Lost the last three jobs within a week" in page
    assert "Has never had a job (no work experience)." in page


@pytest.mark.django_db
def test_the_rules_page_lists_every_rule_weight_and_threshold_in_both_languages(en, cast):
    en.force_login(cast.jobseeker_a)
    page = en.get(reverse("cases:assessment_rules")).content.decode()
    for rule in rules.RULES:
        assert str(rule.description) in page
    assert page.count('class="meta other-language" lang="km"') == len(rules.RULES)
    assert page.count('class="other-language" lang="km"') == 3
    assert "0 to 1" in page and "2 to 4" in page and "5 or more" in page
    assert rules.RULES_VERSION in page
    cast.jobseeker_a.preferred_language = "km"
    cast.jobseeker_a.save(update_fields=["preferred_language"])
    en.cookies["openpes_language"] = "km"
    page = en.get(reverse("cases:assessment_rules")).content.decode()
    assert '<html lang="km">' in page and page.count('other-language" lang="en"') == len(rules.RULES) + 3
    for rule in rules.RULES:
        assert str(rule.description) in page  # the English wording, in its own column


# -- the property: protected attributes never change the result --------------------------------------------------

intakes = st.fixed_dictionaries(
    {
        "situation": st.sampled_from(Situation.values),
        "months_without_work": st.integers(0, 600),
        "has_caring_duties": st.booleans(),
        "has_transport": st.booleans(),
        "health_limits_work": st.booleans(),
        "has_id_documents": st.booleans(),
        "can_read_write": st.booleans(),
        "digital_access": st.sampled_from(DigitalAccess.values),
        "can_use_apps": st.booleans(),
        "contact_channel": st.just("call"),
    }
)
profiles = st.fixed_dictionaries(
    {
        "education": st.one_of(st.none(), st.integers(0, 8)),
        "returning_migrant": st.booleans(),
        "jobs": st.lists(st.integers(0, 120), max_size=2),  # months worked in each past job
    }
)
protected = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["F", "M", "X"]),
        "date_of_birth": st.dates(datetime.date(1955, 1, 1), datetime.date(2008, 12, 31)),
        "wgss": st.one_of(st.none(), st.lists(st.integers(1, 4), min_size=6, max_size=6)),
        "adjustments": st.lists(st.sampled_from(Accommodation.values), max_size=3, unique=True),
    }
)


def _person(profile, attributes):
    level = EducationLevel.objects.get(code=profile["education"]) if profile["education"] is not None else None
    person = JobSeekerFactory(
        sex=attributes["sex"],
        date_of_birth=attributes["date_of_birth"],
        education_level=level,
        returning_migrant=profile["returning_migrant"],
    )
    for months in profile["jobs"]:
        started = datetime.date(2015, 1, 1)
        WorkExperience.objects.create(
            jobseeker=person, title="Job", started_on=started, ended_on=started + datetime.timedelta(days=31 * months)
        )
    if attributes["wgss"] is not None:
        WgssAnswers.objects.create(jobseeker=person, **dict(zip(WgssAnswers.DOMAINS, attributes["wgss"], strict=True)))
    for kind in attributes["adjustments"]:
        AccommodationNeed.objects.create(jobseeker=person, kind=kind)
    return person


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes, profile=profiles, first=protected, second=protected)
def test_sex_age_disability_and_wgss_answers_never_change_the_assessment(cast, intake, profile, first, second):
    results = []
    for attributes in (first, second):
        case = CaseFactory(jobseeker=_person(profile, attributes), counsellor=cast.counsellor_pursat)
        actions.save_intake(actor=cast.counsellor_pursat, case=case, fields=intake)
        assessment = actions.run_assessment(actor=cast.counsellor_pursat, case=case)
        results.append((assessment.group, assessment.fired_rules, assessment.inputs))
    assert results[0] == results[1]
    expected = rules.assess(rules.Inputs(**results[0][2]))
    assert (expected.group, expected.fired) == results[0][:2]
