"""Limit/offset pagination for API lists: the page of items plus the total count, in one body."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, overload

from ninja import Schema
from pydantic import Field

T = TypeVar("T", covariant=True)


class Pageable(Protocol[T]):
    """A queryset, or anything that counts and slices like one (e.g. `vacancies.search.VacancySearch`)."""

    def count(self) -> int: ...
    @overload
    def __getitem__(self, item: int) -> T: ...
    @overload
    def __getitem__(self, item: slice) -> Any: ...


MAX_LIMIT = 100
MAX_OFFSET = 100_000


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description=f"How many items to return (at most {MAX_LIMIT})")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip")


class PageOut(Schema):
    count: int = Field(description="How many items match, over all pages")
    limit: int
    offset: int


def page_of(queryset: Pageable[T], query: PageQuery) -> tuple[list[T], dict[str, Any]]:
    """The requested slice of `queryset` and the page fields (count, limit, offset) for the response body."""
    count = queryset.count()
    items = list(queryset[query.offset : query.offset + query.limit]) if query.offset < count else []
    return items, {"count": count, "limit": query.limit, "offset": query.offset}
