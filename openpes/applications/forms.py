from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.applications.enums import NEEDS_REASON, ApplicationStatus, OutcomeReason
from openpes.applications.models import Application


class ApplyForm(forms.Form):
    note = forms.CharField(
        label=_("A short message for the employer (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReferForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the employer"),
        help_text=_("Why this person fits the job. Do not write health or disability information here."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    """Move an application to one of the states allowed from where it is."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *OutcomeReason.choices],
        required=False,
        help_text=_("Needed when the person is not selected."),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [
            (value, label)
            for value, label in ApplicationStatus.choices
            if value not in (ApplicationStatus.HIRED, ApplicationStatus.WITHDRAWN) and application.can_move_to(value)
        ]
        self.fields["status"].choices = allowed  # type: ignore[attr-defined]  # a ChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") in NEEDS_REASON and not cleaned.get("reason"):
            self.add_error("reason", _("Choose a reason."))
        return cleaned


class HireForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    monthly_wage = forms.IntegerField(label=_("Monthly wage (USD)"), required=False, min_value=0, max_value=100_000)

    def clean_start_date(self) -> Any:
        start = self.cleaned_data["start_date"]
        today = timezone.localdate()
        if (start - today).days > 366 or (today - start).days > 366:
            raise forms.ValidationError(_("Enter a start date within a year of today."))
        return start


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you withdrawing?"),
        choices=[
            (OutcomeReason.HIRED_ELSEWHERE, OutcomeReason.HIRED_ELSEWHERE.label),
            (OutcomeReason.NOT_INTERESTED, OutcomeReason.NOT_INTERESTED.label),
            (OutcomeReason.LOCATION, OutcomeReason.LOCATION.label),
            (OutcomeReason.WAGE_EXPECTATION, OutcomeReason.WAGE_EXPECTATION.label),
            (OutcomeReason.OTHER, OutcomeReason.OTHER.label),
        ],
    )


class ReferSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
