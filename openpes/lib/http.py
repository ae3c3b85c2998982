"""Request types for annotations: what our middleware guarantees on `request`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from openpes.accounts.models import User


class Request(HttpRequest):
    """Any request: `htmx` is set by django-htmx's middleware."""

    htmx: HtmxDetails


class AuthedRequest(Request):
    """A request from a signed-in user (after LoginRequiredMiddleware or an API auth check)."""

    user: User
