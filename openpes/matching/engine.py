"""The in-memory matching index: the rules of `scoring.py`, computed for many pairs at once with numpy.

Vacancies and jobseekers are stored column-wise (one numpy array per feature) and their skills in flat
arrays. `build()` groups each side into **cells** of records that look alike to the other side:

* vacancies by (ISCO unit group, province);
* jobseekers by (one of their ISCO codes, district, whether they would move) — a person with three codes sits
  in three cells.

For each cell it keeps what bounds the score any of its members can reach: the loosest requirement
(lowest education, shortest experience, the union of licences and accommodations, the highest wage, the
freshest date) for vacancies; the strongest profile (highest education, longest experience, best level of
each language, union of licences, lowest wage expectation, the skills anyone holds) for jobseekers.

A query computes, with a handful of vectorised operations over the cells, an upper bound of the score in
every cell (occupation and location exactly, skills exactly for vacancies and from the skills present for
jobseekers, the other signals from the cell's bounds). It then scores exactly the members of the most
promising cells, takes the k-th best score as a threshold, and scores exactly every other cell whose bound
reaches the threshold. Nothing outside those cells can enter the top k, so the result is exactly the top k
of the full rules (`tests/test_engine_matches_reference.py`), after scoring a few thousand records instead
of the whole market.

Updates are incremental: a changed or new record is written in place and is "dirty" — scored exactly in
every query, and ignored in the cells — until the next `build()` folds it in. Queries hold the lock only to
take a snapshot of the index; the scoring runs outside it, so threads (and numpy, which releases the GIL)
can answer in parallel while a writer waits only for snapshots.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
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

_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 10)], dtype=np.float32)
F32 = np.float32
Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
# The first pass of a query scores the most promising cells until it holds this many records; the threshold it
# yields decides which other cells are scored. Small enough to be cheap, large enough to give a good threshold.
FIRST_PASS_ROWS = 1500
FIRST_PASS_CELLS = 48
_EPS = 1e-5  # float32 rounding margin for the bounds: a cell within it of the threshold is still scored


def _bits(values: Iterable[str], vocabulary: Sequence[str]) -> int:
    index = {v: i for i, v in enumerate(vocabulary)}
    out = 0
    for value in values:
        if value in index:
            out |= 1 << index[value]
    return out


_LANGUAGE_INDEX = {v: i for i, v in enumerate(LANGUAGES)}
_EMPLOYMENT_BIT = {v: 1 << i for i, v in enumerate(EMPLOYMENT)}


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
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    steps = np.ones(total, dtype=np.int64)
    steps[0] = starts[0]
    heads = np.cumsum(lengths)[:-1]
    steps[heads] = starts[1:] - (starts[:-1] + lengths[:-1]) + 1
    return np.cumsum(steps)


@dataclass
class Match:
    id: int
    score: float


class _Columns:
    """Growable column storage for one side (vacancies or jobseekers)."""

    def __init__(self, fields: dict[str, tuple[npt.DTypeLike, tuple[int, ...], float]]) -> None:
        self.fields = fields
        self.size = 0
        self.capacity = 0
        self.data: dict[str, npt.NDArray[Any]] = {}
        self.row_of: dict[int, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self._grow(1024)

    def _grow(self, capacity: int) -> None:
        for name, (dtype, shape, fill) in self.fields.items():
            new = np.full((capacity, *shape), fill, dtype=dtype)
            if name in self.data:
                new[: self.size] = self.data[name][: self.size]
            self.data[name] = new
        ids = np.full(capacity, -1, dtype=np.int64)
        ids[: self.size] = self.ids[: self.size]
        self.ids = ids
        self.capacity = capacity

    def rows(self, record_ids: Sequence[int]) -> tuple[Ints, Bools]:
        """The rows of these records (appending rows for new ones) and which of them already existed."""
        out = np.empty(len(record_ids), dtype=np.int64)
        existed = np.ones(len(record_ids), dtype=bool)
        for i, record_id in enumerate(record_ids):
            row = self.row_of.get(record_id)
            if row is None:
                if self.size == self.capacity:
                    self._grow(self.capacity * 2)
                row = self.row_of[record_id] = self.size
                self.ids[row] = record_id
                self.size += 1
                existed[i] = False
            out[i] = row
        return out, existed

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.data[name][: self.size]


class _SkillLists:
    """Each row's skill columns (and whether each is essential) in one flat growable array. A row rewritten
    gets a new slice; `compact()` drops the old slices and orders everything by row."""

    def __init__(self) -> None:
        self.cols = np.zeros(4096, dtype=np.int32)
        self.essential = np.zeros(4096, dtype=bool)
        self.used = 0
        self.start = np.zeros(1024, dtype=np.int64)
        self.count = np.zeros(1024, dtype=np.int32)

    def _reserve(self, rows: int, entries: int) -> None:
        if rows > len(self.start):
            size = max(rows, 2 * len(self.start))
            self.start = np.concatenate([self.start, np.zeros(size - len(self.start), dtype=np.int64)])
            self.count = np.concatenate([self.count, np.zeros(size - len(self.count), dtype=np.int32)])
        if self.used + entries > len(self.cols):
            # new arrays, all four: a query's snapshot keeps the old, consistent set
            size = max(self.used + entries, 2 * len(self.cols))
            self.cols = np.concatenate([self.cols, np.zeros(size - len(self.cols), dtype=np.int32)])
            self.essential = np.concatenate([self.essential, np.zeros(size - len(self.essential), dtype=bool)])
            self.start, self.count = self.start.copy(), self.count.copy()

    def set_many(self, rows: Ints, cols: list[list[int]], essential: list[list[bool]] | None = None) -> None:
        counts = np.array([len(c) for c in cols], dtype=np.int64)
        total = int(counts.sum())
        self._reserve(int(rows.max()) + 1 if len(rows) else 0, total)
        flat = [c for row in cols for c in row]
        self.cols[self.used : self.used + total] = flat
        if essential is not None:
            self.essential[self.used : self.used + total] = [e for row in essential for e in row]
        self.start[rows] = self.used + np.cumsum(counts) - counts
        self.count[rows] = counts
        self.used += total

    def get(self, row: int) -> tuple[npt.NDArray[np.int32], Bools]:
        if row >= len(self.start):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=bool)
        a, n = int(self.start[row]), int(self.count[row])
        return self.cols[a : a + n], self.essential[a : a + n]

    def gather(self, rows: Ints) -> tuple[Ints, npt.NDArray[np.int32], Bools]:
        """(position in `rows`, column, essential) for every skill of these rows."""
        starts = self.start[rows]
        counts = self.count[rows].astype(np.int64)
        at = _ranges(starts, starts + counts)
        owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        return owner, self.cols[at], self.essential[at]

    def compact(self, size: int) -> None:
        self._reserve(size, 0)
        owner, cols, essential = self.gather(np.arange(size, dtype=np.int64))
        counts = self.count[:size].astype(np.int64)
        self.cols = np.concatenate([cols, np.zeros(max(1024, len(cols) // 8), dtype=np.int32)])
        self.essential = np.concatenate([essential, np.zeros(len(self.cols) - len(essential), dtype=bool)])
        self.start[:size] = np.cumsum(counts) - counts
        self.used = len(cols)


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
class _VacancyCells:
    """Open vacancies at build time grouped by (unit group, province), with their skill weights by column."""

    rows: int  # rows covered by this build; later rows are dirty
    pos_row: Ints  # position (cell order) → row
    start: Ints  # cell → first position (one more entry at the end)
    size: Ints
    unit: Ints
    province: Ints  # index into the province table (-1 → last slot)
    by_district: dict[int, Ints]  # district → cells holding a vacancy there
    min_education: Ints
    min_experience: Floats
    types: Ints  # union of employment types
    max_wage: Floats  # +inf when a vacancy states no wage
    accommodations: Ints  # union offered
    licence_free: Bools  # some vacancy asks for no licence
    licences: Ints  # union asked for
    freshness: Floats
    skill_ptr: Ints  # column → slice of skill_pos / skill_weight
    skill_pos: npt.NDArray[np.int32]
    skill_weight: Floats
    stale: Bools  # row → changed since this build (scored as dirty instead)


@dataclass
class _JobseekerCells:
    """Available jobseekers at build time grouped by (ISCO code, district, mobile), a person once per code."""

    rows: int
    post_row: Ints  # posting (cell order) → row
    start: Ints
    size: Ints
    unit: Ints
    factor: Floats  # 1 if someone desires the code, 0.8 if only past jobs
    province: Ints
    district: Ints
    preferred: Ints  # union of preferred provinces (bits) of mobile cells
    relocate: Bools
    max_education: Ints
    unknown_education: Bools
    max_experience: Floats
    languages: npt.NDArray[np.uint8]  # best level of each language
    any_type: Bools  # someone takes any kind of work
    types: Ints
    min_wage: Floats  # lowest expectation (0 when someone states none)
    licences: Ints
    skill_ptr: Ints  # skill column → cells where someone holds it
    skill_cells: npt.NDArray[np.int32]
    stale: Bools


@dataclass
class _Snapshot:
    V: dict[str, npt.NDArray[Any]]  # noqa: N815 (the two sides, as in the formulas)
    J: dict[str, npt.NDArray[Any]]  # noqa: N815
    v_ids: Ints
    j_ids: Ints
    v_skills: tuple[Ints, npt.NDArray[np.int32], Bools, npt.NDArray[np.int32]]
    j_skills: tuple[Ints, npt.NDArray[np.int32], Bools, npt.NDArray[np.int32]]
    idf: Floats
    default_idf: float
    vc: _VacancyCells | None
    jc: _JobseekerCells | None
    dirty: Ints


def _skills_of(lists: tuple[Ints, npt.NDArray[np.int32], Bools, npt.NDArray[np.int32]], row: int) -> Any:
    start, cols, essential, count = lists
    if row >= len(start):
        return cols[:0], essential[:0]
    a, n = int(start[row]), int(count[row])
    return cols[a : a + n], essential[a : a + n]


def _gather(lists: tuple[Ints, npt.NDArray[np.int32], Bools, npt.NDArray[np.int32]], rows: Ints) -> Any:
    start, cols, essential, count = lists
    inside = rows < len(start)
    starts = np.where(inside, start[np.minimum(rows, len(start) - 1)], 0)
    counts = np.where(inside, count[np.minimum(rows, len(count) - 1)], 0).astype(np.int64)
    at = _ranges(starts, starts + counts)
    return np.repeat(np.arange(len(rows), dtype=np.int64), counts), cols[at], essential[at]


class MatchIndex:
    """Both sides of the market in memory, queried in either direction."""

    def __init__(self, ctx: Context, weights: dict[str, float] | None = None) -> None:
        self.ctx = ctx
        self.sim = isco_similarity(ctx)
        provinces = len(ctx.province_codes)
        self.adjacent = np.zeros((provinces + 1, provinces + 1), dtype=bool)
        for a, b in ctx.borders:
            self.adjacent[a, b] = self.adjacent[b, a] = True
        self.skill_column: dict[int, int] = {}
        self.idf = np.zeros(0, dtype=F32)
        self.v = _Columns(VACANCY_FIELDS)
        self.j = _Columns(JOBSEEKER_FIELDS)
        self.v_skills = _SkillLists()
        self.j_skills = _SkillLists()
        self.excluded: dict[int, set[int]] = {}  # jobseeker id → vacancy ids
        self._excluded_by_vacancy: dict[int, set[int]] = {}  # vacancy id → jobseeker ids
        self.set_weights(weights)
        self.lock = threading.RLock()
        self._vc: _VacancyCells | None = None
        self._jc: _JobseekerCells | None = None
        self._v_dirty: set[int] = set()  # rows changed since the build (new rows are dirty by position)
        self._j_dirty: set[int] = set()

    def set_weights(self, weights: dict[str, float] | None) -> None:
        self.weights = {d: direction_weights(weights, d) for d in ("jobs", "people")}

    # ------------------------------------------------------------------------------------------ loading

    def _skill_cols(self, skills: Iterable[int]) -> list[int]:
        out = []
        for skill in skills:
            column = self.skill_column.get(skill)
            if column is None:
                column = self.skill_column[skill] = len(self.skill_column)
            out.append(column)
        return out

    def put_vacancy(self, v: VacancyFeatures) -> None:
        self.put_vacancies([v])

    def put_vacancies(self, vacancies: Iterable[VacancyFeatures]) -> None:
        """Add or replace vacancies (in bulk: one numpy write per column)."""
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
        """Add or replace jobseekers (in bulk: one numpy write per column)."""
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
                old = self.excluded.pop(js.id, set())
                for vacancy in old - js.excluded:
                    self._excluded_by_vacancy.get(vacancy, set()).discard(js.id)
                for vacancy in js.excluded:
                    self.exclude(js.id, vacancy)
            self._mark_dirty(rows, existed, self._jc, self._j_dirty)

    @staticmethod
    def _mark_dirty(rows: Ints, existed: Bools, cells: Any, dirty: set[int]) -> None:
        if cells is None:
            return
        changed = rows[existed & (rows < cells.rows)]
        if len(changed):
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
            n_skills = len(self.skill_column)
            open_rows = np.nonzero(self.v["open"])[0]
            _, cols, _ = self.v_skills.gather(open_rows)
            df = np.bincount(cols, minlength=n_skills).astype(np.float64)
            self.idf = (np.log((len(open_rows) + 1) / (df + 1)) + 1).astype(F32)
            self._vc = self._vacancy_cells(open_rows)
            self._jc = self._jobseeker_cells(np.nonzero(self.j["available"])[0])
            self._v_dirty.clear()
            self._j_dirty.clear()

    def _idf(self, column: int) -> float:
        if column < len(self.idf):
            return float(self.idf[column])
        return self._default_idf()

    def _default_idf(self) -> float:
        return float(np.log(float(self.v["open"].sum()) + 1) + 1)

    def _vacancy_cells(self, rows: Ints) -> _VacancyCells:
        V = self.v.data  # noqa: N806
        provinces = len(self.ctx.province_codes)
        province = V["province"][rows].astype(np.int64)
        province = np.where(province < 0, provinces, province)
        key = V["unit"][rows].astype(np.int64) * (provinces + 1) + province
        order = np.argsort(key, kind="stable")
        pos_row, key = rows[order], key[order]
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
        bounds = np.r_[start, len(key)].astype(np.int64)
        first = pos_row[start]

        def reduce(ufunc: Any, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            if not len(start):
                return values[:0]
            return ufunc.reduceat(values, start)  # type: ignore[no-any-return]

        district = V["district"][pos_row]
        cell_of_pos = np.repeat(np.arange(len(start)), np.diff(bounds))
        by_district: dict[int, Ints] = {}
        pairs = np.unique(np.stack([district.astype(np.int64), cell_of_pos]), axis=1) if len(start) else None
        if pairs is not None:
            split = np.flatnonzero(np.r_[True, pairs[0, 1:] != pairs[0, :-1], True])
            for a, b in zip(split[:-1].tolist(), split[1:].tolist(), strict=True):
                if pairs[0, a] >= 0:
                    by_district[int(pairs[0, a])] = pairs[1, a:b].astype(np.int64)
        wage = V["wage_max"][pos_row]
        # Skill weights, by column: each vacancy's skills weighted by rarity (essential twice), summing to 1.
        owner, cols, essential = self.v_skills.gather(pos_row)
        weights = self.idf[cols] * np.where(essential, F32(ESSENTIAL_FACTOR), F32(1))
        totals = np.bincount(owner, weights=weights, minlength=len(pos_row))
        weights = (weights / np.where(totals[owner] > 0, totals[owner], 1)).astype(F32)
        by_col = np.argsort(cols, kind="stable")
        skill_ptr = np.searchsorted(cols[by_col], np.arange(len(self.skill_column) + 1)).astype(np.int64)
        return _VacancyCells(
            rows=self.v.size,
            pos_row=pos_row,
            start=bounds,
            size=np.diff(bounds),
            unit=V["unit"][first].astype(np.int64),
            province=province[order][start] if len(start) else np.zeros(0, dtype=np.int64),
            by_district=by_district,
            min_education=reduce(np.minimum, V["education"][pos_row].astype(np.int64)),
            min_experience=reduce(np.minimum, V["experience"][pos_row]),
            types=reduce(np.bitwise_or, V["type"][pos_row].astype(np.int64)),
            max_wage=reduce(np.maximum, np.where(np.isnan(wage), np.inf, wage).astype(F32)),
            accommodations=reduce(np.bitwise_or, V["accommodations"][pos_row].astype(np.int64)),
            licence_free=reduce(np.logical_or, V["licences"][pos_row] == 0),
            licences=reduce(np.bitwise_or, V["licences"][pos_row].astype(np.int64)),
            freshness=reduce(np.maximum, V["freshness"][pos_row]),
            skill_ptr=skill_ptr,
            skill_pos=owner[by_col].astype(np.int32),
            skill_weight=weights[by_col],
            stale=np.zeros(self.v.size, dtype=bool),
        )

    def _jobseeker_cells(self, rows: Ints) -> _JobseekerCells:
        J = self.j.data  # noqa: N806
        provinces = len(self.ctx.province_codes)
        codes = J["codes"][rows].astype(np.int64)
        factors = J["code_factor"][rows]
        slot_row = np.repeat(rows, MAX_CODES)
        slot_code, slot_factor = codes.ravel(), factors.ravel()
        valid = slot_code >= 0
        slot_row, slot_code, slot_factor = slot_row[valid], slot_code[valid], slot_factor[valid]
        uncoded = rows[(codes < 0).all(axis=1)]
        slot_row = np.concatenate([slot_row, uncoded])
        slot_code = np.concatenate([slot_code, np.full(len(uncoded), len(self.ctx.unit_codes), dtype=np.int64)])
        slot_factor = np.concatenate([slot_factor, np.zeros(len(uncoded), dtype=F32)])
        # A person holding the same code twice (desired and past) is posted once, with the better factor.
        pair = slot_row * (len(self.ctx.unit_codes) + 1) + slot_code
        order = np.lexsort((-slot_factor, pair))
        keep = np.r_[True, pair[order][1:] != pair[order][:-1]] if len(order) else np.zeros(0, dtype=bool)
        slot_row, slot_code, slot_factor = slot_row[order][keep], slot_code[order][keep], slot_factor[order][keep]
        district = J["district"][slot_row].astype(np.int64)
        _, district_rank = np.unique(district, return_inverse=True)
        districts = int(district_rank.max()) + 1 if len(district_rank) else 1
        province = J["province"][slot_row].astype(np.int64)
        province = np.where(province < 0, provinces, province)
        mobile = (J["relocate"][slot_row] | (J["preferred"][slot_row] != 0)).astype(np.int64)
        key = (slot_code * districts + district_rank.ravel()) * (provinces + 1) + province
        key = key * 2 + mobile
        order = np.argsort(key, kind="stable")
        post_row, key = slot_row[order], key[order]
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
        bounds = np.r_[start, len(key)].astype(np.int64)
        first = post_row[start]

        def reduce(ufunc: Any, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            if not len(start):
                return values[:0]
            return ufunc.reduceat(values, start, axis=0)  # type: ignore[no-any-return]

        wage = J["wage"][post_row]
        education = J["education"][post_row].astype(np.int64)
        cell_of_post = np.repeat(np.arange(len(start), dtype=np.int64), np.diff(bounds))
        # Skills present in each cell, as a column → cells list.
        owner, cols, _ = self.j_skills.gather(post_row)
        present = np.unique(cols.astype(np.int64) * max(len(start), 1) + cell_of_post[owner])
        present_col = present // max(len(start), 1)
        skill_ptr = np.searchsorted(present_col, np.arange(len(self.skill_column) + 1)).astype(np.int64)
        return _JobseekerCells(
            rows=self.j.size,
            post_row=post_row,
            start=bounds,
            size=np.diff(bounds),
            unit=slot_code[order][start] if len(start) else np.zeros(0, dtype=np.int64),
            factor=reduce(np.maximum, slot_factor[order]),
            province=province[order][start] if len(start) else np.zeros(0, dtype=np.int64),
            district=J["district"][first].astype(np.int64),
            preferred=reduce(np.bitwise_or, J["preferred"][post_row].astype(np.int64)),
            relocate=reduce(np.logical_or, J["relocate"][post_row]),
            max_education=reduce(np.maximum, education),
            unknown_education=reduce(np.logical_or, education < 0),
            max_experience=reduce(np.maximum, J["experience"][post_row]),
            languages=reduce(np.maximum, J["languages"][post_row]),
            any_type=reduce(np.logical_or, J["types"][post_row] == 0),
            types=reduce(np.bitwise_or, J["types"][post_row].astype(np.int64)),
            min_wage=reduce(np.minimum, np.where(np.isnan(wage), 0, wage).astype(F32)),
            licences=reduce(np.bitwise_or, J["licences"][post_row].astype(np.int64)),
            skill_ptr=skill_ptr,
            skill_cells=(present % max(len(start), 1)).astype(np.int32),
            stale=np.zeros(self.j.size, dtype=bool),
        )

    # ------------------------------------------------------------------------------------------ scoring

    def _snapshot(self, side: str) -> _Snapshot:
        """What a query needs, taken under the lock; the query itself runs without it."""
        with self.lock:
            vs, js = self.v_skills, self.j_skills
            if side == "v":
                built = self._vc.rows if self._vc is not None else 0
                dirty_set, size = self._v_dirty, self.v.size
            else:
                built = self._jc.rows if self._jc is not None else 0
                dirty_set, size = self._j_dirty, self.j.size
            dirty = np.concatenate(
                [np.fromiter(dirty_set, dtype=np.int64, count=len(dirty_set)), np.arange(built, size, dtype=np.int64)]
            )
            return _Snapshot(
                V={name: array[: self.v.size] for name, array in self.v.data.items()},
                J={name: array[: self.j.size] for name, array in self.j.data.items()},
                v_ids=self.v.ids[: self.v.size],
                j_ids=self.j.ids[: self.j.size],
                v_skills=(vs.start, vs.cols, vs.essential, vs.count),
                j_skills=(js.start, js.cols, js.essential, js.count),
                idf=self.idf,
                default_idf=self._default_idf(),
                vc=self._vc,
                jc=self._jc,
                dirty=dirty,
            )

    def _vacancy_weights(self, s: _Snapshot, rows: Ints) -> tuple[Ints, npt.NDArray[np.int32], Floats]:
        """(position in `rows`, skill column, weight) of the skills of these vacancies, at the current rarity."""
        owner, cols, essential = _gather(s.v_skills, rows)
        known = cols < len(s.idf)
        idf = np.where(known, s.idf[np.where(known, cols, 0)] if len(s.idf) else 0, F32(s.default_idf))
        weights = idf * np.where(essential, F32(ESSENTIAL_FACTOR), F32(1))
        totals = np.bincount(owner, weights=weights, minlength=len(rows))
        return owner, cols, (weights / np.where(totals[owner] > 0, totals[owner], 1)).astype(F32)

    def _location(self, jp: Any, jd: Any, jpref: Any, jrel: Any, vp: Any, vd: Any) -> Floats:
        """The location signal (arrays or scalars, broadcast): the best kind of place that applies."""
        vp_ok, jp_ok = vp >= 0, jp >= 0
        preferred = ((jpref >> np.clip(vp, 0, 30)) & 1).astype(bool) & vp_ok
        neighbour = self.adjacent[jp, vp] & jp_ok & vp_ok
        # the kinds of place are checked in order of decreasing value, so the first that applies is the best
        out = np.where(jrel, F32(LOCATION_SCORES["relocate"]), F32(LOCATION_SCORES["none"]))
        out = np.maximum(out, np.where(neighbour, F32(LOCATION_SCORES["neighbour"]), F32(0)))
        out = np.maximum(out, np.where(preferred, F32(LOCATION_SCORES["preferred"]), F32(0)))
        out = np.maximum(out, np.where(jp == vp, F32(LOCATION_SCORES["province"]), F32(0)))
        return np.maximum(out, np.where((jd >= 0) & (jd == vd), F32(LOCATION_SCORES["district"]), F32(0)))

    def _rest(self, w: Mapping[str, float], v: Mapping[str, Any], j: Mapping[str, Any]) -> Floats:
        """Every signal but occupation and skills, weighted; `v` and `j` hold aligned arrays or scalars."""
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
        with np.errstate(divide="ignore", invalid="ignore"):
            languages = np.where(count == 0, F32(1), F32(1) - missing / count)
        jt = j["types"]
        kind = ((jt == 0) | ((jt & v["type"]) != 0)).astype(F32)
        wage_max, expected = v["wage_max"], j["wage"]
        with np.errstate(divide="ignore", invalid="ignore"):
            wage = np.where(
                np.isnan(expected) | np.isnan(wage_max) | (wage_max >= expected) | (expected <= 0),
                F32(1),
                np.maximum(F32(0), F32(1) - F32(2) * (expected - wage_max) / expected),
            )
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

    @staticmethod
    def _row(side: Mapping[str, npt.NDArray[Any]], row: int) -> dict[str, Any]:
        return {name: values[row] for name, values in side.items()}

    @staticmethod
    def _rows(side: Mapping[str, npt.NDArray[Any]], rows: Ints) -> dict[str, Any]:
        return {name: values[rows] for name, values in side.items()}

    def _occupation_for(self, J: Mapping[str, npt.NDArray[Any]], row: int) -> Floats:  # noqa: N803
        """The occupation signal of every unit group for jobseeker `row` (best of their codes)."""
        codes, factors = J["codes"][row], J["code_factor"][row]
        valid = codes >= 0
        if not valid.any():
            return np.zeros(len(self.ctx.unit_codes), dtype=F32)
        return (self.sim[codes[valid]] * factors[valid][:, None]).max(axis=0)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------------------------------ queries

    @staticmethod
    def _top(scores: Floats, ids: Ints, k: int) -> tuple[Floats, Ints]:
        if len(scores) > k:
            part = np.argpartition(-scores, k - 1)[:k]
            # ties at the k-th score: keep every tied record so the id order below decides
            cut = scores[part].min()
            part = np.nonzero(scores >= cut)[0]
            scores, ids = scores[part], ids[part]
        order = np.lexsort((ids, -scores))[:k]
        return scores[order], ids[order]

    def _search(
        self,
        k: int,
        bounds: Floats,
        cell_start: Ints,
        cell_size: Ints,
        score_cells: Any,
        found: tuple[Floats, Ints],
    ) -> list[Match]:
        """Score the most promising cells, then every cell whose bound reaches the k-th best score."""
        best_scores, best_ids = self._top(*found, k)
        n = len(bounds)
        if n:
            m = min(n, FIRST_PASS_CELLS)
            top = np.argpartition(-bounds, m - 1)[:m] if m < n else np.arange(n)
            top = top[np.argsort(-bounds[top], kind="stable")]
            cut = int(np.searchsorted(np.cumsum(cell_size[top]), FIRST_PASS_ROWS)) + 1
            first = top[:cut]
            threshold = best_scores[-1] if len(best_scores) >= k else -np.inf
            first = first[bounds[first] >= threshold - _EPS]
            done = np.zeros(n, dtype=bool)
            for cells in (first, None):
                if cells is None:
                    threshold = best_scores[-1] if len(best_scores) >= k else -np.inf
                    cells = np.nonzero((bounds >= threshold - _EPS) & ~done)[0]
                if not len(cells):
                    continue
                done[cells] = True
                scores, ids = score_cells(cells)
                scores, ids = np.concatenate([best_scores, scores]), np.concatenate([best_ids, ids])
                # a person sits in a cell per ISCO code: one seen in both passes is counted once
                ids, unique = np.unique(ids, return_index=True)
                best_scores, best_ids = self._top(scores[unique], ids, k)
        return [Match(id=int(i), score=float(s)) for s, i in zip(best_scores, best_ids, strict=True)]

    def top_vacancies(self, jobseeker_id: int, k: int = 20) -> list[Match]:
        """The k best open vacancies for a jobseeker (exact for the rules in scoring.py)."""
        with self.lock:
            row = self.j.row_of.get(jobseeker_id)
            if row is None or not self.j.data["available"][row] or not self.v.size or k <= 0:
                return []
            excluded = [self.v.row_of[i] for i in self.excluded.get(jobseeker_id, ()) if i in self.v.row_of]
            s = self._snapshot("v")
        w = self.weights["jobs"]
        V, J = s.V, s.J  # noqa: N806
        j = self._row(J, row)
        occupation = self._occupation_for(J, row)
        cols, _ = _skills_of(s.j_skills, row)
        usable = V["open"]
        skip = np.array(excluded, dtype=np.int64)

        def score(rows: Ints, skills: Floats) -> tuple[Floats, Ints]:
            keep = usable[rows]
            if len(skip):
                keep &= ~np.isin(rows, skip)
            rows, skills = rows[keep], skills[keep]
            v = self._rows(V, rows)
            total = w["occupation"] * occupation[v["unit"]] + w["skills"] * skills + self._rest(w, v, j)
            return total.astype(F32), s.v_ids[rows]

        # Dirty rows: skills from their current lists.
        held = np.zeros(max(len(self.skill_column), 1), dtype=bool)
        held[cols] = True
        owner, dcols, weights = self._vacancy_weights(s, s.dirty)
        dirty_skills = np.bincount(owner, weights=weights * held[dcols], minlength=len(s.dirty)).astype(F32)
        found = score(s.dirty, dirty_skills)
        c = s.vc
        if c is None or not len(c.start) - 1:
            return self._search(k, np.zeros(0, dtype=F32), np.zeros(1, dtype=np.int64), np.zeros(0, np.int64), None,
                                found)  # fmt: skip
        # Skill signal of every built vacancy, then its best value per cell.
        known = cols[cols < len(c.skill_ptr) - 1]
        at = _ranges(c.skill_ptr[known], c.skill_ptr[known + 1])
        skills = np.bincount(c.skill_pos[at], weights=c.skill_weight[at], minlength=len(c.pos_row)).astype(F32)
        cell_skill = np.maximum.reduceat(skills, c.start[:-1])
        bounds = self._vacancy_cell_bounds(c, w, j, occupation, cell_skill)

        def score_cells(cells: Ints) -> tuple[Floats, Ints]:
            positions = _ranges(c.start[cells], c.start[cells + 1])
            rows = c.pos_row[positions]
            fresh = ~c.stale[rows]
            return score(rows[fresh], skills[positions[fresh]])

        return self._search(k, bounds, c.start, c.size, score_cells, found)

    def _vacancy_cell_bounds(
        self, c: _VacancyCells, w: Mapping[str, float], j: Mapping[str, Any], occupation: Floats, skill: Floats
    ) -> Floats:
        """The best score any vacancy of each cell can reach for jobseeker `j`."""
        provinces = len(self.ctx.province_codes)
        table = np.zeros(provinces + 1, dtype=F32)  # location by the vacancy's province
        p = np.arange(provinces + 1)
        vp = np.where(p == provinces, -1, p)
        table[:] = self._location(j["province"], -1, j["preferred"], j["relocate"], vp, -2)
        location = table[c.province]
        if j["district"] >= 0 and int(j["district"]) in c.by_district:
            location[c.by_district[int(j["district"])]] = LOCATION_SCORES["district"]
        je = int(j["education"])
        education = np.where(
            c.min_education < 0,
            F32(1),
            F32(0.5) if je < 0 else np.where(je >= c.min_education, F32(1), np.where(je == c.min_education - 1, 0.5, 0)),
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            experience = np.where(c.min_experience <= 0, F32(1), np.minimum(F32(1), j["experience"] / c.min_experience))
        jt = int(j["types"])
        kind = F32(1) if jt == 0 else ((c.types & jt) != 0).astype(F32)
        expected = float(j["wage"])
        if np.isnan(expected) or expected <= 0:
            wage: Any = F32(1)
        else:
            wage = np.where(c.max_wage >= expected, F32(1), np.maximum(0, 1 - 2 * (expected - c.max_wage) / expected))
        licences = (c.licence_free | ((c.licences & int(j["licences"])) != 0)).astype(F32)
        needs = int(j["accommodations"])
        accommodation = (
            F32(1) if needs == 0 else _POPCOUNT[needs & c.accommodations] / _POPCOUNT[needs]  # type: ignore[operator]
        )
        return np.asarray(
            w["occupation"] * occupation[c.unit]
            + w["skills"] * skill
            + w["location"] * location
            + w["education"] * education
            + w["experience"] * experience
            + w["languages"]
            + w["employment"] * (0.5 * kind + 0.5 * wage)
            + w["accommodation"] * accommodation
            + w["licences"] * licences
            + w["freshness"] * c.freshness,
            dtype=F32,
        )

    def top_jobseekers(self, vacancy_id: int, k: int = 20) -> list[Match]:
        """The k best available jobseekers for a vacancy (exact for the rules in scoring.py)."""
        with self.lock:
            row = self.v.row_of.get(vacancy_id)
            if row is None or not self.v.data["open"][row] or not self.j.size or k <= 0:
                return []
            excluded = [self.j.row_of[i] for i in self._excluded_by_vacancy.get(vacancy_id, ()) if i in self.j.row_of]
            s = self._snapshot("j")
        w = self.weights["people"]
        V, J = s.V, s.J  # noqa: N806
        v = self._row(V, row)
        unit_sim = self.sim[int(v["unit"])]
        _, cols, weights = self._vacancy_weights(s, np.array([row], dtype=np.int64))
        wanted = np.zeros(max(len(self.skill_column), 1), dtype=F32)
        wanted[cols] = weights
        usable = J["available"]
        skip = np.array(excluded, dtype=np.int64)

        def score(rows: Ints) -> tuple[Floats, Ints]:
            keep = usable[rows]
            if len(skip):
                keep &= ~np.isin(rows, skip)
            rows = rows[keep]
            j = self._rows(J, rows)
            codes = j["codes"]
            occupation = (unit_sim[np.maximum(codes, 0)] * j["code_factor"]).max(axis=1) if len(rows) else 0
            owner, jcols, _ = _gather(s.j_skills, rows)
            skills = np.bincount(owner, weights=wanted[jcols], minlength=len(rows))
            total = w["occupation"] * occupation + w["skills"] * skills + self._rest(w, v, j)
            return np.asarray(total, dtype=F32), s.j_ids[rows]

        found = score(s.dirty)
        c = s.jc
        if c is None or not len(c.start) - 1:
            return self._search(k, np.zeros(0, dtype=F32), np.zeros(1, dtype=np.int64), np.zeros(0, np.int64), None,
                                found)  # fmt: skip
        built = cols < len(c.skill_ptr) - 1
        known, known_weights = cols[built], weights[built]
        at = _ranges(c.skill_ptr[known], c.skill_ptr[known + 1])
        owner = np.repeat(np.arange(len(known)), c.skill_ptr[known + 1] - c.skill_ptr[known])
        cell_skill = np.bincount(c.skill_cells[at], weights=known_weights[owner], minlength=len(c.size))
        cell_skill = np.minimum(cell_skill, 1.0).astype(F32)
        bounds = self._jobseeker_cell_bounds(c, w, v, unit_sim, cell_skill)

        def score_cells(cells: Ints) -> tuple[Floats, Ints]:
            rows = c.post_row[_ranges(c.start[cells], c.start[cells + 1])]
            if len(cells) > 1:
                rows = np.unique(rows)
            return score(rows[~c.stale[rows]])

        return self._search(k, bounds, c.start, c.size, score_cells, found)

    def _jobseeker_cell_bounds(
        self, c: _JobseekerCells, w: Mapping[str, float], v: Mapping[str, Any], unit_sim: Floats, skill: Floats
    ) -> Floats:
        """The best score any jobseeker of each cell can reach for vacancy `v`."""
        vp, vd = int(v["province"]), int(v["district"])
        provinces = len(self.ctx.province_codes)
        vpi = vp if vp >= 0 else provinces
        location = np.maximum.reduce(
            [
                np.where((c.district >= 0) & (c.district == vd), F32(LOCATION_SCORES["district"]), F32(0)),
                np.where(c.province == vpi, F32(LOCATION_SCORES["province"]), F32(0)),
                np.where(((c.preferred >> max(min(vp, 30), 0)) & 1).astype(bool) & (vp >= 0), F32(0.7), F32(0)),
                np.where(self.adjacent[c.province, vpi], F32(LOCATION_SCORES["neighbour"]), F32(0)),
                np.where(c.relocate, F32(LOCATION_SCORES["relocate"]), F32(LOCATION_SCORES["none"])),
            ]
        )  # fmt: skip
        ve = int(v["education"])
        if ve < 0:
            education: Any = F32(1)
        else:
            known = np.where(c.max_education >= ve, F32(1), np.where(c.max_education == ve - 1, F32(0.5), F32(0)))
            education = np.where(c.unknown_education, np.maximum(known, F32(0.5)), known)
        vx = float(v["experience"])
        experience: Any = F32(1) if vx <= 0 else np.minimum(F32(1), c.max_experience / vx)
        count = float(v["language_count"])
        if count:
            required = v["languages"]
            missing = (c.languages[:, required > 0] < required[required > 0]).sum(axis=1)
            languages: Any = F32(1) - missing / F32(count)
        else:
            languages = F32(1)
        kind = (c.any_type | ((c.types & int(v["type"])) != 0)).astype(F32)
        wage_max = float(v["wage_max"])
        if np.isnan(wage_max):
            wage: Any = F32(1)
        else:
            wage = np.where(
                (c.min_wage <= wage_max) | (c.min_wage <= 0),
                F32(1),
                np.maximum(F32(0), 1 - 2 * (c.min_wage - wage_max) / np.maximum(c.min_wage, 1e-9)),
            )
        required_licences = int(v["licences"])
        licences: Any = (
            F32(1)
            if required_licences == 0
            else _POPCOUNT[c.licences & required_licences] / _POPCOUNT[required_licences]  # type: ignore[operator]
        )
        return np.asarray(
            w["occupation"] * np.append(unit_sim, F32(0))[c.unit] * c.factor
            + w["skills"] * skill
            + w["location"] * location
            + w["education"] * education
            + w["experience"] * experience
            + w["languages"] * languages
            + w["employment"] * (0.5 * kind + 0.5 * wage)
            + w["accommodation"]
            + w["licences"] * licences
            + w["freshness"] * float(v["freshness"]),
            dtype=F32,
        )

    def score_pairs(
        self, jobseeker_ids: Sequence[int], vacancy_ids: Sequence[int], direction: str = "jobs"
    ) -> Floats:
        """Scores of aligned (jobseeker, vacancy) pairs — for tests and explanations."""
        with self.lock:
            j_rows = np.array([self.j.row_of[i] for i in jobseeker_ids], dtype=np.int64)
            v_rows = np.array([self.v.row_of[i] for i in vacancy_ids], dtype=np.int64)
            s = self._snapshot("v")
        w = self.weights[direction]
        v, j = self._rows(s.V, v_rows), self._rows(s.J, j_rows)
        sims = self.sim[np.maximum(j["codes"], 0), v["unit"][:, None]] * j["code_factor"]
        occupation = sims.max(axis=1) if len(sims) else np.zeros(0, dtype=F32)
        owner, cols, weights = self._vacancy_weights(s, v_rows)
        skills = np.zeros(len(v_rows), dtype=F32)
        for i, row in enumerate(j_rows.tolist()):
            held = set(_skills_of(s.j_skills, row)[0].tolist())
            mine = owner == i
            skills[i] = sum(x for c, x in zip(cols[mine].tolist(), weights[mine].tolist(), strict=True) if c in held)
        return np.asarray(w["occupation"] * occupation + w["skills"] * skills + self._rest(w, v, j), dtype=F32)

    def skill_idf(self) -> dict[int, float]:
        """The rarity weight of every known skill, as used by the last build (for the reference scorer)."""
        return {skill: self._idf(column) for skill, column in self.skill_column.items()}

    def memory_bytes(self) -> int:
        """Bytes held in numpy arrays (columns, skill lists, cells); dicts of ids come on top."""
        total = sum(a.nbytes for a in self.v.data.values()) + sum(a.nbytes for a in self.j.data.values())
        total += self.v.ids.nbytes + self.j.ids.nbytes
        for lists in (self.v_skills, self.j_skills):
            total += lists.cols.nbytes + lists.essential.nbytes + lists.start.nbytes + lists.count.nbytes
        for cells in (self._vc, self._jc):
            if cells is not None:
                for value in cells.__dict__.values():
                    if isinstance(value, np.ndarray):
                        total += value.nbytes
                    elif isinstance(value, dict):
                        total += sum(a.nbytes for a in value.values())
        return total
