"""Seed data for case management: the partner directory (`data/partners.json`). Idempotent and additive:
partners and services already there (matched on their English names) are left as coordinators edited them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from openpes.cases.enums import BarrierTheme, PartnerKind
from openpes.cases.models import Partner, PartnerService
from openpes.geography.models import Province
from openpes.taxonomy.loaders import ReferenceDataError

PARTNERS_FILE = Path(__file__).resolve().parent / "data" / "partners.json"


def _check(partners: list[dict[str, Any]], province_codes: set[str]) -> None:
    for item in partners:
        name = item.get("name_en") or item.get("name_km")
        if not name:
            raise ReferenceDataError("partners.json: a partner has no name")
        if item.get("kind") not in PartnerKind.values:
            raise ReferenceDataError(f"partners.json: {name}: unknown kind {item.get('kind')!r}")
        for service in item.get("services", []):
            if not (service.get("name_en") or service.get("name_km")):
                raise ReferenceDataError(f"partners.json: {name}: a service has no name")
            unknown = set(service.get("provinces", [])) - province_codes
            if unknown:
                raise ReferenceDataError(f"partners.json: {name}: unknown provinces {sorted(unknown)}")
            themes = set(service.get("themes", [])) - set(BarrierTheme.values)
            if themes:
                raise ReferenceDataError(f"partners.json: {name}: unknown themes {sorted(themes)}")


@transaction.atomic
def load_partners(path: Path = PARTNERS_FILE) -> dict[str, int]:
    """Add the partners and services of the seed file that are missing. All or nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(f"{path.name}: {exc}") from None
    provinces = dict(Province.objects.values_list("code", "pk"))
    if not provinces:
        raise ReferenceDataError("Load the geography before the partner directory.")
    partners = data.get("partners", [])
    _check(partners, set(provinces))
    added_partners = added_services = 0
    for item in partners:
        partner = Partner.objects.filter(name_en=item.get("name_en", ""), name_km=item.get("name_km", "")).first()
        if partner is None:
            partner = Partner.objects.create(
                name_en=item.get("name_en", ""),
                name_km=item.get("name_km", ""),
                kind=item["kind"],
                phone=item.get("phone", ""),
                email=item.get("email", ""),
                address=item.get("address", ""),
            )
            added_partners += 1
        known = set(partner.services.values_list("name_en", "name_km"))
        for entry in item.get("services", []):
            if (entry.get("name_en", ""), entry.get("name_km", "")) in known:
                continue
            service = PartnerService.objects.create(
                partner=partner,
                name_en=entry.get("name_en", ""),
                name_km=entry.get("name_km", ""),
                description_en=entry.get("description_en", ""),
                description_km=entry.get("description_km", ""),
                themes=list(entry.get("themes", [])),
            )
            service.provinces.set([provinces[code] for code in entry.get("provinces", [])])
            added_services += 1
    return {"partners": len(partners), "added_partners": added_partners, "added_services": added_services}
