"""The coder inside the app: built from the database, kept under VAR_DIR, loaded once per process.

`suggest(...)` and `suggest_many(...)` are what views, forms, imports and the API call. The first call in a
process loads the saved coder (or builds and saves it if it is missing or was built from different data);
confirmed codes are read at most once per call, with one cheap query, so a confirmation made in any process
is used by the next suggestion everywhere.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from openpes.taxonomy.coder import sources
from openpes.taxonomy.coder.model import IscoCoder, Query, Suggestion, TrainingData, build
from openpes.taxonomy.models import CodingFeedback, IscoGroup, Occupation

logger = logging.getLogger(__name__)

MODEL_FILE = "isco-coder.npz"
# How often a running process checks whether the occupations it was built from changed (e.g. ESCO imported).
RECHECK_SECONDS = 300.0

_lock = threading.RLock()
_state: dict[str, Any] = {"coder": None, "checked": 0.0, "feedback": None}


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "coder" / MODEL_FILE


def _lexicon_digest() -> str:
    digest = hashlib.sha256()
    for path in (sources.EN_LEXICON, sources.KM_LEXICON, sources.DATA_DIR / "isco08.csv"):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def source_fingerprint() -> dict[str, Any]:
    """What the coder was built from; a saved coder whose fingerprint differs is rebuilt."""
    occupations = Occupation.objects.aggregate(n=Count("id"), last=Max("id"))
    return {
        "occupations": occupations["n"],
        "last_occupation": occupations["last"] or 0,
        "units": IscoGroup.objects.filter(level=4).count(),
        "lexicons": _lexicon_digest(),
    }


def training_data_from_db() -> TrainingData:
    """ISCO-08 titles, ESCO occupations, our lexicons and every confirmed code, from the database."""
    groups = [
        sources.GroupRecord(code, en, km)
        for code, en, km in IscoGroup.objects.values_list("code", "title_en", "title_km")
    ]
    occupations = [
        sources.OccupationRecord(
            key=uri,
            code=code,
            label_en=label,
            alt_labels_en=sources.split_labels(alt),
            hidden_labels_en=sources.split_labels(hidden),
            description_en=description,
            label_km=label_km,
        )
        for uri, code, label, alt, hidden, description, label_km in Occupation.objects.values_list(
            "uri", "isco_group__code", "label_en", "alt_labels_en", "hidden_labels_en", "description_en", "label_km"
        ).iterator(chunk_size=2000)
    ]
    return sources.training_data(
        groups,
        occupations,
        lexicon_en=sources.read_lexicon(sources.EN_LEXICON),
        lexicon_km=sources.read_lexicon(sources.KM_LEXICON),
        confirmed=CodingFeedback.objects.values_list("text", "isco_group__code"),
    )


def rebuild() -> IscoCoder:
    """Build the coder from the database, save it under VAR_DIR and use it in this process from now on."""
    with _lock:
        started = time.perf_counter()
        fingerprint = source_fingerprint()
        coder = build(training_data_from_db(), meta={"source": fingerprint})
        coder.meta["build_seconds"] = round(time.perf_counter() - started, 2)
        coder.save(model_path())
        _install(coder)
        logger.info("ISCO coder built: %s labels in %.1f s", coder.meta.get("labels"), coder.meta["build_seconds"])
        return coder


def _install(coder: IscoCoder) -> None:
    _state["coder"] = coder
    _state["checked"] = time.monotonic()
    _state["feedback"] = None


def reset() -> None:
    """Forget the coder loaded in this process (tests; after replacing the saved file by hand)."""
    with _lock:
        _state.update(coder=None, checked=0.0, feedback=None)


def get_coder() -> IscoCoder:
    """The process's coder, loaded or built on first use, with confirmed codes up to date."""
    with _lock:
        coder: IscoCoder | None = _state["coder"]
        stale = coder is not None and time.monotonic() - _state["checked"] > RECHECK_SECONDS
        if coder is None or stale:
            fingerprint = source_fingerprint()
            if coder is not None and coder.meta.get("source") == fingerprint:
                _state["checked"] = time.monotonic()
            else:
                coder = _load(fingerprint) or rebuild()
                _install(coder)
        assert coder is not None
        _refresh_feedback(coder)
        return coder


def _load(fingerprint: dict[str, Any]) -> IscoCoder | None:
    path = model_path()
    if not path.exists():
        return None
    try:
        coder = IscoCoder.load(path)
    except (OSError, ValueError, KeyError) as exc:
        logger.warning("ISCO coder at %s could not be read (%s); rebuilding it.", path, exc)
        return None
    return coder if coder.meta.get("source") == fingerprint else None


def _refresh_feedback(coder: IscoCoder) -> None:
    mark = CodingFeedback.objects.aggregate(n=Count("id"), last=Max("id"))
    key = (mark["n"], mark["last"])
    if _state["feedback"] != key:
        coder.set_feedback(CodingFeedback.objects.values_list("text", "isco_group__code"))
        _state["feedback"] = key


def suggest(title: str, description: str = "", sector: str = "", limit: int = 3) -> list[Suggestion]:
    """Up to `limit` ISCO-08 unit groups for a typed job title, best first, with confidences."""
    if not (title or "").strip():
        return []
    return get_coder().suggest(title[:200], description[:2000], sector[:200], limit=limit)


def suggest_many(queries: Sequence[Query], limit: int = 3) -> list[list[Suggestion]]:
    """The same for many titles at once (bulk imports): about a millisecond a title."""
    return get_coder().suggest_many(
        [Query(q.title[:200], q.description[:2000], q.sector[:200]) for q in queries], limit=limit
    )
