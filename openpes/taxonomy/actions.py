"""Writes to classification data made by people using the app (reference data itself is loaded by commands)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from openpes.lib.khmer import has_khmer, normalize
from openpes.taxonomy.enums import CodingSource
from openpes.taxonomy.models import CodingFeedback, IscoGroup


class NotAUnitGroupError(ValueError):
    """Only ISCO-08 unit groups (4 digits) can be confirmed for a job title."""


def _title(text: str) -> str:
    return " ".join(normalize(text or "").split())[:200]


@transaction.atomic
def confirm_isco_code(
    *, text: str, isco_group: IscoGroup, source: CodingSource | str, suggested_code: str = ""
) -> CodingFeedback | None:
    """Record that a person chose `isco_group` for the job title `text`; the coder uses it from the next
    suggestion on (in every process). Blank titles are ignored and return None."""
    title = _title(text)
    if not title:
        return None
    if isco_group.level != 4:
        raise NotAUnitGroupError(f"ISCO-08 group {isco_group.code} is not a unit group.")
    return CodingFeedback.objects.create(
        text=title,
        language="km" if has_khmer(title) else "en",
        isco_group=isco_group,
        source=CodingSource(source),
        suggested_code=(suggested_code or "")[:4],
    )


def forget_confirmed_titles(texts: Iterable[str], source: CodingSource | str) -> int:
    """Delete what the coder learnt from these titles (a person's work history, when the person is anonymised:
    a title typed by someone can name their employer or more). Returns how many were deleted."""
    titles = {_title(text) for text in texts} - {""}
    if not titles:
        return 0
    deleted, _ = CodingFeedback.objects.filter(source=CodingSource(source), text__in=titles).delete()
    return deleted
