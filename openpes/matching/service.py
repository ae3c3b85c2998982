"""The process-wide matching index: built from the database on first use, kept fresh by a change feed, and
rebuilt in the background. Every app process and worker serves queries from its own copy.

Freshness: before answering, a process applies changes made since its last sync (vacancies and jobseekers
whose `updated_at` moved, new applications and dismissals) — a few indexed queries at most every
SYNC_SECONDS. A full rebuild runs in a background thread every REBUILD_SECONDS (skill rarity and tier lists
are recomputed); queries keep using the old index until the new one is swapped in.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone

from openpes.matching.engine import MatchIndex
from openpes.matching.scoring import direction_weights

logger = logging.getLogger("openpes.matching")

SYNC_SECONDS = 5.0
REBUILD_SECONDS = 15 * 60.0

_lock = threading.Lock()
_index: MatchIndex | None = None
_synced_at: datetime | None = None
_synced_clock = 0.0
_built_clock = 0.0
_rebuilding = False


def current_weights() -> dict[str, float] | None:
    from openpes.matching.models import MatchingWeights

    latest = MatchingWeights.objects.first()
    return latest.as_dict() if latest else None


def _build() -> MatchIndex:
    from openpes.matching.loaders import load_index

    started = time.perf_counter()
    index = load_index(current_weights())
    logger.info("matching index built in %.1f s", time.perf_counter() - started)
    return index


def get_index_if_ready() -> MatchIndex | None:
    """The index if this process has one; otherwise start building it in the background and return None, so a
    web request never waits for a build (pages say the suggestions are being prepared)."""
    with _lock:
        ready = _index is not None
    if not ready:
        warm_in_background()
        return None
    return get_index()


def warm_in_background() -> None:
    """Build the index in a background thread if it does not exist yet (web processes call this at start)."""
    global _rebuilding
    with _lock:
        if _index is not None or _rebuilding:
            return
        _rebuilding = True

    def run() -> None:
        global _index, _synced_at, _synced_clock, _built_clock, _rebuilding
        try:
            started_at = timezone.now()
            fresh = _build()
            with _lock:
                if _index is None:
                    _index, _synced_at = fresh, started_at
                    _synced_clock = _built_clock = time.monotonic()
        except Exception:
            logger.exception("matching index build failed")
        finally:
            _rebuilding = False
            close_old_connections()

    threading.Thread(target=run, name="matching-warm", daemon=True).start()


def get_index() -> MatchIndex:
    """The index, built on first use (blocking) and synced with recent changes."""
    global _index, _synced_at, _synced_clock, _built_clock
    with _lock:
        if _index is None:
            started_at = timezone.now()
            _index = _build()
            _synced_at, _synced_clock, _built_clock = started_at, time.monotonic(), time.monotonic()
            return _index
        index = _index
    if time.monotonic() - _synced_clock > SYNC_SECONDS:
        sync(index)
    if time.monotonic() - _built_clock > REBUILD_SECONDS:
        _rebuild_in_background()
    return index


def sync(index: MatchIndex) -> None:
    """Apply changes made (by any process) since the last sync."""
    global _synced_at, _synced_clock
    from openpes.applications.models import Application
    from openpes.jobseekers.models import JobSeeker
    from openpes.matching.loaders import jobseeker_features, vacancy_features
    from openpes.matching.models import MatchDismissal
    from openpes.vacancies.models import Vacancy

    since = _synced_at or timezone.now()
    now = timezone.now()
    weights = current_weights()
    if weights is not None and index.weights != {d: direction_weights(weights, d) for d in ("jobs", "people")}:
        index.set_weights(weights)  # an administrator retuned the weights (in any process)
    for features in vacancy_features(Vacancy.objects.filter(updated_at__gte=since), index.ctx):
        if features.open or features.id in index.v.row_of:
            index.put_vacancy(features)
    for person in jobseeker_features(JobSeeker.objects.filter(updated_at__gte=since), index.ctx):
        index.put_jobseeker(person)
    for jobseeker_id, vacancy_id in Application.objects.filter(created_at__gte=since).values_list(
        "jobseeker_id", "vacancy_id"
    ):
        index.exclude(jobseeker_id, vacancy_id)
    for jobseeker_id, vacancy_id in MatchDismissal.objects.filter(at__gte=since).values_list(
        "jobseeker_id", "vacancy_id"
    ):
        index.exclude(jobseeker_id, vacancy_id)
    _synced_at, _synced_clock = now, time.monotonic()


def _rebuild_in_background() -> None:
    global _rebuilding
    with _lock:
        if _rebuilding:
            return
        _rebuilding = True

    def run() -> None:
        global _index, _built_clock, _rebuilding, _synced_at
        try:
            started_at = timezone.now()
            fresh = _build()
            with _lock:
                _index, _built_clock, _synced_at = fresh, time.monotonic(), started_at
        except Exception:  # keep serving the old index; try again next time
            logger.exception("matching index rebuild failed")
        finally:
            _rebuilding = False
            close_old_connections()

    threading.Thread(target=run, name="matching-rebuild", daemon=True).start()


def reset() -> None:
    """Forget the index (tests, or after changing weights)."""
    global _index, _synced_at
    with _lock:
        _index, _synced_at = None, None
