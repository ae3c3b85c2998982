from __future__ import annotations

from ninja import Router, Schema

from openpes.lib.http import AuthedRequest

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    full_name: str
    role: str
    centre: str | None
    province: str | None
    preferred_language: str


@router.get("", response=MeOut, summary="The signed-in user")
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    centre = user.centre
    return MeOut(
        id=user.id,
        full_name=user.full_name,
        role=user.role,
        centre=centre.code if centre else None,
        province=centre.province.code if centre else None,
        preferred_language=user.preferred_language,
    )
