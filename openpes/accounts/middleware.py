"""Per-request account rules: the user's language, staff session limits (S7) and staff 2FA (S6)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie, so it follows them to every device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language in ("km", "en"):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Staff sessions end after 30 idle minutes and 12 hours in all; everyone else keeps the cookie age."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("openpes_started", now)
            last_seen = session.get("openpes_seen", now)
            if user.is_pes_staff and (
                now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS
                or now - started > settings.STAFF_SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if now - last_seen >= 30 or "openpes_seen" not in session:
                session["openpes_seen"] = now
        return self.get_response(request)


_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/language/", "/health", "/i18n/")


class StaffSecondFactorMiddleware:
    """Staff without a second factor are sent to set one up before they reach any page with personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.STAFF_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.is_pes_staff
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and not request.session.get("openpes_2fa_ok")
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Set up two-factor authentication first.")}, status=403)
                return redirect("mfa_activate_totp")
            request.session["openpes_2fa_ok"] = True
        return self.get_response(request)


class KhmerFirstLocaleMiddleware(LocaleMiddleware):
    """Pages start in Khmer whatever the browser's language; the visitor's choice (cookie) or account wins.

    Many phones in Cambodia run an English interface while their owners read Khmer best, so the browser's
    Accept-Language is a poor guide for pages. The API, used by partner systems, still honours it.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            if request.path.startswith("/api/"):
                language = translation.get_language_from_request(request)
            else:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
