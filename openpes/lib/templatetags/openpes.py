"""Template helpers shared by every app."""

from __future__ import annotations

from django import template

register = template.Library()

_OK = {"verified", "published", "hired", "active", "placed", "filled"}
_BAD = {"refused", "rejected", "withdrawn", "closed", "expired", "inactive"}
_WARN = {"pending", "submitted", "new", "in_review", "interview", "offered", "draft"}


@register.filter
def status_class(value: str) -> str:
    """The CSS class of a state: its icon and colour come with a text label, never colour alone."""
    if value in _OK:
        return "status status-ok"
    if value in _BAD:
        return "status status-bad"
    if value in _WARN:
        return "status status-warn"
    return "status status-neutral"
