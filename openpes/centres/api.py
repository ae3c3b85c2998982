from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from openpes.centres.access import get_centres_for_user
from openpes.centres.models import JobCentre

router = Router(tags=["centres"])


class CentreOut(Schema):
    id: int
    code: str
    kind: str
    name_km: str
    name_en: str
    province: str

    @staticmethod
    def resolve_province(obj: JobCentre) -> str:
        return obj.province.code


@router.get("", response=list[CentreOut], summary="Job centres visible to the caller")
def centres(request: HttpRequest) -> list[JobCentre]:
    return list(get_centres_for_user(request.user))
