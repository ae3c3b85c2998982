from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openpes.cases.loaders import load_partners
from openpes.geography.loaders import load_geography
from openpes.taxonomy.loaders import ReferenceDataError, load_education_levels, load_isco, load_sectors
from openpes.training.loaders import load_training_reference


class Command(BaseCommand):
    help = (
        "Load (or refresh) reference data: geography, ISCO-08, ISCED 2011, ISIC Rev.4, the training competency "
        "framework and funding projects. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            geography = load_geography()
            isco = load_isco()
            education = load_education_levels()
            sectors = load_sectors()
            training = load_training_reference()
            partners = load_partners()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Reference data: {geography['provinces']} provinces, {geography['districts']} districts, "
            f"{geography['communes']} communes, {isco} ISCO-08 groups, {education} education levels, "
            f"{sectors} sectors, {training['competences']} training competences, {partners['partners']} partners "
            f"({time.perf_counter() - started:.1f} s)."
        )
