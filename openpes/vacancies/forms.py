"""Forms for posting and reviewing vacancies, and for the public job search."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openpes.employers.forms import DistrictField, FieldsetsMixin, PlaceFieldsMixin, ProvinceField
from openpes.geography.models import Province
from openpes.taxonomy.enums import Accommodation, DrivingLicence, EmploymentType, Language, LanguageLevel, SkillRelation
from openpes.taxonomy.fields import IscoUnitField, SkillsField, isco_label
from openpes.taxonomy.models import EducationLevel, IscoGroup, Sector
from openpes.vacancies.enums import CloseReason, RejectReason, VacancyStatus
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import VacancyFilters

LANGUAGE_ROWS = 3

VACANCY_FIELDS = [
    "title",
    "isco_group",
    "description",
    "positions",
    "province",
    "district",
    "employment_type",
    "hours_per_week",
    "wage_min",
    "wage_max",
    "education_level",
    "experience_months",
    "driving_licences",
    "disability_friendly",
    "accommodations",
    "closing_date",
]


class OccupationField(IscoUnitField):
    """The ISCO-08 unit group picker; a typed 4-digit code is shown back as "code — title"."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
            group = IscoGroup.objects.filter(code=value.strip(), level=4).first()
            return isco_label(group) if group else value
        return super().prepare_value(value)


class EducationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=EducationLevel.objects.order_by("code"),
            required=False,
            empty_label=_("No minimum"),
            label=_("Minimum education"),
            **kwargs,
        )


class VacancyForm(FieldsetsMixin, PlaceFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Every field of a vacancy. Never bound to the stored instance: views pass its values as `initial` and
    the cleaned values go to `actions.save_vacancy`."""

    isco_group = OccupationField(
        label=_("Occupation (ISCO-08)"),
        help_text=_("Type a few words or the 4-digit code, then choose from the list."),
    )
    province = ProvinceField(help_text=_("Where the work is."))
    district = DistrictField()
    employment_type = forms.ChoiceField(
        label=_("Kind of work"), choices=EmploymentType.choices, widget=forms.RadioSelect
    )
    education_level = EducationField()
    driving_licences = forms.MultipleChoiceField(
        label=_("Driving licences required"),
        choices=DrivingLicence.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Adjustments offered"),
        help_text=_("What the workplace offers to workers who need it."),
        choices=Accommodation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    closing_date = forms.DateField(
        label=_("Closing date"),
        help_text=_("The last day to apply."),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    skills_required = SkillsField(
        label=_("Required skills"), help_text=_("One per line, from the skills list. Use “Find a skill” below.")
    )
    skills_optional = SkillsField(label=_("Useful skills"), help_text=_("One per line, from the skills list."))

    class Meta:
        model = Vacancy
        fields = VACANCY_FIELDS
        labels = {
            "title": _("Job title"),
            "disability_friendly": _("Persons with disabilities are encouraged to apply"),
        }
        help_texts = {
            "title": _("In Khmer or in English, as jobseekers would say it."),
            "description": _("The work, the hours and place, what you offer. Do not ask for a sex, age or religion."),
            "wage_min": _("Leave empty if you prefer not to say."),
            "hours_per_week": _("For example 48."),
            "experience_months": _("0 if no experience is needed."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "positions": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "hours_per_week": forms.NumberInput(attrs={"min": 1, "max": 84, "inputmode": "numeric"}),
            "wage_min": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "wage_max": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "experience_months": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    fieldsets: list[tuple[str | Promise, list[str]]] = [
        (
            _("The job"),
            ["title", "isco_group", "description", "positions", "employment_type", "hours_per_week", "closing_date"],
        ),
        (_("Where"), ["province", "district"]),
        (_("Pay"), ["wage_min", "wage_max"]),
        (_("What the job needs"), ["education_level", "experience_months", "driving_licences"]),
        (_("Skills"), ["skills_required", "skills_optional"]),
        (
            _("Languages"),
            [name for row in range(1, LANGUAGE_ROWS + 1) for name in (f"language_{row}", f"level_{row}")],
        ),
        (_("Including persons with disabilities"), ["disability_friendly", "accommodations"]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language %(number)s") % {"number": row},
                choices=[("", _("—")), *Language.choices],
                required=False,
            )
            self.fields[f"level_{row}"] = forms.TypedChoiceField(
                label=_("Level needed for language %(number)s") % {"number": row},
                choices=[("", _("—")), *LanguageLevel.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean_closing_date(self) -> datetime.date:
        closing: datetime.date = self.cleaned_data["closing_date"]
        if closing < timezone.localdate():
            raise forms.ValidationError(_("The closing date is in the past. Choose today or a later day."), code="past")
        return closing

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wage_min, wage_max = cleaned.get("wage_min"), cleaned.get("wage_max")
        if wage_min is not None and wage_max is not None and wage_max < wage_min:
            self.add_error("wage_max", _("The highest wage is lower than the lowest wage."))
        self.clean_place(cleaned)
        seen: set[str] = set()
        for row in range(1, LANGUAGE_ROWS + 1):
            language, level = cleaned.get(f"language_{row}"), cleaned.get(f"level_{row}")
            if language and not level:
                self.add_error(f"level_{row}", _("Choose the level needed for this language."))
            elif level and not language:
                self.add_error(f"language_{row}", _("Choose the language, or clear its level."))
            elif language in seen:
                self.add_error(f"language_{row}", _("This language is already listed."))
            if language:
                seen.add(language)
        return cleaned

    def vacancy_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in VACANCY_FIELDS}

    def skills(self) -> dict[int, str]:
        """Skill id → essential/optional; a skill listed in both is essential."""
        chosen = {skill.pk: SkillRelation.OPTIONAL.value for skill in self.cleaned_data["skills_optional"]}
        chosen.update({skill.pk: SkillRelation.ESSENTIAL.value for skill in self.cleaned_data["skills_required"]})
        return chosen

    def languages(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in range(1, LANGUAGE_ROWS + 1):
            language, level = self.cleaned_data.get(f"language_{row}"), self.cleaned_data.get(f"level_{row}")
            if language and level:
                out[language] = level
        return out

    @staticmethod
    def initial_for(vacancy: Vacancy) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(vacancy, name) for name in VACANCY_FIELDS}
        initial.update(isco_group=vacancy.isco_group_id, province=vacancy.province_id, district=vacancy.district_id)
        initial["education_level"] = vacancy.education_level_id
        links = list(vacancy.skills.select_related("skill"))
        initial["skills_required"] = [link.skill for link in links if link.relation == SkillRelation.ESSENTIAL]
        initial["skills_optional"] = [link.skill for link in links if link.relation == SkillRelation.OPTIONAL]
        for row, language in enumerate(vacancy.languages.order_by("id")[:LANGUAGE_ROWS], start=1):
            initial[f"language_{row}"] = language.language
            initial[f"level_{row}"] = language.level
        return initial

    @classmethod
    def with_added_skill(cls, data: QueryDict) -> VacancyForm:
        """The form again, not yet validated, with the skill typed in "Find a skill" added to the chosen list:
        how skills are picked one at a time without JavaScript."""
        probe = cls()
        initial: dict[str, Any] = {}
        for name, field in probe.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = data.getlist(name)
            elif isinstance(field, forms.BooleanField):
                initial[name] = bool(data.get(name))
            else:
                initial[name] = data.get(name, "")
        target = "skills_optional" if data.get("add_skill") == SkillRelation.OPTIONAL else "skills_required"
        found = (data.get("q") or "").strip()[:250]
        if found:
            initial[target] = "\n".join(part for part in (str(initial[target]).strip(), found) if part)
        return cls(initial=initial)


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the vacancy returned?"), choices=RejectReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What should the employer change?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the vacancy closed?"),
        choices=[choice for choice in CloseReason.choices if choice[0] != CloseReason.CLOSING_DATE],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ManageFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *VacancyStatus.choices], required=False)


POSTED_SINCE = {"7": 7, "30": 30}


class JobSearchForm(forms.Form):
    """The public job search. Every parameter is optional; bad values are reported and ignored."""

    q = forms.CharField(
        label=_("What job?"),
        max_length=200,
        required=False,
        help_text=_("Words in Khmer or English: a job, a skill, an employer or a place."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    isco = forms.ChoiceField(label=_("Occupation group"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    employment_type = forms.ChoiceField(
        label=_("Kind of work"), choices=[("", _("Any kind of work")), *EmploymentType.choices], required=False
    )
    posted_since = forms.ChoiceField(
        label=_("Posted"),
        choices=[("", _("Any time")), ("7", _("In the last 7 days")), ("30", _("In the last 30 days"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Order"), choices=[("relevance", _("Best match first")), ("date", _("Newest first"))], required=False
    )
    disability_friendly = forms.BooleanField(
        label=_("Only employers who encourage applicants with disabilities"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = [(p.code, p.name) for p in Province.objects.order_by("code")]
        self.fields["province"].choices = [("", _("All provinces")), *provinces]  # type: ignore[attr-defined]
        sectors = [(s.code, f"{s.code} — {s}") for s in Sector.objects.order_by("code")]
        self.fields["sector"].choices = [("", _("All sectors")), *sectors]  # type: ignore[attr-defined]
        groups = list(IscoGroup.objects.filter(level__lte=2).order_by("code"))
        isco: list[Any] = [("", _("All occupations"))]
        for major in (g for g in groups if g.level == 1):
            subs = [(g.code, f"{g.code} — {g.title}") for g in groups if g.level == 2 and g.code.startswith(major.code)]
            label = f"{major.code} — {major.title}"
            isco.append((label, [(major.code, _("All of %(group)s") % {"group": major.title}), *subs]))
        self.fields["isco"].choices = isco  # type: ignore[attr-defined]
        self.fields["isco"].valid_value = self._isco_exists  # type: ignore[attr-defined]

    @staticmethod
    def _isco_exists(value: str) -> bool:
        """Any ISCO-08 code is accepted (minor and unit groups too, e.g. from a link), not only the listed ones."""
        return value.isdigit() and len(value) <= 4 and IscoGroup.objects.filter(code=value).exists()

    def filters(self) -> VacancyFilters:
        """The search for the valid parameters (call after is_valid(); invalid ones are left out)."""
        data = getattr(self, "cleaned_data", {})
        days = POSTED_SINCE.get(data.get("posted_since") or "")
        return VacancyFilters(
            q=data.get("q") or "",
            province=data.get("province") or "",
            isco=data.get("isco") or "",
            sector=data.get("sector") or "",
            employment_type=data.get("employment_type") or "",
            disability_friendly=bool(data.get("disability_friendly")),
            posted_since=timezone.localdate() - datetime.timedelta(days=days) if days else None,
            sort=data.get("sort") or "relevance",
        )
