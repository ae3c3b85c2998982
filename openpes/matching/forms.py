from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from openpes.matching.actions import clean_weights
from openpes.matching.models import DismissReason, MatchingWeights
from openpes.matching.weights import DEFAULT_WEIGHTS, SIGNALS

MAX_ID = 2_147_483_647


class PairForm(forms.Form):
    """A jobseeker and a vacancy from a list of suggestions (refer in one click)."""

    jobseeker = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    vacancy = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    next = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)


class DismissForm(PairForm):
    reason = forms.ChoiceField(label=_("Why not suggest this again?"), choices=DismissReason.choices)


class InviteForm(forms.Form):
    """An anonymous suggestion, named by the number of the suggestion shown (never by the person's record)."""

    suggestion = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)


DIRECTION_CHOICES = [
    ("", _("All suggestions")),
    ("jobs", _("Shown to jobseekers")),
    ("people", _("Shown to counsellors")),
    ("employer", _("Shown to employers")),
]
MAX_PERIOD_DAYS = 366


class FairnessForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    direction = forms.ChoiceField(label=_("Suggestions"), choices=DIRECTION_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start")
        end: date | None = cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", ValidationError(_("The end is before the start."), code="order"))
            elif end - start > timedelta(days=MAX_PERIOD_DAYS):
                self.add_error("end", ValidationError(_("Choose a period of at most one year."), code="long"))
            if end > timezone.localdate():
                self.add_error("end", ValidationError(_("The end cannot be in the future."), code="future"))
        return cleaned


def _weight(name: str, **kwargs: Any) -> forms.FloatField:
    model_field = MatchingWeights._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return forms.FloatField(
        label=capfirst(model_field.verbose_name),
        min_value=0,
        max_value=MAX_WEIGHT,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        **kwargs,
    )


MAX_WEIGHT = 1000


class WeightsForm(forms.Form):
    """One number per signal; they are renormalised to sum to 1 when saved."""

    occupation = _weight("occupation")
    skills = _weight("skills")
    location = _weight("location")
    education = _weight("education")
    experience = _weight("experience")
    languages = _weight("languages")
    employment = _weight("employment")
    accommodation = _weight("accommodation", help_text=_("Ranks jobs for a person only, never people for a job."))
    licences = _weight("licences")
    freshness = _weight("freshness")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(name in cleaned for name in SIGNALS):
            try:
                cleaned["normalised"] = clean_weights({name: cleaned[name] for name in SIGNALS})
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    @staticmethod
    def initial_for(current: dict[str, float] | None) -> dict[str, float]:
        values = current or DEFAULT_WEIGHTS
        return {name: round(float(values.get(name, 0.0)), 4) for name in SIGNALS}
