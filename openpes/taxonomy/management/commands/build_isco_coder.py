from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openpes.taxonomy.coder import service
from openpes.taxonomy.models import IscoGroup, Occupation


class Command(BaseCommand):
    help = (
        "Build the ISCO-08 coder (job title → unit group suggestions) from ISCO-08, ESCO occupations, our "
        "lexicons and confirmed codes in the database, and save it under VAR_DIR. Run it after import_esco; "
        "the app also builds it on first use if it is missing or out of date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if an up-to-date coder is saved")

    def handle(self, *args: Any, **options: Any) -> None:
        if not IscoGroup.objects.filter(level=4).exists():
            self.stdout.write(self.style.WARNING("ISCO-08 is not loaded: run `manage.py load_reference` first."))
            return
        path = service.model_path()
        if options["if_missing"] and path.exists():
            service.reset()
            coder = service.get_coder()
            self.stdout.write(f"ISCO coder is up to date ({coder.meta.get('labels')} labels) at {path}.")
            return
        coder = service.rebuild()
        if not Occupation.objects.exists():
            self.stdout.write(
                self.style.WARNING(
                    "No ESCO occupations in the database: the coder knows only ISCO-08 titles and our lexicons. "
                    "Run `manage.py import_esco`, then this command again."
                )
            )
        size_mb = path.stat().st_size / 1e6
        self.stdout.write(
            f"ISCO coder: {coder.meta.get('labels')} labels for {len(coder.codes)} unit groups, built in "
            f"{coder.meta.get('build_seconds')} s, {size_mb:.1f} MB at {path}."
        )
