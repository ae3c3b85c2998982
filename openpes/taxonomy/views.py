from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpes.lib.decorators import staff_required
from openpes.lib.http import AuthedRequest
from openpes.taxonomy.forms import IscoSearchForm
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
