"""API authentication: the browser session (with CSRF) or a bearer token issued to a partner system."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token like any form."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        # Only a signed-in session is checked for CSRF; without one, let the bearer token authenticate the call
        # (ninja's cookie auth would otherwise refuse every token-authenticated POST/PATCH for lack of a CSRF token).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from openpes.accounts.models import ApiToken

        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [SessionAuth(), TokenAuth()]
