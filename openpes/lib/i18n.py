"""Helpers for content stored in both languages (place names, occupation titles, course text)."""

from __future__ import annotations

from django.utils import translation


def pick(km: str, en: str, language: str | None = None) -> str:
    """The Khmer or English variant for the active language, falling back to whichever exists."""
    language = language or translation.get_language() or "km"
    if language.startswith("km"):
        return km or en
    return en or km


class BilingualName:
    """Mixin for models with `name_km` and `name_en`: `obj.name` follows the active language."""

    name_km: str
    name_en: str

    @property
    def name(self) -> str:
        return pick(self.name_km, self.name_en)
