from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openpes.jobseekers.forms import RegistrationForm


class SignupExtraForm(RegistrationForm):
    """What allauth's sign-up form lacks to register a jobseeker in one go: the name (Khmer and/or Latin
    script), sex, date of birth, province and consent; and the rule that a phone number or e-mail is enough.

    allauth builds its sign-up form on this class and calls `signup()` once the account is saved; everything
    that could refuse the registration is checked in `clean()` first, so no account is left without a record.
    """

    field_order = [
        "name_km",
        "name_latin",
        "sex",
        "date_of_birth",
        "province",
        "phone",
        "email",
        "password1",
        "password2",
        "consent",
    ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors.get("phone"):
            raise forms.ValidationError(_("Enter a phone number or an e-mail address."), code="no_contact")
        if cleaned.get("province") is not None:
            from openpes.jobseekers.actions import centre_for_province

            try:
                centre_for_province(cleaned["province"].pk)
            except ValidationError as error:
                self.add_error("province", error)
        return cleaned

    def signup(self, request: HttpRequest, user: Any) -> None:
        from openpes.jobseekers.actions import register_jobseeker
        from openpes.jobseekers.enums import ConsentPurpose, RegistrationChannel

        fields = self.fields_for_record()
        user.full_name = fields["name_latin"] or fields["name_km"]
        user.save(update_fields=["full_name"])
        register_jobseeker(
            actor=user,
            fields={
                **fields,
                "phone": self.cleaned_data.get("phone") or "",
                "email": self.cleaned_data.get("email") or "",
            },
            channel=RegistrationChannel.SELF,
            user=user,
            consents=[ConsentPurpose.REGISTRATION],
            request=request,
        )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("km", "ខ្មែរ"), ("en", "English")])
    next = forms.CharField(required=False, max_length=500)
