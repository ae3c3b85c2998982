from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: remove this person's name, ID, contact details, notes and files for good"),
        help_text=_("This cannot be undone. Download the data first if the person asked for a copy."),
        error_messages={"required": _("Tick the box to confirm, or go back.")},
        label_suffix="",
    )
