"""Forms of the services part of case management: slots and appointments, the partner directory, referrals to
services, placements and follow-ups, employer contacts and shortlists. They check input; the actions in
`actions/services.py` make the change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from openpes.accounts.models import User
from openpes.cases.actions.services import MAX_REPEAT_WEEKS, MAX_WAGE, SLOT_MINUTES
from openpes.cases.enums import (
    AppointmentKind,
    BarrierTheme,
    ContactKind,
    FollowUpChannel,
    PartnerKind,
    ServiceOutcome,
)
from openpes.cases.models import AppointmentSlot, PartnerService, PlanAction
from openpes.employers.models import Employer
from openpes.geography.models import Province
from openpes.jobseekers.forms import DateInput
from openpes.lib.i18n import pick

YES_NO = [("1", _("Yes")), ("0", _("No"))]


def minute_choices() -> list[tuple[int, str]]:
    """Evaluated per form, in the language of the request."""
    return [(m, ngettext("%(n)s minute", "%(n)s minutes", m) % {"n": m}) for m in SLOT_MINUTES]


class TimeInput(forms.TimeInput):
    """The browser's own time picker, which always sends HH:MM."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def yes_no(label: Any, *, required: bool = True, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class CounsellorField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        centre = obj.centre.name if obj.centre else ""
        return f"{obj.full_name or obj} — {centre}" if centre else str(obj.full_name or obj)


class WhenMixin:
    """A day and a time, combined into an aware datetime in the centre's time zone, in the future."""

    cleaned_data: dict[str, Any]

    def starts_at(self) -> datetime | None:
        day, at = self.cleaned_data.get("day"), self.cleaned_data.get("time")
        return _aware(day, at) if day and at else None


# -- slots and appointments ----------------------------------------------------------------------------------------


class SlotForm(WhenMixin, forms.Form):
    counsellor = CounsellorField(queryset=User.objects.none(), label=_("Counsellor"))
    day = forms.DateField(label=_("Day"), widget=DateInput())
    time = forms.TimeField(label=_("First appointment starts at"), widget=TimeInput())
    minutes = forms.TypedChoiceField(label=_("Each appointment lasts"), choices=minute_choices, coerce=int, initial=30)
    count = forms.IntegerField(
        label=_("How many appointments in a row"),
        min_value=1,
        max_value=16,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    weeks = forms.IntegerField(
        label=_("Repeat every week for (weeks)"),
        min_value=1,
        max_value=MAX_REPEAT_WEEKS,
        initial=1,
        help_text=_("1 means only this day."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(label=_("Where"), choices=AppointmentKind.choices, initial=AppointmentKind.IN_PERSON)
    open_to_jobseekers = forms.BooleanField(
        label=_("Jobseekers can book these times themselves"), required=False, initial=True
    )

    def __init__(self, *args: Any, counsellors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors.select_related("centre")  # type: ignore[attr-defined]
        if counsellors.count() == 1:
            self.fields["counsellor"].initial = counsellors.first()
            self.fields["counsellor"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = self.starts_at()
        if start is not None and start <= timezone.now():
            self.add_error("time", _("Choose a time in the future."))
        return cleaned


class FreeSlotField(forms.ModelChoiceField[AppointmentSlot]):
    def label_from_instance(self, obj: AppointmentSlot) -> str:
        when = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{when} · {obj.counsellor.full_name or obj.counsellor} · {obj.get_kind_display()}"


class BookForm(WhenMixin, forms.Form):
    """Staff book for a case: a free slot, or a day and time agreed with the person."""

    slot = FreeSlotField(
        queryset=AppointmentSlot.objects.none(),
        required=False,
        label=_("A free slot"),
        empty_label=_("None: I enter a day and time below"),
    )
    counsellor = CounsellorField(queryset=User.objects.none(), required=False, label=_("Counsellor"))
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    minutes = forms.TypedChoiceField(label=_("Length"), choices=minute_choices, coerce=int, initial=30)
    kind = forms.ChoiceField(label=_("Where"), choices=AppointmentKind.choices, initial=AppointmentKind.IN_PERSON)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=250,
        required=False,
        help_text=_("For example: review the plan. The person sees it; keep sensitive details out."),
    )

    def __init__(
        self, *args: Any, slots: QuerySet[AppointmentSlot], counsellors: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots.select_related("counsellor")  # type: ignore[attr-defined]
        self.fields["counsellor"].queryset = counsellors.select_related("centre")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("slot"):
            return cleaned
        for name, message in (
            ("counsellor", _("Choose the counsellor.")),
            ("day", _("Choose a free slot, or enter the day.")),
            ("time", _("Enter the time.")),
        ):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        start = self.starts_at()
        if start is not None and start <= timezone.now():
            self.add_error("time", _("Choose a time in the future."))
        return cleaned


class AttendanceForm(forms.Form):
    attended = yes_no(_("Did the person come?"))


CALENDAR_VIEWS = [("day", _("Day")), ("week", _("Week"))]


class CalendarForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    view = forms.ChoiceField(label=_("Show"), choices=CALENDAR_VIEWS, required=False, initial="day")
    counsellor = forms.ChoiceField(label=_("Whose calendar"), required=False)

    def __init__(self, *args: Any, counsellors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].choices = [  # type: ignore[attr-defined]
            ("", _("Mine")),
            ("all", _("The whole centre")),
            *[(str(c.pk), c.full_name or str(c)) for c in counsellors],
        ]


# -- partners and referrals ----------------------------------------------------------------------------------------


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or service"), max_length=100, required=False)
    province = forms.ModelChoiceField(
        queryset=Province.objects.order_by("code"), required=False, label=_("Province"), empty_label=_("All provinces")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *PartnerKind.choices], required=False)


class PartnerForm(forms.Form):
    name_km = forms.CharField(label=_("Name in Khmer"), max_length=250, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=250, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    is_active = forms.BooleanField(label=_("Takes referrals"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("name_km") or "").strip() and not (cleaned.get("name_en") or "").strip():
            self.add_error("name_km", _("Give the organisation's name in Khmer or in English."))
        return cleaned


class PartnerServiceForm(forms.Form):
    name_km = forms.CharField(label=_("Service in Khmer"), max_length=250, required=False)
    name_en = forms.CharField(label=_("Service in English"), max_length=250, required=False)
    description_km = forms.CharField(
        label=_("Description in Khmer"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    provinces = forms.ModelMultipleChoiceField(
        queryset=Province.objects.order_by("code"), label=_("Provinces"), widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label=_("Barriers it helps with"),
        choices=BarrierTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("name_km") or "").strip() and not (cleaned.get("name_en") or "").strip():
            self.add_error("name_km", _("Give the service's name in Khmer or in English."))
        return cleaned


class ServiceField(forms.ModelChoiceField[PartnerService]):
    def label_from_instance(self, obj: PartnerService) -> str:
        return f"{obj} — {pick(obj.partner.name_km, obj.partner.name_en)}"


class ActionField(forms.ModelChoiceField[PlanAction]):
    def label_from_instance(self, obj: PlanAction) -> str:
        return obj.text


class ServiceReferralForm(forms.Form):
    service = ServiceField(queryset=PartnerService.objects.none(), label=_("Service"), empty_label=_("Choose"))
    action = ActionField(
        queryset=PlanAction.objects.none(),
        required=False,
        label=_("As a step of the plan"),
        empty_label=_("Not tied to a plan step"),
    )
    note = forms.CharField(
        label=_("Note for the partner"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person needs. No health details unless the person agrees."),
    )

    def __init__(
        self, *args: Any, services: QuerySet[PartnerService], actions: QuerySet[PlanAction], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["action"].queryset = actions  # type: ignore[attr-defined]


class ServiceOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(value, label) for value, label in ServiceOutcome.choices if value != ServiceOutcome.PENDING],
    )


# -- placements and follow-ups -------------------------------------------------------------------------------------


class EmployerField(forms.ModelChoiceField[Employer]):
    def label_from_instance(self, obj: Employer) -> str:
        return f"{obj.name} — {obj.province}" if obj.province_id else obj.name


class PlacementForm(forms.Form):
    employer = EmployerField(
        queryset=Employer.objects.none(),
        label=_("Employer"),
        empty_label=_("Choose"),
        help_text=_("Not in the list? Register the employer first."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    monthly_wage = forms.IntegerField(
        label=_("Monthly wage (USD)"),
        min_value=1,
        max_value=MAX_WAGE,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("How was the job confirmed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: called the employer's HR office; saw the contract."),
    )
    evidence = forms.FileField(
        label=_("Contract or employer's letter (optional)"),
        required=False,
        help_text=_("PDF, Word (.docx) or a photo (JPEG or PNG), up to 5 MB."),
    )
    keep_open = forms.BooleanField(
        label=_("Keep the case open"),
        required=False,
        help_text=_("Otherwise the case is closed as “placed in work”. Follow-ups continue either way."),
    )

    def __init__(self, *args: Any, employers: QuerySet[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

    def clean_start_date(self) -> date:
        start: date = self.cleaned_data["start_date"]
        today = timezone.localdate()
        if start < today - timedelta(days=365) or start > today + timedelta(days=90):
            raise ValidationError(_("The start date must be within the last year or the next three months."))
        return start

    def clean_note(self) -> str:
        note = str(self.cleaned_data.get("note", "")).strip()
        if not note:
            raise ValidationError(_("Say how the job was confirmed."), code="required")
        return note


SATISFACTION = [(str(n), str(n)) for n in range(1, 6)]


class FollowUpForm(forms.Form):
    """The answers of a follow-up, in the order of the call script."""

    channel = forms.ChoiceField(
        label=_("How did you follow up?"), choices=FollowUpChannel.choices, initial=FollowUpChannel.PHONE_CALL
    )
    reached = yes_no(_("Did you reach the person?"))
    still_employed = yes_no(_("Is the person still working?"), required=False)
    same_employer = yes_no(_("With the same employer?"), required=False)
    monthly_wage = forms.IntegerField(
        label=_("Monthly wage now (USD)"),
        min_value=1,
        max_value=MAX_WAGE,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied with the job, from 1 (not at all) to 5 (very)?"),
        choices=SATISFACTION,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Support the person asked for, problems at work. No health details."),
    )
    try_again = forms.BooleanField(
        label=_("Not reached: keep it on my list to try again"),
        required=False,
        initial=True,
        help_text=_("Untick to close the follow-up as “could not reach the person”."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reached"):
            if cleaned.get("still_employed") is None:
                self.add_error("still_employed", _("Say whether the person still works."))
            elif cleaned.get("still_employed") and cleaned.get("same_employer") is None:
                self.add_error("same_employer", _("Say whether it is the same employer."))
        return cleaned


# -- employer services ---------------------------------------------------------------------------------------------


class EmployerContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices, initial=ContactKind.VISIT)
    day = forms.DateField(label=_("Day"), widget=DateInput(), initial=timezone.localdate)
    summary = forms.CharField(
        label=_("What was discussed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vacancies coming, recruitment needs, problems with referred people."),
    )
    next_contact_on = forms.DateField(label=_("Next contact (optional)"), required=False, widget=DateInput())

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        today = timezone.localdate()
        if day > today:
            raise ValidationError(_("A contact cannot be in the future."))
        if day < today - timedelta(days=365):
            raise ValidationError(_("Record contacts of the last twelve months only."))
        return day

    def clean_summary(self) -> str:
        summary = str(self.cleaned_data.get("summary", "")).strip()
        if not summary:
            raise ValidationError(_("Write what was discussed."), code="required")
        return summary

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, following = cleaned.get("day"), cleaned.get("next_contact_on")
        if day and following and following < day:
            self.add_error("next_contact_on", _("The next contact must come after this one."))
        return cleaned

    def contact_time(self) -> datetime:
        """Today's contacts keep the current time; earlier ones are placed at noon of that day."""
        day: date = self.cleaned_data["day"]
        if day == timezone.localdate():
            return timezone.now()
        return _aware(day, time(12))


class CandidateSearchForm(forms.Form):
    q = forms.CharField(label=_("Search people"), max_length=100, required=False)


class ShortlistForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the employer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
