"""The in-memory matching index: the rules of `scoring.py`, computed for many pairs at once with numpy.

Vacancies and jobseekers are stored column-wise (one numpy array per feature) with their skills in sparse
matrices. A query scores candidates tier by tier — same ISCO unit group, same minor group, sub-major, major,
then people or jobs sharing a skill, then everyone else — and stops as soon as the k-th best score found is
above the best score any later tier could reach. The result is exactly the top k of the full rules, at a
fraction of the work.

Updates are incremental: a changed record is rewritten in place and marked "dirty" (evaluated in the first
tier of every query) until the next rebuild folds it into the tier lists.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

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


def _bits(values: Iterable[str], vocabulary: Sequence[str]) -> int:
    index = {v: i for i, v in enumerate(vocabulary)}
    out = 0
    for value in values:
        if value in index:
            out |= 1 << index[value]
    return out


def _levels(pairs: Iterable[tuple[str, int]]) -> list[int]:
    row = [0] * len(LANGUAGES)
    index = {v: i for i, v in enumerate(LANGUAGES)}
    for code, level in pairs:
        if code in index:
            row[index[code]] = max(row[index[code]], int(level))
    return row


def isco_similarity(ctx: Context) -> npt.NDArray[np.float32]:
    """sim[a, b] for every pair of unit groups, from the number of leading digits they share."""
    codes = np.array([[int(c) for c in code] for code in ctx.unit_codes], dtype=np.int8)
    shared = np.zeros((len(codes), len(codes)), dtype=np.int8)
    same = np.ones((len(codes), len(codes)), dtype=bool)
    for digit in range(4):
        same &= codes[:, None, digit] == codes[None, :, digit]
        shared += same
    table = np.array([ISCO_SIMILARITY[d] for d in range(5)], dtype=F32)
    return table[shared]


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
        self.data: dict[str, npt.NDArray[np.generic]] = {}
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

    def row(self, record_id: int) -> int:
        """The row of a record, appending one if it is new."""
        if record_id in self.row_of:
            return self.row_of[record_id]
        if self.size == self.capacity:
            self._grow(self.capacity * 2)
        row = self.size
        self.size += 1
        self.row_of[record_id] = row
        self.ids[row] = record_id
        return row

    def __getitem__(self, name: str) -> npt.NDArray[np.generic]:
        return self.data[name][: self.size]


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


class MatchIndex:
    """Both sides of the market in memory, queried in either direction."""

    def __init__(self, ctx: Context, weights: dict[str, float] | None = None) -> None:
        self.ctx = ctx
        self.sim = isco_similarity(ctx)
        self.adjacent = np.zeros((len(ctx.province_codes) + 1, len(ctx.province_codes) + 1), dtype=bool)
        for a, b in ctx.borders:
            self.adjacent[a, b] = self.adjacent[b, a] = True
        self.skill_column: dict[int, int] = {}
        self.idf = np.zeros(0, dtype=F32)
        self.v = _Columns(VACANCY_FIELDS)
        self.j = _Columns(JOBSEEKER_FIELDS)
        self.v_skills: dict[int, tuple[frozenset[int], frozenset[int]]] = {}
        self.j_skills: dict[int, frozenset[int]] = {}
        self.excluded: dict[int, set[int]] = {}
        self.set_weights(weights)
        self.lock = threading.RLock()
        self._v_matrix: sparse.csc_matrix | None = None
        self._j_matrix: sparse.csc_matrix | None = None
        self._v_tiers: dict[int, dict[int, npt.NDArray[np.int64]]] = {}
        self._j_tiers: dict[int, dict[int, npt.NDArray[np.int64]]] = {}
        self._v_dirty: set[int] = set()
        self._j_dirty: set[int] = set()

    def set_weights(self, weights: dict[str, float] | None) -> None:
        self.weights = {d: direction_weights(weights, d) for d in ("jobs", "people")}

    # ------------------------------------------------------------------------------------------ loading

    def _skill_col(self, skill: int) -> int:
        column = self.skill_column.get(skill)
        if column is None:
            column = self.skill_column[skill] = len(self.skill_column)
        return column

    def put_vacancy(self, v: VacancyFeatures) -> None:
        with self.lock:
            row = self.v.row(v.id)
            d = self.v.data
            d["unit"][row] = v.unit
            d["province"][row] = v.province
            d["district"][row] = v.district
            d["education"][row] = v.education
            d["experience"][row] = v.experience_months
            d["languages"][row] = _levels(v.languages)
            d["language_count"][row] = len(v.languages)
            d["type"][row] = _bits([v.employment_type], EMPLOYMENT)
            d["wage_max"][row] = np.nan if v.wage_max is None else v.wage_max
            d["accommodations"][row] = _bits(v.accommodations, ACCOMMODATIONS)
            d["licences"][row] = _bits(v.licences, LICENCES)
            d["freshness"][row] = np.exp(-max(v.age_days, 0) / FRESHNESS_DAYS)
            d["open"][row] = v.open
            self.v_skills[row] = (v.essential, v.optional)
            for skill in v.essential | v.optional:
                self._skill_col(skill)
            self._v_dirty.add(row)

    def put_jobseeker(self, js: JobseekerFeatures) -> None:
        with self.lock:
            row = self.j.row(js.id)
            d = self.j.data
            codes = [(c, 1.0) for c in js.desired[:3]] + [(c, PAST_JOB_FACTOR) for c in js.past[:2]]
            d["codes"][row] = [c for c, _ in codes] + [-1] * (MAX_CODES - len(codes))
            d["code_factor"][row] = [f for _, f in codes] + [0.0] * (MAX_CODES - len(codes))
            d["province"][row] = js.province
            d["district"][row] = js.district
            d["relocate"][row] = js.relocate
            d["preferred"][row] = sum(1 << p for p in js.preferred if 0 <= p < 31)
            d["education"][row] = js.education
            d["experience"][row] = js.experience_months
            d["languages"][row] = _levels(js.languages)
            d["types"][row] = _bits(js.employment_types, EMPLOYMENT)
            d["wage"][row] = np.nan if js.expected_wage is None else js.expected_wage
            d["accommodations"][row] = _bits(js.accommodations, ACCOMMODATIONS)
            d["licences"][row] = _bits(js.licences, LICENCES)
            d["available"][row] = js.available
            self.j_skills[row] = js.skills
            for skill in js.skills:
                self._skill_col(skill)
            if js.excluded:
                self.excluded[js.id] = set(js.excluded)
            else:
                self.excluded.pop(js.id, None)
            self._j_dirty.add(row)

    def exclude(self, jobseeker_id: int, vacancy_id: int) -> None:
        """A pair that must not be suggested again (applied, referred or dismissed)."""
        with self.lock:
            self.excluded.setdefault(jobseeker_id, set()).add(vacancy_id)

    def close_vacancy(self, vacancy_id: int) -> None:
        with self.lock:
            if vacancy_id in self.v.row_of:
                self.v.data["open"][self.v.row_of[vacancy_id]] = False

    def remove_jobseeker(self, jobseeker_id: int) -> None:
        with self.lock:
            if jobseeker_id in self.j.row_of:
                self.j.data["available"][self.j.row_of[jobseeker_id]] = False

    def build(self) -> None:
        """(Re)build the sparse skill matrices, the skill rarity weights and the tier lists."""
        with self.lock:
            n_skills = len(self.skill_column)
            df = np.zeros(n_skills, dtype=F32)
            for row, (essential, optional) in self.v_skills.items():
                if self.v.data["open"][row]:
                    for skill in essential | optional:
                        df[self.skill_column[skill]] += 1
            open_count = float(self.v["open"].sum())
            self.idf = (np.log((open_count + 1) / (df + 1)) + 1).astype(F32)
            self._v_matrix = self._vacancy_matrix(range(self.v.size))
            rows, cols = [], []
            for row, skills in self.j_skills.items():
                for skill in skills:
                    rows.append(row)
                    cols.append(self.skill_column[skill])
            self._j_matrix = sparse.csc_matrix(
                (np.ones(len(rows), dtype=F32), (rows, cols)), shape=(self.j.size, n_skills)
            )
            self._v_tiers = self._tiers(self.v["unit"][:, None])
            self._j_tiers = self._tiers(self.j["codes"])
            self._v_dirty.clear()
            self._j_dirty.clear()

    def _vacancy_weights(self, row: int) -> tuple[list[int], list[float]]:
        essential, optional = self.v_skills.get(row, (frozenset(), frozenset()))
        cols, values = [], []
        for skill in essential:
            column = self.skill_column[skill]
            cols.append(column)
            values.append(self._idf(column) * ESSENTIAL_FACTOR)
        for skill in optional:
            column = self.skill_column[skill]
            cols.append(column)
            values.append(self._idf(column))
        total = sum(values)
        return cols, [value / total for value in values] if total else values

    def _idf(self, column: int) -> float:
        if column < len(self.idf):
            return float(self.idf[column])
        return float(np.log(float(self.v["open"].sum()) + 1) + 1)

    def _vacancy_matrix(self, rows: Iterable[int]) -> sparse.csc_matrix:
        r, c, w = [], [], []
        for row in rows:
            cols, values = self._vacancy_weights(row)
            r.extend([row] * len(cols))
            c.extend(cols)
            w.extend(values)
        return sparse.csc_matrix((np.asarray(w, dtype=F32), (r, c)), shape=(self.v.size, len(self.skill_column)))

    def _tiers(self, codes: npt.NDArray[np.int16]) -> dict[int, dict[int, npt.NDArray[np.int64]]]:
        """For 4, 3, 2 and 1 shared digits: ISCO prefix → rows holding a code with that prefix."""
        unit_codes = np.array([int(c) for c in self.ctx.unit_codes], dtype=np.int32)
        tiers: dict[int, dict[int, npt.NDArray[np.int64]]] = {}
        valid = codes >= 0
        rows = np.nonzero(valid)[0]
        prefixes_full = unit_codes[codes[valid]]
        for digits in (4, 3, 2, 1):
            prefixes = prefixes_full // (10 ** (4 - digits))
            order = np.lexsort((rows, prefixes))
            p_sorted, r_sorted = prefixes[order], rows[order]
            keys, starts = np.unique(p_sorted, return_index=True)
            bounds = list(starts) + [len(p_sorted)]
            tiers[digits] = {
                int(key): np.unique(r_sorted[bounds[i] : bounds[i + 1]]).astype(np.int64) for i, key in enumerate(keys)
            }
        return tiers

    # ------------------------------------------------------------------------------------------ scoring

    def _skills_for_jobseeker(self, row: int) -> npt.NDArray[np.float32]:
        """Skill signal of every vacancy for jobseeker `row`: the sum of the vacancy's weights of skills held."""
        assert self._v_matrix is not None
        matrix = self._v_matrix
        columns = [self.skill_column[s] for s in self.j_skills.get(row, ()) if s in self.skill_column]
        columns = [c for c in columns if c < matrix.shape[1]]
        out = np.zeros(self.v.size, dtype=F32)
        if columns:
            sub = matrix[:, columns]
            out[: matrix.shape[0]] += np.bincount(sub.indices, weights=sub.data, minlength=matrix.shape[0]).astype(F32)
        if self._v_dirty:  # rows changed since the last build: score them exactly
            held = {self.skill_column[s] for s in self.j_skills.get(row, ()) if s in self.skill_column}
            for dirty in self._v_dirty:
                cols, values = self._vacancy_weights(dirty)
                out[dirty] = sum(v for c, v in zip(cols, values, strict=True) if c in held)
        return out

    def _skills_for_vacancy(self, row: int) -> npt.NDArray[np.float32]:
        """Skill signal of every jobseeker for vacancy `row`."""
        cols, values = self._vacancy_weights(row)
        out = np.zeros(self.j.size, dtype=F32)
        assert self._j_matrix is not None
        matrix = self._j_matrix
        usable = [(c, w) for c, w in zip(cols, values, strict=True) if c < matrix.shape[1]]
        for column, weight in usable:
            start, end = matrix.indptr[column], matrix.indptr[column + 1]
            out[matrix.indices[start:end]] += weight
        if self._j_dirty:
            weight_of = dict(zip(cols, values, strict=True))
            for dirty in self._j_dirty:
                out[dirty] = sum(weight_of.get(self.skill_column[s], 0.0) for s in self.j_skills.get(dirty, ()))
        return out

    def _rest(
        self, v_rows: npt.NDArray[np.int64], j_rows: npt.NDArray[np.int64], direction: str
    ) -> npt.NDArray[np.float32]:
        """Every signal but occupation and skills, weighted, for aligned rows of vacancies and jobseekers."""
        w = self.weights[direction]
        V, J = self.v.data, self.j.data  # noqa: N806 (the two sides, as in the formulas)
        vp, jp = V["province"][v_rows], J["province"][j_rows]
        vd, jd = V["district"][v_rows], J["district"][j_rows]
        preferred = ((J["preferred"][j_rows] >> np.clip(vp, 0, 30)) & 1).astype(bool) & (vp >= 0)
        location = np.where(
            (jd >= 0) & (jd == vd),
            LOCATION_SCORES["district"],
            np.where(
                jp == vp,
                LOCATION_SCORES["province"],
                np.where(
                    preferred,
                    LOCATION_SCORES["preferred"],
                    np.where(
                        self.adjacent[jp, vp] & (jp >= 0) & (vp >= 0),
                        LOCATION_SCORES["neighbour"],
                        np.where(J["relocate"][j_rows], LOCATION_SCORES["relocate"], LOCATION_SCORES["none"]),
                    ),
                ),
            ),
        ).astype(F32)
        ve, je = V["education"][v_rows], J["education"][j_rows]
        education = np.where(
            ve < 0, 1.0, np.where(je < 0, 0.5, np.where(je >= ve, 1.0, np.where(je == ve - 1, 0.5, 0.0)))
        ).astype(F32)
        vx = V["experience"][v_rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            experience = np.where(vx <= 0, 1.0, np.minimum(1.0, J["experience"][j_rows] / vx)).astype(F32)
        missing = (V["languages"][v_rows] > J["languages"][j_rows]).sum(axis=1).astype(F32)
        count = V["language_count"][v_rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            languages = np.where(count == 0, 1.0, 1.0 - missing / count).astype(F32)
        jt = J["types"][j_rows]
        kind = ((jt == 0) | ((jt & V["type"][v_rows]) != 0)).astype(F32)
        wage_max, expected = V["wage_max"][v_rows], J["wage"][j_rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            wage = np.where(
                np.isnan(expected) | np.isnan(wage_max) | (wage_max >= expected) | (expected <= 0),
                1.0,
                np.maximum(0.0, 1.0 - 2.0 * (expected - wage_max) / expected),
            ).astype(F32)
        employment = 0.5 * kind + 0.5 * wage
        needs = J["accommodations"][j_rows]
        accommodation = np.where(
            needs == 0, 1.0, _POPCOUNT[needs & V["accommodations"][v_rows]] / _POPCOUNT[np.maximum(needs, 1)]
        ).astype(F32)
        required = V["licences"][v_rows]
        licences = np.where(
            required == 0, 1.0, _POPCOUNT[required & J["licences"][j_rows]] / _POPCOUNT[np.maximum(required, 1)]
        ).astype(F32)
        return (
            w["location"] * location
            + w["education"] * education
            + w["experience"] * experience
            + w["languages"] * languages
            + w["employment"] * employment
            + w["accommodation"] * accommodation
            + w["licences"] * licences
            + w["freshness"] * V["freshness"][v_rows]
        ).astype(F32)

    def _occupation(self, v_rows: npt.NDArray[np.int64], j_rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        codes = self.j.data["codes"][j_rows]
        factors = self.j.data["code_factor"][j_rows]
        units = self.v.data["unit"][v_rows]
        sims = self.sim[np.maximum(codes, 0), units[:, None]] * factors
        return sims.max(axis=1) if len(sims) else np.zeros(0, dtype=F32)

    # ------------------------------------------------------------------------------------------ queries

    def _search(
        self,
        *,
        direction: str,
        k: int,
        skills: npt.NDArray[np.float32],
        occupation_tiers: list[tuple[npt.NDArray[np.int64], float]],
        dirty: set[int],
        usable: npt.NDArray[np.bool_],
        ids: npt.NDArray[np.int64],
        score_rows: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]],
        keep: Callable[[int], bool],
    ) -> list[Match]:
        """Score candidate tiers in decreasing order of their best possible score; stop when no unseen row can
        beat the current k-th best."""
        w = self.weights[direction]
        rest = 1.0 - w["occupation"] - w["skills"]
        size = len(usable)
        skill_max = float(skills.max()) if len(skills) else 0.0
        skilled = np.nonzero(skills > 0)[0]
        tiers = [(np.fromiter(dirty, dtype=np.int64, count=len(dirty)), 1.0, 1.0)]
        tiers += [(rows, bound, skill_max) for rows, bound in occupation_tiers]
        tiers += [(skilled, 0.0, skill_max), (np.arange(size, dtype=np.int64), 0.0, 0.0)]
        best: list[tuple[float, int]] = []
        seen = np.zeros(size, dtype=bool)
        for rows, occupation_bound, skill_bound in tiers:
            bound = w["occupation"] * occupation_bound + w["skills"] * skill_bound + rest
            if len(best) >= k and best[k - 1][0] > bound + 1e-6:
                break
            if not len(rows):
                continue
            rows = np.unique(rows[~seen[rows] & usable[rows]])
            if not len(rows):
                continue
            seen[rows] = True
            scores = score_rows(rows)
            take = min(len(scores), 4 * k)
            part = np.argpartition(-scores, take - 1)[:take] if take < len(scores) else np.arange(len(scores))
            found = [(float(scores[i]), int(ids[rows[i]])) for i in part]
            kept = [pair for pair in found if keep(pair[1])]
            if len(kept) < min(k, len(found)) and take < len(scores):
                order = np.argsort(-scores)
                kept = [(float(scores[i]), int(ids[rows[i]])) for i in order if keep(int(ids[rows[i]]))][:k]
            best = sorted(best + kept, key=lambda pair: (-pair[0], pair[1]))[:k]
        return [Match(id=i, score=s) for s, i in best]

    def _prefix_tiers(
        self, tiers: dict[int, dict[int, npt.NDArray[np.int64]]], units: Iterable[int]
    ) -> list[tuple[npt.NDArray[np.int64], float]]:
        out = []
        for digits in (4, 3, 2, 1):
            found = [tiers.get(digits, {}).get(int(self.ctx.unit_codes[u]) // 10 ** (4 - digits)) for u in units]
            rows = [r for r in found if r is not None]
            out.append((np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64), ISCO_SIMILARITY[digits]))
        return out

    def top_vacancies(self, jobseeker_id: int, k: int = 20) -> list[Match]:
        """The k best open vacancies for a jobseeker (exact for the rules in scoring.py)."""
        with self.lock:
            row = self.j.row_of.get(jobseeker_id)
            if row is None or not self.j.data["available"][row] or not self.v.size:
                return []
            w = self.weights["jobs"]
            skills = self._skills_for_jobseeker(row)
            excluded = self.excluded.get(jobseeker_id, set())

            def score_rows(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
                j_rows = np.full(len(rows), row, dtype=np.int64)
                occupation = self._occupation(rows, j_rows)
                return w["occupation"] * occupation + w["skills"] * skills[rows] + self._rest(rows, j_rows, "jobs")

            units = [int(c) for c in self.j.data["codes"][row] if c >= 0]
            return self._search(
                direction="jobs",
                k=k,
                skills=skills,
                occupation_tiers=self._prefix_tiers(self._v_tiers, units),
                dirty=self._v_dirty,
                usable=self.v["open"],
                ids=self.v.ids,
                score_rows=score_rows,
                keep=lambda vacancy: vacancy not in excluded,
            )

    def top_jobseekers(self, vacancy_id: int, k: int = 20) -> list[Match]:
        """The k best available jobseekers for a vacancy (exact for the rules in scoring.py)."""
        with self.lock:
            row = self.v.row_of.get(vacancy_id)
            if row is None or not self.v.data["open"][row] or not self.j.size:
                return []
            w = self.weights["people"]
            skills = self._skills_for_vacancy(row)

            def score_rows(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
                v_rows = np.full(len(rows), row, dtype=np.int64)
                occupation = self._occupation(v_rows, rows)
                return w["occupation"] * occupation + w["skills"] * skills[rows] + self._rest(v_rows, rows, "people")

            return self._search(
                direction="people",
                k=k,
                skills=skills,
                occupation_tiers=self._prefix_tiers(self._j_tiers, [int(self.v.data["unit"][row])]),
                dirty=self._j_dirty,
                usable=self.j["available"],
                ids=self.j.ids,
                score_rows=score_rows,
                keep=lambda person: vacancy_id not in self.excluded.get(person, ()),
            )

    def score_pairs(
        self, jobseeker_ids: Sequence[int], vacancy_ids: Sequence[int], direction: str = "jobs"
    ) -> npt.NDArray[np.float32]:
        """Scores of aligned (jobseeker, vacancy) pairs — for tests and explanations."""
        with self.lock:
            j_rows = np.array([self.j.row_of[i] for i in jobseeker_ids], dtype=np.int64)
            v_rows = np.array([self.v.row_of[i] for i in vacancy_ids], dtype=np.int64)
            w = self.weights[direction]
            skill = np.array(
                [self._skills_for_jobseeker(int(j))[int(v)] for j, v in zip(j_rows, v_rows, strict=True)], dtype=F32
            )
            occupation = self._occupation(v_rows, j_rows)
            rest = self._rest(v_rows, j_rows, direction)
            return (w["occupation"] * occupation + w["skills"] * skill + rest).astype(F32)

    def skill_idf(self) -> dict[int, float]:
        """The rarity weight of every known skill, as used by the last build (for the reference scorer)."""
        return {skill: self._idf(column) for skill, column in self.skill_column.items()}

    def memory_bytes(self) -> int:
        total = sum(a.nbytes for a in self.v.data.values()) + sum(a.nbytes for a in self.j.data.values())
        for matrix in (self._v_matrix, self._j_matrix):
            if matrix is not None:
                total += matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
        for tiers in (self._v_tiers, self._j_tiers):
            total += sum(a.nbytes for level in tiers.values() for a in level.values())
        return total
