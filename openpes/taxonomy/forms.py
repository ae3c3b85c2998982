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
