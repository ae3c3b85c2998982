"""The employment plan on paper, for the jobseeker: a plain A4 PDF in Khmer or English.

Large print, short lines, one action per row with who does it and by when, and a box to tick — readable by
someone with little schooling. WeasyPrint draws it with Noto Sans Khmer embedded from the files the site
already serves; WeasyPrint has no Khmer dictionary, so Khmer runs get U+200B between words
(`lib.khmer.with_word_breaks`) and lines wrap between words.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from openpes.cases.enums import ActionStatus
from openpes.cases.models import Case, Plan, PlanAction
from openpes.lib.khmer import with_word_breaks

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "@fontsource" / "noto-sans-khmer" / "files"
LANGUAGES = ("km", "en")


# One family per subset: WeasyPrint embeds the faces of one family as one font, so a Khmer and a Latin subset
# under the same family name would share glyph numbers and print garbage.
SUBSETS = (
    ("khmer", "U+1780-17FF, U+19E0-19FF, U+200B-200D, U+25CC"),
    ("latin", "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F"),
)


@lru_cache(maxsize=1)
def font_faces() -> str:
    """@font-face rules with file:// URLs to the woff2 files (Khmer and Latin subsets, regular and bold)."""
    rules = []
    for weight in (400, 700):
        for subset, unicode_range in SUBSETS:
            path = FONT_DIR / f"noto-sans-khmer-{subset}-{weight}-normal.woff2"
            rules.append(
                f"@font-face {{ font-family: 'Plan {subset.title()}'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}') format('woff2'); unicode-range: {unicode_range}; }}"
            )
    return "\n".join(rules)


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """Objectives with their actions, grouped under the barrier they address."""
    objectives = list(plan.objectives.select_related("barrier").prefetch_related("actions__partner"))
    groups: list[dict[str, Any]] = []
    for barrier in plan.barriers.all():
        groups.append({"barrier": barrier, "objectives": [o for o in objectives if o.barrier_id == barrier.pk]})
    general = [o for o in objectives if o.barrier_id is None]
    if general:
        groups.append({"barrier": None, "objectives": general})
    return groups


def plan_html(case: Case, plan: Plan, *, language: str) -> str:
    counsellor = case.counsellor
    with translation.override(language):
        html = render_to_string(
            "cases/casefile/plan_pdf.html",
            {
                "case": case,
                "plan": plan,
                "jobseeker": case.jobseeker,
                "counsellor": counsellor,
                "centre": case.owner_centre,
                "groups": plan_rows(plan),
                "language": language,
                "font_faces": mark_safe(font_faces()),  # noqa: S308 - built above from file paths
                "printed_on": timezone.localdate(),
                "done": ActionStatus.DONE,
                "has_actions": PlanAction.objects.filter(objective__plan=plan).exists(),
            },
        )
    return with_word_breaks(html)


def render_plan_pdf(case: Case, plan: Plan, *, language: str) -> bytes:
    """The plan as an A4 PDF in Khmer ("km") or English ("en")."""
    from weasyprint import HTML

    if language not in LANGUAGES:
        raise ValueError(f"Plans are printed in Khmer or English, not {language!r}")
    pdf: bytes = HTML(string=plan_html(case, plan, language=language), base_url=str(FONT_DIR)).write_pdf(
        font_config=_font_config()
    )
    return pdf


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
