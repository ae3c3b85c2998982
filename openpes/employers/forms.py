"""Forms for employer registration, details, verification and the staff list.

`PlaceFieldsMixin` and `FieldsetsMixin` are shared with the vacancy forms: a province select plus a district
select grouped by province (works without JavaScript; the pair is checked on the server), and fields grouped
into fieldsets for long forms on a phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openpes.accounts.adapter import LocalPhoneField
from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.employers.enums import Ownership, RefusalReason, SizeBand, Verification
from openpes.employers.models import Employer
from openpes.geography.models import District, Province
from openpes.taxonomy.models import Sector


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its field when the form has one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _DistrictsByProvince(ModelChoiceIterator):  # type: ignore[type-arg]
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("province").order_by("province__code", "code")
        for _province_id, districts in groupby(queryset, key=lambda d: d.province_id):
            group = list(districts)
            yield (str(group[0].province), [self.choice(d) for d in group])


class DistrictField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A district, from a select grouped by province."""

    iterator = _DistrictsByProvince

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("District"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("Choose a district (optional)"))
        super().__init__(queryset=District.objects.all(), **kwargs)


class ProvinceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Province"))
        kwargs.setdefault("empty_label", _("Choose a province"))
        super().__init__(queryset=Province.objects.order_by("code"), **kwargs)


class PlaceFieldsMixin:
    """Checks that the chosen district lies in the chosen province."""

    def clean_place(self, cleaned: dict[str, Any]) -> None:
        province, district = cleaned.get("province"), cleaned.get("district")
        if province is not None and district is not None and district.province_id != province.pk:
            self.add_error(  # type: ignore[attr-defined]
                "district",
                forms.ValidationError(
                    _("%(district)s is not in %(province)s. Choose a district of the province."),
                    params={"district": district, "province": province},
                    code="district_not_in_province",
                ),
            )


class FieldsetsMixin:
    """Long forms are shown as fieldsets: `fieldsets` lists (legend, [field names])."""

    fieldsets: list[tuple[str | Promise, list[str]]] = []

    def get_fieldsets(self) -> list[tuple[str | Promise, list[Any]]]:
        fields = self.fields  # type: ignore[attr-defined]
        return [
            (legend, [self[name] for name in names if name in fields])  # type: ignore[index]
            for legend, names in self.fieldsets
        ]


class SectorField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Sector of activity"))
        kwargs.setdefault("empty_label", _("Choose a sector"))
        super().__init__(queryset=Sector.objects.order_by("code"), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj}"


EMPLOYER_FIELDS = [
    "name_km",
    "name_en",
    "registration_number",
    "sector",
    "size_band",
    "ownership",
    "province",
    "district",
    "address",
    "contact_name",
    "phone",
    "email",
    "website",
    "declared_staff",
    "declared_staff_with_disabilities",
]


class EmployerForm(FieldsetsMixin, PlaceFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The employer's details. Never bound to the stored instance: views pass its values as `initial` and the
    cleaned values go to `actions.register_employer` / `update_employer`."""

    sector = SectorField()
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)
    province = ProvinceField(help_text=_("Where the business is."))
    district = DistrictField()
    phone = LocalPhoneField(label=_("Business phone number"), required=False)
    size_band = forms.ChoiceField(label=_("Number of staff"), choices=SizeBand.choices, widget=forms.RadioSelect)
    ownership = forms.ChoiceField(
        label=_("Ownership"), choices=Ownership.choices, initial=Ownership.PRIVATE, widget=forms.RadioSelect
    )

    fieldsets = [
        (_("The business"), ["name_km", "name_en", "registration_number", "sector", "size_band", "ownership"]),
        (_("Where"), ["province", "district", "address"]),
        (_("How to reach the business"), ["contact_name", "phone", "email", "website"]),
        (_("Staff (for the disability employment report)"), ["declared_staff", "declared_staff_with_disabilities"]),
    ]

    class Meta:
        model = Employer
        fields = EMPLOYER_FIELDS
        help_texts = {
            "name_km": _("Give the name in Khmer, in English, or both."),
            "registration_number": _("From the Ministry of Commerce registration certificate, if you have one."),
            "declared_staff": _("Everyone who works for the business today."),
            "declared_staff_with_disabilities": _("Of those, how many have a disability (if you know)."),
        }
        widgets = {
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "declared_staff": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "declared_staff_with_disabilities": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        no_name = not cleaned.get("name_km", "").strip() and not cleaned.get("name_en", "").strip()
        if no_name and "name_km" not in self.errors and "name_en" not in self.errors:
            self.add_error("name_km", _("Enter the business name in Khmer or in English."))
        total, disabled = cleaned.get("declared_staff"), cleaned.get("declared_staff_with_disabilities")
        if disabled is not None and total is None:
            self.add_error("declared_staff", _("Enter the total number of staff too."))
        elif disabled is not None and total is not None and disabled > total:
            self.add_error(
                "declared_staff_with_disabilities",
                forms.ValidationError(
                    _("Staff with disabilities cannot be more than the total staff (%(total)s)."),
                    params={"total": total},
                    code="more_than_total",
                ),
            )
        self.clean_place(cleaned)
        return cleaned

    def employer_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EMPLOYER_FIELDS}


class EmployerRegistrationForm(EmployerForm):
    """Self-registration: the employer user's own account, then the business."""

    full_name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput({"autocomplete": "name"}))
    login_phone = LocalPhoneField(
        label=_("Your phone number"), required=False, help_text=_("For example 012 345 678. You sign in with it.")
    )
    login_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Optional if you gave a phone number."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    fieldsets = [
        (_("You"), ["full_name", "login_phone", "login_email", "password1", "password2"]),
        *EmployerForm.fieldsets,
    ]

    def clean_login_email(self) -> str:
        email: str = (self.cleaned_data.get("login_email") or "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this e-mail address. Sign in instead, or use another address."),
                code="taken",
            )
        return email

    def clean_login_phone(self) -> str:
        phone: str = self.cleaned_data.get("login_phone") or ""
        if phone and User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(
                _("An account already uses this phone number. Sign in instead, or use another number."),
                code="taken",
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        no_contact = not cleaned.get("login_phone") and not cleaned.get("login_email")
        if no_contact and "login_phone" not in self.errors and "login_email" not in self.errors:
            self.add_error("login_phone", _("Enter a phone number or an e-mail address to sign in with."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are different."))
        elif password1:
            candidate = User(
                email=cleaned.get("login_email") or None,
                phone=cleaned.get("login_phone") or None,
                full_name=cleaned.get("full_name", ""),
                role=Role.EMPLOYER,
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the registration refused?"), choices=RefusalReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the employer"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The employer sees the reason and this note."),
    )


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or registration number"), max_length=100, required=False)
    verification = forms.ChoiceField(
        label=_("Verification"), choices=[("", _("All")), *Verification.choices], required=False
    )

    def filter(self, employers: Any) -> Any:
        if not self.is_valid():
            return employers
        if self.cleaned_data["verification"]:
            employers = employers.filter(verification=self.cleaned_data["verification"])
        text = self.cleaned_data["q"].strip()
        if text:
            employers = employers.filter(
                Q(name_km__icontains=text) | Q(name_en__icontains=text) | Q(registration_number__icontains=text)
            )
        return employers
