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
    """The absolute session limit (S7) counts from sign-in, not from the first page after it."""
    import time

    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["openpes_started"] = now
        request.session["openpes_seen"] = now
