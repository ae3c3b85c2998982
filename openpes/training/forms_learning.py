"""Forms for tier 1: authoring courses, lessons, the item bank and quizzes; taking a quiz; importing a course."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openpes.lib.uploads import check_upload
from openpes.training.actions.learning import ChoiceData, attempt_questions, check_question
from openpes.training.enums import QuestionKind
from openpes.training.models import (
    Competence,
    Course,
    Lesson,
    Module,
    Programme,
    Question,
    Quiz,
    QuizAttempt,
)

MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lines starting with - for a list, "
    "## for a heading, [text](https://…) for a link, ![description](image:1) for the lesson's first image."
)


class BilingualTitleForm(forms.ModelForm):  # type: ignore[type-arg]
    """A title in at least one language (both are better: the reader sees their own)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title_km") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in Khmer or in English."))
        return data


class CourseForm(BilingualTitleForm):
    class Meta:
        model = Course
        fields = [
            "programme",
            "title_km",
            "title_en",
            "description_km",
            "description_en",
            "hours",
            "pass_mark",
            "is_published",
        ]
        widgets = {
            "description_km": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["pass_mark"].help_text = _("Used for the post-test when you create it.")


class OrderedForm(BilingualTitleForm):
    """Modules and lessons: the position may be left empty to put the new one last."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].label = _("Position")
        self.fields["order"].help_text = _("Leave empty to put it last.")
        if not self.instance.pk:
            self.initial["order"] = None

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0


class ModuleForm(OrderedForm):
    class Meta:
        model = Module
        fields = ["title_km", "title_en", "order"]


class LessonForm(OrderedForm):
    class Meta:
        model = Lesson
        fields = ["title_km", "title_en", "body_km", "body_en", "minutes", "order"]
        widgets = {"body_km": forms.Textarea(attrs={"rows": 14}), "body_en": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body_km"].help_text = MARKDOWN_HELP
        self.fields["body_en"].help_text = MARKDOWN_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body_km") or "").strip() and not (data.get("body_en") or "").strip():
            raise ValidationError(_("Write the lesson text in Khmer or in English."))
        return data


class LessonImageForm(forms.Form):
    image = forms.FileField(label=_("Picture (JPEG or PNG, up to 5 MB)"))
    alt_km = forms.CharField(label=_("What the picture shows (Khmer)"), max_length=250)
    alt_en = forms.CharField(label=_("What the picture shows (English)"), max_length=250)

    def clean_image(self) -> Any:
        upload = self.cleaned_data["image"]
        checked = check_upload(upload, allowed=frozenset({"jpeg", "png"}))
        return (upload.name, checked.data)


CHOICE_ROWS = 5


class QuestionForm(forms.ModelForm):  # type: ignore[type-arg]
    """A bank item and up to five answers (blank rows are ignored)."""

    class Meta:
        model = Question
        fields = ["kind", "text_km", "text_en", "module", "competence", "form"]
        widgets = {"text_km": forms.Textarea(attrs={"rows": 3}), "text_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["module"].queryset = Module.objects.filter(course=course)  # type: ignore[attr-defined]
        competences = Competence.objects.select_related("area")
        if course.programme.framework_id:
            competences = competences.filter(area__framework_id=course.programme.framework_id)
        self.fields["competence"].queryset = competences  # type: ignore[attr-defined]
        self.fields["form"].help_text = _("Pre-tests draw form A, post-tests form B; module quizzes draw neither.")
        existing = list(self.instance.choices.all()) if self.instance.pk else []
        for i in range(max(CHOICE_ROWS, len(existing))):
            row = existing[i] if i < len(existing) else None
            number = i + 1
            self.fields[f"choice_{i}_km"] = forms.CharField(
                label=_("Answer %(n)s (Khmer)") % {"n": number}, required=False, max_length=500,
                initial=row.text_km if row else "",
            )  # fmt: skip
            self.fields[f"choice_{i}_en"] = forms.CharField(
                label=_("Answer %(n)s (English)") % {"n": number}, required=False, max_length=500,
                initial=row.text_en if row else "",
            )  # fmt: skip
            self.fields[f"choice_{i}_correct"] = forms.BooleanField(
                label=_("Answer %(n)s is correct") % {"n": number},
                required=False,
                initial=row.correct if row else False,
            )
        self.rows = max(CHOICE_ROWS, len(existing))

    def choice_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"choice_{i}_km"], self[f"choice_{i}_en"], self[f"choice_{i}_correct"]) for i in range(self.rows)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text_km") or "").strip() and not (data.get("text_en") or "").strip():
            raise ValidationError(_("Write the question in Khmer or in English."))
        self.choices = [
            ChoiceData(
                text_km=data.get(f"choice_{i}_km") or "",
                text_en=data.get(f"choice_{i}_en") or "",
                correct=bool(data.get(f"choice_{i}_correct")),
            )
            for i in range(self.rows)
        ]
        check_question(data.get("kind") or QuestionKind.SINGLE, self.choices)
        return data


class QuizForm(BilingualTitleForm):
    class Meta:
        model = Quiz
        fields = ["kind", "module", "title_km", "title_en", "item_count", "pass_mark", "max_attempts", "randomise"]

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(course=course)  # type: ignore[attr-defined]
        self.fields["module"].help_text = _("Only for a module quiz.")
        if not self.instance.pk:
            self.fields["pass_mark"].initial = course.pass_mark

    def clean(self) -> dict[str, Any]:
        # A quiz may keep an empty title: it is then named by its kind.
        data = forms.ModelForm.clean(self) or {}
        if data.get("kind") == "module" and not data.get("module"):
            self.add_error("module", _("A module quiz belongs to a module: choose one."))
        return data


class TakeQuizForm(forms.Form):
    """One field per drawn question: radio buttons for one answer, checkboxes for several."""

    def __init__(self, *args: Any, attempt: QuizAttempt, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = attempt_questions(attempt)
        for number, (question, choices) in enumerate(self.items, start=1):
            options = [(str(c.pk), c.text) for c in choices]
            label = _("%(n)s. %(text)s") % {"n": number, "text": question.text}
            if question.kind == QuestionKind.MULTIPLE:
                self.fields[f"q{question.pk}"] = forms.MultipleChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose every correct answer."),
                    error_messages={"required": _("Answer this question.")},
                )
            else:
                self.fields[f"q{question.pk}"] = forms.ChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Answer this question.")},
                )

    def answers(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for question, _choices in self.items:
            value = self.cleaned_data.get(f"q{question.pk}")
            out[question.pk] = [int(v) for v in (value if isinstance(value, list) else [value])] if value else []
        return out


class ImportCourseForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    file = forms.FileField(label=_("Course file (.json or .zip with images)"))

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is too large: the limit is 20 MB."))
        return upload


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=30, help_text=_("As printed on the certificate."))


class CertificateLanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("km", "ខ្មែរ"), ("en", "English")], required=False)
