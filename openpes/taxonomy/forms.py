from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openpes.taxonomy.enums import IscoLevel


class IscoSearchForm(forms.Form):
    q = forms.CharField(label=_("Code or words"), max_length=100, required=False)
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("Any level")), *IscoLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


class IscoSuggestForm(forms.Form):
    """A job title to code, with optional tasks and sector; `target` names the input a suggestion fills."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    description = forms.CharField(
        label=_("Main tasks (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sector = forms.CharField(label=_("Sector or workplace (optional)"), max_length=200, required=False)
    target = forms.RegexField(regex=r"^[A-Za-z][\w-]{0,79}$", required=False, widget=forms.HiddenInput)
