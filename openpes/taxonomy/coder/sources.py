"""Training data for the coder from plain records: ESCO occupations, ISCO-08 titles and our lexicons.

The Django side (`coder.training`) reads the same records from the database; the benchmark reads them from
the ESCO download directly, so both build exactly the same kind of coder. No Django imports.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpes.taxonomy.coder.model import Example, TrainingData

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KM_LEXICON = DATA_DIR / "isco08_km_titles.csv"
EN_LEXICON = DATA_DIR / "isco08_en_titles.csv"


@dataclass(frozen=True)
class OccupationRecord:
    """An ESCO occupation as the coder sees it."""

    key: str  # the ESCO URI: held-out splits are made by occupation
    code: str  # ISCO-08 unit group
    label_en: str
    alt_labels_en: tuple[str, ...] = ()
    hidden_labels_en: tuple[str, ...] = ()
    description_en: str = ""
    label_km: str = ""


@dataclass(frozen=True)
class GroupRecord:
    code: str
    title_en: str
    title_km: str


def split_labels(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").replace(" | ", "\n").splitlines() if part.strip())


def read_lexicon(path: Path) -> list[tuple[str, str]]:
    """(title, unit code) rows of one of our lexicon files (columns `code,title`, `#` lines are comments)."""
    if not path.exists():
        return []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    rows = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        code, title = (row.get("code") or "").strip(), (row.get("title") or "").strip()
        if code and title:
            rows.append((title, code))
    return rows


def read_isco_csv(path: Path = DATA_DIR / "isco08.csv") -> list[GroupRecord]:
    with path.open(encoding="utf-8") as stream:
        return [GroupRecord(r["code"], r["title_en"], r["title_km"]) for r in csv.DictReader(stream)]


def read_esco_occupations(classification: Path) -> list[OccupationRecord]:
    """Occupations from ESCO's classification CSV download (zip or folder)."""
    if classification.is_dir():
        text = (classification / "occupations_en.csv").read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(classification) as archive:
            names = {Path(n).name: n for n in archive.namelist()}
            text = archive.read(names["occupations_en.csv"]).decode("utf-8")
    return [
        OccupationRecord(
            key=row["conceptUri"],
            code=row["iscoGroup"],
            label_en=row["preferredLabel"],
            alt_labels_en=split_labels(row["altLabels"]),
            hidden_labels_en=split_labels(row["hiddenLabels"]),
            description_en=row["description"],
        )
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    ]


def training_data(
    groups: Iterable[GroupRecord],
    occupations: Iterable[OccupationRecord],
    *,
    lexicon_en: Iterable[tuple[str, str]] = (),
    lexicon_km: Iterable[tuple[str, str]] = (),
    confirmed: Iterable[tuple[str, str]] = (),
) -> TrainingData:
    """Put every source together. Only unit groups (4 digits) are coded; higher titles are not labels."""
    units = {g.code: (g.title_en, g.title_km) for g in groups if len(g.code) == 4}
    examples: list[Example] = []
    for code, (title_en, title_km) in units.items():
        examples.append(Example(title_en, code, "isco"))
        if title_km:
            examples.append(Example(title_km, code, "isco_km"))
    contexts: dict[str, list[str]] = {}
    for occupation in occupations:
        if occupation.code not in units:
            continue
        examples.append(Example(occupation.label_en, occupation.code, "preferred"))
        examples.extend(Example(label, occupation.code, "alternative") for label in occupation.alt_labels_en)
        examples.extend(Example(label, occupation.code, "hidden") for label in occupation.hidden_labels_en)
        if occupation.label_km:
            examples.append(Example(occupation.label_km, occupation.code, "occupation_km"))
        if occupation.description_en:
            contexts.setdefault(occupation.code, []).append(occupation.description_en)
    examples.extend(Example(title, code, "lexicon") for title, code in lexicon_en if code in units)
    examples.extend(Example(title, code, "lexicon_km") for title, code in lexicon_km if code in units)
    examples.extend(Example(title, code, "feedback") for title, code in confirmed if code in units)
    return TrainingData(groups=units, examples=examples, contexts=contexts)
