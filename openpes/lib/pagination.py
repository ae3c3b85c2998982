from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> dict[str, Any]:
    """A page of `items` and the query string to keep filters across pages (for includes/pagination.html)."""
    paginator = Paginator(items, per_page)
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page, "page_query": f"{encoded}&" if encoded else ""}
