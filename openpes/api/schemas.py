"""Shared pieces of the JSON API: error bodies, the error handlers that produce them, and small input helpers.

Every error body has a `detail` in the caller's language; 422 bodies add `errors`, one per field. Errors of the
domain layer reach the caller unchanged in meaning:

* a body that is not JSON → 400;
* `Http404` from an `access.py` helper (the record does not exist *or* is outside the caller's scope) → 404;
* `PermissionDenied` (the caller may see the record but not do this to it) → 403;
* `django.core.exceptions.ValidationError` from a model or an action → 422 with the field messages, or 409 when
  the request conflicts with the record's current state (a duplicate, a transition that is not allowed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, ConfigDict, Field

if TYPE_CHECKING:
    from ninja import NinjaAPI

# ValidationError codes raised by actions that mean "not now, given the record's state" rather than "bad input".
CONFLICT_CODES = frozenset({"dup", "bad_transition", "closed", "inactive", "unverified"})


# Database ids are 32-bit on every engine we run; a larger number cannot name a record.
MAX_ID = 2_147_483_647


def _clean_text(value: str) -> str:
    # NUL and lone surrogates cannot be stored by PostgreSQL; refuse them as bad input rather than fail later.
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("text contains characters that cannot be stored")
    return value.strip()


Text = Annotated[str, AfterValidator(_clean_text)]
"""A string from the caller, trimmed, without characters the database cannot store."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""The id of a record."""


class FieldErrorOut(Schema):
    field: str = Field(description="The input field, dotted for nested fields; empty for the whole request")
    message: str = Field(description="What is wrong, in the caller's language")
    type: str = Field(description="A stable machine-readable code")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the caller's language (Accept-Language: km or en)")
    errors: list[FieldErrorOut] = Field(default_factory=list, description="One entry per invalid field (422)")


class InputSchema(Schema):
    """Request bodies reject unknown keys, so a misspelt or read-only field is an error rather than ignored."""

    model_config = ConfigDict(extra="forbid")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation documents, e.g. `response={200: Out, **errors(401, 404)}`."""
    return dict.fromkeys(codes, ErrorOut)


def _render(message: Any, params: Any) -> str:
    text = str(message)
    return text % params if params else text


def field_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    out = []
    if hasattr(exc, "error_dict"):
        for name, items in exc.error_dict.items():
            for item in items:
                out.append(
                    {
                        "field": "" if name == NON_FIELD_ERRORS else name,
                        "message": _render(item.message, item.params),
                        "type": item.code or "invalid",
                    }
                )
    else:
        for item in exc.error_list:
            out.append({"field": "", "message": _render(item.message, item.params), "type": item.code or "invalid"})
    return out


def validation_error_body(exc: DjangoValidationError) -> tuple[int, dict[str, Any]]:
    """Status and body for a Django ValidationError raised by a model or an action."""
    items = field_errors(exc)
    whole_request = [item for item in items if not item["field"]]
    status = 409 if items and all(item["type"] in CONFLICT_CODES for item in items) else 422
    detail = whole_request[0]["message"] if whole_request else _("The request is not valid.")
    return status, {"detail": detail, "errors": items}


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer 403/404/409/422 with a JSON body in the caller's language instead of an HTML error page."""

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = str(exc) or _("Your account may not do this.")
        return api.create_response(request, {"detail": detail}, status=403)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, DjangoValidationError)
        status, body = validation_error_body(exc)
        return api.create_response(request, body, status=status)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # ninja raises these for bodies it cannot parse (400) and for a session call without CSRF token (403).
        assert isinstance(exc, HttpError)
        if exc.status_code == 400:
            detail = _("The request body is not valid JSON.")
        elif exc.status_code == 403 and "CSRF" in exc.message:
            detail = _("Send the CSRF token (X-CSRFToken header) with changes made from a browser session.")
        else:
            detail = exc.message
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(DjangoValidationError, invalid)


def invalid_field(field: str, message: str, code: str = "invalid") -> DjangoValidationError:
    """A 422 for one input field, for checks the schema cannot express (unknown codes, cross-field rules)."""
    return DjangoValidationError({field: DjangoValidationError(message, code=code)})
