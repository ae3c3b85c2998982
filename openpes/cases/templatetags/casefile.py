"""`{% case_panel jobseeker %}`: the person's case episodes on their staff record, with "Open a case"."""

from __future__ import annotations

from typing import Any

from django import template

from openpes.accounts.enums import Role
from openpes.cases.access import get_cases_for_user

register = template.Library()


@register.inclusion_tag("cases/casefile/_jobseeker_cases.html", takes_context=True)
def case_panel(context: template.Context, jobseeker: Any) -> dict[str, Any]:
    user = context["request"].user
    cases = list(get_cases_for_user(user).filter(jobseeker=jobseeker).order_by("-episode")[:10])
    open_case = next((case for case in cases if case.is_open), None)
    return {
        "jobseeker": jobseeker,
        "cases": cases,
        "closed": [case for case in cases if not case.is_open],
        "open_case": open_case,
        "can_open": user.role in (Role.COUNSELLOR, Role.CENTRE_MANAGER) and open_case is None,
        "csrf_token": context.get("csrf_token"),
    }
