"""Who may see which job centres (with their staff lists)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from openpes.centres.models import JobCentre
from openpes.lib.access import get_object_or_404, scope_for


def get_centres_for_user(user: Any) -> QuerySet[JobCentre]:
    """Centres a staff user may open: their own (counsellor), their province's (manager), all (HQ, admin)."""
    scope = scope_for(user)
    return scope.filter(JobCentre.objects.select_related("province"), centre="pk", province="province")


def get_centre_for_user(user: Any, pk: Any) -> JobCentre:
    return get_object_or_404(get_centres_for_user(user), pk=pk)
