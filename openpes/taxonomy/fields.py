"""Form fields for classification codes that work without JavaScript.

`IscoUnitField` is a text input tied to a `<datalist>` of every ISCO-08 unit group ("8322 — Car, taxi and van
drivers"): the browser filters it as the person types; the server accepts a code, "code — title", or an
exact title in either language. `SkillsField` takes skill labels (one per line or comma-separated); htmx
refreshes a datalist of suggestions as the person types.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openpes.lib.khmer import normalize
from openpes.taxonomy.models import IscoGroup, Skill

_CODE = re.compile(r"^\s*(\d{4})\b")


class DatalistInput(forms.TextInput):
    template_name = "taxonomy/widgets/datalist_input.html"

    def __init__(self, list_id: str, options_url: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.list_id = list_id
        self.options_url = options_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = self.list_id
        context["list_id"] = self.list_id
        context["options_url"] = self.options_url
        context["options"] = self.options()
        return context

    def options(self) -> list[str]:
        return []


class IscoUnitInput(DatalistInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__("isco-unit-groups", attrs=attrs)

    def options(self) -> list[str]:
        return [isco_label(g) for g in IscoGroup.objects.filter(level=4).order_by("code")]

    def format_value(self, value: Any) -> str | None:
        """Show "code — title" for a group, a primary key (initial data) or a typed 4-digit code."""
        if isinstance(value, IscoGroup):
            return isco_label(value)
        if isinstance(value, int):
            group = IscoGroup.objects.filter(pk=value).first()
            return isco_label(group) if group else None
        if isinstance(value, str):
            match = _CODE.match(value)
            if match and value.strip() == match.group(1):
                group = IscoGroup.objects.filter(level=4, code=match.group(1)).first()
                if group:
                    return isco_label(group)
        formatted: str | None = super().format_value(value)
        return formatted


def isco_label(group: IscoGroup) -> str:
    return f"{group.code} — {group.title}"


class IscoUnitField(forms.Field):
    widget = IscoUnitInput
    default_error_messages = {
        "invalid": _("Choose an occupation from the list, or type its 4-digit ISCO-08 code."),
    }

    def to_python(self, value: Any) -> IscoGroup | None:
        if value in (None, ""):
            return None
        if isinstance(value, IscoGroup):
            return value
        text = normalize(str(value)).strip()
        match = _CODE.match(text)
        units = IscoGroup.objects.filter(level=4)
        group = units.filter(code=match.group(1)).first() if match else None
        if group is None:
            title = text.split("—", 1)[-1].strip()
            group = units.filter(title_en__iexact=title).first() or units.filter(title_km=title).first()
        if group is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return group

    def prepare_value(self, value: Any) -> Any:
        return value


class SkillsField(forms.CharField):
    """Skill labels from ESCO, one per line or separated by commas; unknown labels are reported."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 4, "list": "skill-suggestions", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Skill]:
        text = super().clean(value) or ""
        labels = [part.strip() for part in re.split(r"[\n,;]+", text) if part.strip()]
        skills: list[Skill] = []
        unknown: list[str] = []
        for label in labels[:50]:
            skill = (
                Skill.objects.filter(label_en__iexact=label).first()
                or Skill.objects.filter(label_km=normalize(label)).first()
            )
            if skill is None:
                unknown.append(label)
            elif skill not in skills:
                skills.append(skill)
        if unknown:
            raise ValidationError(
                _(
                    "Not in the skills list: %(labels)s. "
                    "Pick suggestions from the list, or write them under other skills."
                ),
                params={"labels": ", ".join(unknown[:5])},
                code="unknown_skill",
            )
        return skills

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(getattr(v, "label", v)) for v in value)
        return value
