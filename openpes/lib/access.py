"""The one place that turns a user's role into a data scope.

Each app's `access.py` builds its `get_<thing>_for_user` helpers on `scope_for(user)`, so views never write
their own permission filters. Staff see records of their centre, their province or the whole nation,
according to role; deactivated users and the public roles see no staff data at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


class Level(enum.IntEnum):
    NONE = 0
    CENTRE = 1
    PROVINCE = 2
    NATION = 3


@dataclass(frozen=True)
class Scope:
    """How far a user's view of casework data reaches."""

    level: Level
    centre_id: int | None = None
    province_id: int | None = None

    def q(self, *, centre: str, province: str | None = None) -> Q:
        """A filter for records owned by a centre. `centre` is the lookup of the owning centre's id field
        (e.g. "owner_centre"), `province` the lookup of its province (defaults to `<centre>__province`)."""
        if self.level is Level.NATION:
            # Not Q(): an empty Q disappears when OR-ed with another condition.
            return Q(pk__isnull=False)
        if self.level is Level.PROVINCE and self.province_id is not None:
            return Q(**{f"{province or centre + '__province'}": self.province_id})
        if self.level is Level.CENTRE and self.centre_id is not None:
            return Q(**{centre: self.centre_id})
        return Q(pk__in=[])

    def filter(self, queryset: QuerySet[M], *, centre: str, province: str | None = None) -> QuerySet[M]:
        if self.level is Level.NONE:
            return queryset.none()
        return queryset.filter(self.q(centre=centre, province=province))

    @property
    def is_staff_scope(self) -> bool:
        return self.level is not Level.NONE


NO_SCOPE = Scope(Level.NONE)


def scope_for(user: Any) -> Scope:
    """The casework scope of `user` (role × centre). Unknown, anonymous or deactivated users get none."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_SCOPE
    from openpes.accounts.enums import CASEWORK_SCOPE

    level = CASEWORK_SCOPE.get(user.role, Level.NONE)
    if level is Level.NATION:
        return Scope(Level.NATION)
    centre = user.centre
    if centre is None:
        return NO_SCOPE
    if level is Level.PROVINCE:
        return Scope(Level.PROVINCE, centre_id=centre.pk, province_id=centre.province_id)
    if level is Level.CENTRE:
        return Scope(Level.CENTRE, centre_id=centre.pk, province_id=centre.province_id)
    return NO_SCOPE


def get_object_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from an already-scoped queryset; anything outside the scope is simply not found."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
