"""Sex, age, ethnicity, religion, WG-SS answers and disability status are never inputs of matching: changing
any of them on the jobseeker record or its WG-SS answers changes no score and no ranking, in either direction."""

import dataclasses
import datetime

import pytest

from openpes.jobseekers.models import JobSeeker, WgssAnswers
from openpes.jobseekers.tests.factories import WgssAnswersFactory
from openpes.matching import service
from openpes.matching.features import JobseekerFeatures
from openpes.matching.loaders import build_context, jobseeker_features
from openpes.matching.tests.builders import fresh_index, job, person

pytestmark = pytest.mark.django_db

PROTECTED = {"sex", "age", "birth", "born", "dob", "ethnicity", "religion", "wg", "wgss", "disability", "health"}


@pytest.fixture
def market(cast):
    people = [
        person(has=("sew", "cut"), sex="F", date_of_birth=datetime.date(2003, 4, 1)),
        person(has=("sew",), sex="M", date_of_birth=datetime.date(1985, 9, 30)),
        person(desired=("8159",), has=("cut",), sex="F", date_of_birth=datetime.date(1968, 1, 15)),
        person(desired=("8322",), sex="X", date_of_birth=datetime.date(1999, 12, 31), driving_licences=["B"]),
        person(desired=("8153", "8322"), has=("sew", "drive"), province_code="02"),
    ]
    WgssAnswersFactory(jobseeker=people[0], walking=1)
    WgssAnswersFactory(jobseeker=people[1], seeing=4)
    jobs = [
        job(title="Sewing machine operator"),
        job(title="Cutter", essential=("cut",), optional=("sew",), accommodations=["step_free"]),
        job(title="Driver", isco_code="8322", essential=("drive",), driving_licences=["B"]),
        job(title="Sewing in Battambang", province_code="02"),
    ]
    return people, jobs


def _rankings(people, jobs):
    index = fresh_index()
    by_person = {p.pk: [(m.id, round(m.score, 6)) for m in index.top_vacancies(p.pk, 10)] for p in people}
    by_job = {j.pk: [(m.id, round(m.score, 6)) for m in index.top_jobseekers(j.pk, 10)] for j in jobs}
    return by_person, by_job


def _features(people):
    return list(
        jobseeker_features(JobSeeker.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"), build_context())
    )


def _change_sex(people):
    for p, sex in zip(people, ["M", "X", "M", "F", "F"], strict=True):
        JobSeeker.objects.filter(pk=p.pk).update(sex=sex)


def _change_age(people):
    for n, p in enumerate(people):
        JobSeeker.objects.filter(pk=p.pk).update(date_of_birth=datetime.date(1958 + 9 * n, 6, 1))


def _change_wgss(people):
    WgssAnswers.objects.filter(jobseeker=people[0]).update(walking=4, hearing=3, disability=True)
    WgssAnswers.objects.filter(jobseeker=people[1]).delete()
    WgssAnswersFactory(jobseeker=people[2], cognition=3)
    WgssAnswersFactory(jobseeker=people[3], walking=1)


def _change_everything(people):
    _change_sex(people)
    _change_age(people)
    _change_wgss(people)


@pytest.mark.parametrize("change", [_change_sex, _change_age, _change_wgss, _change_everything])
def test_changing_a_protected_attribute_changes_no_score_and_no_ranking(market, change):
    people, jobs = market
    before = _rankings(people, jobs)
    features_before = _features(people)
    assert any(before[0].values()) and any(before[1].values())
    change(people)
    assert _rankings(people, jobs) == before
    assert _features(people) == features_before


def test_a_changed_record_synced_into_a_running_index_keeps_its_scores(market):
    people, jobs = market
    index = fresh_index()
    before = [(m.id, m.score) for m in index.top_jobseekers(jobs[0].pk, 10)]
    _change_everything(people)
    JobSeeker.objects.update(updated_at=datetime.datetime.now(tz=datetime.UTC))
    service.sync(index)
    after = [(m.id, m.score) for m in index.top_jobseekers(jobs[0].pk, 10)]
    assert [i for i, _ in after] == [i for i, _ in before]
    assert [s for _, s in after] == pytest.approx([s for _, s in before], abs=1e-6)  # float32, re-encoded rows


def test_what_matching_knows_about_a_person_has_no_protected_attribute():
    names = [f.name for f in dataclasses.fields(JobseekerFeatures)]
    assert names  # the features the engine and the reference scorer read
    assert not [name for name in names if PROTECTED & set(name.split("_"))]
