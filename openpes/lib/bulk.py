"""Bulk writes shared by importers: idempotent upserts that work the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TypeVar

from django.db.models import Model

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def batched(items: Iterable[T], size: int) -> Iterable[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def upsert(
    model: type[M],
    objects: Iterable[M],
    *,
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
    batch_size: int = 2000,
) -> int:
    """Insert `objects`, updating `update_fields` where a row with the same `unique_fields` exists."""
    count = 0
    for batch in batched(objects, batch_size):
        model._default_manager.bulk_create(
            batch, update_conflicts=True, unique_fields=list(unique_fields), update_fields=list(update_fields)
        )
        count += len(batch)
    return count
