"""Forms for registering jobseekers and editing their profile, one form per profile section.

The forms only parse and check input; the views pass `cleaned_data` to `jobseekers.actions`. They never take a
model instance (ModelForm would change the record in memory before the action compares old and new values).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.adapter import LocalPhoneField
from openpes.accounts.enums import Sex
from openpes.geography.models import Commune, District, Province
from openpes.jobseekers.enums import (
    ConsentMethod,
    ConsentPurpose,
    DeregistrationReason,
    JobSeekerStatus,
    RegistrationChannel,
    WgDifficulty,
)
from openpes.jobseekers.models import JobSeeker, WgssAnswers
from openpes.lib.khmer import is_khmer, normalize
from openpes.lib.uploads import check_upload
from openpes.taxonomy.enums import Accommodation, DrivingLicence, EmploymentType, Language, LanguageLevel
from openpes.taxonomy.fields import IscoUnitField, IscoUnitInput, SkillsField
from openpes.taxonomy.models import EducationLevel, IscoGroup

MIN_AGE = 15
MAX_AGE = 80
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_LATIN_PUNCTUATION = frozenset(" .'-")


# -- field helpers ---------------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    """The browser's own date picker (a plain `<input type="date">`), which always sends YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def clean_khmer_name(value: str) -> str:
    text = " ".join(normalize(value).split())
    if not text:
        return ""
    if any(not (is_khmer(ch) or ch == " ") for ch in text) or not any(is_khmer(ch) for ch in text):
        raise ValidationError(
            _("Write this name in Khmer script only. Put the name in Latin letters in the other box."),
            code="wrong_script",
        )
    return text


def clean_latin_name(value: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text:
        return ""
    for ch in text:
        if ch in _LATIN_PUNCTUATION:
            continue
        if not ch.isalpha() or not unicodedata.name(ch, "").startswith("LATIN"):
            raise ValidationError(
                _("Write this name in Latin letters only (A to Z). Put the name in Khmer script in the other box."),
                code="wrong_script",
            )
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(_("Enter a name."), code="invalid")
    return text


def clean_birth_date(value: date | None) -> date | None:
    if value is None:
        return None
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value > years_before(today, MIN_AGE):
        raise ValidationError(
            _("A jobseeker must be at least %(age)s years old."), params={"age": MIN_AGE}, code="too_young"
        )
    if value < years_before(today, MAX_AGE + 1):
        raise ValidationError(
            _("Check the date of birth: this person would be more than %(age)s years old."),
            params={"age": MAX_AGE},
            code="too_old",
        )
    return value


def clean_not_future(value: date | None) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."), code="future")
    return value


def birth_date_field() -> forms.DateField:
    today = timezone.localdate()
    return forms.DateField(
        label=_("Date of birth"),
        widget=DateInput(
            attrs={
                "min": years_before(today, MAX_AGE + 1).isoformat(),
                "max": years_before(today, MIN_AGE).isoformat(),
                "autocomplete": "bday",
            }
        ),
        error_messages={"invalid": _("Enter the date of birth as day, month and year.")},
    )


def province_field(label: Any = None) -> forms.ModelChoiceField[Province]:
    return forms.ModelChoiceField(
        queryset=Province.objects.all(),
        label=label or _("Province where you live"),
        empty_label=_("Choose a province"),
    )


# -- identity: sign-up, assisted registration, personal details ------------------------------------------------


class PersonalForm(forms.Form):
    """Name in either script (at least one), sex, date of birth and, optionally, the national ID number."""

    name_km = forms.CharField(
        label=_("Name in Khmer script"), max_length=150, required=False, widget=forms.TextInput(attrs={"lang": "km"})
    )
    name_latin = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=150,
        required=False,
        help_text=_("For example Sok Sreymom. Fill in one name or both."),
        widget=forms.TextInput(attrs={"lang": "en", "autocapitalize": "words"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    national_id = forms.CharField(
        label=_("National ID card number"),
        max_length=20,
        required=False,
        help_text=_("If the person has one: 9 to 12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form so that the age limits follow today's date.
        self.fields["date_of_birth"] = birth_date_field()
        self.order_fields(["name_km", "name_latin", "sex", "date_of_birth"])

    def clean_name_km(self) -> str:
        return clean_khmer_name(self.cleaned_data.get("name_km", ""))

    def clean_name_latin(self) -> str:
        return clean_latin_name(self.cleaned_data.get("name_latin", ""))

    def clean_date_of_birth(self) -> date | None:
        return clean_birth_date(self.cleaned_data.get("date_of_birth"))

    def clean_national_id(self) -> str:
        value = re.sub(r"[\s\-]", "", self.cleaned_data.get("national_id", "")).translate(_KHMER_DIGITS)
        if value and not re.fullmatch(r"\d{9,12}", value):
            raise ValidationError(_("Enter the ID card number: 9 to 12 digits."), code="invalid_id")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("name_km")
            and not cleaned.get("name_latin")
            and "name_km" not in self.errors
            and "name_latin" not in self.errors
        ):
            self.add_error(
                "name_km", ValidationError(_("Enter the name in Khmer script, in Latin letters, or both."), "no_name")
            )
        return cleaned


class RegistrationForm(PersonalForm):
    """The minimum to register: identity, province and consent (used by self-registration)."""

    national_id = None  # type: ignore[assignment]  # not asked at sign-up: the minimum only
    province = province_field()
    consent = forms.BooleanField(
        label=ConsentPurpose.REGISTRATION.label,
        label_suffix="",
        help_text=_(
            "We keep your details to help you find work and for employment statistics. You can change this later."
        ),
        error_messages={"required": _("Tick the box to agree, so that we can keep your details.")},
    )

    def fields_for_record(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("name_km", "name_latin", "sex", "date_of_birth", "province")}


class AssistedRegistrationForm(PersonalForm):
    """A counsellor registers someone who came in person (who may have no phone or e-mail)."""

    province = province_field(_("Province where the person lives"))
    phone = LocalPhoneField(required=False, label=_("Phone number (if the person has one)"))
    channel = forms.ChoiceField(
        label=_("Where are you registering the person?"),
        choices=[
            (c.value, c.label)
            for c in (RegistrationChannel.CENTRE, RegistrationChannel.MOBILE, RegistrationChannel.FAIR)
        ],
        widget=forms.RadioSelect,
    )
    consent_method = forms.ChoiceField(
        label=_("How did the person agree?"),
        choices=[(c.value, c.label) for c in (ConsentMethod.VERBAL, ConsentMethod.PAPER)],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("The person agreed that we keep their data to help them find work."),
        label_suffix="",
        error_messages={"required": _("Register the person only after they agree: tick the box.")},
    )

    def fields_for_record(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("name_km", "name_latin", "sex", "date_of_birth", "national_id", "phone", "province")
        return {name: data[name] for name in names}


# -- profile sections ------------------------------------------------------------------------------------------


class ContactForm(forms.Form):
    """Phone numbers, e-mail and address. District and commune lists follow the province and district chosen
    (htmx reloads them; without JavaScript the "show the districts" button does)."""

    phone = LocalPhoneField(required=False)
    phone_alt = LocalPhoneField(required=False, label=_("Other phone number"), help_text="")
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    province = province_field(_("Province"))
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, label=_("District"), empty_label=_("Choose a district")
    )
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.all(), required=False, label=_("Commune"), empty_label=_("Choose a commune")
    )
    address = forms.CharField(label=_("Village, street and house"), max_length=250, required=False)

    def __init__(self, *args: Any, places_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Validation accepts any district or commune (so a wrong pair gets a clear message); the lists offered
        # are only those of the chosen province and district.
        province_id = self._chosen("province")
        districts = list(District.objects.filter(province_id=province_id)) if province_id else []
        district_id = self._chosen("district")
        if district_id not in {d.pk for d in districts}:
            district_id = None
        communes = list(Commune.objects.filter(district_id=district_id)) if district_id else []
        self.fields["district"].widget.choices = [("", _("Choose a district"))] + [(d.pk, d.name) for d in districts]
        self.fields["commune"].widget.choices = [("", _("Choose a commune"))] + [(c.pk, c.name) for c in communes]
        if places_url:
            # htmx: choosing a province or a district reloads the lists below it.
            for name in ("province", "district"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": places_url,
                        "hx-trigger": "change",
                        "hx-target": "#places",
                        "hx-swap": "outerHTML",
                        "hx-include": "closest form",
                    }
                )

    def _chosen(self, name: str) -> int | None:
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        province, district, commune = cleaned.get("province"), cleaned.get("district"), cleaned.get("commune")
        if province is not None and district is not None and district.province_id != province.pk:
            self.add_error("district", ValidationError(_("This district is not in the province chosen."), "place"))
        if commune is not None and district is None and "district" not in self.errors:
            self.add_error("district", ValidationError(_("Choose the district of this commune."), "place"))
        elif commune is not None and district is not None and commune.district_id != district.pk:
            self.add_error("commune", ValidationError(_("This commune is not in the district chosen."), "place"))
        return cleaned


class EducationForm(forms.Form):
    education_level = forms.ModelChoiceField(
        queryset=EducationLevel.objects.all(),
        required=False,
        label=_("Highest level of school or study completed"),
        empty_label=_("Not given"),
    )
    field_of_study = forms.CharField(label=_("Field of study"), max_length=150, required=False)
    institution = forms.CharField(label=_("School or institution"), max_length=150, required=False)


class ExperienceForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=150)
    isco_group = IscoUnitField(
        label=_("Occupation (ISCO-08)"),
        required=False,
        help_text=_("Start typing the occupation or its 4-digit code and choose from the list."),
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=150, required=False)
    country = forms.CharField(label=_("Country"), max_length=60, required=False, initial=_("Cambodia"))
    started_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ended_on = forms.DateField(
        label=_("Until"), required=False, widget=DateInput(), help_text=_("Leave empty if you still work there.")
    )
    description = forms.CharField(
        label=_("Tasks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_started_on(self) -> date | None:
        return clean_not_future(self.cleaned_data.get("started_on"))

    def clean_ended_on(self) -> date | None:
        return clean_not_future(self.cleaned_data.get("ended_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", ValidationError(_("The end date is before the start date."), "dates"))
        return cleaned


class SkillSearchInput(forms.TextInput):
    """One line for adding a skill, with suggestions from ESCO that htmx loads as the person types."""

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "list": "skill-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("taxonomy:skill_suggestions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#skill-suggestions",
                "hx-swap": "innerHTML",
            }
        )


class SkillsForm(forms.Form):
    # The add-a-skill input is named "q" because that is the parameter the suggestions view reads.
    q = SkillsField(
        label=_("Add a skill"),
        help_text=_("Type a few letters and choose a skill from the suggestions."),
        widget=SkillSearchInput(),
        max_length=250,
    )
    skills = SkillsField(
        label=_("My skills"),
        help_text=_("One skill per line. Delete a line to remove a skill."),
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
    )
    skills_free_text = forms.CharField(
        label=_("Other skills"),
        max_length=2000,
        required=False,
        help_text=_("Anything else you can do, in your own words."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        merged = list(cleaned.get("skills") or [])
        for skill in cleaned.get("q") or []:
            if skill not in merged:
                merged.append(skill)
        cleaned["all_skills"] = merged
        return cleaned


class LanguagesForm(forms.Form):
    """One level per language; "none" leaves the language out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for language in Language:
            self.fields[f"lang_{language.value}"] = forms.TypedChoiceField(
                label=language.label,
                choices=[("", _("None"))] + list(LanguageLevel.choices),
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["levels"] = {
            language.value: cleaned[f"lang_{language.value}"]
            for language in Language
            if cleaned.get(f"lang_{language.value}")
        }
        return cleaned


class IscoUnitInputSharedList(IscoUnitInput):
    """A second or third ISCO input on a page: it uses the first input's datalist instead of repeating it."""

    template_name = "django/forms/widgets/input.html"

    def options(self) -> list[str]:
        return []


class OccupationsForm(forms.Form):
    """Up to three ISCO-08 unit groups, in order of preference."""

    occupation_1 = IscoUnitField(
        label=_("First choice"),
        required=False,
        help_text=_("Start typing the occupation or its 4-digit code and choose from the list."),
    )
    occupation_2 = IscoUnitField(label=_("Second choice"), required=False, widget=IscoUnitInputSharedList())
    occupation_3 = IscoUnitField(label=_("Third choice"), required=False, widget=IscoUnitInputSharedList())

    FIELDS = ("occupation_1", "occupation_2", "occupation_3")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: list[IscoGroup] = [cleaned[name] for name in self.FIELDS if cleaned.get(name)]
        if len({group.pk for group in chosen}) < len(chosen):
            raise ValidationError(_("Choose a different occupation for each choice."), code="repeated")
        cleaned["occupations"] = chosen
        return cleaned


class PreferencesForm(forms.Form):
    preferred_provinces = forms.ModelMultipleChoiceField(
        queryset=Province.objects.all(),
        required=False,
        label=_("Provinces where I want to work"),
        widget=forms.CheckboxSelectMultiple,
    )
    willing_to_relocate = forms.BooleanField(label=_("I am willing to move for work"), required=False, label_suffix="")
    employment_types = forms.MultipleChoiceField(
        choices=EmploymentType.choices, required=False, label=_("Kinds of work"), widget=forms.CheckboxSelectMultiple
    )
    expected_wage = forms.IntegerField(
        label=_("Expected monthly wage (USD)"),
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    available_from = forms.DateField(label=_("I can start work from"), required=False, widget=DateInput())
    driving_licences = forms.MultipleChoiceField(
        choices=DrivingLicence.choices, required=False, label=_("Driving licences"), widget=forms.CheckboxSelectMultiple
    )


class MigrationForm(forms.Form):
    returning_migrant = forms.BooleanField(label=_("I came back from working abroad"), required=False, label_suffix="")
    migration_country = forms.CharField(label=_("Country where I worked"), max_length=60, required=False)
    returned_on = forms.DateField(label=_("Date I came back"), required=False, widget=DateInput())

    def clean_returned_on(self) -> date | None:
        return clean_not_future(self.cleaned_data.get("returned_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("returning_migrant"):
            if not cleaned.get("migration_country") and "migration_country" not in self.errors:
                self.add_error("migration_country", ValidationError(_("Enter the country."), "required"))
        else:
            cleaned["migration_country"] = ""
            cleaned["returned_on"] = None
        return cleaned


class CvForm(forms.Form):
    file = forms.FileField(
        label=_("CV file"),
        help_text=_("PDF, Word (.docx) or a photo (JPEG or PNG), up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        self.cleaned_data["checked"] = check_upload(upload)
        return upload


class WgssForm(forms.Form):
    """The Washington Group Short Set: six questions, all answered or none."""

    remove = forms.BooleanField(label=_("Delete my answers"), required=False, label_suffix="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = {}
        for domain in WgssAnswers.DOMAINS:
            answers[domain] = forms.TypedChoiceField(
                label=getattr(WgssAnswers._meta.get_field(domain), "verbose_name", domain),
                choices=WgDifficulty.choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields = {**answers, "remove": self.fields["remove"]}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("remove"):
            cleaned["answers"] = None
            return cleaned
        given = {d: cleaned.get(d) for d in WgssAnswers.DOMAINS if cleaned.get(d) not in (None, "")}
        if given and len(given) < len(WgssAnswers.DOMAINS):
            raise ValidationError(_("Answer all six questions, or leave them all empty."), code="partial")
        cleaned["answers"] = given or None
        return cleaned


class AccommodationForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=Accommodation.choices,
        required=False,
        label=_("Adjustments I need at work"),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Details"),
        max_length=250,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Anything an employer should know to make the adjustment."),
    )


class ConsentForm(forms.Form):
    """The current answer for each purpose; staff also say how the person told them."""

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose:
            self.fields[purpose.value] = forms.TypedChoiceField(
                label=purpose.label,
                choices=[("yes", _("Yes, I agree")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                empty_value=None,
                widget=forms.RadioSelect,
                required=False,
            )
        if staff:
            self.fields["method"] = forms.ChoiceField(
                label=_("How did the person tell you?"),
                choices=[(c.value, c.label) for c in (ConsentMethod.VERBAL, ConsentMethod.PAPER)],
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["answers"] = {p.value: cleaned[p.value] for p in ConsentPurpose if cleaned.get(p.value) is not None}
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (JobSeekerStatus.ACTIVE, JobSeekerStatus.INACTIVE)],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for leaving the register"),
        choices=[("", _("Choose a reason"))]
        + [(r.value, r.label) for r in DeregistrationReason if r != DeregistrationReason.DUPLICATE],
        required=False,
        help_text=_("Needed when the person becomes inactive."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == JobSeekerStatus.INACTIVE and not cleaned.get("reason"):
            self.add_error("reason", ValidationError(_("Choose why the person leaves the register."), "reason"))
        if cleaned.get("status") != JobSeekerStatus.INACTIVE:
            cleaned["reason"] = ""
        return cleaned


# -- staff list and merging ------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, phone or ID number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status"))] + list(JobSeekerStatus.choices), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Any"))] + list(Sex.choices), required=False)
    since = forms.DateField(label=_("Registered since"), required=False, widget=DateInput())


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(label=_("Which record do you keep?"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, records: tuple[JobSeeker, JobSeeker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (r.pk, _("Keep record %(number)s (%(name)s)") % {"number": r.pk, "name": r.display_name}) for r in records
        ]
