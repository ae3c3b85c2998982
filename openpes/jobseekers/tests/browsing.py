"""Helpers for the browser tests: sign a user in without the login form, keep screenshots on request."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client


def sign_in(page: Any, live_server: Any, user: Any, language: str) -> None:
    """Open a session for `user` in the browser, as if they had signed in (staff: with their second factor)."""
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot when OPENPES_SCREENSHOT_DIR is set (for people reviewing the pages)."""
    folder = os.environ.get("OPENPES_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
