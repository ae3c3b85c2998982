from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from openpes.lib.decorators import staff_required
from openpes.lib.http import AuthedRequest
from openpes.taxonomy.forms import IscoSearchForm
from openpes.taxonomy.search import search_isco


@staff_required
def isco_browser(request: AuthedRequest) -> HttpResponse:
    """Search ISCO-08 by code or words; htmx requests get only the results list."""
    form = IscoSearchForm(request.GET or None)
    results = (
        search_isco(form.cleaned_data["q"], level=form.cleaned_data.get("level"), limit=50) if form.is_valid() else []
    )
    template = "taxonomy/isco.html#results" if request.htmx else "taxonomy/isco.html"
    return render(request, template, {"form": form, "results": results})
