"""The fairness audit on a hand-built register with known answers: recommendation and referral rates by sex, age
band and WG disability identifier per vacancy group, four-fifths flags, hidden small cells, scope, and a CSV
export whose cells cannot carry formulas."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.applications.tests.factories import ApplicationFactory
from openpes.audit.models import AuditEvent
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.matching import fairness
from openpes.matching.access import get_recommendations_for_user, get_register_for_user
from openpes.matching.fairness import Rate, compare, fairness_report
from openpes.matching.models import Recommendation
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=29)


def _born(age):
    return TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=10)


def _shown(jobseeker, vacancy, days_ago=1):
    Recommendation.objects.create(
        jobseeker=jobseeker,
        vacancy=vacancy,
        direction="people",
        rank=1,
        score=0.5,
        shown_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def _referred(jobseeker, vacancy, days_ago=1):
    ApplicationFactory(
        jobseeker=jobseeker,
        vacancy=vacancy,
        referred=True,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def register(cast):
    """Pursat: women W1–W5 aged 20, W6–W10 aged 30; men M1–M10 aged 60. WG identifier yes for W1 W2 M1 M2 M3
    M6, no answers for W9 W10 M9 M10, no for the rest. Sewing (ISCO major group 8) shown to W1–W8 and M1–M5,
    referred W1–W4 and M1; cooking (major group 5) shown to M6–M10. Battambang: one woman aged 20, shown sewing."""
    women = [JobSeekerFactory(sex="F", date_of_birth=_born(20 if n < 5 else 30)) for n in range(10)]
    men = [JobSeekerFactory(sex="M", date_of_birth=_born(60)) for _ in range(10)]
    W = dict(enumerate(women, start=1))  # noqa: N806
    M = dict(enumerate(men, start=1))  # noqa: N806
    for p in (W[1], W[2], M[1], M[2], M[3], M[6]):
        WgssAnswersFactory(jobseeker=p, walking=3)
    for p in [*(W[n] for n in range(3, 9)), *(M[n] for n in (4, 5, 7, 8))]:
        WgssAnswersFactory(jobseeker=p, walking=1)
    sewing, sewing_2 = VacancyFactory(isco_code="8153"), VacancyFactory(isco_code="8159")
    cooking = VacancyFactory(isco_code="5120", title="Cook")
    for n in range(1, 9):
        _shown(W[n], sewing)
    _shown(W[1], sewing_2)  # shown twice: counted once
    _shown(W[9], sewing, days_ago=60)  # before the period
    for n in range(1, 6):
        _shown(M[n], sewing)
    for n in range(6, 11):
        _shown(M[n], cooking)
    for n in range(1, 5):
        _referred(W[n], sewing if n % 2 else sewing_2)
    _referred(M[1], sewing)
    _referred(M[2], sewing, days_ago=45)  # before the period
    _referred(W[10], sewing)  # never recommended: not counted
    _referred(M[6], sewing)  # recommended for cooking, referred to sewing: not counted
    far = JobSeekerFactory(sex="F", date_of_birth=_born(20), province_code="02")
    _shown(far, sewing)
    return W, M


def _report(user):
    return fairness_report(
        recommendations=get_recommendations_for_user(user),
        register=get_register_for_user(user),
        start=START,
        end=TODAY,
    )


def _row(report, group, dimension, category):
    (found,) = [g for g in report.groups if g.code == group]
    (row,) = [r for r in found.rows if r.dimension == dimension and r.category == category]
    return row


def test_recommendation_and_referral_rates_by_sex_per_vacancy_group(cast, register):
    report = _report(cast.manager_pursat)
    assert [g.code for g in report.groups] == ["", "5", "8"]
    women, men = _row(report, "8", "sex", "F"), _row(report, "8", "sex", "M")
    assert (women.register, women.recommended, women.referred) == (10, 8, 4)
    assert (men.register, men.recommended, men.referred) == (10, 5, 1)
    assert women.recommendation.value == 0.8 and men.recommendation.value == 0.5
    assert women.recommendation.reference and not women.recommendation.flagged
    assert men.recommendation.ratio == pytest.approx(0.625) and men.recommendation.flagged
    assert women.referral.value == 0.5 and men.referral.value == 0.2
    assert men.referral.ratio == pytest.approx(0.4) and men.referral.flagged


def test_a_ratio_of_exactly_four_fifths_is_not_flagged_and_zero_is(cast, register):
    report = _report(cast.manager_pursat)
    women, men = _row(report, "", "sex", "F"), _row(report, "", "sex", "M")
    assert (women.recommended, men.recommended) == (8, 10)  # all vacancies: distinct people
    assert women.recommendation.ratio == pytest.approx(0.8) and not women.recommendation.flagged
    cooks = _row(report, "5", "sex", "F")
    assert cooks.recommended == 0 and cooks.recommendation.ratio == 0 and cooks.recommendation.flagged
    assert cooks.recommendation.shown_value == 0  # zero is not a small cell


def test_age_bands_are_taken_at_the_end_of_the_period(cast, register):
    report = _report(cast.manager_pursat)
    young, twenties, middle, older = (_row(report, "8", "age", band) for band in ("15-24", "25-34", "35-54", "55+"))
    assert (young.register, young.recommended, young.recommendation.value) == (5, 5, 1.0)
    assert (twenties.register, twenties.recommended, twenties.recommendation.value) == (5, 3, 0.6)
    assert (middle.register, middle.recommendation.computed) == (0, False)
    assert (older.register, older.recommended, older.recommendation.value) == (10, 5, 0.5)
    assert young.recommendation.reference
    assert twenties.recommendation.flagged and older.recommendation.flagged
    assert older.recommendation.ratio == pytest.approx(0.5)
    assert older.category_label == "55+" and young.category_label == "15–24"


def test_small_cells_are_hidden_but_their_flags_are_shown(cast, register):
    report = _report(cast.manager_pursat)
    twenties = _row(report, "8", "age", "25-34")
    assert twenties.recommendation.hidden and twenties.recommendation.shown_value is None
    assert twenties.recommendation.shown_ratio is None and twenties.recommendation.flagged
    men = _row(report, "8", "sex", "M")
    assert men.referral.hidden and men.referral.shown_value is None and men.referral.shown_ratio is None
    assert not men.recommendation.hidden and men.recommendation.shown_ratio == pytest.approx(0.625)


def test_the_wg_disability_identifier_is_compared_and_no_answer_is_only_shown(cast, register):
    report = _report(cast.manager_pursat)
    yes, no, unknown = (_row(report, "8", "disability", c) for c in ("yes", "no", "unknown"))
    assert (yes.register, yes.recommended, yes.referred) == (6, 5, 3)
    assert (no.register, no.recommended, no.referred) == (10, 8, 2)
    assert yes.recommendation.reference and no.recommendation.ratio == pytest.approx(0.96)
    assert not no.recommendation.flagged
    assert yes.referral.value == pytest.approx(0.6) and no.referral.value == pytest.approx(0.25)
    assert no.referral.flagged and no.referral.shown_ratio is None  # the best-off rate rests on a hidden count
    assert unknown.register == 4 and not unknown.recommendation.comparable and unknown.recommendation.ratio is None


def test_the_report_covers_only_people_in_the_readers_scope(cast, register):
    assert _row(_report(cast.manager_pursat), "8", "sex", "F").register == 10
    national = _report(cast.national)
    women = _row(national, "8", "sex", "F")
    assert (women.register, women.recommended) == (11, 9)
    battambang = _report(cast.manager_battambang)
    assert (_row(battambang, "8", "sex", "F").register, _row(battambang, "8", "sex", "F").recommended) == (1, 1)


def test_a_group_with_too_few_people_is_not_compared():
    rates = compare({"a": Rate(3, 4), "b": Rate(5, 10), "c": Rate(1, 10)})
    assert rates["a"].ratio is None and not rates["a"].flagged and not rates["a"].computed
    assert rates["b"].reference and rates["c"].flagged and rates["c"].ratio == pytest.approx(0.2)


def test_the_page_shows_the_tables_with_flags_in_words(client, cast, register):
    client.force_login(cast.national)
    client.cookies["openpes_language"] = "en"
    response = client.get(reverse("matching:fairness"))
    page = response.content.decode()
    assert response.status_code == 200
    assert ">Sex</caption>" in page and ">Age band</caption>" in page
    assert "Disability (Washington Group identifier)" in page
    assert "8 — Plant and machine operators and assemblers" in page
    assert "under 0.8" in page and "best-off" in page and "fewer than 5" in page
    assert 'scope="col"' in page


def test_a_bad_period_gets_a_clear_error(client, cast, register):
    client.force_login(cast.national)
    client.cookies["openpes_language"] = "en"
    page = client.get(reverse("matching:fairness"), {"start": TODAY, "end": START}).content.decode()
    assert "The end is before the start." in page
    page = client.get(reverse("matching:fairness"), {"start": "yesterday", "end": TODAY}).content.decode()
    assert "Enter a valid date." in page


@pytest.mark.parametrize("who", ["counsellor_pursat", "jobseeker_a", "employer_a", "trainer"])
def test_only_managers_national_officers_and_administrators_see_the_audit(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("matching:fairness")).status_code == 403
    assert client.get(reverse("matching:fairness_export")).status_code == 403


def test_the_csv_export_is_neutralised_and_audited_with_its_row_count(client, cast, register, monkeypatch):
    titles = {"5": '=HYPERLINK("http://evil")', "8": "-2+3"}
    monkeypatch.setattr(fairness, "_group_title", lambda code: titles[code])
    client.force_login(cast.manager_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.get(reverse("matching:fairness_export"), {"start": START, "end": TODAY, "direction": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="fairness-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Vacancy group", "Characteristic", "Group of people"]
    assert len(body) == 3 * (3 + 4 + 3)  # three vacancy tables × (sex + age bands + disability)
    assert {r[0] for r in body} == {"All vacancies", '\'=HYPERLINK("http://evil")', "'-2+3"}
    assert not [cell for row in body for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    men = next(r for r in body if r[0] == "'-2+3" and r[2] == "Male")
    assert men[3:8] == ["10", "5", "0.5", "0.625", "yes"]
    assert men[8:] == ["fewer than 5", "—", "—", "yes"]
    audit = AuditEvent.objects.get(action="export", object_type="matching.fairness")
    assert audit.actor_id == cast.manager_pursat.pk and audit.count == len(body)
