from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpes.lib.decorators import staff_required
from openpes.lib.http import AuthedRequest, Request
from openpes.lib.i18n import pick
from openpes.taxonomy.coder.service import suggest
from openpes.taxonomy.forms import IscoSearchForm, IscoSuggestForm
from openpes.taxonomy.models import Sector
from openpes.taxonomy.search import search_isco, search_skills


@staff_required
def isco_browser(request: AuthedRequest) -> HttpResponse:
    """Search ISCO-08 by code or words; htmx requests get only the results list."""
    form = IscoSearchForm(request.GET or None)
    results = (
        search_isco(form.cleaned_data["q"], level=form.cleaned_data.get("level"), limit=50) if form.is_valid() else []
    )
    template = "taxonomy/isco.html#results" if request.htmx else "taxonomy/isco.html"
    return render(request, template, {"form": form, "results": results})


@login_not_required
def skill_suggestions(request: HttpRequest) -> HttpResponse:
    """Options for the skills datalist: ESCO skills whose label contains the typed words (public data)."""
    text = request.GET.get("q", "")[:100]
    last = re.split(r"[\n,;]+", text)[-1].strip()
    skills = search_skills(last, limit=20) if len(last) >= 2 else []
    return render(request, "taxonomy/skill_options.html", {"skills": skills})


@login_not_required
def isco_suggest(request: Request) -> HttpResponse:
    """Up to three ISCO-08 unit groups for a typed job title (public reference data, like the API).

    htmx requests get only the fragment of suggestion buttons that forms with an ISCO-08 field include;
    other requests get a page with the form and the suggestions listed, which works without JavaScript.
    """
    form = IscoSuggestForm(request.GET or None)
    suggestions: list[dict[str, str | int]] = []
    target = ""
    if form.is_valid():
        data = form.cleaned_data
        target = data["target"]
        for found in suggest(data["title"], data["description"], _sector_words(data["sector"])):
            title = pick(found.title_km, found.title_en)
            suggestions.append(
                {
                    "code": found.code,
                    "title": title,
                    "value": f"{found.code} — {title}",
                    "percent": max(1, round(found.confidence * 100)),
                }
            )
    context = {
        "form": form,
        "suggestions": suggestions,
        "target": target,
        "unsure": bool(suggestions) and int(suggestions[0]["percent"]) < 40,
    }
    template = "taxonomy/isco_suggest.html#suggestions" if request.htmx else "taxonomy/isco_suggest.html"
    return render(request, template, context)


def _sector_words(value: str) -> str:
    """An ISIC section letter ("C") becomes its name, so the coder can use the words; text passes through."""
    value = value.strip()
    if len(value) == 1 and value.isalpha():
        sector = Sector.objects.filter(code=value.upper()).first()
        return sector.name_en if sector else ""
    return value
