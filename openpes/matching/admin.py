"""The Django admin for matching: administrators add new weights (validated and renormalised, like the weights
page); earlier rows stay as the history of changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from openpes.matching import service
from openpes.matching.actions import clean_weights
from openpes.matching.models import MatchingWeights
from openpes.matching.weights import SIGNALS


class MatchingWeightsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MatchingWeights
        fields = list(SIGNALS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(cleaned.get(name) is not None for name in SIGNALS):
            try:
                cleaned.update(clean_weights({name: cleaned[name] for name in SIGNALS}))
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin[MatchingWeights]):
    form = MatchingWeightsForm
    list_display = ["changed_at", "changed_by", *SIGNALS]

    def has_change_permission(self, request: HttpRequest, obj: MatchingWeights | None = None) -> bool:
        return False  # history: a change is a new row

    def has_delete_permission(self, request: HttpRequest, obj: MatchingWeights | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: MatchingWeights, form: Any, change: bool) -> None:
        obj.changed_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        transaction.on_commit(service.reset, robust=True)
