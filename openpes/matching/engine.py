"""The in-memory matching index: the rules of `scoring.py`, computed for many pairs at once with numpy.

Records are stored row-wise in numpy record arrays (one gather fetches everything about a candidate) and
their skills in flat arrays. `build()` groups each side into **cells** of records that look alike to the other
side, ordered by ISCO-08 code so that the unit groups sharing 3, 2 or 1 digits with a code are neighbours:

* vacancies by (unit group, province);
* jobseekers by (one of their ISCO codes, province, district, whether they would move) — a person with three
  codes sits in three cells; people without a code sit in one cell of their own.

Each cell keeps what bounds the score of any member: the loosest requirements (lowest education, shortest
experience, union of licences and accommodations offered, highest wage, freshest date) for vacancies; the
strongest profile (highest education, longest experience, best level of each language, union of licences,
lowest wage expectation) for jobseekers; and, for skills, the highest weight each skill has in the cell
(vacancies) or which skills anyone holds (jobseekers, by unit group and province).

A query gives every cell an upper bound of the score its members can reach — occupation and location
exactly, the other signals from the cell's bounds — ring by ring: first the cells of the closest ISCO codes,
and a further ring only if its best possible score can still beat the current k-th. It scores exactly the
members of the most promising cells, takes the k-th best score as a threshold, then scores every other cell
whose bound reaches the threshold (for jobseekers, occupation and skills first, so the rest is only computed
for people who can still make it). Nothing left out can enter the top k: the result is exactly the top k of
the full rules (`tests/test_engine_matches_reference.py`), after scoring a few thousand records instead of
the whole market.

Updates are incremental: a changed or new record is written in place and is "dirty" — scored exactly in
every query and ignored in the cells — until the next `build()` folds it in. Queries hold the lock only to
take a snapshot; the scoring runs outside it, so threads answer in parallel (numpy releases the GIL) and a
writer only waits for snapshots. A record rewritten while a query runs may be scored from either version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from openpes.matching.features import Context, JobseekerFeatures, VacancyFeatures
from openpes.matching.scoring import direction_weights
from openpes.matching.weights import (
    ESSENTIAL_FACTOR,
    FRESHNESS_DAYS,
    ISCO_SIMILARITY,
    LOCATION_SCORES,
    PAST_JOB_FACTOR,
)

LANGUAGES = ("km", "en", "th", "zh", "vi", "ko", "ja", "fr", "ms", "sgn")
EMPLOYMENT = ("full_time", "part_time", "temporary", "apprenticeship", "daily")
ACCOMMODATIONS = (
    "step_free", "accessible_toilet", "adapted_workstation", "sign_language", "screen_reader",
    "flexible_hours", "transport", "quiet_space", "written_instructions", "support_person",
)  # fmt: skip
LICENCES = ("A1", "A", "B1", "B", "C1", "C", "D", "E")
MAX_CODES = 5  # desired (≤ 3) + past jobs (≤ 2) per jobseeker

# The first pass scores the most promising cells until it holds this many records: enough to give a good
# threshold, few enough to be cheap. Measured on the national-scale benchmark (bench/matching.py).
FIRST_PASS_ROWS = 1000
FIRST_PASS_CELLS = 64
BATCH_BLOCK = 256  # most jobseekers scored together by recommend_vacancies
BATCH_PAIRS = 4_000_000  # … and (jobseeker, candidate vacancy) pairs
BATCH_FIRST_ROWS = 300
VACANCY_CELL = 16  # most vacancies in a cell
_EPS = 1e-5  # float32 rounding margin: a cell within it of the threshold is still scored

F32 = np.float32
Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Record = Any  # one side's record (numpy.void), records (a record array) or a dict of their fields
# A jobseeker's fields that bound what a vacancy cell can give them (see _vacancy_rest_bound).
_PROFILE = ("province", "district", "preferred", "relocate", "education", "experience", "types", "wage", "licences",
            "accommodations")  # fmt: skip
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 10)], dtype=F32)
_LANGUAGE_INDEX = {v: i for i, v in enumerate(LANGUAGES)}
_EMPLOYMENT_BIT = {v: 1 << i for i, v in enumerate(EMPLOYMENT)}


def _bits(values: Iterable[str], vocabulary: Sequence[str]) -> int:
    out = 0
    for value in values:
        if value in vocabulary:
            out |= 1 << vocabulary.index(value)
    return out


def _levels(pairs: Iterable[tuple[str, int]]) -> list[int]:
    row = [0] * len(LANGUAGES)
    for code, level in pairs:
        i = _LANGUAGE_INDEX.get(code)
        if i is not None:
            row[i] = max(row[i], int(level))
    return row


def isco_similarity(ctx: Context) -> Floats:
    """sim[a, b] for every pair of unit groups, from the number of leading digits they share."""
    codes = np.array([[int(c) for c in code] for code in ctx.unit_codes], dtype=np.int8).reshape(-1, 4)
    shared = np.zeros((len(codes), len(codes)), dtype=np.int8)
    same = np.ones((len(codes), len(codes)), dtype=bool)
    for digit in range(4):
        same &= codes[:, None, digit] == codes[None, :, digit]
        shared += same
    table = np.array([ISCO_SIMILARITY[d] for d in range(5)], dtype=F32)
    return table[shared]


def _ranges(starts: Ints, ends: Ints) -> Ints:
    """The concatenation of arange(starts[i], ends[i]) for every i, without a Python loop."""
    lengths = ends - starts
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    steps = np.ones(total, dtype=np.int64)
    steps[0] = starts[0]
    heads = np.cumsum(lengths)[:-1]
    steps[heads] = starts[1:] - (starts[:-1] + lengths[:-1]) + 1
    return np.cumsum(steps)


def _runs(key: Ints) -> Ints:
    """Start of each run of equal values in a sorted array, and its end: [s0, s1, …, len]."""
    if not len(key):
        return np.zeros(1, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return np.append(starts, len(key)).astype(np.int64)


def _reduce(ufunc: Any, values: npt.NDArray[Any], bounds: Ints) -> npt.NDArray[Any]:
    """`ufunc` over each run [bounds[i], bounds[i + 1]) of `values`."""
    if len(bounds) < 2:
        return values[:0]
    return ufunc.reduceat(values, bounds[:-1], axis=0)  # type: ignore[no-any-return]


@dataclass
class Match:
    id: int
    score: float


class _Table:
    """Growable row-wise storage for one side: a numpy record array, a view per field, ids ↔ rows."""

    def __init__(self, fields: dict[str, tuple[npt.DTypeLike, tuple[int, ...], float]]) -> None:
        self.fields = fields
        self.dtype = np.dtype([(name, dtype, shape) for name, (dtype, shape, _) in fields.items()], align=True)
        self.size = 0
        self.row_of: dict[int, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self.table = np.zeros(0, dtype=self.dtype)
        self.data: dict[str, npt.NDArray[Any]] = {}
        self._grow(1024)

    def _grow(self, capacity: int) -> None:
        table = np.zeros(capacity, dtype=self.dtype)
        for name, (_, _, fill) in self.fields.items():
            table[name][self.size :] = fill
        table[: self.size] = self.table[: self.size]
        ids = np.full(capacity, -1, dtype=np.int64)
        ids[: self.size] = self.ids[: self.size]
        self.table, self.ids = table, ids
        self.data = {name: table[name] for name in self.fields}

    def rows(self, record_ids: Sequence[int]) -> tuple[Ints, Bools]:
        """The rows of these records (appending rows for new ones) and which of them already existed."""
        out = np.empty(len(record_ids), dtype=np.int64)
        existed = np.ones(len(record_ids), dtype=bool)
        for i, record_id in enumerate(record_ids):
            row = self.row_of.get(record_id)
            if row is None:
                if self.size == len(self.table):
                    self._grow(2 * len(self.table))
                row = self.row_of[record_id] = self.size
                self.ids[row] = record_id
                self.size += 1
                existed[i] = False
            out[i] = row
        return out, existed

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.data[name][: self.size]


class _SkillLists:
    """Each row's skill columns (and whether each is essential) in one flat growable array. A rewritten row
    gets a new slice; `compact()` drops the old slices and orders everything by row."""

    def __init__(self) -> None:
        self.cols = np.zeros(4096, dtype=np.int32)
        self.essential = np.zeros(4096, dtype=bool)
        self.used = 0
        self.start = np.zeros(1024, dtype=np.int64)
        self.count = np.zeros(1024, dtype=np.int64)

    def _reserve(self, rows: int, entries: int) -> None:
        if rows > len(self.start):
            extra = max(rows, 2 * len(self.start)) - len(self.start)
            self.start = np.concatenate([self.start, np.zeros(extra, dtype=np.int64)])
            self.count = np.concatenate([self.count, np.zeros(extra, dtype=np.int64)])
        if self.used + entries > len(self.cols):
            # new arrays, all four: a query's snapshot keeps the old, consistent set
            extra = max(self.used + entries, 2 * len(self.cols)) - len(self.cols)
            self.cols = np.concatenate([self.cols, np.zeros(extra, dtype=np.int32)])
            self.essential = np.concatenate([self.essential, np.zeros(extra, dtype=bool)])
            self.start, self.count = self.start.copy(), self.count.copy()

    def set_many(self, rows: Ints, cols: list[list[int]], essential: list[list[bool]] | None = None) -> None:
        counts = np.array([len(c) for c in cols], dtype=np.int64)
        total = int(counts.sum())
        self._reserve(int(rows.max()) + 1 if len(rows) else 0, total)
        self.cols[self.used : self.used + total] = [c for row in cols for c in row]
        if essential is not None:
            self.essential[self.used : self.used + total] = [e for row in essential for e in row]
        self.start[rows] = self.used + np.cumsum(counts) - counts
        self.count[rows] = counts
        self.used += total

    def view(self) -> _Skills:
        return _Skills(self.start, self.count, self.cols, self.essential)

    def compact(self, size: int) -> None:
        self._reserve(size, 0)
        owner, cols, essential = self.view().gather(np.arange(size, dtype=np.int64))
        spare = max(1024, len(cols) // 8)
        self.cols = np.concatenate([cols, np.zeros(spare, dtype=np.int32)])
        self.essential = np.concatenate([essential, np.zeros(spare, dtype=bool)])
        self.start = self.start.copy()
        self.start[:size] = np.cumsum(self.count[:size]) - self.count[:size]
        self.count = self.count.copy()
        self.used = len(cols)


@dataclass
class _Skills:
    """A consistent view of a `_SkillLists` (taken under the lock)."""

    start: Ints
    count: Ints
    cols: npt.NDArray[np.int32]
    essential: Bools

    def of(self, row: int) -> npt.NDArray[np.int32]:
        if row >= len(self.start):
            return self.cols[:0]
        a = int(self.start[row])
        return self.cols[a : a + int(self.count[row])]

    def gather(self, rows: Ints) -> tuple[Ints, npt.NDArray[np.int32], Bools]:
        """(index in `rows`, column, essential) for every skill of these rows."""
        inside = np.minimum(rows, len(self.start) - 1)
        starts = np.where(rows < len(self.start), self.start[inside], 0)
        counts = np.where(rows < len(self.start), self.count[inside], 0)
        at = _ranges(starts, starts + counts)
        return np.repeat(np.arange(len(rows), dtype=np.int64), counts), self.cols[at], self.essential[at]


VACANCY_FIELDS: dict[str, tuple[npt.DTypeLike, tuple[int, ...], float]] = {
    "unit": (np.int16, (), 0),
    "province": (np.int16, (), -1),
    "district": (np.int32, (), -1),
    "education": (np.int8, (), -1),
    "experience": (F32, (), 0),
    "languages": (np.uint8, (len(LANGUAGES),), 0),
    "language_count": (F32, (), 0),
    "type": (np.int16, (), 0),
    "wage_max": (F32, (), np.nan),
    "accommodations": (np.int32, (), 0),
    "licences": (np.int32, (), 0),
    "freshness": (F32, (), 0),
    "open": (bool, (), False),
}
JOBSEEKER_FIELDS: dict[str, tuple[npt.DTypeLike, tuple[int, ...], float]] = {
    "codes": (np.int16, (MAX_CODES,), -1),
    "code_factor": (F32, (MAX_CODES,), 0),
    "province": (np.int16, (), -1),
    "district": (np.int32, (), -1),
    "relocate": (bool, (), False),
    "preferred": (np.int32, (), 0),
    "education": (np.int8, (), -1),
    "experience": (F32, (), 0),
    "languages": (np.uint8, (len(LANGUAGES),), 0),
    "types": (np.int16, (), 0),
    "wage": (F32, (), np.nan),
    "accommodations": (np.int32, (), 0),
    "licences": (np.int32, (), 0),
    "available": (bool, (), False),
}


@dataclass
class _Cells:
    """One side's records at build time, in cells ordered by ISCO code (see the module docstring)."""

    rows: int  # rows covered by this build; later rows are dirty
    member: Ints  # member (cell order) → row
    start: Ints  # cell → its first member; one more entry at the end
    unit_cells: Ints  # unit group rank → its first cell; one more entry at the end
    unit: Ints  # cell → unit group (the pseudo unit len(unit_codes) for people without a code)
    province: Ints  # cell → province, the missing province as the last slot
    member_factor: Floats  # jobseekers: 1 if the member desires the cell's code, 0.8 if a past job
    skill_start: Ints  # skill column → its slice of skill_index (and skill_weight)
    skill_index: npt.NDArray[np.int32]  # who holds the skill: vacancies by member position, jobseekers by row
    skill_weight: Floats  # vacancies: the skill's weight in that vacancy
    stale: Bools  # row → changed since this build (scored as dirty instead)
    bounds: dict[str, npt.NDArray[Any]]  # what bounds the members of each cell, and lookups (see _vacancy_cells…)

    def size(self, cells: Ints) -> Ints:
        return self.start[cells + 1] - self.start[cells]


@dataclass
class _Snapshot:
    V: npt.NDArray[Any]  # noqa: N815 (the two sides, as in the formulas)
    J: npt.NDArray[Any]  # noqa: N815
    v_ids: Ints
    j_ids: Ints
    v_skills: _Skills
    j_skills: _Skills
    idf: Floats
    default_idf: float
    cells: _Cells | None
    dirty: Ints


class MatchIndex:
    """Both sides of the market in memory, queried in either direction."""

    def __init__(self, ctx: Context, weights: dict[str, float] | None = None) -> None:
        self.ctx = ctx
        units = len(ctx.unit_codes)
        self.sim = isco_similarity(ctx)
        # One more row and column of zeros: the pseudo unit of people without a code, and code -1.
        self._sim = np.zeros((units + 1, units + 1), dtype=F32)
        self._sim[:units, :units] = self.sim
        provinces = len(ctx.province_codes)
        self.adjacent = np.zeros((provinces + 1, provinces + 1), dtype=bool)
        for a, b in ctx.borders:
            self.adjacent[a, b] = self.adjacent[b, a] = True
        # Unit groups ranked by code, the pseudo unit last: cells are in this order.
        order = sorted(range(units), key=lambda u: ctx.unit_codes[u])
        self._rank = np.zeros(units + 1, dtype=np.int64)
        self._rank[order] = np.arange(units)
        self._rank[units] = units
        self._by_rank = np.array([*order, units], dtype=np.int64)
        # ISCO major group (first digit) of each unit group, and the ranks of each major group's unit groups.
        self._major = np.array([int(code[0]) for code in ctx.unit_codes] + [-1], dtype=np.int64)
        firsts = [ctx.unit_codes[u][0] for u in order]
        self._major_ranks = {int(d): (firsts.index(d), len(firsts) - firsts[::-1].index(d)) for d in set(firsts)}
        self.skill_column: dict[int, int] = {}
        self.idf = np.zeros(0, dtype=F32)
        self._idf_default = 1.0
        self.v = _Table(VACANCY_FIELDS)
        self.j = _Table(JOBSEEKER_FIELDS)
        self.v_skills = _SkillLists()
        self.j_skills = _SkillLists()
        self.excluded: dict[int, set[int]] = {}  # jobseeker id → vacancy ids
        self._excluded_by_vacancy: dict[int, set[int]] = {}  # vacancy id → jobseeker ids
        self.set_weights(weights)
        self.lock = threading.RLock()
        self._local = threading.local()
        self._vc: _Cells | None = None
        self._jc: _Cells | None = None
        self._v_dirty: set[int] = set()  # built rows changed since the build (newer rows are dirty by position)
        self._j_dirty: set[int] = set()

    def set_weights(self, weights: dict[str, float] | None) -> None:
        self.weights = {d: direction_weights(weights, d) for d in ("jobs", "people")}

    # ------------------------------------------------------------------------------------------ loading

    def _skill_cols(self, skills: Iterable[int]) -> list[int]:
        column = self.skill_column
        return [column[s] if s in column else column.setdefault(s, len(column)) for s in skills]

    def put_vacancy(self, v: VacancyFeatures) -> None:
        self.put_vacancies([v])

    def put_vacancies(self, vacancies: Iterable[VacancyFeatures]) -> None:
        """Add or replace vacancies (in bulk: one numpy write per field)."""
        batch = list(vacancies)
        if not batch:
            return
        with self.lock:
            rows, existed = self.v.rows([v.id for v in batch])
            d = self.v.data
            d["unit"][rows] = [v.unit for v in batch]
            d["province"][rows] = [v.province for v in batch]
            d["district"][rows] = [v.district for v in batch]
            d["education"][rows] = [v.education for v in batch]
            d["experience"][rows] = [v.experience_months for v in batch]
            d["languages"][rows] = [_levels(v.languages) for v in batch]
            d["language_count"][rows] = [len(v.languages) for v in batch]
            d["type"][rows] = [_EMPLOYMENT_BIT.get(v.employment_type, 0) for v in batch]
            d["wage_max"][rows] = [np.nan if v.wage_max is None else v.wage_max for v in batch]
            d["accommodations"][rows] = [_bits(v.accommodations, ACCOMMODATIONS) for v in batch]
            d["licences"][rows] = [_bits(v.licences, LICENCES) for v in batch]
            d["freshness"][rows] = np.exp(-np.maximum([v.age_days for v in batch], 0) / FRESHNESS_DAYS)
            d["open"][rows] = [v.open for v in batch]
            cols, essential = [], []
            for v in batch:
                optional = v.optional - v.essential
                cols.append(self._skill_cols(v.essential) + self._skill_cols(optional))
                essential.append([True] * len(v.essential) + [False] * len(optional))
            self.v_skills.set_many(rows, cols, essential)
            self._mark_dirty(rows, existed, self._vc, self._v_dirty)

    def put_jobseeker(self, js: JobseekerFeatures) -> None:
        self.put_jobseekers([js])

    def put_jobseekers(self, jobseekers: Iterable[JobseekerFeatures]) -> None:
        """Add or replace jobseekers (in bulk: one numpy write per field)."""
        batch = list(jobseekers)
        if not batch:
            return
        with self.lock:
            rows, existed = self.j.rows([js.id for js in batch])
            d = self.j.data
            codes, factors = [], []
            for js in batch:
                pairs = [(c, 1.0) for c in js.desired[:3]] + [(c, PAST_JOB_FACTOR) for c in js.past[:2]]
                codes.append([c for c, _ in pairs] + [-1] * (MAX_CODES - len(pairs)))
                factors.append([f for _, f in pairs] + [0.0] * (MAX_CODES - len(pairs)))
            d["codes"][rows] = codes
            d["code_factor"][rows] = factors
            d["province"][rows] = [js.province for js in batch]
            d["district"][rows] = [js.district for js in batch]
            d["relocate"][rows] = [js.relocate for js in batch]
            d["preferred"][rows] = [sum(1 << p for p in js.preferred if 0 <= p < 31) for js in batch]
            d["education"][rows] = [js.education for js in batch]
            d["experience"][rows] = [js.experience_months for js in batch]
            d["languages"][rows] = [_levels(js.languages) for js in batch]
            d["types"][rows] = [_bits(js.employment_types, EMPLOYMENT) for js in batch]
            d["wage"][rows] = [np.nan if js.expected_wage is None else js.expected_wage for js in batch]
            d["accommodations"][rows] = [_bits(js.accommodations, ACCOMMODATIONS) for js in batch]
            d["licences"][rows] = [_bits(js.licences, LICENCES) for js in batch]
            d["available"][rows] = [js.available for js in batch]
            self.j_skills.set_many(rows, [self._skill_cols(js.skills) for js in batch])
            for js in batch:
                for vacancy in self.excluded.pop(js.id, set()) - js.excluded:
                    self._excluded_by_vacancy.get(vacancy, set()).discard(js.id)
                for vacancy in js.excluded:
                    self.exclude(js.id, vacancy)
            self._mark_dirty(rows, existed, self._jc, self._j_dirty)

    @staticmethod
    def _mark_dirty(rows: Ints, existed: Bools, cells: _Cells | None, dirty: set[int]) -> None:
        if cells is not None:
            changed = rows[existed & (rows < cells.rows)]
            cells.stale[changed] = True
            dirty.update(changed.tolist())

    def exclude(self, jobseeker_id: int, vacancy_id: int) -> None:
        """A pair that must not be suggested again (applied, referred or dismissed)."""
        with self.lock:
            self.excluded.setdefault(jobseeker_id, set()).add(vacancy_id)
            self._excluded_by_vacancy.setdefault(vacancy_id, set()).add(jobseeker_id)

    def close_vacancy(self, vacancy_id: int) -> None:
        with self.lock:
            if vacancy_id in self.v.row_of:
                self.v.data["open"][self.v.row_of[vacancy_id]] = False

    def remove_jobseeker(self, jobseeker_id: int) -> None:
        with self.lock:
            if jobseeker_id in self.j.row_of:
                self.j.data["available"][self.j.row_of[jobseeker_id]] = False

    # ------------------------------------------------------------------------------------------ building

    def build(self) -> None:
        """(Re)build the skill rarity weights and the cells of both sides."""
        with self.lock:
            self.v_skills.compact(self.v.size)
            self.j_skills.compact(self.j.size)
            open_rows = np.nonzero(self.v["open"])[0]
            _, cols, _ = self.v_skills.view().gather(open_rows)
            df = np.bincount(cols, minlength=len(self.skill_column)).astype(np.float64)
            self.idf = (np.log((len(open_rows) + 1) / (df + 1)) + 1).astype(F32)
            self._idf_default = float(np.log(len(open_rows) + 1) + 1)
            self._vc = self._vacancy_cells(open_rows)
            self._jc = self._jobseeker_cells(np.nonzero(self.j["available"])[0])
            self._v_dirty.clear()
            self._j_dirty.clear()

    def _idf(self, column: int) -> float:
        """Rarity weight of a skill column as of the last build; a skill unseen then weighs as the rarest."""
        return float(self.idf[column]) if column < len(self.idf) else self._idf_default

    def _cells(self, member: Ints, unit: Ints, province: Ints, finer: Ints) -> tuple[_Cells, Ints]:
        """Cells of `member` rows keyed by (unit rank, province, finer); returns them and the member order."""
        provinces = len(self.ctx.province_codes)
        province = np.where(province < 0, provinces, province)
        rank = self._rank[unit]
        group_key = rank * (provinces + 1) + province
        order = np.lexsort((finer, group_key))
        group_key, finer = group_key[order], finer[order]
        starts = _runs(group_key * (int(finer.max()) + 1 if len(finer) else 1) + finer)
        first = order[starts[:-1]]
        cells = _Cells(
            rows=0,
            member=member[order],
            start=starts,
            unit_cells=np.searchsorted(rank[first], np.arange(len(self._by_rank) + 1)).astype(np.int64),
            unit=unit[first],
            province=province[first],
            member_factor=np.zeros(0, dtype=F32),
            skill_start=np.zeros(1, dtype=np.int64),
            skill_index=np.zeros(0, dtype=np.int32),
            skill_weight=np.zeros(0, dtype=F32),
            stale=np.zeros(0, dtype=bool),
            bounds={},
        )
        return cells, order

    def _vacancy_cells(self, rows: Ints) -> _Cells:
        V = self.v.table[rows]  # noqa: N806
        # Within a (unit group, province), vacancies alike — same district, same most telling skill — share a
        # cell of at most VACANCY_CELL vacancies, so a cell's bounds stay close to its members' scores.
        owner, cols, weights = self._weights(self.v_skills.view(), rows, self.idf, self._idf_default)
        top_skill = np.full(len(rows), -1, dtype=np.int64)
        by_weight = np.lexsort((weights, owner))
        top_skill[owner[by_weight]] = cols[by_weight]  # the last write per vacancy: its heaviest skill
        unit, province = V["unit"].astype(np.int64), V["province"].astype(np.int64)
        group = self._rank[unit] * (len(self.ctx.province_codes) + 1) + province
        alike = np.lexsort((top_skill, V["district"], group))
        group_start = np.searchsorted(group[alike], group[alike])
        chunk = np.empty(len(rows), dtype=np.int64)
        chunk[alike] = (np.arange(len(rows)) - group_start) // VACANCY_CELL
        cells, order = self._cells(rows, unit, province, chunk)
        V, run = V[order], cells.start  # noqa: N806
        # Each vacancy's skill weights, by skill column (a query adds up the columns of the skills it holds).
        owner, cols, weights = self._weights(self.v_skills.view(), cells.member, self.idf, self._idf_default)
        by_column = np.argsort(cols, kind="stable")
        cells.skill_start = np.searchsorted(cols[by_column], np.arange(len(self.skill_column) + 1)).astype(np.int64)
        cells.skill_index = owner[by_column].astype(np.int32)
        cells.skill_weight = weights[by_column]
        # The same by position (for scoring chosen vacancies), and each skill's highest weight in each cell (a
        # bound for a jobseeker's skill signal in a cell, used by the batch).
        cell_of = np.repeat(np.arange(len(run) - 1), np.diff(run))
        best_keys = cols * max(len(run) - 1, 1) + cell_of[owner]
        by_key = np.argsort(best_keys, kind="stable")
        key_runs = _runs(best_keys[by_key])
        best_column = best_keys[by_key][key_runs[:-1]] // max(len(run) - 1, 1)
        wage = np.where(np.isnan(V["wage_max"]), np.inf, V["wage_max"]).astype(F32)
        # District → the cells holding a vacancy there (a person living there is 1.0 from them).
        pairs = np.unique(V["district"].astype(np.int64) * (len(run) + 1) + cell_of)
        district, cell = pairs // (len(run) + 1), pairs % (len(run) + 1)
        split = _runs(district)
        cells.bounds = {
            "min_education": _reduce(np.minimum, V["education"].astype(np.int64), run),
            "min_experience": _reduce(np.minimum, V["experience"], run),
            "types": _reduce(np.bitwise_or, V["type"].astype(np.int64), run),
            "max_wage": _reduce(np.maximum, wage, run),
            "accommodations": _reduce(np.bitwise_or, V["accommodations"].astype(np.int64), run),
            "licence_free": _reduce(np.logical_or, V["licences"] == 0, run),
            "licences": _reduce(np.bitwise_or, V["licences"].astype(np.int64), run),
            "freshness": _reduce(np.maximum, V["freshness"], run),
            "district_keys": district[split[:-1]],
            "district_start": split,
            "district_cells": cell,
            "position_skill_start": np.searchsorted(owner, np.arange(len(cells.member) + 1)).astype(np.int64),
            "position_skill_column": cols.astype(np.int32),
            "position_skill_weight": weights,
            "best_skill_start": np.searchsorted(best_column, np.arange(len(self.skill_column) + 1)).astype(np.int64),
            "best_skill_cell": (best_keys[by_key][key_runs[:-1]] % max(len(run) - 1, 1)).astype(np.int32),
            "best_skill_weight": _reduce(np.maximum, weights[by_key], key_runs).astype(F32),
        }
        cells.rows, cells.stale = self.v.size, np.zeros(self.v.size, dtype=bool)
        return cells

    def _jobseeker_cells(self, rows: Ints) -> _Cells:
        J = self.j.table  # noqa: N806
        units = len(self.ctx.unit_codes)
        codes = J["codes"][rows].astype(np.int64)
        factors = J["code_factor"][rows]
        member, code, factor = np.repeat(rows, MAX_CODES), codes.ravel(), factors.ravel()
        uncoded = rows[(codes < 0).all(axis=1)]
        valid = code >= 0
        member = np.concatenate([member[valid], uncoded])
        code = np.concatenate([code[valid], np.full(len(uncoded), units, dtype=np.int64)])
        factor = np.concatenate([factor[valid], np.zeros(len(uncoded), dtype=F32)])
        # A person holding the same code twice (desired and past) is posted once, with the better factor.
        pair = member * (units + 1) + code
        order = np.lexsort((-factor, pair))
        keep = np.r_[True, pair[order][1:] != pair[order][:-1]] if len(order) else np.zeros(0, dtype=bool)
        member, code, factor = member[order][keep], code[order][keep], factor[order][keep]
        P = J[member]  # noqa: N806
        _, district = np.unique(P["district"], return_inverse=True)
        mobile = (P["relocate"] | (P["preferred"] != 0)).astype(np.int64)
        finer = district.ravel().astype(np.int64) * 2 + mobile
        cells, order = self._cells(member, code, P["province"].astype(np.int64), finer)
        P, factor, run = P[order], factor[order], cells.start  # noqa: N806
        cells.member_factor = factor.astype(F32)
        # Who holds each skill, by skill column (a query adds the weights of its skills to those rows).
        owner, cols, _ = self.j_skills.view().gather(rows)
        by_column = np.argsort(cols, kind="stable")
        cells.skill_start = np.searchsorted(cols[by_column], np.arange(len(self.skill_column) + 1)).astype(np.int64)
        cells.skill_index = rows[owner[by_column]].astype(np.int32)
        education = P["education"].astype(np.int64)
        cells.bounds = {
            "factor": _reduce(np.maximum, factor, run),
            "district": P["district"][run[:-1]].astype(np.int64),
            "preferred": _reduce(np.bitwise_or, P["preferred"].astype(np.int64), run),
            "relocate": _reduce(np.logical_or, P["relocate"], run),
            "max_education": _reduce(np.maximum, education, run),
            "unknown_education": _reduce(np.logical_or, education < 0, run),
            "max_experience": _reduce(np.maximum, P["experience"], run),
            "languages": _reduce(np.maximum, P["languages"], run),
            "any_type": _reduce(np.logical_or, P["types"] == 0, run),
            "types": _reduce(np.bitwise_or, P["types"].astype(np.int64), run),
            "min_wage": _reduce(np.minimum, np.where(np.isnan(P["wage"]), 0, P["wage"]).astype(F32), run),
            "licences": _reduce(np.bitwise_or, P["licences"].astype(np.int64), run),
        }
        cells.rows, cells.stale = self.j.size, np.zeros(self.j.size, dtype=bool)
        return cells

    # ------------------------------------------------------------------------------------------ scoring

    @staticmethod
    def _weights(skills: _Skills, rows: Ints, idf: Floats, default: float) -> tuple[Ints, Ints, Floats]:
        """(index in `rows`, skill column, weight) for the skills of these vacancies: rarity, essential twice,
        summing to 1 per vacancy."""
        owner, columns, essential = skills.gather(rows)
        cols = columns.astype(np.int64)
        known = cols < len(idf)
        rarity = np.where(known, idf[np.where(known, cols, 0)] if len(idf) else F32(0), F32(default))
        weights = rarity * np.where(essential, F32(ESSENTIAL_FACTOR), F32(1))
        totals = np.bincount(owner, weights=weights, minlength=len(rows))[owner]
        return owner, cols, (weights / np.where(totals > 0, totals, 1)).astype(F32)

    def _snapshot(self, side: str) -> _Snapshot:
        """What a query needs, taken under the lock; the query itself runs without it."""
        with self.lock:
            cells, dirty_set, size = (
                (self._vc, self._v_dirty, self.v.size) if side == "v" else (self._jc, self._j_dirty, self.j.size)
            )
            built = cells.rows if cells is not None else 0
            dirty = np.fromiter(dirty_set, dtype=np.int64, count=len(dirty_set))
            if built < size:
                dirty = np.concatenate([dirty, np.arange(built, size, dtype=np.int64)])
            return _Snapshot(
                V=self.v.table[: self.v.size],
                J=self.j.table[: self.j.size],
                v_ids=self.v.ids[: self.v.size],
                j_ids=self.j.ids[: self.j.size],
                v_skills=self.v_skills.view(),
                j_skills=self.j_skills.view(),
                idf=self.idf,
                default_idf=self._idf_default,
                cells=cells,
                dirty=dirty,
            )

    def _location(self, jp: Any, jd: Any, jpref: Any, jrel: Any, vp: Any, vd: Any) -> Floats:
        """The location signal (arrays or scalars, broadcast). The kinds of place are checked in order of
        decreasing value, so the value is that of the best kind that applies."""
        preferred = ((jpref >> np.clip(vp, 0, 30)) & 1).astype(bool) & (vp >= 0)
        neighbour = self.adjacent[jp, vp] & (jp >= 0) & (vp >= 0)
        out = np.where(jrel, F32(LOCATION_SCORES["relocate"]), F32(LOCATION_SCORES["none"]))
        out = np.where(neighbour, F32(LOCATION_SCORES["neighbour"]), out)
        out = np.where(preferred, F32(LOCATION_SCORES["preferred"]), out)
        out = np.where(jp == vp, F32(LOCATION_SCORES["province"]), out)
        return np.where((jd >= 0) & (jd == vd), F32(LOCATION_SCORES["district"]), out)

    def _rest(self, w: Mapping[str, float], v: Record, j: Record) -> Floats:
        """Every signal but occupation and skills, weighted; `v` and `j` hold aligned rows or one row."""
        location = self._location(j["province"], j["district"], j["preferred"], j["relocate"], v["province"],
                                  v["district"])  # fmt: skip
        ve, je = v["education"], j["education"]
        education = np.where(
            ve < 0, F32(1), np.where(je < 0, F32(0.5), np.where(je >= ve, F32(1), np.where(je == ve - 1, F32(0.5), 0)))
        )
        vx = v["experience"]
        with np.errstate(divide="ignore", invalid="ignore"):
            experience = np.where(vx <= 0, F32(1), np.minimum(F32(1), j["experience"] / vx))
            missing = (v["languages"] > j["languages"]).sum(axis=-1).astype(F32)
            count = v["language_count"]
            languages = np.where(count == 0, F32(1), F32(1) - missing / count)
            wage_max, expected = v["wage_max"], j["wage"]
            wage = np.where(
                np.isnan(expected) | np.isnan(wage_max) | (wage_max >= expected) | (expected <= 0),
                F32(1),
                np.maximum(F32(0), F32(1) - F32(2) * (expected - wage_max) / expected),
            )
        jt = j["types"]
        kind = ((jt == 0) | ((jt & v["type"]) != 0)).astype(F32)
        total = (
            w["location"] * location
            + w["education"] * education
            + w["experience"] * experience
            + w["languages"] * languages
            + w["employment"] * (F32(0.5) * kind + F32(0.5) * wage)
            + w["licences"] * self._share(v["licences"], j["licences"])
            + w["freshness"] * v["freshness"]
        )
        if w["accommodation"]:
            total = total + w["accommodation"] * self._share(j["accommodations"], v["accommodations"])
        return np.asarray(total, dtype=F32)

    @staticmethod
    def _share(wanted: Any, held: Any) -> Floats:
        """Share of the `wanted` bits found in `held` (1 when nothing is wanted)."""
        return np.where(wanted == 0, F32(1), _POPCOUNT[wanted & held] / _POPCOUNT[np.maximum(wanted, 1)])

    def _occupation_by_unit(self, j: Record) -> Floats:
        """The occupation signal of a jobseeker for every unit group (and 0 for the pseudo unit)."""
        codes, factors = j["codes"].astype(np.int64), j["code_factor"]
        return (self._sim[codes] * factors[:, None]).max(axis=0)  # type: ignore[no-any-return]

    def _scratch(self, size: int) -> Floats:
        """A zeroed float array of at least `size`, one per thread (the caller zeroes what it touched)."""
        array: Floats | None = getattr(self._local, "scratch", None)
        if array is None or len(array) < size:
            array = self._local.scratch = np.zeros(max(size, 1024), dtype=F32)
        return array

    # ------------------------------------------------------------------------------------------ queries

    @staticmethod
    def _top(scores: Floats, ids: Ints, k: int) -> tuple[Floats, Ints]:
        """The k best (score descending, then id), each id once. An id comes at most once per ISCO code and
        once more from earlier passes, so the k best ids are among the k × (MAX_CODES + 1) best entries."""
        m = k * (MAX_CODES + 1)
        if len(scores) > m:
            cut = -np.partition(-scores, m - 1)[m - 1]
            keep = scores >= cut  # every entry tied with the cut stays, so the id decides below
            scores, ids = scores[keep], ids[keep]
        ids, first = np.unique(ids, return_index=True)
        scores = scores[first]
        order = np.lexsort((ids, -scores))[:k]
        return scores[order], ids[order]

    def _rings(self, cells: _Cells, occupation: Floats, w_occupation: float) -> list[tuple[float, Ints]]:
        """Cells in rings of equal occupation signal (`occupation` by unit group), best first, each with the
        highest score a member can reach."""
        by_rank = occupation[self._by_rank]
        values, ring = np.unique(-by_rank, return_inverse=True)
        out = []
        for i, value in enumerate(values.tolist()):
            ranks = np.nonzero(ring == i)[0]
            members = _ranges(cells.unit_cells[ranks], cells.unit_cells[ranks + 1])
            if len(members):
                out.append((w_occupation * -value + (1 - w_occupation), members))
        return out

    def _search(
        self,
        k: int,
        found: tuple[Floats, Ints],
        rings: list[tuple[float, Ints]],
        bound: Callable[[Ints], tuple[Floats, Floats]],
        score: Callable[[Ints, Floats, float], tuple[Floats, Ints]],
        size: Callable[[Ints], Ints],
    ) -> list[Match]:
        """Score the most promising cells, then every cell whose bound reaches the k-th best score.
        `bound(cells)` gives (bound, bound of everything but occupation and skills) of each cell;
        `score(cells, that second bound, threshold)` scores their members exactly."""
        best = self._top(*found, k)

        def threshold() -> float:
            return float(best[0][-1]) - _EPS if len(best[0]) >= k else -np.inf

        cells_l, bounds_l, rests_l = [], [], []
        members, next_ring = 0, 0
        while next_ring < len(rings) and members < FIRST_PASS_ROWS and rings[next_ring][0] >= threshold():
            cells = rings[next_ring][1]
            bounds, rests = bound(cells)
            cells_l.append(cells)
            bounds_l.append(bounds)
            rests_l.append(rests)
            members += int(size(cells).sum())
            next_ring += 1
        if not cells_l:
            return self._matches(best)
        cells, bounds, rests = np.concatenate(cells_l), np.concatenate(bounds_l), np.concatenate(rests_l)
        m = min(len(bounds), FIRST_PASS_CELLS)
        top = np.argpartition(-bounds, m - 1)[:m] if m < len(bounds) else np.arange(len(bounds))
        top = top[np.argsort(-bounds[top], kind="stable")]
        top = top[: int(np.searchsorted(np.cumsum(size(cells[top])), FIRST_PASS_ROWS)) + 1]
        top = top[bounds[top] >= threshold()]
        if len(top):
            scored = score(cells[top], rests[top], threshold())
            best = self._top(np.concatenate([best[0], scored[0]]), np.concatenate([best[1], scored[1]]), k)
        # Second pass: every cell not scored yet whose bound reaches the threshold, in every ring that can.
        todo = np.ones(len(cells), dtype=bool)
        todo[top] = False
        todo &= bounds >= threshold()
        more_cells, more_rests = [cells[todo]], [rests[todo]]
        for ring_bound, ring_cells in rings[next_ring:]:
            if ring_bound < threshold():
                break
            bounds, rests = bound(ring_cells)
            keep = bounds >= threshold()
            more_cells.append(ring_cells[keep])
            more_rests.append(rests[keep])
        cells, rests = np.concatenate(more_cells), np.concatenate(more_rests)
        if len(cells):
            scored = score(cells, rests, threshold())
            best = self._top(np.concatenate([best[0], scored[0]]), np.concatenate([best[1], scored[1]]), k)
        return self._matches(best)

    @staticmethod
    def _matches(best: tuple[Floats, Ints]) -> list[Match]:
        return [Match(id=int(i), score=float(s)) for s, i in zip(*best, strict=True)]

    def top_vacancies(self, jobseeker_id: int, k: int = 20) -> list[Match]:
        """The k best open vacancies for a jobseeker (exact for the rules in scoring.py)."""
        with self.lock:
            row = self.j.row_of.get(jobseeker_id)
            if row is None or not self.j.data["available"][row] or not self.v.size or k <= 0:
                return []
            skip = np.array([self.v.row_of[i] for i in self.excluded.get(jobseeker_id, ()) if i in self.v.row_of])
            s = self._snapshot("v")
        return self._top_vacancies(s, row, k, skip.astype(np.int64))

    def top_vacancies_many(self, jobseeker_ids: Sequence[int], k: int = 20) -> list[list[Match]]:
        """`top_vacancies` for many jobseekers (see `recommend_vacancies`)."""
        ids, scores = self.recommend_vacancies(jobseeker_ids, k)
        return [
            [Match(id=int(i), score=float(x)) for i, x in zip(row_ids, row_scores, strict=True) if i >= 0]
            for row_ids, row_scores in zip(ids, scores, strict=True)
        ]

    def recommend_vacancies(self, jobseeker_ids: Sequence[int], k: int = 20) -> tuple[Ints, Floats]:
        """The k best open vacancies for each jobseeker, as arrays (vacancy ids, -1 where there are fewer; their
        scores): exactly `top_vacancies`, computed for blocks of jobseekers at once — the nightly batch.

        Jobseekers whose ISCO codes fall in the same major groups are scored together: the bounds of every cell
        of those major groups for the whole block in one matrix, then both passes for all of them at once.
        Cells of other major groups (occupation signal 0) can reach at most 1 − the occupation weight; the few
        jobseekers whose k-th best score is below that are answered one by one by `top_vacancies`."""
        n = len(jobseeker_ids)
        out_ids = np.full((n, max(k, 0)), -1, dtype=np.int64)
        out_scores = np.zeros((n, max(k, 0)), dtype=F32)
        with self.lock:
            s = self._snapshot("v")
            rows = np.array([self.j.row_of.get(i, -1) for i in jobseeker_ids], dtype=np.int64)
            skipped = [
                (i, self.v.row_of[v])
                for i, jobseeker_id in enumerate(jobseeker_ids)
                for v in self.excluded.get(jobseeker_id, ())
                if v in self.v.row_of
            ]
        if k <= 0 or not len(s.V) or not n:
            return out_ids, out_scores
        wanted = np.nonzero((rows >= 0) & s.J["available"][np.maximum(rows, 0)])[0]
        c = s.cells
        one_by_one = wanted
        if c is not None and len(c.start) > 1 and not len(s.dirty):
            codes = s.J["codes"][rows[wanted]].astype(np.int64)
            majors = np.where(codes >= 0, self._major[codes], -1)
            mask = (majors[:, :, None] == np.arange(10)).any(axis=1) @ (1 << np.arange(10))
            by_mask = np.lexsort((self._rank[np.maximum(codes[:, 0], 0)], mask))
            order, mask_sorted = wanted[by_mask], mask[by_mask]
            skip_keys = np.array(sorted(i * len(s.V) + v for i, v in skipped), dtype=np.int64)
            late = []
            runs = _runs(mask_sorted)
            for a, b in zip(runs[:-1].tolist(), runs[1:].tolist(), strict=True):
                # as many jobseekers as keep the (jobseeker × candidate vacancy) matrix near BATCH_PAIRS
                ranks = [
                    self._major_ranks[d] for d in range(10) if int(mask_sorted[a]) >> d & 1 and d in self._major_ranks
                ]
                vacancies = sum(int(c.start[c.unit_cells[hi]] - c.start[c.unit_cells[lo]]) for lo, hi in ranks)
                step = int(np.clip(BATCH_PAIRS // max(vacancies if ranks else len(c.member), 1), 8, BATCH_BLOCK))
                for lo in range(a, b, step):
                    block = order[lo : min(b, lo + step)]
                    late.extend(self._vacancy_block(s, c, block, rows[block], int(mask_sorted[a]), k, skip_keys,
                                                    out_ids, out_scores))  # fmt: skip
            one_by_one = np.array(late, dtype=np.int64)
        for i in one_by_one.tolist():
            skip = np.array([v for x, v in skipped if x == i], dtype=np.int64)
            found = self._top_vacancies(s, int(rows[i]), k, skip)
            out_ids[i, : len(found)] = [m.id for m in found]
            out_scores[i, : len(found)] = [m.score for m in found]
        return out_ids, out_scores

    def _vacancy_block(
        self,
        s: _Snapshot,
        c: _Cells,
        block: Ints,
        rows: Ints,
        mask: int,
        k: int,
        skip_keys: Ints,
        out_ids: Ints,
        out_scores: Floats,
    ) -> list[int]:
        """Top k for a block of jobseekers whose codes are in the major groups of `mask`; writes the rows of
        `out_*` given by `block` and returns the ones it cannot prove (to be answered one by one)."""
        w = self.weights["jobs"]
        b = c.bounds
        n_cells = len(c.start) - 1
        if mask:
            ranks = [self._major_ranks[d] for d in range(10) if mask >> d & 1 and d in self._major_ranks]
            cand = np.concatenate([np.arange(c.unit_cells[lo], c.unit_cells[hi]) for lo, hi in ranks])
        else:
            cand = np.arange(n_cells)
        if not len(cand):
            return [int(i) for i in block]
        J = s.J[rows]  # noqa: N806
        size = len(rows)
        occupation = (self._sim[J["codes"].astype(np.int64)] * J["code_factor"][:, :, None]).max(axis=1)
        owner, cols, _ = s.j_skills.gather(rows)
        cols = cols.astype(np.int64)
        held = np.zeros((size, max(len(self.skill_column), 1)), dtype=bool)
        held[owner, cols] = True
        known = cols < len(c.skill_start) - 1
        owner, cols = owner[known], cols[known]
        # The skill signal of every (jobseeker, vacancy of the candidate cells), from the skill columns.
        sizes = c.size(cand)
        members = _ranges(c.start[cand], c.start[cand + 1])
        column_of = np.full(len(c.member), -1, dtype=np.int64)
        column_of[members] = np.arange(len(members))
        lo, hi = c.skill_start[cols], c.skill_start[cols + 1]
        at = _ranges(lo, hi)
        who, where = np.repeat(owner, hi - lo), column_of[c.skill_index[at]]
        inside = where >= 0
        skills = np.bincount(who[inside] * len(members) + where[inside], weights=c.skill_weight[at][inside],
                             minlength=size * len(members)).astype(F32).reshape(size, len(members))  # fmt: skip
        # Cells of other major groups: occupation 0, skills at most the sum of each held skill's best weight
        # there, the rest at most 1.
        lo, hi = b["best_skill_start"][cols], b["best_skill_start"][cols + 1]
        at = _ranges(lo, hi)
        who, cell = np.repeat(owner, hi - lo), b["best_skill_cell"][at]
        away = column_of[c.start[cell]] < 0
        outside = np.bincount(who[away] * n_cells + cell[away], weights=b["best_skill_weight"][at][away],
                              minlength=size * n_cells).reshape(size, n_cells)  # fmt: skip
        floor = 1 - w["occupation"] - w["skills"]
        j = {name: J[name][:, None] for name in _PROFILE}
        rest = self._vacancy_rest_bound(c, cand, w, j)
        bounds = (
            w["occupation"] * occupation[:, c.unit[cand]]
            + w["skills"] * np.maximum.reduceat(skills, np.cumsum(sizes) - sizes, axis=1)
            + rest
        ).astype(F32)
        cell_column = np.full(n_cells, -1, dtype=np.int64)
        cell_column[cand] = np.arange(len(cand))
        skipping = np.isin(block * len(s.V), skip_keys // len(s.V) * len(s.V)) if len(skip_keys) else None

        def score(who: Ints, cells: Ints, threshold: Floats | None = None) -> tuple[Ints, Floats, Ints]:
            sizes = c.size(cells)
            members = _ranges(c.start[cells], c.start[cells + 1])
            who, vrows = np.repeat(who, sizes), c.member[members]
            keep = ~c.stale[vrows] & s.V["open"][vrows]
            if skipping is not None:
                check = np.nonzero(skipping[who])[0]
                keep[check] &= ~np.isin(block[who[check]] * len(s.V) + vrows[check], skip_keys)
            where = column_of[members]
            if threshold is not None:
                # a vacancy's own occupation and skills, with its cell's bound for the rest: drop hopeless ones
                near = where >= 0
                hope = (
                    w["occupation"] * occupation[who[near], s.V["unit"][vrows[near]]]
                    + w["skills"] * skills[who[near], where[near]]
                    + rest[who[near], cell_column[np.repeat(cells, sizes)[near]]]
                )
                keep[near] &= hope >= threshold[who[near]]
            who, vrows, members, where = who[keep], vrows[keep], members[keep], where[keep]
            near = where >= 0
            held_skills = np.zeros(len(members), dtype=F32)
            held_skills[near] = skills[who[near], where[near]]
            if not near.all():  # vacancies of other major groups: from their skill lists
                far = np.nonzero(~near)[0]
                lo, hi = b["position_skill_start"][members[far]], b["position_skill_start"][members[far] + 1]
                at = _ranges(lo, hi)
                pair = np.repeat(np.arange(len(far)), hi - lo)
                has = held[who[far][pair], b["position_skill_column"][at]]
                held_skills[far] = np.bincount(pair, weights=b["position_skill_weight"][at] * has, minlength=len(far))
            v = s.V[vrows]
            total = w["occupation"] * occupation[who, v["unit"]] + w["skills"] * held_skills + self._rest(w, v, J[who])
            return who, total.astype(F32), s.v_ids[vrows]

        # First pass: each jobseeker's most promising cells, until they hold BATCH_FIRST_ROWS vacancies.
        m = min(len(cand), FIRST_PASS_CELLS)
        top = np.argpartition(-bounds, m - 1, axis=1)[:, :m] if m < len(cand) else np.tile(np.arange(m), (size, 1))
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(bounds, top, axis=1), axis=1), axis=1)
        sizes = c.size(cand[top])
        first = (np.cumsum(sizes, axis=1) - sizes) < BATCH_FIRST_ROWS
        who, slot = np.nonzero(first)
        picked = top[who, slot]
        found = self._block_top(*score(who, cand[picked]), size, k)
        threshold = np.where(found[1][:, -1] > -np.inf, found[1][:, -1] - _EPS, -np.inf)
        # Second pass: every other cell whose bound reaches the jobseeker's k-th best score.
        todo = bounds >= threshold[:, None]
        todo[who, picked] = False
        who2, picked2 = np.nonzero(todo)
        reach = floor + w["skills"] * np.minimum(outside, 1)
        who3, cells3 = np.nonzero((outside > 0) & (reach >= threshold[:, None]))
        who2, cells2 = np.concatenate([who2, who3]), np.concatenate([cand[picked2], cells3])
        if len(who2):
            more = score(who2, cells2, threshold)
            kept = found[0] >= 0
            who_all = np.concatenate([np.nonzero(kept)[0], more[0]])
            found = self._block_top(
                who_all, np.concatenate([found[1][kept], more[1]]), np.concatenate([found[0][kept], more[2]]), size, k
            )
        # Cells of other major groups holding none of their skills can reach `floor`.
        proven = found[1][:, -1] - _EPS >= floor if mask else np.ones(size, dtype=bool)
        out_ids[block[proven]] = found[0][proven]
        out_scores[block[proven]] = found[1][proven]
        return [int(i) for i in block[~proven]]

    @staticmethod
    def _block_top(who: Ints, scores: Floats, ids: Ints, size: int, k: int) -> tuple[Ints, Floats]:
        """The k best (score descending, then id) of each jobseeker of a block: (ids, -1 where fewer; scores,
        -inf where fewer)."""
        out_ids = np.full((size, k), -1, dtype=np.int64)
        out_scores = np.full((size, k), -np.inf, dtype=F32)
        if not len(who):
            return out_ids, out_scores
        # Sort by (jobseeker, score descending) with one integer key: scores are ≥ 0, so their bits sort.
        key = (who.astype(np.int64) << 32) | (
            0xFFFFFFFF - np.maximum(scores, F32(0)).astype(F32).view(np.uint32).astype(np.int64)
        )
        order = np.argsort(key, kind="stable")
        starts = np.searchsorted(who[order], np.arange(size + 1))
        counts = np.diff(starts)
        cut = np.full(size, -np.inf, dtype=F32)
        full = counts >= k
        cut[full] = scores[order][starts[:-1][full] + k - 1]
        chosen = scores >= cut[who]  # the k best and anything tied with the k-th: the id decides ties
        who, scores, ids = who[chosen], scores[chosen], ids[chosen]
        order = np.lexsort((ids, -scores, who))
        who, scores, ids = who[order], scores[order], ids[order]
        rank = np.arange(len(who)) - np.searchsorted(who, who)
        keep = rank < k
        out_ids[who[keep], rank[keep]] = ids[keep]
        out_scores[who[keep], rank[keep]] = scores[keep]
        return out_ids, out_scores

    def _top_vacancies(self, s: _Snapshot, row: int, k: int, skip: Ints) -> list[Match]:
        w = self.weights["jobs"]
        j = s.J[row]
        occupation = self._occupation_by_unit(j)
        held_cols = s.j_skills.of(row).astype(np.int64)
        held = np.zeros(max(len(self.skill_column), 1), dtype=F32)
        held[held_cols] = 1
        usable = s.V["open"]

        def exact(rows: Ints, skills: Floats | None) -> tuple[Floats, Ints]:
            keep = usable[rows]
            if len(skip):
                keep &= ~np.isin(rows, skip)
            rows = rows[keep]
            if skills is None:  # dirty rows: from their own skill lists
                owner, cols, weights = self._weights(s.v_skills, rows, s.idf, s.default_idf)
                skills = np.bincount(owner, weights=weights * held[cols], minlength=len(rows)).astype(F32)
            else:
                skills = skills[keep]
            v = s.V[rows]
            total = w["occupation"] * occupation[v["unit"]] + w["skills"] * skills + self._rest(w, v, j)
            return total.astype(F32), s.v_ids[rows]

        found = exact(s.dirty, None) if len(s.dirty) else (np.zeros(0, dtype=F32), np.zeros(0, dtype=np.int64))
        c = s.cells
        if c is None or len(c.start) < 2:
            return self._matches(self._top(*found, k))
        # The skill signal of every built vacancy: the columns of the skills held, added up.
        known = held_cols[held_cols < len(c.skill_start) - 1]
        at = _ranges(c.skill_start[known], c.skill_start[known + 1])
        skills = np.bincount(c.skill_index[at], weights=c.skill_weight[at], minlength=len(c.member)).astype(F32)

        def bound(cells: Ints) -> tuple[Floats, Floats]:
            sizes = c.size(cells)
            best_skill = np.maximum.reduceat(
                skills[_ranges(c.start[cells], c.start[cells + 1])], np.cumsum(sizes) - sizes
            )
            rest = self._vacancy_rest_bound(c, cells, w, j)
            return (w["occupation"] * occupation[c.unit[cells]] + w["skills"] * best_skill + rest).astype(F32), rest

        def score(cells: Ints, _rest: Floats, _threshold: float) -> tuple[Floats, Ints]:
            members = _ranges(c.start[cells], c.start[cells + 1])
            rows = c.member[members]
            fresh = ~c.stale[rows]
            return exact(rows[fresh], skills[members[fresh]])

        rings = self._rings(c, occupation, w["occupation"])
        return self._search(k, found, rings, bound, score, c.size)

    def _vacancy_rest_bound(self, c: _Cells, cells: Ints, w: Mapping[str, float], j: Record) -> Floats:
        """The best every signal but occupation and skills can be in each vacancy cell for jobseeker `j` (one
        row: a value per cell) or for a column of jobseekers (fields of shape (B, 1): a row per jobseeker)."""
        b = c.bounds
        provinces = len(self.ctx.province_codes)
        province = c.province[cells]
        location = self._location(j["province"], -1, j["preferred"], j["relocate"],
                                  np.where(province < provinces, province, -1), -2)  # fmt: skip
        location = np.where(self._in_district(c, cells, j["district"]), F32(LOCATION_SCORES["district"]), location)
        je, education_min = j["education"], b["min_education"][cells]
        education = np.where(
            education_min < 0,
            F32(1),
            np.where(
                je < 0, F32(0.5), np.where(je >= education_min, F32(1), np.where(je == education_min - 1, 0.5, 0))
            ),
        )
        experience_min = b["min_experience"][cells]
        with np.errstate(divide="ignore", invalid="ignore"):
            experience = np.where(experience_min <= 0, F32(1), np.minimum(F32(1), j["experience"] / experience_min))
            jt = j["types"]
            kind = np.where(jt == 0, F32(1), ((b["types"][cells] & jt) != 0).astype(F32))
            expected, wage_max = j["wage"], b["max_wage"][cells]
            wage = np.where(
                ~(expected > 0) | (wage_max >= expected),  # no expectation (or NaN), or met
                F32(1),
                np.maximum(F32(0), 1 - 2 * (expected - wage_max) / expected),
            )
        licences = b["licence_free"][cells] | ((b["licences"][cells] & j["licences"]) != 0)
        needs = j["accommodations"]
        accommodation = np.where(
            needs == 0, F32(1), _POPCOUNT[needs & b["accommodations"][cells]] / _POPCOUNT[np.maximum(needs, 1)]
        )
        return np.asarray(
            w["location"] * location
            + w["education"] * education
            + w["experience"] * experience
            + w["languages"]
            + w["employment"] * (F32(0.5) * kind + F32(0.5) * wage)
            + w["accommodation"] * accommodation
            + w["licences"] * licences
            + w["freshness"] * b["freshness"][cells],
            dtype=F32,
        )

    @staticmethod
    def _in_district(c: _Cells, cells: Ints, district: Any) -> Bools:
        """Whether each cell holds a vacancy in the jobseeker's district (shaped like the district argument
        broadcast against the cells)."""
        b = c.bounds
        wanted = np.asarray(district, dtype=np.int64).reshape(-1)
        keys = b["district_keys"]
        at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        found = (wanted >= 0) & (keys[at] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
        lo = np.where(found, b["district_start"][at], 0)
        hi = np.where(found, b["district_start"][np.minimum(at + 1, len(keys))], 0)
        position = np.full(len(c.start) - 1, -1, dtype=np.int64)
        position[cells] = np.arange(len(cells))
        entries = _ranges(lo, hi)
        column = position[b["district_cells"][entries]]
        owner = np.repeat(np.arange(len(wanted)), hi - lo)[column >= 0]
        out = np.zeros((len(wanted), len(cells)), dtype=bool)
        out[owner, column[column >= 0]] = True
        return out if np.ndim(district) else out[0]

    def top_jobseekers(self, vacancy_id: int, k: int = 20) -> list[Match]:
        """The k best available jobseekers for a vacancy (exact for the rules in scoring.py)."""
        with self.lock:
            row = self.v.row_of.get(vacancy_id)
            if row is None or not self.v.data["open"][row] or not self.j.size or k <= 0:
                return []
            skip = [self.j.row_of[i] for i in self._excluded_by_vacancy.get(vacancy_id, ()) if i in self.j.row_of]
            s = self._snapshot("j")
        skip_rows = np.array(skip, dtype=np.int64)
        w = self.weights["people"]
        v = s.V[row]
        unit_sim = self._sim[int(v["unit"])]  # by unit group, 0 for the pseudo unit and code -1
        _, cols, weights = self._weights(s.v_skills, np.array([row], dtype=np.int64), s.idf, s.default_idf)
        wanted = np.zeros(max(len(self.skill_column), 1), dtype=F32)
        wanted[cols] = weights
        usable = s.J["available"]

        def exact(rows: Ints) -> tuple[Floats, Ints]:  # dirty rows, from their own skill lists
            keep = usable[rows]
            if len(skip_rows):
                keep &= ~np.isin(rows, skip_rows)
            rows = rows[keep]
            codes = s.J["codes"][rows].astype(np.int64)
            occupation = (unit_sim[codes] * s.J["code_factor"][rows]).max(axis=1, initial=0)
            owner, jcols, _ = s.j_skills.gather(rows)
            skills = np.bincount(owner, weights=wanted[jcols], minlength=len(rows))
            total = w["occupation"] * occupation + w["skills"] * skills + self._rest(w, v, s.J[rows])
            return total.astype(F32), s.j_ids[rows]

        found = exact(s.dirty) if len(s.dirty) else (np.zeros(0, dtype=F32), np.zeros(0, dtype=np.int64))
        c = s.cells
        if c is None or len(c.start) < 2:
            return self._matches(self._top(*found, k))
        # The skill signal of every built jobseeker: the vacancy's skill weights added to the rows holding them,
        # in a scratch array kept per thread and cleaned afterwards.
        skills = self._scratch(len(s.J))
        built = cols < len(c.skill_start) - 1
        columns = list(zip(c.skill_start[cols[built]], c.skill_start[cols[built] + 1], weights[built], strict=True))
        try:
            for a, b, weight in columns:
                skills[c.skill_index[a:b]] += weight

            def bound(cells: Ints) -> tuple[Floats, Floats]:
                sizes = c.size(cells)
                held = skills[c.member[_ranges(c.start[cells], c.start[cells + 1])]]
                best_skill = np.maximum.reduceat(held, np.cumsum(sizes) - sizes)
                rest = self._jobseeker_rest_bound(c, cells, w, v)
                occupation = unit_sim[c.unit[cells]] * c.bounds["factor"][cells]
                return w["occupation"] * occupation + w["skills"] * best_skill + rest, rest

            def score(cells: Ints, rest: Floats, threshold: float) -> tuple[Floats, Ints]:
                sizes = c.size(cells)
                members = _ranges(c.start[cells], c.start[cells + 1])
                rows = c.member[members]
                # Occupation through the cell's code (a person's best code gives their score, and they are
                # also in that code's cell, whose bound lets them through), skills from the scratch array.
                occupation = np.repeat(unit_sim[c.unit[cells]], sizes) * c.member_factor[members]
                partial = w["occupation"] * occupation + w["skills"] * skills[rows]
                keep = (partial + np.repeat(rest, sizes) >= threshold) & ~c.stale[rows] & usable[rows]
                rows = rows[keep]
                if len(skip_rows):
                    rows = rows[~np.isin(rows, skip_rows)]
                codes = s.J["codes"][rows].astype(np.int64)
                occupation = (unit_sim[codes] * s.J["code_factor"][rows]).max(axis=1, initial=0)
                total = w["occupation"] * occupation + w["skills"] * skills[rows] + self._rest(w, v, s.J[rows])
                return total.astype(F32), s.j_ids[rows]

            rings = self._rings(c, unit_sim, w["occupation"])
            return self._search(k, found, rings, bound, score, c.size)
        finally:
            for a, b, _ in columns:
                skills[c.skill_index[a:b]] = 0

    def _jobseeker_rest_bound(self, c: _Cells, cells: Ints, w: Mapping[str, float], v: Record) -> Floats:
        """The best every signal but occupation and skills can be for vacancy `v`, in each jobseeker cell."""
        b = c.bounds
        vp, vd = int(v["province"]), int(v["district"])
        provinces = len(self.ctx.province_codes)
        vpi = vp if vp >= 0 else provinces
        province = c.province[cells]
        location = np.where(b["relocate"][cells], F32(LOCATION_SCORES["relocate"]), F32(LOCATION_SCORES["none"]))
        location = np.where(self.adjacent[province, vpi], F32(LOCATION_SCORES["neighbour"]), location)
        if vp >= 0:
            preferred = ((b["preferred"][cells] >> min(vp, 30)) & 1).astype(bool)
            location = np.where(preferred, F32(LOCATION_SCORES["preferred"]), location)
        location = np.where(province == vpi, F32(LOCATION_SCORES["province"]), location)
        if vd >= 0:
            location = np.where(b["district"][cells] == vd, F32(LOCATION_SCORES["district"]), location)
        ve = int(v["education"])
        education: Any = F32(1)
        if ve >= 0:
            best = b["max_education"][cells]
            education = np.where(best >= ve, F32(1), np.where(best == ve - 1, F32(0.5), F32(0)))
            education = np.where(b["unknown_education"][cells], np.maximum(education, F32(0.5)), education)
        vx = float(v["experience"])
        experience: Any = F32(1) if vx <= 0 else np.minimum(F32(1), b["max_experience"][cells] / F32(vx))
        languages: Any = F32(1)
        count = float(v["language_count"])
        if count:
            required = v["languages"]
            needed = np.nonzero(required)[0]
            missing = (b["languages"][cells][:, needed] < required[needed]).sum(axis=1)
            languages = F32(1) - missing / F32(count)
        kind = (b["any_type"][cells] | ((b["types"][cells] & int(v["type"])) != 0)).astype(F32)
        wage_max = float(v["wage_max"])
        wage: Any = F32(1)
        if not np.isnan(wage_max):
            lowest = b["min_wage"][cells]
            with np.errstate(divide="ignore", invalid="ignore"):
                wage = np.where(
                    (lowest <= wage_max) | (lowest <= 0),
                    F32(1),
                    np.maximum(F32(0), 1 - 2 * (lowest - wage_max) / lowest),
                )
        required_licences = int(v["licences"])
        licences: Any = F32(1)
        if required_licences:
            licences = _POPCOUNT[b["licences"][cells] & required_licences] / _POPCOUNT[required_licences]
        return np.asarray(
            w["location"] * location
            + w["education"] * education
            + w["experience"] * experience
            + w["languages"] * languages
            + w["employment"] * (F32(0.5) * kind + F32(0.5) * wage)
            + w["accommodation"]
            + w["licences"] * licences
            + w["freshness"] * float(v["freshness"]),
            dtype=F32,
        )

    def score_pairs(self, jobseeker_ids: Sequence[int], vacancy_ids: Sequence[int], direction: str = "jobs") -> Floats:
        """Scores of aligned (jobseeker, vacancy) pairs — for tests and explanations."""
        with self.lock:
            j_rows = np.array([self.j.row_of[i] for i in jobseeker_ids], dtype=np.int64)
            v_rows = np.array([self.v.row_of[i] for i in vacancy_ids], dtype=np.int64)
            s = self._snapshot("v")
        w = self.weights[direction]
        v, j = s.V[v_rows], s.J[j_rows]
        occupation = (self._sim[j["codes"].astype(np.int64), v["unit"][:, None]] * j["code_factor"]).max(
            axis=1, initial=0
        )
        owner, cols, weights = self._weights(s.v_skills, v_rows, s.idf, s.default_idf)
        skills = np.zeros(len(v_rows), dtype=F32)
        for i, row in enumerate(j_rows.tolist()):
            held = set(s.j_skills.of(row).tolist())
            mine = owner == i
            skills[i] = sum(x for c, x in zip(cols[mine].tolist(), weights[mine].tolist(), strict=True) if c in held)
        return np.asarray(w["occupation"] * occupation + w["skills"] * skills + self._rest(w, v, j), dtype=F32)

    def skill_idf(self) -> dict[int, float]:
        """The rarity weight of every known skill, as used by the last build (for the reference scorer)."""
        return {skill: self._idf(column) for skill, column in self.skill_column.items()}

    def memory_bytes(self) -> int:
        """Bytes held in numpy arrays (records, skill lists, cells); the id → row dicts come on top."""
        total = self.v.table.nbytes + self.j.table.nbytes + self.v.ids.nbytes + self.j.ids.nbytes
        for lists in (self.v_skills, self.j_skills):
            total += lists.cols.nbytes + lists.essential.nbytes + lists.start.nbytes + lists.count.nbytes
        for cells in (self._vc, self._jc):
            if cells is not None:
                arrays = [v for v in cells.__dict__.values() if isinstance(v, np.ndarray)]
                total += sum(a.nbytes for a in [*arrays, *cells.bounds.values()])
        return total
