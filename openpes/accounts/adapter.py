"""django-allauth adapter: phone numbers stored on our User, local formats accepted."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import Role
from openpes.lib.phone import normalize_phone


class LocalPhoneField(forms.CharField):
    """A phone input that accepts national and international forms and cleans to E.164."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        kwargs.setdefault("help_text", _("For example 012 345 678."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return normalize_phone(value) if value else ""


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs: Any) -> forms.Field:
        return LocalPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_phone(phone)

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        phone = getattr(user, "phone", None)
        return (phone, bool(getattr(user, "phone_verified", False))) if phone else None

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        from openpes.accounts.models import User

        try:
            e164 = normalize_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=e164).first()

    def send_verification_code_sms(self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any) -> None:
        from openpes.notifications.actions import queue_sms

        queue_sms(to=phone, body=str(_("Your OpenPES code is %(code)s")) % {"code": code})

    def save_user(self, request: HttpRequest, user: Any, form: forms.Form, commit: bool = True) -> Any:
        # Self-service sign-up creates jobseeker accounts; employer sign-up is its own flow.
        user.role = Role.JOBSEEKER
        if getattr(request, "LANGUAGE_CODE", None) in ("km", "en"):
            user.preferred_language = request.LANGUAGE_CODE
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email or None  # "" would collide with other accounts without e-mail
        if commit:
            user.save()
        return user

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
