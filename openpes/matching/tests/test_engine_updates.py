"""Changes between two builds are answered exactly, in bulk or one at a time, and from several threads."""

from __future__ import annotations

import random
import threading
from dataclasses import replace

from openpes.matching.engine import MatchIndex
from openpes.matching.scoring import score
from openpes.matching.tests.test_engine_at_scale import _built, _same, market


def _expected_vacancies(js, jobs, ctx, k=20):
    pairs = [(score(js, v, ctx).total, v.id) for v in jobs if v.open and v.id not in js.excluded]
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:k]


def _expected_jobseekers(v, people, ctx, k=20):
    pairs = [(score(js, v, ctx, direction="people").total, js.id) for js in people if js.available]
    pairs = [pair for pair in pairs if v.id not in next(js for js in people if js.id == pair[1]).excluded]
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:k]


def test_records_changed_added_closed_and_removed_after_a_build_are_scored_exactly():
    ctx, jobs, people = market(11, n_vacancies=150, n_jobseekers=600)
    index = _built(ctx, jobs, people)
    rng = random.Random(11)
    jobs, people = list(jobs), list(people)
    # A vacancy moves and changes its skills; a new one opens; one closes.
    moved = replace(jobs[3], province=(jobs[3].province + 1) % 5, essential=people[0].skills, open=True)
    jobs[3] = moved
    new = replace(jobs[4], id=99_001, unit=people[1].desired[0] if people[1].desired else 0, open=True)
    jobs.append(new)
    index.put_vacancies([moved, new])
    index.close_vacancy(jobs[5].id)
    jobs[5] = replace(jobs[5], open=False)
    # A jobseeker learns skills and moves; a new one registers; one leaves; one is referred somewhere.
    richer = replace(people[0], skills=people[0].skills | moved.essential, province=moved.province)
    people[0] = richer
    arrived = replace(people[2], id=88_001, excluded=frozenset())
    people.append(arrived)
    index.put_jobseekers([richer, arrived])
    index.remove_jobseeker(people[6].id)
    people[6] = replace(people[6], available=False)
    index.exclude(people[7].id, jobs[8].id)
    people[7] = replace(people[7], excluded=people[7].excluded | {jobs[8].id})
    for js in [people[0], people[6], people[7], arrived, *rng.sample(people, 30)]:
        expected = _expected_vacancies(js, jobs, ctx) if js.available else []
        _same(index.top_vacancies(js.id), expected)
        _same(index.top_vacancies_many([js.id])[0], expected)
    for v in [moved, new, jobs[5], jobs[8], *rng.sample(jobs, 15)]:
        expected = _expected_jobseekers(v, people, ctx) if v.open else []
        _same(index.top_jobseekers(v.id), expected)
    # The next build folds the changes in; answers stay the same.
    index.build()
    ctx.skill_idf, ctx.default_idf = index.skill_idf(), index._idf(10**9)
    for js in [people[0], arrived]:
        _same(index.top_vacancies(js.id), _expected_vacancies(js, jobs, ctx))


def test_an_index_never_built_answers_from_its_records_alone():
    ctx, jobs, people = market(12, n_vacancies=30, n_jobseekers=60)
    index = MatchIndex(ctx)
    index.put_vacancies(jobs)
    index.put_jobseekers(people)
    ctx.default_idf = index._idf(10**9)  # every skill weighs as the rarest until the first build
    for js in people[:10]:
        _same(index.top_vacancies(js.id), _expected_vacancies(js, jobs, ctx) if js.available else [])


def test_loading_in_bulk_or_one_by_one_gives_the_same_answers():
    ctx, jobs, people = market(13, n_vacancies=80, n_jobseekers=200)
    bulk = _built(ctx, jobs, people)
    single = MatchIndex(ctx)
    for v in jobs:
        single.put_vacancy(v)
    for js in people:
        single.put_jobseeker(js)
    single.build()
    for js in people[:40]:
        assert single.top_vacancies(js.id) == bulk.top_vacancies(js.id)
    for v in jobs[:20]:
        assert single.top_jobseekers(v.id) == bulk.top_jobseekers(v.id)


def test_queries_from_several_threads_while_records_change_stay_correct():
    ctx, jobs, people = market(14, n_vacancies=120, n_jobseekers=500)
    index = _built(ctx, jobs, people)
    jobs, people = list(jobs), list(people)
    errors: list[BaseException] = []
    stop = threading.Event()

    def read(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                index.top_vacancies(rng.choice(people).id)
                index.top_jobseekers(rng.choice(jobs).id)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    readers = [threading.Thread(target=read, args=(seed,)) for seed in range(3)]
    for thread in readers:
        thread.start()
    rng = random.Random(14)
    for i in range(200):  # writes that add rows, grow arrays and rebuild while readers run
        vacancy = replace(rng.choice(jobs[:100]), id=50_000 + i)
        person = replace(rng.choice(people[:400]), id=60_000 + i, excluded=frozenset())
        index.put_vacancy(vacancy)
        index.put_jobseeker(person)
        jobs.append(vacancy)
        people.append(person)
        if i % 50 == 49:
            index.build()
    stop.set()
    for thread in readers:
        thread.join()
    assert errors == []
    index.build()
    ctx.skill_idf, ctx.default_idf = index.skill_idf(), index._idf(10**9)
    for js in [people[-1], *rng.sample(people, 10)]:
        _same(index.top_vacancies(js.id), _expected_vacancies(js, jobs, ctx) if js.available else [])
    for v in [jobs[-1], *rng.sample(jobs, 5)]:
        _same(index.top_jobseekers(v.id), _expected_jobseekers(v, people, ctx) if v.open else [])
