"""Cascade metrics on a hand-built lineage graph whose answers are known (no database)."""

from __future__ import annotations

from openpes.training import metrics
from openpes.training.metrics import CertificationRow, ScorePair, SessionRow

# Two ToTs. ToT 1 certified trainers 10, 11, 12 (10 twice: a renewal); ToT 2 certified trainer 20.
# Trainer 10 led sessions 100 (people 1,2,3) and 101 (people 3,4) — under both of their certifications;
# trainer 11 led session 110 (people 4,5); trainer 12 never led one; trainer 20 led session 200 (people 1,9).
CERTS = [
    CertificationRow(id=1, trainer_id=10, tot_event_id=1),
    CertificationRow(id=2, trainer_id=11, tot_event_id=1),
    CertificationRow(id=3, trainer_id=12, tot_event_id=1),
    CertificationRow(id=4, trainer_id=10, tot_event_id=1),  # renewal of 1
    CertificationRow(id=5, trainer_id=20, tot_event_id=2),
]
SESSIONS = [
    SessionRow(id=100, certification_id=1, trainer_id=10, participants=frozenset({1, 2, 3})),
    SessionRow(id=101, certification_id=4, trainer_id=10, participants=frozenset({3, 4})),
    SessionRow(id=110, certification_id=2, trainer_id=11, participants=frozenset({4, 5})),
    SessionRow(id=200, certification_id=5, trainer_id=20, participants=frozenset({1, 9})),
]


def test_reach_counts_distinct_people_downstream_of_each_tot():
    assert metrics.reach_per_tot(CERTS, SESSIONS) == {1: 5, 2: 2}  # ToT 1: people 1–5 once each


def test_reach_per_trainer_counts_each_person_once():
    assert metrics.reach_per_trainer(SESSIONS) == {10: 4, 11: 2, 20: 2}


def test_activation_is_the_share_of_certified_trainers_who_led_a_session():
    activation = metrics.activation_per_tot(CERTS, SESSIONS)
    assert (activation[1].certified, activation[1].active, activation[1].share) == (3, 2, 0.667)
    assert activation[2].share == 1.0


def test_a_tot_with_no_trainer_certified_has_no_activation_share():
    assert metrics.Activation(0, 0).share is None


def test_dilution_compares_the_mean_gain_in_sessions_with_the_gain_at_the_tot():
    gains = {
        1: [ScorePair(10, 40, 80), ScorePair(11, 50, 90), ScorePair(12, 60, 80)],  # mean gain 33.3
        100: [ScorePair(1, 50, 70), ScorePair(2, 40, 60)],  # 20, 20
        110: [ScorePair(4, 30, 40)],  # 10
        2: [ScorePair(20, 50, 70)],  # 20
    }
    dilution = metrics.dilution_per_tot(CERTS, SESSIONS, gains)
    assert dilution[1].tot_gain == 33.3
    assert dilution[1].session_gain == round((20 + 20 + 10) / 3, 1)
    assert dilution[1].ratio == round(16.7 / 33.3, 2)
    assert dilution[2].session_gain is None and dilution[2].ratio is None


def test_the_lineage_tree_follows_tot_to_trainer_to_session():
    tree = metrics.lineage([1, 2, 3], CERTS, SESSIONS)
    tot1, tot2, tot3 = tree
    assert [t.trainer_id for t in tot1.trainers] == [10, 11, 12]  # the most active first
    assert tot1.trainers[0].certification_ids == [1, 4]
    assert sorted(s.id for s in tot1.trainers[0].sessions) == [100, 101]
    assert tot1.trainers[2].sessions == []
    assert (tot1.reach, tot2.reach) == (5, 2)
    assert tot3.trainers == [] and tot3.reach == 0


def test_score_pairs_give_raw_and_normalised_gain():
    pair = ScorePair(1, pre=40, post=70)
    assert pair.gain == 30
    assert pair.normalised_gain == 0.5
    assert ScorePair(1, pre=100, post=100).normalised_gain is None
    assert metrics.mean_gain([]) is None


def test_days_needed_rounds_up_a_share_of_the_days():
    assert metrics.days_needed(3, 1.0) == 3
    assert metrics.days_needed(5, 0.8) == 4
    assert metrics.days_needed(3, 0.5) == 2
    assert metrics.days_needed(1, 0.1) == 1
