"""Explanations read like sentences in the reader's language: the top reasons first, then every gap, with
occupation, skill and education names in Khmer or English; employers never read about adjustments."""

import pytest
from django.utils import translation

from openpes.jobseekers.models import AccommodationNeed, LanguageSkill
from openpes.matching.explain import Explained, explain_matches
from openpes.matching.tests.builders import fresh_index, job, person
from openpes.taxonomy.models import EducationLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cast):
    """A seamstress in Pursat who needs step-free access, and a sewing job asking for more than she has."""
    jobseeker = person(has=("sew", "cut"), expected_wage=300, driving_licences=["A1"])
    AccommodationNeed.objects.create(jobseeker=jobseeker, kind="step_free")
    AccommodationNeed.objects.create(jobseeker=jobseeker, kind="sign_language")
    LanguageSkill.objects.create(jobseeker=jobseeker, language="km", level=4)
    vacancy = job(
        essential=("sew", "cut", "inspect"),
        driving_licences=["B"],
        education_level=EducationLevel.objects.get(code=3),
        experience_months=12,
        accommodations=["step_free"],
        wage_max=250,
    )
    vacancy.languages.create(language="th", level=2)
    index = fresh_index()
    return index, jobseeker, vacancy


def _explained(pair, audience, language, direction="jobs") -> Explained:
    index, jobseeker, vacancy = pair
    with translation.override(language):
        (fit,) = explain_matches(
            index=index,
            jobseeker_ids=[jobseeker.pk],
            vacancy_ids=[vacancy.pk],
            scores=[0.61],
            audience=audience,
            direction=direction,
        )
    return fit


def test_a_jobseeker_reads_the_reasons_and_gaps_in_english(pair):
    fit = _explained(pair, "jobseeker", "en")
    reasons = [line.text for line in fit.reasons]
    gaps = [line.text for line in fit.gaps]
    assert reasons == [
        "Same occupation as one you want: Sewing machine operators",
        "You have 2 of the 3 skills asked for: operate sewing machines, cut fabrics",
        "In your province",
        "Offers what you need: Step-free access (ramp or lift)",
    ]
    assert gaps == [
        "Asks for a skill that is not on your profile: inspect quality of products",
        "Requires at least: Upper secondary education",
        "Asks for 12 months of experience; your profile shows 0",
        "Needs Thai at a level not on your profile",
        "Needs driving licence B — not on your profile",
        "Pays up to 250 USD a month; you hope for 300",
        "Does not say it offers what you need: Sign language interpretation",
    ]
    assert fit.score == 0.61 and fit.percent == 61 and fit.band == "good"


def test_the_three_strongest_reasons_come_first_then_an_offered_adjustment(pair):
    fit = _explained(pair, "jobseeker", "en")
    # occupation 0.28 × 1, skills 0.28 × ⅔, location 0.15 × 0.8, (education_met absent), accommodation 0.03 × ½
    assert [line.code for line in fit.reasons] == ["occupation", "skills", "location", "accommodation"]


def test_the_same_explanation_in_khmer_names_occupations_skills_and_levels_in_khmer(pair):
    english = _explained(pair, "jobseeker", "en")
    khmer = _explained(pair, "jobseeker", "km")
    text = " ".join(line.text for line in khmer.reasons + khmer.gaps)
    for khmer_name in ("ប្រតិបត្តិករម៉ាស៊ីនដេរ", "ប្រើម៉ាស៊ីនដេរ", "កាត់ក្រណាត់", "ត្រួតពិនិត្យគុណភាពផលិតផល"):
        assert khmer_name in text
    assert "មធ្យមសិក្សាទុតិយភូមិ" in text
    for english_name in ("Sewing machine operators", "operate sewing machines", "Upper secondary education"):
        assert english_name not in text
    assert [line.code for line in khmer.reasons] == [line.code for line in english.reasons]
    assert [line.code for line in khmer.gaps] == [line.code for line in english.gaps]


def test_a_counsellor_reads_about_the_person_in_the_third_person(pair):
    fit = _explained(pair, "staff", "en", direction="people")
    texts = [line.text for line in fit.reasons + fit.gaps]
    assert "Same occupation as one they want: Sewing machine operators" in texts
    assert "Has 2 of the 3 skills asked for: operate sewing machines, cut fabrics" in texts
    assert "Lacks a required skill: inspect quality of products" in texts
    assert "Needs driving licence B — not on the profile" in texts
    assert "The employer does not say it offers: Sign language interpretation" in texts


def test_an_employer_never_reads_about_adjustments_the_person_needs(pair):
    staff = _explained(pair, "staff", "en", direction="jobs")
    employer = _explained(pair, "employer", "en", direction="jobs")
    assert {"accommodation", "accommodation_missing"} & {line.code for line in staff.reasons + staff.gaps}
    assert not {"accommodation", "accommodation_missing"} & {line.code for line in employer.reasons + employer.gaps}
    text = " ".join(line.text for line in employer.reasons + employer.gaps)
    assert "Step-free" not in text and "Sign language" not in text


def test_an_adjustment_the_employer_offers_is_always_among_the_reasons_for_the_jobseeker(cast):
    jobseeker = person(has=("sew", "cut"))
    AccommodationNeed.objects.create(jobseeker=jobseeker, kind="step_free")
    vacancy = job(accommodations=["step_free"], isco_code="8159")  # a sibling unit: a weaker occupation reason
    index = fresh_index()
    with translation.override("en"):
        (fit,) = explain_matches(
            index=index,
            jobseeker_ids=[jobseeker.pk],
            vacancy_ids=[vacancy.pk],
            scores=[0.5],
            audience="jobseeker",
            direction="jobs",
        )
    assert [line.text for line in fit.reasons] == [
        "You have all 2 skills asked for: operate sewing machines, cut fabrics",
        "Close to work you want or had: Textile, fur and leather products machine operators",
        "In your province",
        "Offers what you need: Step-free access (ramp or lift)",  # weighs little, but always said
    ]


@pytest.mark.parametrize(
    ("score", "band"), [(0.9, "very_good"), (0.75, "very_good"), (0.6, "good"), (0.4, "fair"), (0.1, "weak")]
)
def test_the_score_is_also_said_in_words(score, band):
    fit = Explained(jobseeker_id=1, vacancy_id=2, score=score)
    assert fit.band == band
    with translation.override("en"):
        assert fit.band_label.endswith("match")
