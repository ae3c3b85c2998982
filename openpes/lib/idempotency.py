"""Idempotent API writes (R4): a client that sends `Idempotency-Key: <unique string>` with a POST may send the
same request again — after a time-out, a dropped connection or a 503 while the database restarted — and the
change is made at most once; the retry gets the answer of the first request.

How it holds under crashes and races: the key row is inserted *first*, in the same transaction as the change,
and stores the answer before that transaction commits. So a key exists exactly when its change committed.
Two concurrent requests with the same key cannot both write: the second INSERT waits on the unique constraint
(PostgreSQL) or on the write lock (SQLite, immediate transactions) until the first commits, then fails, and
the second request answers with what the first stored. Answers other than 2xx are not stored (nothing was
written), so a retry of a refused request is evaluated again.

Usage: put `@idempotent_operation()` under the router decorator of a django-ninja POST operation that returns
`Status(...)` (pass the operation's `exclude_unset` so a replay has the same body as the first answer).
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.responses import NinjaJSONEncoder

HEADER = "Idempotency-Key"
MAX_LENGTH = 100


class BadKeyError(ValueError):
    """The Idempotency-Key header is unusable (too long or not printable ASCII)."""


def key_of(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise BadKeyError(key)
    return key


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _json_ready(value: Any, *, exclude_unset: bool) -> Any:
    if isinstance(value, Schema):
        value = value.model_dump(exclude_unset=exclude_unset)
    return json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def _answer(status: int, body: Any, *, replayed: bool) -> JsonResponse:
    response = JsonResponse(body, status=status, safe=False)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def idempotent(request: HttpRequest, produce: Callable[[], Any], *, exclude_unset: bool = False) -> Any:
    """Run `produce` (which makes the change and returns the answer) at most once per Idempotency-Key.

    Without the header, `produce()` runs as usual and its answer is returned untouched.
    """
    from openpes.privacy.models import IdempotencyKey

    try:
        key = key_of(request)
    except BadKeyError:
        return _error(400, _("The Idempotency-Key header must be 1 to 100 printable characters."))
    if key is None:
        return produce()
    user: Any = request.user  # the API authenticated it (session or token) before the operation ran
    print_ = fingerprint(request)

    def replay(stored: IdempotencyKey) -> HttpResponse:
        if stored.fingerprint != print_:
            return _error(422, _("This Idempotency-Key was already used for a different request."))
        return _answer(stored.response_status, stored.response_body, replayed=True)

    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(
                    key=key, user=user, fingerprint=print_, response_status=0, response_body={}
                )
        except IntegrityError:
            # Another request with this key committed first (we waited for it): answer as it did.
            return replay(IdempotencyKey.objects.get(key=key, user=user))
        result = produce()
        if isinstance(result, HttpResponse):  # an answer the operation made itself: not replayable
            claim.delete()
            return result
        status, value = (result.status_code, result.value) if isinstance(result, Status) else (200, result)
        body = _json_ready(value, exclude_unset=exclude_unset)
        if 200 <= status < 300:
            claim.response_status = status
            claim.response_body = body
            claim.save(update_fields=["response_status", "response_body"])
        else:
            claim.delete()
    return _answer(status, body, replayed=False)


def idempotent_operation(*, exclude_unset: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a django-ninja operation honour the Idempotency-Key header (see the module docstring)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return idempotent(request, lambda: view(request, *args, **kwargs), exclude_unset=exclude_unset)

        # django-ninja reads the parameters from the signature and resolves string annotations in the function's
        # module: give it the view's own, already resolved, so `from __future__ import annotations` works.
        wrapped.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return wrapped

    return decorator
