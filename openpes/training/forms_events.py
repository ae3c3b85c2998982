"""Forms for the programme and its events (tiers 2–4), attendance, certification, evaluation and reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import STAFF_ROLES
from openpes.accounts.models import User
from openpes.geography.models import Province
from openpes.jobseekers.forms import DateInput
from openpes.lib.uploads import check_upload
from openpes.training import attendance as attendance_files
from openpes.training.actions.events import certified_trainers
from openpes.training.enums import CompetencyLevel, TeachBackResult, Tier
from openpes.training.models import (
    Competence,
    CompetencyFramework,
    Course,
    Event,
    FundingProject,
    Programme,
    ReactionResponse,
)


def active_staff() -> QuerySet[User]:
    return (
        User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True)
        .select_related("centre")
        .order_by("full_name", "pk")
    )


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        centre = obj.centre.name if obj.centre_id else ""
        return f"{obj} — {centre}" if centre else str(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        centre = obj.centre.name if obj.centre_id else ""
        return f"{obj} — {centre}" if centre else str(obj)


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    funding_projects = forms.ModelMultipleChoiceField(
        label=_("Funding projects"),
        queryset=FundingProject.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    framework = forms.ModelChoiceField(
        label=_("Competency framework"),
        queryset=CompetencyFramework.objects.order_by("code"),
        required=False,
        empty_label=_("No framework"),
    )

    class Meta:
        model = Programme
        fields = [
            "title_km",
            "title_en",
            "description_km",
            "description_en",
            "framework",
            "funding_projects",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description_km": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("title_km") or cleaned.get("title_en")):
            self.add_error("title_km", _("Give the title in Khmer or in English."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        return cleaned

    def programme_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "funding_projects"}


# Fields each tier's form shows, besides the common ones.
TIER_FIELDS: dict[str, list[str]] = {
    Tier.TOT: ["venue", "province", "facilitators", "course", "post_test_threshold"],
    Tier.PROVINCIAL: ["lead_trainer", "venue", "province", "facilitators", "course", "post_test_threshold"],
    Tier.WEBINAR: ["link", "facilitators", "course"],
}
COMMON_FIELDS = ["title_km", "title_en", "description_km", "description_en", "starts_on", "ends_on", "hours"]
ENROLMENT_FIELDS = ["funding_projects", "self_enrolment", "capacity"]


class EventForm(forms.ModelForm):  # type: ignore[type-arg]
    """An event of one tier: the fields depend on the tier (a webinar has a link, a provincial session a
    certified lead trainer, a ToT the course whose item bank gives its tests)."""

    funding_projects = forms.ModelMultipleChoiceField(
        label=_("Funding projects"),
        queryset=FundingProject.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("An event can count for two projects."),
    )
    facilitators = StaffMultipleChoiceField(
        label=_("Facilitators"),
        queryset=active_staff(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("They run the roster, check-in, materials and teach-backs of this event."),
    )
    lead_trainer = StaffChoiceField(
        label=_("Lead trainer"),
        queryset=User.objects.none(),
        empty_label=_("Choose a certified trainer"),
        help_text=_("Only trainers with a certification valid on the session's dates are listed."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("code"),
        required=False,
        empty_label=_("Choose a province"),
    )
    link = forms.URLField(
        label=_("Online meeting link"),
        assume_scheme="https",
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"placeholder": "https://meet.jit.si/…"}),
    )
    course = forms.ModelChoiceField(
        label=_("Course for the pre- and post-test"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("No test"),
        help_text=_("Its item bank provides the event's pre- and post-test."),
    )

    class Meta:
        model = Event
        fields = [*COMMON_FIELDS, *sorted({f for fields in TIER_FIELDS.values() for f in fields}), *ENROLMENT_FIELDS]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description_km": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, tier: str, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tier = tier
        wanted = [*COMMON_FIELDS, *TIER_FIELDS[tier], *ENROLMENT_FIELDS]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        if "course" in self.fields:
            self.fields["course"].queryset = Course.objects.filter(programme=programme).order_by("title_en")  # type: ignore[attr-defined]
            if tier == Tier.TOT:
                self.fields["course"].required = True
                self.fields["course"].empty_label = _("Choose a course")  # type: ignore[attr-defined]
        if "lead_trainer" in self.fields:
            today = self.instance.starts_on if self.instance.pk else timezone.localdate()
            candidates = certified_trainers(starts_on=today)
            if self.instance.pk and self.instance.lead_trainer_id:
                candidates = User.objects.filter(
                    Q(pk__in=candidates.values("pk")) | Q(pk=self.instance.lead_trainer_id)
                )
            self.fields["lead_trainer"].queryset = candidates.select_related("centre").order_by("full_name", "pk")  # type: ignore[attr-defined]
        if tier == Tier.WEBINAR:
            del self.fields["ends_on"]  # a webinar is one sitting, on one day
            self.fields["link"].required = True
            self.fields["link"].help_text = _("Any meeting link: Jitsi, BigBlueButton, Zoom…")
        self.fields["starts_on"].label = _("First day") if tier != Tier.WEBINAR else _("Date")
        self.fields["capacity"].help_text = _("Leave empty for no limit.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("title_km") or cleaned.get("title_en")):
            self.add_error("title_km", _("Give the title in Khmer or in English."))
        if self.tier == Tier.WEBINAR and cleaned.get("starts_on"):
            cleaned["ends_on"] = cleaned["starts_on"]
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if starts and ends and (ends - starts).days > 60:
            self.add_error("ends_on", _("An event lasts at most 60 days."))
        return cleaned

    def event_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("funding_projects", "facilitators")}


class EnrolForm(forms.Form):
    people = StaffMultipleChoiceField(
        label=_("Staff to enrol"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = candidates  # type: ignore[attr-defined]


class RosterForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, participants: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(p.pk), str(p)) for p in participants]  # type: ignore[attr-defined]

    def present_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["present"]}


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The 6 digits shown on the trainer's screen."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9០-៩ ]*"}
        ),
        error_messages={"required": _("Type the code shown on the trainer's screen.")},
    )


class AttendanceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance file"),
        help_text=_("CSV (UTF-8) or Excel (.xlsx), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > attendance_files.MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large: the limit is 5 MB."), code="file_too_big")
        data = upload.read(attendance_files.MAX_FILE_BYTES + 1)
        self.cleaned_data["rows"] = attendance_files.parse_attendance_file(data, self.event.days)
        return upload


class ManualMatchForm(forms.Form):
    person = StaffChoiceField(label=_("Who is this?"), queryset=User.objects.none(), empty_label=_("Choose a person"))
    day = forms.TypedChoiceField(label=_("Day"), choices=[], coerce=date.fromisoformat, required=False)

    def __init__(self, *args: Any, event: Event, need_day: bool, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates  # type: ignore[attr-defined]
        if need_day:
            day_field: Any = self.fields["day"]
            day_field.choices = [(d.isoformat(), formats.date_format(d, "SHORT_DATE_FORMAT")) for d in event.days]
            self.fields["day"].required = True
        else:
            del self.fields["day"]


class TeachBackForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=TeachBackResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    observed_on = forms.DateField(label=_("Observed on"), widget=DateInput())


class CertifyForm(forms.Form):
    people = forms.MultipleChoiceField(label=_("Certify"), widget=forms.CheckboxSelectMultiple, choices=[])

    def __init__(self, *args: Any, eligible: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(str(p.pk), str(p)) for p in eligible]  # type: ignore[attr-defined]
        self.fields["people"].error_messages["required"] = _("Tick the participants to certify.")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx) or a picture (JPEG or PNG), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        self.cleaned_data["checked"] = check_upload(upload)
        return upload


RATING_CHOICES = [(5, _("5 — very good")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — very poor"))]


class ReactionForm(forms.ModelForm):  # type: ignore[type-arg]
    """Level 1: four ratings from 5 (very good) to 1 (very poor) and a comment."""

    class Meta:
        model = ReactionResponse
        fields = ["relevance", "trainer", "materials", "overall", "comment"]
        widgets = {
            "relevance": forms.RadioSelect(choices=RATING_CHOICES),
            "trainer": forms.RadioSelect(choices=RATING_CHOICES),
            "materials": forms.RadioSelect(choices=RATING_CHOICES),
            "overall": forms.RadioSelect(choices=RATING_CHOICES),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("relevance", "trainer", "materials", "overall"):
            field = self.fields[name]
            field.error_messages["required"] = _("Choose a rating from 1 to 5.")

    def ratings(self) -> dict[str, int]:
        return {k: self.cleaned_data[k] for k in ("relevance", "trainer", "materials", "overall")}


class RatingForm(forms.Form):
    """Level 3: a level for each competence of the programme's framework, shown by competency area."""

    def __init__(self, *args: Any, competences: list[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competences = {f"c{c.pk}": c for c in competences}
        for name, competence in self.competences.items():
            self.fields[name] = forms.TypedChoiceField(
                label=str(competence),
                help_text=pick_description(competence),
                choices=CompetencyLevel.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level.")},
            )

    def get_fieldsets(self) -> list[tuple[str, list[Any]]]:
        areas: dict[int, tuple[str, list[Any]]] = {}
        for name, competence in self.competences.items():
            areas.setdefault(competence.area_id, (str(competence.area), []))[1].append(self[name])
        return list(areas.values())

    def levels(self) -> dict[Competence, int]:
        return {competence: self.cleaned_data[name] for name, competence in self.competences.items()}


def pick_description(competence: Competence) -> str:
    from openpes.lib.i18n import pick

    return pick(competence.description_km, competence.description_en)


class ReportFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False, empty_label=_("All programmes")
    )
    project = forms.ModelChoiceField(
        label=_("Funding project"),
        queryset=FundingProject.objects.order_by("code"),
        required=False,
        empty_label=_("All projects"),
    )
    date_from = forms.DateField(label=_("Events from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("until"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned


class CaseworkForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Cohort (event)"),
        queryset=Event.objects.filter(tier__in=[Tier.TOT, Tier.PROVINCIAL]).order_by("-starts_on"),
        required=False,
        empty_label=_("Choose an event"),
    )
    window = forms.TypedChoiceField(
        label=_("Compare"),
        choices=[(90, _("90 days before and after")), (180, _("180 days before and after"))],
        coerce=int,
        required=False,
    )
