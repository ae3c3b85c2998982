"""The cascade from the database: ToTs, the certifications they gave, the provincial sessions led under them
and who attended, with learning gains; turned into report tables and the lineage tree by `metrics.py`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.models import User
from openpes.training import metrics
from openpes.training.enums import Tier
from openpes.training.models import (
    Attendance,
    Event,
    TrainerCertification,
)

if TYPE_CHECKING:
    pass
from openpes.training.reports import ReportFilters, Table, event_score_pairs


@dataclass
class Cascade:
    certifications: list[metrics.CertificationRow]
    sessions: list[metrics.SessionRow]
    tots: list[Event]
    session_events: dict[int, Event]
    trainer_names: dict[int, str]
    gains: dict[int, list[metrics.ScorePair]] = field(default_factory=dict)


def load_cascade(filters: ReportFilters, today: date | None = None) -> Cascade:
    """ToTs in scope, all certifications they gave, and the provincial sessions that took place (first day
    today or earlier) under those certifications, with the people who attended each."""
    today = today or timezone.localdate()
    tots = list(filters.events().filter(tier=Tier.TOT).order_by("starts_on", "pk"))
    certifications = list(
        TrainerCertification.objects.filter(tot_event__in=[t.pk for t in tots]).values_list(
            "pk", "trainer_id", "tot_event_id"
        )
    )
    cert_rows = [metrics.CertificationRow(*row) for row in certifications]
    session_events = {
        e.pk: e
        for e in Event.objects.filter(
            tier=Tier.PROVINCIAL, trainer_certification_id__in=[c.id for c in cert_rows], starts_on__lte=today
        ).select_related("province")
    }
    attendees: dict[int, set[int]] = defaultdict(set)
    for event_id, person_id in Attendance.objects.filter(event_id__in=list(session_events)).values_list(
        "event_id", "participant_id"
    ):
        attendees[event_id].add(person_id)
    sessions = [
        metrics.SessionRow(e.pk, e.trainer_certification_id or 0, e.lead_trainer_id or 0, frozenset(attendees[e.pk]))
        for e in session_events.values()
    ]
    names = dict(User.objects.filter(pk__in={c.trainer_id for c in cert_rows}).values_list("pk", "full_name"))
    gains = event_score_pairs([t.pk for t in tots] + list(session_events))
    return Cascade(cert_rows, sessions, tots, session_events, {k: v or f"#{k}" for k, v in names.items()}, gains)


def cascade_tables(filters: ReportFilters, cascade: Cascade | None = None) -> list[Table]:
    cascade = cascade or load_cascade(filters)
    reach = metrics.reach_per_tot(cascade.certifications, cascade.sessions)
    activation = metrics.activation_per_tot(cascade.certifications, cascade.sessions)
    dilution = metrics.dilution_per_tot(cascade.certifications, cascade.sessions, cascade.gains)
    rows = []
    for tot in cascade.tots:
        act = activation.get(tot.pk, metrics.Activation(0, 0))
        dil = dilution.get(tot.pk, metrics.Dilution(metrics.mean_gain(cascade.gains.get(tot.pk, [])), None))
        rows.append(
            [
                tot.title,
                tot.starts_on,
                act.certified,
                act.active,
                round(100 * act.share, 1) if act.share is not None else None,
                reach.get(tot.pk, 0),
                dil.tot_gain,
                dil.session_gain,
                dil.ratio,
            ]
        )
    trainer_reach = metrics.reach_per_trainer(cascade.sessions)
    session_count = Counter(s.trainer_id for s in cascade.sessions)
    trainer_rows = [
        [cascade.trainer_names.get(pk, f"#{pk}"), session_count[pk], trainer_reach.get(pk, 0)]
        for pk in sorted({c.trainer_id for c in cascade.certifications}, key=lambda k: cascade.trainer_names.get(k, ""))
    ]
    return [
        Table(
            "cascade",
            _("Cascade by training of trainers"),
            [
                _("Training of trainers"),
                _("First day"),
                _("Trainers certified"),
                _("Trainers who led a session"),
                _("Activation (%)"),
                _("Reach (persons trained downstream)"),
                _("Gain at the ToT (points)"),
                _("Gain in their sessions (points)"),
                _("Dilution (sessions ÷ ToT)"),
            ],
            rows,
            note=_(
                "Reach counts each person once, however many sessions they attended. A dilution of 1.0 means the "
                "trainers' participants learned as much as the trainers did."
            ),
        ),
        Table(
            "cascade_trainers",
            _("Reach by certified trainer"),
            [_("Trainer"), _("Sessions led"), _("Persons trained")],
            trainer_rows,
        ),
    ]


def lineage_tree(cascade: Cascade) -> list[dict[str, Any]]:
    """The lineage graph for the page: ToT → trainers → sessions (with participants)."""
    tree = metrics.lineage([t.pk for t in cascade.tots], cascade.certifications, cascade.sessions)
    tots = {t.pk: t for t in cascade.tots}
    out = []
    for node in tree:
        out.append(
            {
                "event": tots[node.id],
                "reach": node.reach,
                "activation": node.activation,
                "trainers": [
                    {
                        "name": cascade.trainer_names.get(t.trainer_id, f"#{t.trainer_id}"),
                        "reach": len(
                            set().union(
                                *(s.participants for s in cascade.sessions if s.id in {n.id for n in t.sessions})
                            )
                        ),
                        "sessions": [
                            {"event": cascade.session_events[s.id], "participants": s.participants}
                            for s in sorted(t.sessions, key=lambda s: cascade.session_events[s.id].starts_on)
                        ],
                    }
                    for t in node.trainers
                ],
            }
        )
    return out
