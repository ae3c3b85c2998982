"""The index must return exactly what the reference rules say, in both directions (R9 property tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpes.matching.engine import MatchIndex
from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures, make_context
from openpes.matching.scoring import score

UNITS = ["1120", "2221", "3221", "5120", "5131", "8153", "8159", "8322", "8332", "9313", "9329", "7531"]
PROVINCES = ["01", "02", "12", "15", "17"]
BORDERS = [("01", "02"), ("01", "17"), ("02", "15"), ("02", "17")]
SKILLS = list(range(1, 16))
LANGS = ["km", "en", "th"]


def _context() -> Context:
    return make_context(UNITS, PROVINCES, BORDERS)


units = st.integers(0, len(UNITS) - 1)
provinces = st.integers(0, len(PROVINCES) - 1)
skill_sets = st.frozensets(st.sampled_from(SKILLS), max_size=6)


@st.composite
def jobseekers(draw, ident):
    return JobseekerFeatures(
        id=ident,
        desired=tuple(draw(st.lists(units, max_size=3, unique=True))),
        past=tuple(draw(st.lists(units, max_size=2, unique=True))),
        skills=draw(skill_sets),
        province=draw(provinces),
        district=draw(st.integers(-1, 3)),
        relocate=draw(st.booleans()),
        preferred=draw(st.frozensets(provinces, max_size=2)),
        education=draw(st.integers(-1, 8)),
        experience_months=draw(st.integers(0, 60)),
        languages=tuple(
            (code, draw(st.integers(1, 4))) for code in draw(st.lists(st.sampled_from(LANGS), unique=True))
        ),
        employment_types=draw(st.frozensets(st.sampled_from(["full_time", "part_time", "daily"]), max_size=2)),
        expected_wage=draw(st.one_of(st.none(), st.integers(150, 600))),
        accommodations=draw(
            st.frozensets(st.sampled_from(["step_free", "flexible_hours", "sign_language"]), max_size=2)
        ),
        licences=draw(st.frozensets(st.sampled_from(["A1", "B", "C"]), max_size=2)),
        available=draw(st.booleans()) or True,
    )


@st.composite
def vacancies(draw, ident):
    essential = draw(skill_sets)
    return VacancyFeatures(
        id=ident,
        unit=draw(units),
        essential=essential,
        optional=draw(skill_sets) - essential,
        province=draw(provinces),
        district=draw(st.integers(-1, 3)),
        education=draw(st.integers(-1, 6)),
        experience_months=draw(st.sampled_from([0, 6, 12, 24])),
        languages=tuple(
            (code, draw(st.integers(1, 3))) for code in draw(st.lists(st.sampled_from(LANGS), unique=True, max_size=2))
        ),
        employment_type=draw(st.sampled_from(["full_time", "part_time", "daily"])),
        wage_max=draw(st.one_of(st.none(), st.integers(180, 500))),
        accommodations=draw(
            st.frozensets(st.sampled_from(["step_free", "flexible_hours", "sign_language"]), max_size=3)
        ),
        licences=draw(st.frozensets(st.sampled_from(["A1", "B", "C"]), max_size=1)),
        age_days=draw(st.integers(0, 90)),
        open=draw(st.booleans()) or draw(st.booleans()),
    )


@st.composite
def worlds(draw):
    n_js = draw(st.integers(1, 25))
    n_v = draw(st.integers(1, 25))
    people = [draw(jobseekers(i + 1)) for i in range(n_js)]
    jobs = [draw(vacancies(1000 + i)) for i in range(n_v)]
    return people, jobs


def _index(people, jobs):
    index = MatchIndex(_context())
    for v in jobs:
        index.put_vacancy(v)
    for js in people:
        index.put_jobseeker(js)
    index.build()
    ctx = _context()
    ctx.skill_idf = index.skill_idf()
    ctx.default_idf = index._idf(10**9)
    return index, ctx


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds(), st.integers(1, 8))
def test_top_vacancies_equal_the_reference_ranking(world, k):
    people, jobs = world
    index, ctx = _index(people, jobs)
    for js in people:
        expected = sorted(
            ((score(js, v, ctx).total, v.id) for v in jobs if v.open and v.id not in js.excluded),
            key=lambda pair: (-pair[0], pair[1]),
        )[:k]
        got = index.top_vacancies(js.id, k)
        assert [m.id for m in got] == [i for _, i in expected] or [round(m.score, 4) for m in got] == [
            round(s, 4) for s, _ in expected
        ]
        for match, (reference, _) in zip(got, expected, strict=True):
            assert abs(match.score - reference) < 1e-4


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds(), st.integers(1, 8))
def test_top_jobseekers_equal_the_reference_ranking(world, k):
    people, jobs = world
    index, ctx = _index(people, jobs)
    for v in jobs:
        if not v.open:
            assert index.top_jobseekers(v.id, k) == []
            continue
        expected = sorted(
            ((score(js, v, ctx, direction="people").total, js.id) for js in people if js.available),
            key=lambda pair: (-pair[0], pair[1]),
        )[:k]
        got = index.top_jobseekers(v.id, k)
        assert len(got) == len(expected)
        for match, (reference, _) in zip(got, expected, strict=True):
            assert abs(match.score - reference) < 1e-4


@settings(max_examples=100, deadline=None)
@given(jobseekers(1), vacancies(2), st.sampled_from(SKILLS))
def test_scores_stay_between_0_and_1_and_gaining_a_required_skill_never_lowers_them(js, v, skill):
    ctx = _context()
    before = score(js, v, ctx).total
    assert 0.0 <= before <= 1.0 + 1e-9
    richer = JobseekerFeatures(**{**js.__dict__, "skills": js.skills | {skill}})
    assert score(richer, v, ctx).total >= before - 1e-12


@settings(max_examples=100, deadline=None)
@given(jobseekers(1), vacancies(2))
def test_moving_closer_never_lowers_the_score(js, v):
    ctx = _context()
    ladder = [
        JobseekerFeatures(**{**js.__dict__, "province": (v.province + 2) % len(PROVINCES), "district": -1,
                             "preferred": frozenset(), "relocate": False}),
        JobseekerFeatures(**{**js.__dict__, "province": (v.province + 2) % len(PROVINCES), "district": -1,
                             "preferred": frozenset(), "relocate": True}),
        JobseekerFeatures(**{**js.__dict__, "province": v.province, "district": -1}),
        JobseekerFeatures(**{**js.__dict__, "province": v.province, "district": v.district if v.district >= 0 else 7}),
    ]  # fmt: skip
    totals = [score(step, v, ctx).total for step in ladder]
    assert totals == sorted(totals)


def test_incremental_updates_are_seen_before_the_next_rebuild():
    index = MatchIndex(_context())
    index.put_vacancy(VacancyFeatures(id=1, unit=5, essential=frozenset({1}), province=3))
    index.put_jobseeker(JobseekerFeatures(id=10, desired=(5,), skills=frozenset({1}), province=3))
    index.build()
    assert [m.id for m in index.top_vacancies(10)] == [1]
    index.put_vacancy(VacancyFeatures(id=2, unit=5, essential=frozenset({1, 2}), province=3, district=1))
    index.put_jobseeker(JobseekerFeatures(id=11, desired=(5,), skills=frozenset({1, 2}), province=3, district=1))
    assert [m.id for m in index.top_vacancies(11)][:1] == [2]
    assert [m.id for m in index.top_jobseekers(2)][:1] == [11]
    index.close_vacancy(2)
    assert 2 not in [m.id for m in index.top_vacancies(11)]
    index.exclude(10, 1)
    assert index.top_vacancies(10) == []
