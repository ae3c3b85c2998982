"""What matching knows about a jobseeker and a vacancy, encoded as plain values (no Django here).

ISCO unit groups, provinces and skills are integers; the `Context` holds the lookups shared by the
reference scorer (`scoring.py`) and the in-memory index (`engine.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class JobseekerFeatures:
    id: int
    desired: tuple[int, ...] = ()  # ISCO unit group indices, in order of preference
    past: tuple[int, ...] = ()  # ISCO unit groups of past jobs
    skills: frozenset[int] = frozenset()  # ESCO skill ids
    province: int = -1
    district: int = -1
    relocate: bool = False
    preferred: frozenset[int] = frozenset()  # province indices
    education: int = -1  # ISCED level, -1 unknown
    experience_months: int = 0
    languages: tuple[tuple[str, int], ...] = ()  # (language code, level)
    employment_types: frozenset[str] = frozenset()
    expected_wage: int | None = None
    accommodations: frozenset[str] = frozenset()
    licences: frozenset[str] = frozenset()
    available: bool = True
    excluded: frozenset[int] = frozenset()  # vacancy ids already applied to, referred to or dismissed


@dataclass(frozen=True)
class VacancyFeatures:
    id: int
    unit: int  # ISCO unit group index
    essential: frozenset[int] = frozenset()
    optional: frozenset[int] = frozenset()
    province: int = -1
    district: int = -1
    education: int = -1  # minimum ISCED level, -1 none
    experience_months: int = 0
    languages: tuple[tuple[str, int], ...] = ()
    employment_type: str = ""
    wage_max: int | None = None
    accommodations: frozenset[str] = frozenset()
    licences: frozenset[str] = frozenset()
    age_days: int = 0
    open: bool = True


@dataclass
class Context:
    """Lookups: ISCO codes ↔ indices, provinces and their borders, skill rarity."""

    unit_codes: list[str]
    province_codes: list[str]
    borders: frozenset[tuple[int, int]] = frozenset()
    skill_idf: dict[int, float] = field(default_factory=dict)
    default_idf: float = 1.0

    def __post_init__(self) -> None:
        self.unit_index = {code: i for i, code in enumerate(self.unit_codes)}
        self.province_index = {code: i for i, code in enumerate(self.province_codes)}

    def shared_digits(self, a: int, b: int) -> int:
        code_a, code_b = self.unit_codes[a], self.unit_codes[b]
        n = 0
        while n < 4 and code_a[n] == code_b[n]:
            n += 1
        return n

    def neighbours(self, a: int, b: int) -> bool:
        return (a, b) in self.borders or (b, a) in self.borders

    def idf(self, skill: int) -> float:
        return self.skill_idf.get(skill, self.default_idf)


def skill_idf(vacancy_skills: Iterable[Iterable[int]]) -> tuple[dict[int, float], float]:
    """Inverse document frequency of skills over vacancies: rare skills weigh more. Returns (idf, default)."""
    counts: dict[int, int] = {}
    total = 0
    for skills in vacancy_skills:
        total += 1
        for skill in set(skills):
            counts[skill] = counts.get(skill, 0) + 1
    default = math.log((total + 1) / 1) + 1.0
    return {skill: math.log((total + 1) / (count + 1)) + 1.0 for skill, count in counts.items()}, default


def make_context(
    unit_codes: Sequence[str],
    province_codes: Sequence[str],
    borders: Iterable[tuple[str, str]],
    vacancy_skills: Iterable[Iterable[int]] = (),
) -> Context:
    index = {code: i for i, code in enumerate(province_codes)}
    pairs = frozenset((index[a], index[b]) for a, b in borders if a in index and b in index)
    idf, default = skill_idf(vacancy_skills)
    return Context(list(unit_codes), list(province_codes), pairs, idf, default)
