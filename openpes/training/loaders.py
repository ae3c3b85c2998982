"""Seed data for the training programme: the competency framework and funding projects (idempotent: only
adds what is missing, so coordinators' edits survive)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from openpes.training.models import Competence, CompetencyArea, CompetencyFramework, FundingProject

DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_training_reference() -> dict[str, int]:
    framework_data = json.loads((DATA / "framework_pes_counsellor_2014.json").read_text(encoding="utf-8"))
    framework, _ = CompetencyFramework.objects.get_or_create(
        code=framework_data["code"],
        defaults={k: framework_data[k] for k in ("name_en", "name_km", "source")},
    )
    competences = 0
    for order, area_data in enumerate(framework_data["areas"], start=1):
        area, _ = CompetencyArea.objects.get_or_create(
            framework=framework,
            code=area_data["code"],
            defaults={"name_en": area_data["name_en"], "name_km": area_data["name_km"], "order": order},
        )
        for position, item in enumerate(area_data["competences"], start=1):
            Competence.objects.get_or_create(
                area=area,
                code=item["code"],
                defaults={
                    "name_en": item["name_en"],
                    "name_km": item["name_km"],
                    "description_en": item["description_en"],
                    "description_km": item["description_km"],
                    "order": position,
                },
            )
            competences += 1
    projects = json.loads((DATA / "funding_projects.json").read_text(encoding="utf-8"))
    for item in projects:
        FundingProject.objects.get_or_create(code=item["code"], defaults=item)
    return {"competences": competences, "funding_projects": len(projects)}
