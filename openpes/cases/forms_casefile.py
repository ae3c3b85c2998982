"""Forms of the case file: opening and handing over a case, intake, assessment override, the plan, notes and
the caseload filters. They check input; the actions in `actions/casefile.py` make the change."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.models import User
from openpes.cases.actions.casefile import MAX_REVIEW_DAYS
from openpes.cases.enums import (
    ActionOwner,
    ActionStatus,
    BarrierTheme,
    CaseStatus,
    ClosureReason,
    ContactChannel,
    DigitalAccess,
    NoteCategory,
    Situation,
    SupportGroup,
)
from openpes.cases.models import Barrier, Intake, Objective, Partner
from openpes.centres.models import JobCentre
from openpes.jobseekers.forms import DateInput

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class CounsellorChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        centre = obj.centre.name if obj.centre else ""
        return f"{obj.full_name or obj} — {centre}" if centre else str(obj.full_name or obj)


class OpenCaseForm(forms.Form):
    """A manager may give the new case to a counsellor straight away."""

    counsellor = CounsellorChoiceField(
        queryset=User.objects.none(), required=False, label=_("Counsellor"), empty_label=_("Assign later")
    )

    def __init__(self, *args: Any, counsellors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors.select_related("centre")  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    counsellor = CounsellorChoiceField(queryset=User.objects.none(), label=_("Counsellor"))

    def __init__(self, *args: Any, counsellors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors.select_related("centre")  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    to_centre = forms.ModelChoiceField(
        queryset=JobCentre.objects.filter(is_active=True).select_related("province"),
        label=_("Job centre that takes the case"),
    )
    to_counsellor = CounsellorChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Counsellor who takes the case"),
        empty_label=_("Not yet known (their manager assigns it)"),
        help_text=_("Counsellors you work with. For another province, leave this empty."),
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write health or other sensitive details here."),
    )

    def __init__(self, *args: Any, counsellors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_counsellor"].queryset = counsellors.select_related("centre")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        centre, counsellor = cleaned.get("to_centre"), cleaned.get("to_counsellor")
        if centre and counsellor and counsellor.centre_id != centre.pk:
            self.add_error(
                "to_counsellor", _("This counsellor works at %(centre)s.") % {"centre": counsellor.centre.name}
            )
        return cleaned


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the case closed?"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )


def yes_no_field(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class IntakeForm(forms.Form):
    """The intake interview, in the order a counsellor asks the questions."""

    situation = forms.ChoiceField(label=_("What is the person's situation now?"), choices=Situation.choices,
                                  widget=forms.RadioSelect)  # fmt: skip
    months_without_work = forms.IntegerField(
        label=_("How many months without work?"),
        min_value=0,
        max_value=600,
        initial=0,
        help_text=_("0 if the person works now."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    has_caring_duties = yes_no_field(_("Does the person care for children or relatives?"))
    has_transport = yes_no_field(_("Can the person travel to work (own transport, bus, or a lift)?"))
    health_limits_work = yes_no_field(
        _("Does their health limit the kind of work they can do?"),
        _("Only yes or no. Do not write details here; use a sensitive note if needed."),
    )
    has_id_documents = yes_no_field(_("Does the person have an ID card or the documents needed to work?"))
    can_read_write = yes_no_field(_("Does the person read and write Khmer comfortably?"))
    digital_access = forms.ChoiceField(label=_("What phone does the person have?"), choices=DigitalAccess.choices,
                                       widget=forms.RadioSelect)  # fmt: skip
    can_use_apps = yes_no_field(_("Can the person use apps such as Telegram?"))
    contact_channel = forms.ChoiceField(label=_("How does the person want to be contacted?"),
                                        choices=ContactChannel.choices, widget=forms.RadioSelect)  # fmt: skip
    goals = forms.CharField(
        label=_("What work does the person want? Their goals, in their words"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    constraints = forms.CharField(
        label=_("Anything else that makes working hard?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    GROUPS = (
        (_("Situation"), ("situation", "months_without_work")),
        (_("Daily life"), ("has_caring_duties", "has_transport", "health_limits_work", "has_id_documents")),
        (_("Reading, phone and contact"), ("can_read_write", "digital_access", "can_use_apps", "contact_channel")),
        (_("Goals"), ("goals", "constraints")),
    )

    @staticmethod
    def initial_from(intake: Intake | None) -> dict[str, Any]:
        if intake is None:
            return {"months_without_work": 0}
        values: dict[str, Any] = {}
        for name in IntakeForm.base_fields:
            value = getattr(intake, name)
            values[name] = ("1" if value else "0") if isinstance(value, bool) else value
        return values

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]


class RunAssessmentForm(forms.Form):
    """No fields: a button, with CSRF."""


class OverrideForm(forms.Form):
    group = forms.ChoiceField(label=_("Your decision"), choices=SupportGroup.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why do you decide differently from the rules?"),
        max_length=1000,
        error_messages={"required": _("Say why you decide differently from the rules.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person can read this reason."),
    )

    def __init__(self, *args: Any, computed: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.computed = computed
        # Only the groups the rules did not give: deciding on the same group is no decision.
        self.fields["group"].choices = [c for c in SupportGroup.choices if c[0] != computed]  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason", "")).strip()
        if not reason:
            raise ValidationError(_("Say why you decide differently from the rules."), code="required")
        return reason


class BarrierForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=BarrierTheme.choices)
    description = forms.CharField(label=_("What makes it hard?"), max_length=500)


class ObjectiveForm(forms.Form):
    barrier = forms.ModelChoiceField(
        queryset=Barrier.objects.none(), required=False, label=_("For the barrier"), empty_label=_("General")
    )
    text = forms.CharField(label=_("Objective"), max_length=500, help_text=_("What the person wants to reach."))

    def __init__(self, *args: Any, barriers: QuerySet[Barrier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["barrier"].queryset = barriers  # type: ignore[attr-defined]


class PlanActionForm(forms.Form):
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.none(), label=_("For the objective"), empty_label=_("Choose an objective")
    )
    text = forms.CharField(label=_("Action"), max_length=500, help_text=_("One step, in simple words."))
    owner = forms.ChoiceField(label=_("Who does it?"), choices=ActionOwner.choices, widget=forms.RadioSelect,
                              initial=ActionOwner.JOBSEEKER)  # fmt: skip
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        label=_("Partner organisation"),
        empty_label=_("None"),
        help_text=_("Only when a partner organisation does it."),
    )
    due_on = forms.DateField(label=_("By when?"), required=False, widget=DateInput())

    def __init__(self, *args: Any, objectives: QuerySet[Objective], partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]

    def clean_due_on(self) -> date | None:
        due_on: date | None = self.cleaned_data.get("due_on")
        if due_on is not None and due_on < timezone.localdate():
            raise ValidationError(_("The date is in the past. Choose today or a later day."), code="past")
        return due_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("partner") and cleaned.get("owner") != ActionOwner.PARTNER:
            self.add_error("partner", _("Choose a partner only for actions a partner organisation does."))
        return cleaned


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class AgreeForm(forms.Form):
    review_every_days = forms.IntegerField(
        label=_("Review the plan every (days)"),
        min_value=1,
        max_value=MAX_REVIEW_DAYS,
        initial=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was said at the review (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Saved as a case note, which the person does not see."),
    )


class NoteForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=NoteCategory.choices, initial=NoteCategory.GENERAL)
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def clean_text(self) -> str:
        text = str(self.cleaned_data.get("text", "")).strip()
        if not text:
            raise ValidationError(_("Write the note."), code="required")
        return text


DUE_CHOICES = [
    ("", _("Everything")),
    ("today", _("Needs doing today")),
    ("appointments", _("Appointment today")),
    ("overdue", _("Overdue plan actions")),
    ("follow_ups", _("Follow-up due")),
    ("review", _("Plan review due")),
    ("no_contact", _("No contact for 60 days")),
]


class CaseloadFilterForm(forms.Form):
    due = forms.ChoiceField(label=_("What needs doing"), choices=DUE_CHOICES, required=False)
    group = forms.ChoiceField(
        label=_("Support group"), choices=[("", _("All groups")), *SupportGroup.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Case status"), choices=[("", _("All")), *CaseStatus.choices], required=False, initial=CaseStatus.OPEN
    )


class CaseListFilterForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Support group"), choices=[("", _("All groups")), *SupportGroup.choices], required=False
    )
    status = forms.ChoiceField(label=_("Case status"), choices=[("", _("All")), *CaseStatus.choices], required=False)
