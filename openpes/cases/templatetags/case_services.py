"""Sections other apps' pages include without changing their views: an employer's contacts and visits (staff
only) and a vacancy's shortlists. `{% load case_services %}` then `{% employer_contacts employer %}` or
`{% vacancy_shortlists vacancy %}`."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("cases/services/_employer_contacts.html", takes_context=True)
def employer_contacts(context: template.Context, employer: Any) -> dict[str, Any]:
    from openpes.cases.views_services import employer_contacts_context

    request = context.get("request")
    if request is None:
        return {"show_contacts": False}
    return employer_contacts_context(request, employer)


@register.inclusion_tag("cases/services/_vacancy_shortlists.html", takes_context=True)
def vacancy_shortlists(context: template.Context, vacancy: Any) -> dict[str, Any]:
    from openpes.cases.views_services import vacancy_shortlists_context

    request = context.get("request")
    if request is None:
        return {"show_shortlists": False}
    return vacancy_shortlists_context(request, vacancy)
