from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openpes.taxonomy.loaders import ReferenceDataError, import_esco
from openpes.taxonomy.models import Occupation


class Command(BaseCommand):
    help = (
        "Import ESCO occupations, skills and occupation–skill relations from the official CSV downloads "
        "(classification zip and relations zip, or folders with their CSV files). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--classification", type=Path, help="ESCO classification CSV zip (or folder)")
        parser.add_argument("--relations", type=Path, help="ESCO relations CSV zip (or folder)")
        parser.add_argument("--dir", type=Path, help="A folder holding classification-en-csv.zip and relations-csv.zip")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if ESCO is already imported")
        parser.add_argument(
            "--skip-missing", action="store_true", help="Do nothing (with a note) if the files are not there"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = options["dir"] or (None if options["classification"] else settings.ESCO_DIR)
        classification = options["classification"] or (folder / "classification-en-csv.zip" if folder else None)
        relations = options["relations"] or (folder / "relations-csv.zip" if folder else None)
        if classification is None or relations is None:
            raise CommandError("Give --classification and --relations, or --dir.")
        if options["if_empty"] and Occupation.objects.exists():
            self.stdout.write("ESCO is already imported; skipping (run without --if-empty to refresh it).")
            return
        if options["skip_missing"] and not (classification.exists() and relations.exists()):
            self.stdout.write(f"ESCO files not found at {classification.parent}; skipping. Import them later with:")
            self.stdout.write("  manage.py import_esco --dir /path/to/esco-csv-downloads")
            return
        started = time.perf_counter()
        try:
            result = import_esco(classification, relations)
        except ReferenceDataError as exc:
            raise CommandError(f"ESCO import failed, nothing was changed: {exc}") from None
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(
            f"ESCO: {result.occupations} occupations, {result.skills} skills, {result.relations} relations "
            f"({result.removed_relations} removed) in {time.perf_counter() - started:.1f} s."
        )
