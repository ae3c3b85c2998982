"""The index stays exact on a market large enough for its cells, rings and second passes to matter.

The property tests use worlds of a few dozen records, where one pass over one ring sees everything. Here a
seeded market of hundreds of vacancies and thousands of jobseekers, with tiny cells and first passes, makes
every query go through several rings, second passes and (for the batch) other major groups.
"""

from __future__ import annotations

import random

import pytest

from openpes.matching import engine
from openpes.matching.engine import MatchIndex
from openpes.matching.features import JobseekerFeatures, VacancyFeatures, make_context
from openpes.matching.scoring import score

UNITS = ["1120", "2221", "2222", "3221", "5120", "5131", "5132", "5223", "7531", "7533", "8153", "8159", "8322",
         "9313", "9329"]  # fmt: skip
PROVINCES = ["01", "02", "12", "15", "17"]
BORDERS = [("01", "02"), ("01", "17"), ("02", "15"), ("02", "17")]
# Skills cluster by occupation, as in ESCO: a unit group's own skills, its minor group's, and common ones.
OWN_SKILLS = {unit: list(range(10 * i, 10 * i + 8)) for i, unit in enumerate(UNITS)}
COMMON_SKILLS = list(range(500, 506))


def _skills(rng: random.Random, unit: str, share: float) -> frozenset[int]:
    pool = OWN_SKILLS[unit] + [s for u in UNITS if u[:3] == unit[:3] and u != unit for s in OWN_SKILLS[u][:3]]
    picked = {s for s in pool if rng.random() < share} | {s for s in COMMON_SKILLS if rng.random() < share / 3}
    return frozenset(picked)


def market(seed: int, n_vacancies: int = 400, n_jobseekers: int = 2500):
    rng = random.Random(seed)
    ctx = make_context(UNITS, PROVINCES, BORDERS)
    jobs = []
    for i in range(n_vacancies):
        unit = rng.choice(UNITS[:10] * 3 + UNITS)  # some unit groups much more common
        essential = _skills(rng, unit, 0.4)
        jobs.append(
            VacancyFeatures(
                id=10_000 + i,
                unit=UNITS.index(unit),
                essential=essential,
                optional=_skills(rng, unit, 0.2) - essential,
                province=rng.randrange(len(PROVINCES)),
                district=rng.choice([-1, 1, 2, 3, 4]),
                education=rng.choice([-1, -1, 1, 2, 3, 6]),
                experience_months=rng.choice([0, 0, 6, 12, 24]),
                languages=rng.choice([(), (), (("km", 2),), (("km", 2), ("en", 2))]),
                employment_type=rng.choice(["full_time", "full_time", "part_time", "daily"]),
                wage_max=rng.choice([None, 200, 250, 300, 450]),
                accommodations=frozenset(
                    rng.sample(["step_free", "flexible_hours", "sign_language"], rng.randrange(3))
                ),
                licences=frozenset(rng.choice([(), (), ("B",), ("A1",)])),
                age_days=rng.randrange(60),
                open=rng.random() > 0.05,
            )
        )
    people = []
    for i in range(n_jobseekers):
        unit = rng.choice(UNITS[:10] * 3 + UNITS)
        desired = [UNITS.index(unit)] + [rng.randrange(len(UNITS)) for _ in range(rng.choice([0, 0, 1, 2]))]
        people.append(
            JobseekerFeatures(
                id=1 + i,
                desired=tuple(dict.fromkeys(desired)) if rng.random() > 0.02 else (),
                past=tuple({rng.randrange(len(UNITS)) for _ in range(rng.choice([0, 1, 2]))}),
                skills=_skills(rng, unit, 0.55),
                province=rng.randrange(len(PROVINCES)),
                district=rng.choice([-1, 1, 2, 3, 4]),
                relocate=rng.random() < 0.1,
                preferred=frozenset(rng.sample(range(len(PROVINCES)), rng.choice([0, 0, 0, 1, 2]))),
                education=rng.choice([-1, 0, 1, 2, 3, 4, 6]),
                experience_months=rng.choice([0, 3, 12, 30, 60]),
                languages=rng.choice([(("km", 3),), (("km", 4), ("en", 2)), (("km", 1),)]),
                employment_types=frozenset(rng.sample(["full_time", "part_time", "daily"], rng.randrange(3))),
                expected_wage=rng.choice([None, None, 180, 260, 400]),
                accommodations=frozenset(rng.sample(["step_free", "flexible_hours"], rng.choice([0, 0, 0, 1]))),
                licences=frozenset(rng.choice([(), ("A1",), ("A1", "B")])),
                available=rng.random() > 0.03,
                excluded=frozenset(rng.sample([v.id for v in jobs], 2)) if rng.random() < 0.1 else frozenset(),
            )
        )
    return ctx, jobs, people


@pytest.fixture
def small_passes(monkeypatch):
    """Tiny cells and first passes: every query needs several rings and a second pass."""
    monkeypatch.setattr(engine, "FIRST_PASS_ROWS", 12)
    monkeypatch.setattr(engine, "FIRST_PASS_CELLS", 4)
    monkeypatch.setattr(engine, "BATCH_FIRST_ROWS", 12)
    monkeypatch.setattr(engine, "BATCH_BLOCK", 64)
    monkeypatch.setattr(engine, "VACANCY_CELL", 3)


def _built(ctx, jobs, people):
    index = MatchIndex(ctx)
    index.put_vacancies(jobs)
    index.put_jobseekers(people)
    index.build()
    ctx.skill_idf = index.skill_idf()
    ctx.default_idf = index._idf(10**9)
    return index


def _expected_vacancies(js, jobs, ctx, k):
    pairs = [(score(js, v, ctx).total, v.id) for v in jobs if v.open and v.id not in js.excluded]
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:k]


def _same(got, expected):
    assert len(got) == len(expected)
    for match, (reference, _) in zip(got, expected, strict=True):
        assert abs(match.score - reference) < 1e-4


@pytest.mark.parametrize(("seed", "k"), [(1, 5), (2, 20)])
def test_top_vacancies_equal_the_reference_in_a_market_of_thousands(small_passes, seed, k):
    ctx, jobs, people = market(seed)
    index = _built(ctx, jobs, people)
    for js in random.Random(seed).sample(people, 60):
        expected = _expected_vacancies(js, jobs, ctx, k) if js.available else []
        _same(index.top_vacancies(js.id, k), expected)


@pytest.mark.parametrize(("seed", "k"), [(3, 5), (4, 20)])
def test_top_jobseekers_equal_the_reference_in_a_market_of_thousands(small_passes, seed, k):
    ctx, jobs, people = market(seed)
    index = _built(ctx, jobs, people)
    for v in random.Random(seed).sample(jobs, 80):
        if not v.open:
            assert index.top_jobseekers(v.id, 20) == []
            continue
        pairs = [
            (score(js, v, ctx, direction="people").total, js.id)
            for js in people
            if js.available and v.id not in js.excluded
        ]
        expected = sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:k]
        _same(index.top_jobseekers(v.id, k), expected)


@pytest.mark.parametrize("k", [4, 15])
def test_the_batch_gives_every_jobseeker_exactly_their_own_top_vacancies(small_passes, k):
    ctx, jobs, people = market(5)
    index = _built(ctx, jobs, people)
    ids = [js.id for js in people] + [999_999]  # and one nobody knows
    batch = index.top_vacancies_many(ids, k)
    assert batch[-1] == []
    by_id = {js.id: js for js in people}
    for jobseeker_id, got in zip(ids[:-1], batch, strict=False):
        one = index.top_vacancies(jobseeker_id, k)
        assert [round(m.score, 5) for m in got] == [round(m.score, 5) for m in one]
    for js in random.Random(5).sample(people, 40):
        expected = _expected_vacancies(js, jobs, ctx, k) if by_id[js.id].available else []
        _same(batch[ids.index(js.id)], expected)


def test_batch_arrays_pad_missing_places_with_minus_one(small_passes):
    ctx, jobs, people = market(6, n_vacancies=8, n_jobseekers=30)
    index = _built(ctx, jobs, people)
    ids, scores = index.recommend_vacancies([js.id for js in people], 12)
    assert ids.shape == scores.shape == (30, 12)
    for js, row, row_scores in zip(people, ids, scores, strict=True):
        one = index.top_vacancies(js.id, 12)
        open_for_them = [v for v in jobs if v.open and v.id not in js.excluded] if js.available else []
        assert (row >= 0).sum() == len(one) == min(12, len(open_for_them))
        assert (row[len(one) :] == -1).all()
        assert [round(float(x), 5) for x in row_scores[: len(one)]] == [round(m.score, 5) for m in one]


def test_no_results_for_k_zero_and_unknown_records():
    ctx, jobs, people = market(7, n_vacancies=20, n_jobseekers=20)
    index = _built(ctx, jobs, people)
    assert index.top_vacancies(people[0].id, 0) == []
    assert index.top_jobseekers(jobs[0].id, 0) == []
    assert index.top_vacancies(123_456) == []
    assert index.top_jobseekers(123_456) == []
    assert index.top_vacancies_many([people[0].id], 0) == [[]]
