"""Finding the same person registered twice: same national ID or phone, or a similar name and the same
date of birth. Names are compared through simplified keys, because one Khmer name has many Latin spellings
(Sok / Sokh, Sreymom / Srey Mom, Chhim / Chim) and is written family name first or last."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from openpes.lib.khmer import normalize

_LATIN_FOLDS = [
    ("kh", "k"), ("ch", "c"), ("ph", "p"), ("th", "t"), ("gh", "g"), ("bh", "b"), ("dh", "d"),
    ("ea", "a"), ("ae", "a"), ("oeu", "u"), ("eu", "u"), ("ou", "u"), ("oa", "a"), ("uo", "u"),
    ("y", "i"), ("w", "v"), ("z", "s"), ("q", "k"), ("x", "s"),
]  # fmt: skip


def latin_key(name: str) -> str:
    """A loose spelling key for one romanised Khmer name token."""
    text = re.sub(r"[^a-z]", "", name.casefold())
    for old, new in _LATIN_FOLDS:
        text = text.replace(old, new)
    text = re.sub(r"(.)\1+", r"\1", text)  # doubled letters: Chann → Can
    return text.rstrip("h")


def khmer_key(name: str) -> str:
    return "".join(ch for ch in normalize(name) if "\u1780" <= ch <= "\u17ff")


def name_keys(name_km: str, name_latin: str) -> str:
    """Space-separated keys for both name orders in both scripts, stored on the record."""
    keys: set[str] = set()
    latin_tokens = [t for t in re.split(r"[\s,.\-]+", name_latin or "") if t]
    if latin_tokens:
        folded = [latin_key(t) for t in latin_tokens]
        keys.add("l:" + "".join(folded))
        if len(folded) > 1:
            keys.add("l:" + "".join(folded[1:] + folded[:1]))
    khmer_tokens = [t for t in (name_km or "").split() if t]
    if khmer_tokens:
        keys.add("k:" + "".join(khmer_key(t) for t in khmer_tokens))
        if len(khmer_tokens) > 1:
            keys.add("k:" + "".join(khmer_key(t) for t in khmer_tokens[1:] + khmer_tokens[:1]))
    return " ".join(sorted(k for k in keys if len(k) > 2))


def names_similar(keys_a: str, keys_b: str) -> bool:
    """Same key, or keys one or two letters apart (typing slips) for names long enough to tell."""
    set_a, set_b = set(keys_a.split()), set(keys_b.split())
    if set_a & set_b:
        return True
    for a in set_a:
        for b in set_b:
            if a[:2] != b[:2] or min(len(a), len(b)) < 8:
                continue
            if Levenshtein.distance(a, b, score_cutoff=2) <= (1 if min(len(a), len(b)) < 12 else 2):
                return True
            if ratio(a, b) >= 92:
                return True
    return False


@dataclass
class Candidate:
    """The identifying fields of a record, for comparing without loading models."""

    pk: int | None
    date_of_birth: date | None
    national_id: str = ""
    phones: tuple[str, ...] = ()
    keys: str = ""


@dataclass
class Match:
    pk: int
    reasons: list[str] = field(default_factory=list)


def compare(new: Candidate, existing: Candidate) -> list[str]:
    """Why `existing` may be the same person as `new` (empty list: no reason)."""
    reasons = []
    if new.national_id and new.national_id == existing.national_id:
        reasons.append("national_id")
    if {p for p in new.phones if p} & {p for p in existing.phones if p}:
        reasons.append("phone")
    if (
        new.date_of_birth
        and new.date_of_birth == existing.date_of_birth
        and new.keys
        and existing.keys
        and names_similar(new.keys, existing.keys)
    ):
        reasons.append("name_and_birth_date")
    return reasons


class DuplicateIndex:
    """In-memory lookup of existing records by ID, phone and date of birth (used by bulk import)."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.by_id: dict[str, list[Candidate]] = {}
        self.by_phone: dict[str, list[Candidate]] = {}
        self.by_birth: dict[date, list[Candidate]] = {}
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        if candidate.national_id:
            self.by_id.setdefault(candidate.national_id, []).append(candidate)
        for phone in candidate.phones:
            if phone:
                self.by_phone.setdefault(phone, []).append(candidate)
        if candidate.date_of_birth:
            self.by_birth.setdefault(candidate.date_of_birth, []).append(candidate)

    def matches(self, new: Candidate) -> list[Match]:
        pool: dict[int, Candidate] = {}
        for bucket in (
            self.by_id.get(new.national_id, []) if new.national_id else [],
            *(self.by_phone.get(p, []) for p in new.phones if p),
            self.by_birth.get(new.date_of_birth, []) if new.date_of_birth else [],
        ):
            for candidate in bucket:
                if candidate.pk is not None and candidate.pk != new.pk:
                    pool[candidate.pk] = candidate
        out = []
        for pk, candidate in pool.items():
            reasons = compare(new, candidate)
            if reasons:
                out.append(Match(pk=pk, reasons=reasons))
        return out


def find_possible_duplicates(
    *,
    name_km: str,
    name_latin: str,
    date_of_birth: date | None,
    national_id: str = "",
    phones: Iterable[str] = (),
    exclude_pk: int | None = None,
) -> list[tuple[Any, list[str]]]:
    """Existing (unmerged) records that may be this person, with the reasons, for a counsellor to decide."""
    from django.db.models import Q

    from openpes.jobseekers.models import DuplicateDismissal, JobSeeker

    phones = tuple(p for p in phones if p)
    lookup = Q(pk__in=[])
    if national_id:
        lookup |= Q(national_id=national_id)
    if phones:
        lookup |= Q(phone__in=phones) | Q(phone_alt__in=phones)
    if date_of_birth:
        lookup |= Q(date_of_birth=date_of_birth)
    records = JobSeeker.objects.current().filter(lookup).select_related("owner_centre")
    if exclude_pk is not None:
        records = records.exclude(pk=exclude_pk)
        dismissed = set(
            DuplicateDismissal.objects.filter(Q(first_id=exclude_pk) | Q(second_id=exclude_pk)).values_list(
                "first_id", "second_id"
            )
        )
        dismissed_ids = {a for a, b in dismissed} | {b for a, b in dismissed}
    else:
        dismissed_ids = set()
    new = Candidate(
        pk=exclude_pk,
        date_of_birth=date_of_birth,
        national_id=national_id,
        phones=phones,
        keys=name_keys(name_km, name_latin),
    )
    out = []
    for record in records[:200]:
        if record.pk in dismissed_ids:
            continue
        reasons = compare(new, candidate_of(record))
        if reasons:
            out.append((record, reasons))
    return out


def candidate_of(record: Any) -> Candidate:
    return Candidate(
        pk=record.pk,
        date_of_birth=record.date_of_birth,
        national_id=record.national_id,
        phones=(record.phone, record.phone_alt),
        keys=record.name_keys,
    )
