"""Who may see which user accounts. Views call these helpers and nothing else to load users."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from openpes.accounts.enums import STAFF_ROLES
from openpes.accounts.models import User
from openpes.lib.access import get_object_or_404, scope_for


def get_staff_for_user(user: Any) -> QuerySet[User]:
    """Staff accounts visible to `user`: colleagues in their centre, province or nation by role."""
    scope = scope_for(user)
    queryset = User.objects.filter(role__in=sorted(STAFF_ROLES)).select_related("centre", "centre__province")
    return scope.filter(queryset, centre="centre", province="centre__province")


def get_staff_member_for_user(user: Any, pk: Any) -> User:
    return get_object_or_404(get_staff_for_user(user), pk=pk)
