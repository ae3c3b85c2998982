"""Turn pydantic validation errors into messages in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type"):
        return _("Enter a number.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "string_too_long":
        return _("Use at most %(limit)s characters.") % {"limit": ctx.get("max_length", "?")}
    if kind == "string_too_short":
        return _("Use at least %(limit)s characters.") % {"limit": ctx.get("min_length", "?")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value is too small.")
    if kind in ("less_than_equal", "less_than"):
        return _("The value is too large.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of the allowed values.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    return _("This value is not valid.")


def validation_messages(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        out.append({"field": ".".join(loc), "message": _message(error), "type": error.get("type", "")})
    return out
