from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form lacks: a name, and the rule that a phone number or e-mail is enough."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors.get("phone"):
            raise forms.ValidationError(_("Enter a phone number or an e-mail address."), code="no_contact")
        return cleaned

    def signup(self, request: HttpRequest, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("km", "ខ្មែរ"), ("en", "English")])
    next = forms.CharField(required=False, max_length=500)
