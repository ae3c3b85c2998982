"""Loaders for classification data: our versioned CSV files (ISCO-08, ISCED, ISIC) and ESCO's official CSVs.

Every loader validates everything first and writes in one transaction, so a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from openpes.lib.bulk import upsert
from openpes.taxonomy.enums import SkillRelation, SkillType, TranslationStatus
from openpes.taxonomy.models import (
    EducationLevel,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Sector,
    Skill,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class ReferenceDataError(Exception):
    """A reference file is missing, of the wrong kind, or malformed. The message says which and why."""


def _read_csv(text: str, source: str, required: Iterable[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or [])
    missing = [name for name in required if name not in columns]
    if missing:
        raise ReferenceDataError(f"{source}: missing column(s) {', '.join(missing)}.")
    try:
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as exc:
        raise ReferenceDataError(f"{source}: not a valid CSV file ({exc}).") from None


def _read_data_file(name: str, required: Iterable[str]) -> list[dict[str, str]]:
    path = DATA_DIR / name
    return _read_csv(path.read_text(encoding="utf-8"), str(path), required)


# ---------------------------------------------------------------------------------------------------------------
# ISCO-08, ISCED 2011, ISIC Rev.4 from our own data files
# ---------------------------------------------------------------------------------------------------------------


def validate_isco_rows(rows: list[dict[str, str]], source: str = "isco08.csv") -> None:
    codes = set()
    for number, row in enumerate(rows, start=2):
        code = row["code"]
        if not code.isdigit() or not 1 <= len(code) <= 4:
            raise ReferenceDataError(f"{source} line {number}: code {code!r} is not 1 to 4 digits.")
        if row["level"] != str(len(code)):
            raise ReferenceDataError(f"{source} line {number}: level {row['level']!r} does not match code {code}.")
        if code in codes:
            raise ReferenceDataError(f"{source} line {number}: code {code} appears twice.")
        if len(code) > 1 and code[:-1] not in codes:
            raise ReferenceDataError(f"{source} line {number}: parent {code[:-1]} of {code} must come first.")
        if not row["title_en"]:
            raise ReferenceDataError(f"{source} line {number}: code {code} has no English title.")
        if row["km_status"] not in TranslationStatus.values:
            raise ReferenceDataError(f"{source} line {number}: km_status must be machine or reviewed.")
        codes.add(code)


@transaction.atomic
def load_isco() -> int:
    rows = sorted(
        _read_data_file("isco08.csv", ["code", "level", "title_en", "title_km", "km_status"]),
        key=lambda r: (len(r["code"]), r["code"]),
    )
    validate_isco_rows(rows)
    # Parents first, level by level, so each level can point at the one above.
    for level in range(1, 5):
        parents = dict(IscoGroup.objects.filter(level=level - 1).values_list("code", "id")) if level > 1 else {}
        upsert(
            IscoGroup,
            (
                IscoGroup(
                    code=r["code"],
                    level=level,
                    parent_id=parents.get(r["code"][:-1]),
                    title_en=r["title_en"],
                    title_km=r["title_km"],
                    km_status=r["km_status"],
                )
                for r in rows
                if len(r["code"]) == level
            ),
            unique_fields=["code"],
            update_fields=["level", "parent", "title_en", "title_km", "km_status"],
        )
    return len(rows)


@transaction.atomic
def load_education_levels() -> int:
    rows = _read_data_file("isced2011.csv", ["code", "name_en", "name_km", "description_en", "description_km"])
    upsert(
        EducationLevel,
        (EducationLevel(**{**r, "code": int(r["code"])}) for r in rows),
        unique_fields=["code"],
        update_fields=["name_en", "name_km", "description_en", "description_km"],
    )
    return len(rows)


@transaction.atomic
def load_sectors() -> int:
    rows = _read_data_file("isic4_sections.csv", ["code", "name_en", "name_km"])
    upsert(Sector, (Sector(**r) for r in rows), unique_fields=["code"], update_fields=["name_en", "name_km"])
    return len(rows)


# ---------------------------------------------------------------------------------------------------------------
# ESCO: the official CSV downloads (classification zip + relations zip, or folders with their CSVs)
# ---------------------------------------------------------------------------------------------------------------

OCCUPATION_COLUMNS = ["conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "description", "code"]
SKILL_COLUMNS = ["conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description"]
RELATION_COLUMNS = ["occupationUri", "relationType", "skillType", "skillUri"]


class _Source:
    """A zip file or a folder holding ESCO CSV files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise ReferenceDataError(f"{path}: no such file or folder.")
        self._zip: zipfile.ZipFile | None = None
        if path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile:
                raise ReferenceDataError(f"{path}: not a zip file. Give the ESCO CSV download as it came.") from None

    def read(self, filename: str) -> str:
        if self._zip is not None:
            names = {Path(name).name: name for name in self._zip.namelist()}
            if filename not in names:
                raise ReferenceDataError(f"{self.path}: {filename} not found inside — is this the right ESCO file?")
            data = self._zip.read(names[filename])
        else:
            candidate = self.path / filename
            if not candidate.exists():
                raise ReferenceDataError(f"{self.path}: {filename} not found in this folder.")
            data = candidate.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise ReferenceDataError(f"{self.path}: {filename} is not UTF-8 text.") from None


@dataclass
class EscoImportResult:
    occupations: int = 0
    skills: int = 0
    relations: int = 0
    removed_relations: int = 0
    warnings: list[str] = field(default_factory=list)


def _labels(value: str) -> str:
    return "\n".join(part.strip() for part in value.replace(" | ", "\n").splitlines() if part.strip())


def _skill_type(value: str) -> str:
    return value if value in (SkillType.SKILL, SkillType.KNOWLEDGE) else SkillType.OTHER


def parse_esco(
    classification: Path, relations: Path
) -> tuple[list[Occupation], list[Skill], list[tuple[str, str, str]], list[str]]:
    """Read and validate the ESCO files without touching the database."""
    cls = _Source(classification)
    rel = _Source(relations)
    occupation_rows = _read_csv(cls.read("occupations_en.csv"), "occupations_en.csv", OCCUPATION_COLUMNS)
    skill_rows = _read_csv(cls.read("skills_en.csv"), "skills_en.csv", SKILL_COLUMNS)
    relation_rows = _read_csv(
        rel.read("occupationSkillRelations.csv"), "occupationSkillRelations.csv", RELATION_COLUMNS
    )
    isco_ids = dict(IscoGroup.objects.filter(level=4).values_list("code", "id"))
    if not isco_ids:
        raise ReferenceDataError("ISCO-08 groups are not loaded yet: run `manage.py load_reference` first.")

    occupations = []
    for number, row in enumerate(occupation_rows, start=2):
        if not row["conceptUri"] or not row["preferredLabel"]:
            raise ReferenceDataError(f"occupations_en.csv line {number}: missing conceptUri or preferredLabel.")
        isco_id = isco_ids.get(row["iscoGroup"])
        if isco_id is None:
            raise ReferenceDataError(
                f"occupations_en.csv line {number}: ISCO-08 unit group {row['iscoGroup']!r} is unknown."
            )
        occupations.append(
            Occupation(
                uri=row["conceptUri"],
                code=row["code"][:30],
                isco_group_id=isco_id,
                label_en=row["preferredLabel"][:250],
                alt_labels_en=_labels(row["altLabels"]),
                hidden_labels_en=_labels(row["hiddenLabels"]),
                description_en=row["description"],
            )
        )
    skills = []
    for number, row in enumerate(skill_rows, start=2):
        if not row["conceptUri"] or not row["preferredLabel"]:
            raise ReferenceDataError(f"skills_en.csv line {number}: missing conceptUri or preferredLabel.")
        skills.append(
            Skill(
                uri=row["conceptUri"],
                skill_type=_skill_type(row["skillType"]),
                reuse_level=row["reuseLevel"][:30],
                label_en=row["preferredLabel"][:250],
                alt_labels_en=_labels(row["altLabels"]),
                description_en=row["description"],
            )
        )
    occupation_uris = {o.uri for o in occupations}
    skill_uris = {s.uri for s in skills}
    links: dict[tuple[str, str], str] = {}
    dangling = 0
    for number, row in enumerate(relation_rows, start=2):
        if row["relationType"] not in SkillRelation.values:
            raise ReferenceDataError(
                f"occupationSkillRelations.csv line {number}: relationType must be essential or optional."
            )
        if row["occupationUri"] not in occupation_uris or row["skillUri"] not in skill_uris:
            # The official v1.1.1 files hold a few links to concepts that were withdrawn: skip, and say so.
            dangling += 1
            continue
        key = (row["occupationUri"], row["skillUri"])
        # If a pair is listed twice, essential wins over optional.
        if links.get(key) != SkillRelation.ESSENTIAL:
            links[key] = row["relationType"]
    warnings = []
    if dangling:
        warnings.append(f"{dangling} relations refer to concepts missing from the classification file; skipped.")
    if relation_rows and not links:
        raise ReferenceDataError("occupationSkillRelations.csv: no relation matches the classification file.")
    return occupations, skills, [(o, s, r) for (o, s), r in links.items()], warnings


def import_esco(classification: Path, relations: Path) -> EscoImportResult:
    occupations, skills, links, warnings = parse_esco(classification, relations)
    result = EscoImportResult(warnings=warnings)
    with transaction.atomic():
        result.occupations = upsert(
            Occupation,
            occupations,
            unique_fields=["uri"],
            update_fields=["code", "isco_group", "label_en", "alt_labels_en", "hidden_labels_en", "description_en"],
        )
        result.skills = upsert(
            Skill,
            skills,
            unique_fields=["uri"],
            update_fields=["skill_type", "reuse_level", "label_en", "alt_labels_en", "description_en"],
        )
        occupation_ids = dict(Occupation.objects.values_list("uri", "id"))
        skill_ids = dict(Skill.objects.values_list("uri", "id"))
        wanted = {(occupation_ids[o], skill_ids[s]): r for o, s, r in links}
        existing = set(OccupationSkill.objects.values_list("occupation_id", "skill_id"))
        stale = existing - wanted.keys()
        if stale:
            for batch in _chunks(sorted(stale), 500):
                for occupation_id, skill_id in batch:
                    OccupationSkill.objects.filter(occupation_id=occupation_id, skill_id=skill_id).delete()
            result.removed_relations = len(stale)
        result.relations = upsert(
            OccupationSkill,
            (OccupationSkill(occupation_id=o, skill_id=s, relation=r) for (o, s), r in wanted.items()),
            unique_fields=["occupation", "skill"],
            update_fields=["relation"],
            batch_size=3000,
        )
    return result


def _chunks(items: list[tuple[int, int]], size: int) -> Iterator[list[tuple[int, int]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
