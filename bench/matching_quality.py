"""Matching quality (issue 6, quality.md P1): do the jobs we suggest belong to the person's occupation?

    .venv/bin/python bench/matching_quality.py [--vacancies 20000] [--queries 1000] [--seed 6]

No database. A synthetic market of open vacancies comes from `bench/matching_data.py` (each vacancy is one
ESCO v1.1.1 occupation: a handful of its essential skills and a few optional ones, its ISCO-08 unit group, a
province by population, requirements, wage …). Then query jobseekers, each built from one ESCO occupation that
has vacancies in that market (drawn with the generator's jobseeker mix: three quarters from the unit groups a
Cambodian job centre sees most, the rest from every occupation alike):

* **skills**: the occupation's essential skills, a share of them dropped at random (the noise level: 0 %, 30 %
  — the headline — or 60 %; at least one is always kept; the levels are nested, the 60 % set is a subset of
  the 30 % one), plus `--extra` skills that are essential skills of random other occupations;
* **desired occupation**: the occupation's ISCO unit group, or with probability `--nearby` a sibling unit
  group in the same minor group (the first three digits; one that has ESCO occupations) instead — a person
  who names a neighbouring job; no past jobs;
* **place**: province and district by population as in the generator, 12 % willing to relocate;
* **the rest is plain** and never excludes anybody: Khmer spoken, education and experience enough for the
  occupation's usual requirements (drivers hold B and C licences), any kind of work, no wage expectation, no
  accommodation needs, nothing applied to.

**Measured**, for the top 10 vacancies each method returns (ties broken by vacancy id, as in the engine):

* **R@10** = (relevant vacancies in the top 10) / min(10, relevant vacancies in the market) — recall capped at
  what a list of 10 can hold, so 1.0 means "as good as possible" even for an occupation with 3 vacancies;
  averaged over queries. Two relevant sets: vacancies of the **same ESCO occupation** ("occ"), and of the
  occupation's **ISCO unit group** ("unit", which includes the former).
* **hit@10**: share of queries with at least one relevant vacancy in the top 10.
* **near@10**: share of the top 10 in the person's own or a neighbouring province — not relevance, but what
  the location signal buys (the relevant sets above ignore place).

**Methods**, all on the same vacancies and queries:

* (a) the engine (`MatchIndex.top_vacancies`) with the production weights (`weights.DEFAULT_WEIGHTS`);
* (a') the same engine with only the occupation and skill weights (equal, the rest 0): the two signals that
  the relevance above is about, without location, freshness, wage …;
* (b) **baseline, skills only**: the same engine with every weight 0 but skills, i.e. the engine's skill
  signal alone (share of the vacancy's skills the person has, essential twice, weighted by rarity);
* (b') a second skills-only baseline computed with numpy: TF-IDF cosine between the person's skills and the
  vacancy's (essential twice, same rarity weights);
* (c) occupation only: the engine with every weight 0 but occupation (many ties: the vacancy id decides).

Deterministic for a seed (the vacancies are the generator's with that seed; the queries use seed + 1).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.matching_data import (  # noqa: E402
    EDUCATION_BY_MAJOR,
    Esco,
    Places,
    _place,
    load_esco,
    make_world_context,
    occupation_weights,
    places,
    vacancies,
)
from openpes.matching.engine import MatchIndex  # noqa: E402
from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures  # noqa: E402
from openpes.matching.weights import ESSENTIAL_FACTOR, SIGNALS  # noqa: E402

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
K = 10
DROPS = (0.0, 0.3, 0.6)  # share of the occupation's essential skills dropped; 0.3 is the headline
HEADLINE = 0.3


# --------------------------------------------------------------------------------------------------- queries


@dataclass
class Queries:
    """Query jobseekers, before the skill noise level is chosen (see `jobseekers`)."""

    occupation: IntArray  # ESCO occupation each is built from
    unit: IntArray  # that occupation's ISCO unit group (index in ctx.unit_codes)
    desired: IntArray  # the unit group they ask for: their own or a sibling
    nearby: BoolArray  # desired is a sibling
    province: IntArray
    district: IntArray
    relocate: BoolArray
    essential_order: list[IntArray]  # the occupation's essential skills in a random order (kept: a prefix)
    extra: list[IntArray]  # skills of other occupations


def siblings(esco: Esco, ctx: Context) -> dict[int, list[int]]:
    """For each unit group with ESCO occupations, the other such unit groups of its minor group."""
    present = sorted({ctx.unit_index[u] for u in esco.units if u in ctx.unit_index})
    minor: dict[str, list[int]] = {}
    for unit in present:
        minor.setdefault(ctx.unit_codes[unit][:3], []).append(unit)
    return {unit: [u for u in minor[ctx.unit_codes[unit][:3]] if u != unit] for unit in present}


def make_queries(
    rng: np.random.Generator,
    esco: Esco,
    ctx: Context,
    where: Places,
    vacancy_occupation: IntArray,
    n: int,
    *,
    nearby: float,
    extra: int,
) -> Queries:
    has_vacancies = np.bincount(vacancy_occupation, minlength=len(esco.units)) > 0
    has_skills = np.array([len(e) > 0 for e in esco.essential])
    p = occupation_weights(esco, 3 / 4) * (has_vacancies & has_skills)
    occupation = rng.choice(len(esco.units), n, p=p / p.sum())
    unit = np.array([ctx.unit_index[esco.units[o]] for o in occupation.tolist()], dtype=np.int64)
    near = siblings(esco, ctx)
    draw, pick = rng.random(n), rng.random(n)
    desired = unit.copy()
    for i in np.nonzero(draw < nearby)[0].tolist():
        pool = near[int(unit[i])]
        if pool:
            desired[i] = pool[int(pick[i] * len(pool))]
    province, district = _place(rng, where, n, capital_boost=1.0)
    relocate = rng.random(n) < 0.12
    order = [rng.permutation(esco.essential[o]) for o in occupation.tolist()]
    donors = np.nonzero(has_skills)[0]
    other = rng.choice(donors, (n, extra))
    extra_skills = [
        np.array([esco.essential[o][int(rng.integers(len(esco.essential[o])))] for o in row], dtype=np.int64)
        for row in other.tolist()
    ]
    return Queries(occupation, unit, desired, desired != unit, province, district, relocate, order, extra_skills)


def jobseekers(q: Queries, esco: Esco, drop: float, first_id: int = 1) -> list[JobseekerFeatures]:
    """The query jobseekers with `drop` of their occupation's essential skills removed (at least one kept)."""
    out = []
    for i, occupation in enumerate(q.occupation.tolist()):
        order = q.essential_order[i]
        kept = max(1, round(len(order) * (1 - drop)))
        code = esco.units[occupation]
        major = int(code[0])
        out.append(
            JobseekerFeatures(
                id=first_id + i,
                desired=(int(q.desired[i]),),
                skills=frozenset(order[:kept].tolist()) | frozenset(q.extra[i].tolist()),
                province=int(q.province[i]),
                district=int(q.district[i]),
                relocate=bool(q.relocate[i]),
                education=EDUCATION_BY_MAJOR[major][0],
                experience_months=36,
                languages=(("km", 4),),
                licences=frozenset({"B", "C"}) if code.startswith("83") else frozenset(),
            )
        )
    return out


# --------------------------------------------------------------------------------------------------- methods

Ranker = Callable[[list[JobseekerFeatures]], IntArray]  # → (queries, K) vacancy rows, -1 where fewer


def engine_ranker(index: MatchIndex, weights: dict[str, float], first_vacancy_id: int) -> Ranker:
    def rank(people: list[JobseekerFeatures]) -> IntArray:
        index.set_weights(weights)
        out = np.full((len(people), K), -1, dtype=np.int64)
        for i, js in enumerate(people):
            found = [m.id - first_vacancy_id for m in index.top_vacancies(js.id, K)]
            out[i, : len(found)] = found
        return out

    return rank


def only(*signals: str) -> dict[str, float]:
    return {s: (1.0 if s in signals else 0.0) for s in SIGNALS}


def top_k(scores: npt.NDArray[np.float64], k: int) -> IntArray:
    """Columns of the k best scores of each row (score descending, then column), as the engine breaks ties."""
    out = np.full((scores.shape[0], k), -1, dtype=np.int64)
    for i, row in enumerate(scores):
        cut = -np.partition(-row, k - 1)[k - 1]
        cols = np.nonzero(row >= cut)[0]
        out[i] = cols[np.lexsort((cols, -row[cols]))][:k]
    return out


def cosine_ranker(jobs: list[VacancyFeatures]) -> Ranker:
    """TF-IDF cosine over skills (numpy/scipy): rarity as the engine computes it, essential skills twice."""
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, v in enumerate(jobs):
        own = [(s, ESSENTIAL_FACTOR) for s in v.essential] + [(s, 1.0) for s in v.optional - v.essential]
        rows += [r] * len(own)
        cols += [s for s, _ in own]
        values += [x for _, x in own]
    skills = max(cols) + 1
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(jobs), skills))
    df = np.bincount(np.array(cols), minlength=skills)
    idf = np.log((len(jobs) + 1) / (df + 1)) + 1
    unseen = np.log(len(jobs) + 1) + 1  # a skill no vacancy asks for: as rare as can be (only in the norm)
    vac = sparse.csr_matrix(matrix.multiply(idf[None, :]))
    vac_norm = np.sqrt(np.asarray(vac.multiply(vac).sum(axis=1)).ravel())
    vac = sparse.csr_matrix(sparse.diags(1 / np.where(vac_norm > 0, vac_norm, 1)) @ vac)

    def rank(people: list[JobseekerFeatures]) -> IntArray:
        out = []
        for lo in range(0, len(people), 250):
            chunk = people[lo : lo + 250]
            q_rows, q_cols, q_vals, norms = [], [], [], []
            for r, js in enumerate(chunk):
                known = [s for s in js.skills if s < skills]
                q_rows += [r] * len(known)
                q_cols += known
                q_vals += [idf[s] for s in known]
                norms.append(np.sqrt(sum(idf[s] ** 2 for s in known) + unseen**2 * (len(js.skills) - len(known))))
            q = sparse.csr_matrix((q_vals, (q_rows, q_cols)), shape=(len(chunk), skills))
            scores = (q @ vac.T).toarray() / np.maximum(np.array(norms), 1e-9)[:, None]
            out.append(top_k(scores, K))
        return np.vstack(out)

    return rank


# ------------------------------------------------------------------------------------------------- measuring


@dataclass
class Result:
    r_occ: float
    r_unit: float
    hit_occ: float
    hit_unit: float
    near: float
    seconds: float
    se: float  # the larger standard error of the two R@10 means


def measure(
    top: IntArray,
    q: Queries,
    mask: BoolArray,
    vacancy_occupation: IntArray,
    vacancy_unit: IntArray,
    vacancy_province: IntArray,
    adjacent: BoolArray,
    seconds: float,
) -> Result:
    top, occ, unit, province = top[mask], q.occupation[mask], q.unit[mask], q.province[mask]
    n_occ = np.bincount(vacancy_occupation, minlength=int(vacancy_occupation.max()) + 1)[occ]
    n_unit = np.bincount(vacancy_unit, minlength=int(vacancy_unit.max()) + 1)[unit]
    valid = top >= 0
    safe = np.maximum(top, 0)
    hits_occ = ((vacancy_occupation[safe] == occ[:, None]) & valid).sum(axis=1)
    hits_unit = ((vacancy_unit[safe] == unit[:, None]) & valid).sum(axis=1)
    where = vacancy_province[safe]
    near = (((where == province[:, None]) | adjacent[province[:, None], np.maximum(where, 0)]) & valid).sum(axis=1)
    r_occ, r_unit = hits_occ / np.minimum(K, n_occ), hits_unit / np.minimum(K, n_unit)
    return Result(
        r_occ=float(np.mean(r_occ)),
        r_unit=float(np.mean(r_unit)),
        hit_occ=float(np.mean(hits_occ > 0)),
        hit_unit=float(np.mean(hits_unit > 0)),
        near=float(np.mean(near / np.maximum(valid.sum(axis=1), 1))),
        seconds=seconds,
        se=float(max(np.std(r_occ), np.std(r_unit)) / np.sqrt(max(len(top), 1))),
    )


def table(title: str, rows: list[tuple[str, Result]], timed: bool) -> None:
    print(f"\n{title}")
    head = f"{'method':<47} {'R@10 occ':>8} {'R@10 unit':>9} {'hit occ':>8} {'hit unit':>8} {'near@10':>8}"
    print(head + ("  seconds" if timed else ""))
    print("-" * (len(head) + (9 if timed else 0)))
    for name, r in rows:
        line = f"{name:<47} {r.r_occ:8.3f} {r.r_unit:9.3f} {r.hit_occ:8.3f} {r.hit_unit:8.3f} {r.near:8.3f}"
        print(line + (f" {r.seconds:8.1f}" if timed else ""))
    print(f"(standard error of each R@10 mean ≤ {max(r.se for _, r in rows):.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--nearby", type=float, default=0.3, help="share asking for a sibling unit group")
    parser.add_argument("--extra", type=int, default=3, help="skills of other occupations added to each")
    args = parser.parse_args()
    started = time.perf_counter()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"OpenPES matching quality — {args.vacancies:,} vacancies, {args.queries:,} query jobseekers,"
          f" seed {args.seed}")  # fmt: skip
    print(f"machine: {os.cpu_count() or 0} CPUs, load average {load}")

    esco = load_esco()
    where = places()
    ctx = make_world_context(esco, where)
    jobs, vacancy_occupation = vacancies(np.random.default_rng(args.seed), esco, ctx, where, args.vacancies)
    vacancy_occupation = np.asarray(vacancy_occupation, dtype=np.int64)
    vacancy_unit = np.array([v.unit for v in jobs], dtype=np.int64)
    vacancy_province = np.array([v.province for v in jobs], dtype=np.int64)
    first_vacancy_id = jobs[0].id
    rng = np.random.default_rng(args.seed + 1)
    q = make_queries(rng, esco, ctx, where, vacancy_occupation, args.queries, nearby=args.nearby, extra=args.extra)
    adjacent = np.zeros((len(where.codes), len(where.codes)), dtype=bool)
    for a, b in ctx.borders:
        adjacent[a, b] = adjacent[b, a] = True
    n_occ = np.bincount(vacancy_occupation, minlength=len(esco.units))[q.occupation]
    n_unit = np.bincount(vacancy_unit, minlength=len(ctx.unit_codes))[q.unit]
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    print(f"parameters: skills dropped {', '.join(f'{d:.0%}' for d in DROPS)} (headline {HEADLINE:.0%});"
          f" +{args.extra} skills of other occupations; sibling unit group asked for: {q.nearby.mean():.0%}"
          f" (asked {args.nearby:.0%}; some unit groups have no sibling)")  # fmt: skip
    print(f"relevant vacancies per query: same occupation median {np.median(n_occ):.0f}"
          f" ({np.mean(n_occ < K):.0%} have fewer than {K}), same unit group median {np.median(n_unit):.0f};"
          f" essential skills per occupation median {np.median([len(o) for o in q.essential_order]):.0f}")  # fmt: skip

    index = MatchIndex(ctx)
    index.put_vacancies(jobs)
    index.build()
    methods: list[tuple[str, Ranker]] = [
        ("(a) engine, production weights", engine_ranker(index, {}, first_vacancy_id)),
        ("(a') engine, occupation + skills only", engine_ranker(index, only("occupation", "skills"), first_vacancy_id)),
        ("(b) baseline: engine, skills only", engine_ranker(index, only("skills"), first_vacancy_id)),
        ("(b') baseline: TF-IDF cosine of skills (numpy)", cosine_ranker(jobs)),
        ("(c) engine, occupation only", engine_ranker(index, only("occupation"), first_vacancy_id)),
    ]
    results: dict[float, list[tuple[str, Result]]] = {}
    tops: dict[float, list[IntArray]] = {}
    everyone = np.ones(args.queries, dtype=bool)
    for drop in DROPS:
        people = jobseekers(q, esco, drop)
        index.put_jobseekers(people)  # the same ids each time: replaced in place, scored as dirty rows
        results[drop], tops[drop] = [], []
        for name, rank in methods:
            t = time.perf_counter()
            top = rank(people)
            seconds = time.perf_counter() - t
            tops[drop].append(top)
            args_m = (vacancy_occupation, vacancy_unit, vacancy_province, adjacent, seconds)
            results[drop].append((name, measure(top, q, everyone, *args_m)))

    print(f"\nR@10 = relevant in the top {K} / min({K}, relevant in the market), mean over queries;"
          f" hit = at least one relevant in the top {K};")  # fmt: skip
    print(
        f"near@10 = share of the top {K} in the person's province or a neighbouring one;"
        " occ = same ESCO occupation, unit = same ISCO-08 unit group"
    )
    table(f"== headline: {HEADLINE:.0%} of essential skills dropped, {args.queries:,} queries", results[HEADLINE], True)
    for drop in DROPS:
        if drop != HEADLINE:
            table(f"== {drop:.0%} of essential skills dropped", results[drop], False)
    for label, mask in (("own unit group", ~q.nearby), ("a sibling unit group", q.nearby)):
        rows = [
            (name, measure(top, q, mask, vacancy_occupation, vacancy_unit, vacancy_province, adjacent, 0.0))
            for (name, _), top in zip(methods, tops[HEADLINE], strict=True)
        ]
        table(f"== {HEADLINE:.0%} dropped, people asking for {label} ({int(mask.sum())} queries)", rows, False)
    print(f"\ntotal {time.perf_counter() - started:.1f} s wall")


if __name__ == "__main__":
    main()
