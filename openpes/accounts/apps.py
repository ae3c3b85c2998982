from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who sign in: jobseekers, employer users and staff, with their role and centre."""

    name = "openpes.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_start_session_clock, dispatch_uid="openpes_session_clock")


def _start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Start the session clock (the absolute limit, S7, counts from sign-in) and keep the language the person
    chose on the sign-in page: the latest explicit choice becomes the account's language."""
    import time

    from django.conf import settings

    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session["openpes_started"] = now
    request.session["openpes_seen"] = now
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES) and chosen != user.preferred_language:
        user.preferred_language = chosen
        user.save(update_fields=["preferred_language"])
