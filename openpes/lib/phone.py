"""Phone numbers: people type local forms ("012 345 678"); we store E.164 ("+85512345678")."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "KH"


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form of `value` or raise ValidationError with a message the user can act on."""
    raw = (value or "").strip().translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))
    if not raw:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(raw) > 30:
        raise ValidationError(_("This phone number is too long."), code="invalid_phone")
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Enter a valid phone number, for example 012 345 678 or +855 12 345 678."), code="invalid_phone"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("Enter a valid phone number, for example 012 345 678 or +855 12 345 678."), code="invalid_phone"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str | None) -> str:
    """Show only the last three digits, for lists and audit rows (S8, S14)."""
    if not e164:
        return ""
    return "•" * max(len(e164) - 3, 0) + e164[-3:]
