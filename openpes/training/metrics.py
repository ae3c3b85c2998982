"""Cascade and learning-gain metrics, on plain data (no Django), so they can be tested on hand-built graphs
and benchmarked on their own. `reports.py` loads the rows from the database and calls these.

The cascade is a graph recorded, not inferred: a ToT event certifies trainers (a certification names its ToT);
a provincial session names the certification its lead trainer held; participants attend sessions. So

    ToT event → trainer (certification) → provincial session → participants

* **reach** of a ToT: distinct people who attended sessions led under certifications from that ToT;
  of a trainer: distinct people who attended the sessions they led;
* **activation** of a ToT: the share of its certified trainers who delivered at least one session;
* **dilution**: the mean learning gain in the trainers' sessions divided by the mean gain at their ToT
  (1.0 = the cascade kept all of it; 0.5 = half was lost on the way down).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean


@dataclass(frozen=True)
class CertificationRow:
    id: int
    trainer_id: int
    tot_event_id: int


@dataclass(frozen=True)
class SessionRow:
    """A provincial session that took place, with the people who attended it."""

    id: int
    certification_id: int
    trainer_id: int
    participants: frozenset[int]


@dataclass(frozen=True)
class ScorePair:
    """A participant's pre- and post-test scores (0–100) for one event (or a course)."""

    person_id: int
    pre: float
    post: float

    @property
    def gain(self) -> float:
        """Raw learning gain in percentage points."""
        return self.post - self.pre

    @property
    def normalised_gain(self) -> float | None:
        """Hake's normalised gain: the share of the possible improvement achieved (None if pre is 100)."""
        if self.pre >= 100:
            return None
        return (self.post - self.pre) / (100 - self.pre)


def mean_gain(pairs: Iterable[ScorePair]) -> float | None:
    gains = [p.gain for p in pairs]
    return round(fmean(gains), 1) if gains else None


def mean_or_none(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(fmean(values), 1) if values else None


def _tot_of(certifications: Iterable[CertificationRow]) -> dict[int, int]:
    return {c.id: c.tot_event_id for c in certifications}


def reach_per_tot(certifications: Iterable[CertificationRow], sessions: Iterable[SessionRow]) -> dict[int, int]:
    """Distinct people trained downstream of each ToT event."""
    tot_of = _tot_of(certifications)
    people: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        tot = tot_of.get(session.certification_id)
        if tot is not None:
            people[tot] |= session.participants
    return {tot: len(ids) for tot, ids in people.items()}


def reach_per_trainer(sessions: Iterable[SessionRow]) -> dict[int, int]:
    """Distinct people trained in the sessions each trainer led."""
    people: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        people[session.trainer_id] |= session.participants
    return {trainer: len(ids) for trainer, ids in people.items()}


@dataclass(frozen=True)
class Activation:
    certified: int
    active: int

    @property
    def share(self) -> float | None:
        return round(self.active / self.certified, 3) if self.certified else None


def activation_per_tot(
    certifications: Iterable[CertificationRow], sessions: Iterable[SessionRow]
) -> dict[int, Activation]:
    """For each ToT: how many distinct trainers it certified, and how many of them led ≥ 1 session under a
    certification from that ToT."""
    certifications = list(certifications)
    tot_of = _tot_of(certifications)
    certified: dict[int, set[int]] = defaultdict(set)
    for cert in certifications:
        certified[cert.tot_event_id].add(cert.trainer_id)
    active: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        tot = tot_of.get(session.certification_id)
        if tot is not None:
            active[tot].add(session.trainer_id)
    return {tot: Activation(len(trainers), len(active[tot] & trainers)) for tot, trainers in certified.items()}


@dataclass(frozen=True)
class Dilution:
    tot_gain: float | None
    session_gain: float | None

    @property
    def ratio(self) -> float | None:
        if self.tot_gain is None or self.session_gain is None or self.tot_gain <= 0:
            return None
        return round(self.session_gain / self.tot_gain, 2)


def dilution_per_tot(
    certifications: Iterable[CertificationRow],
    sessions: Iterable[SessionRow],
    gains: Mapping[int, Sequence[ScorePair]],
) -> dict[int, Dilution]:
    """Mean gain at each ToT vs mean gain over all participants of the sessions its trainers led.

    `gains` maps an event id (ToT or session) to its participants' score pairs."""
    certifications = list(certifications)
    tot_of = _tot_of(certifications)
    downstream: dict[int, list[ScorePair]] = defaultdict(list)
    for session in sessions:
        tot = tot_of.get(session.certification_id)
        if tot is not None:
            downstream[tot].extend(gains.get(session.id, ()))
    tots = {c.tot_event_id for c in certifications}
    return {tot: Dilution(mean_gain(gains.get(tot, ())), mean_gain(downstream[tot])) for tot in tots}


# ------------------------------------------------------------------------------------------ lineage graph


@dataclass
class SessionNode:
    id: int
    participants: int


@dataclass
class TrainerNode:
    trainer_id: int
    certification_ids: list[int] = field(default_factory=list)
    sessions: list[SessionNode] = field(default_factory=list)

    @property
    def reach(self) -> int:
        return sum(s.participants for s in self.sessions)


@dataclass
class TotNode:
    id: int
    trainers: list[TrainerNode] = field(default_factory=list)
    reach: int = 0
    activation: Activation = field(default_factory=lambda: Activation(0, 0))


def lineage(
    tot_ids: Iterable[int], certifications: Iterable[CertificationRow], sessions: Iterable[SessionRow]
) -> list[TotNode]:
    """The graph as a tree for display: ToT → certified trainers → their sessions (with participant counts).

    A trainer certified twice by the same ToT (a renewal) appears once, with both certifications."""
    certifications = list(certifications)
    sessions = list(sessions)
    reach = reach_per_tot(certifications, sessions)
    activation = activation_per_tot(certifications, sessions)
    by_cert: dict[int, list[SessionRow]] = defaultdict(list)
    for session in sessions:
        by_cert[session.certification_id].append(session)
    nodes = []
    for tot in tot_ids:
        trainers: dict[int, TrainerNode] = {}
        for cert in certifications:
            if cert.tot_event_id != tot:
                continue
            node = trainers.setdefault(cert.trainer_id, TrainerNode(cert.trainer_id))
            node.certification_ids.append(cert.id)
            node.sessions.extend(SessionNode(s.id, len(s.participants)) for s in by_cert[cert.id])
        nodes.append(
            TotNode(
                id=tot,
                trainers=sorted(trainers.values(), key=lambda t: (-len(t.sessions), t.trainer_id)),
                reach=reach.get(tot, 0),
                activation=activation.get(tot, Activation(0, 0)),
            )
        )
    return nodes


# ------------------------------------------------------------------------------------------ certification


@dataclass(frozen=True)
class Eligibility:
    """The three conditions for certifying a ToT participant as a trainer."""

    days_attended: int
    days_needed: int
    post_score: float | None
    threshold: int
    teach_back_passed: bool | None  # None: not observed yet

    @property
    def attended(self) -> bool:
        return self.days_attended >= self.days_needed

    @property
    def passed_post_test(self) -> bool:
        return self.post_score is not None and self.post_score >= self.threshold

    @property
    def eligible(self) -> bool:
        return self.attended and self.passed_post_test and bool(self.teach_back_passed)


def days_needed(total_days: int, share: float) -> int:
    """Days a participant must attend: `share` of the event's days, rounded up (1.0 = every day)."""
    from math import ceil

    return max(1, ceil(total_days * share - 1e-9)) if total_days else 0
