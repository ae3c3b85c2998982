from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from openpes.geography.models import Commune, District, Province

router = Router(tags=["reference"])


class PlaceOut(Schema):
    code: str
    name_km: str
    name_en: str


@router.get("/provinces", response=list[PlaceOut], auth=None, summary="Provinces of Cambodia")
def provinces(request: HttpRequest) -> list[Province]:
    return list(Province.objects.all())


@router.get("/provinces/{code}/districts", response=list[PlaceOut], auth=None, summary="Districts of a province")
def districts(request: HttpRequest, code: str) -> list[District]:
    return list(District.objects.filter(province__code=code))


@router.get("/districts/{code}/communes", response=list[PlaceOut], auth=None, summary="Communes of a district")
def communes(request: HttpRequest, code: str) -> list[Commune]:
    return list(Commune.objects.filter(district__code=code))
