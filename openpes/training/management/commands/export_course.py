from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openpes.training.content import export_course, export_course_zip
from openpes.training.models import Course


class Command(BaseCommand):
    help = "Export a course to the documented JSON format (or a zip with its pictures)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course", type=int, help="id of the course")
        parser.add_argument("output", type=Path, help="file to write: .json, or .zip to include pictures")

    def handle(self, *args: Any, **options: Any) -> None:
        course = Course.objects.select_related("programme__framework").filter(pk=options["course"]).first()
        if course is None:
            raise CommandError(f"No course with id {options['course']}.")
        output: Path = options["output"]
        if output.suffix == ".zip":
            output.write_bytes(export_course_zip(course))
        else:
            output.write_text(json.dumps(export_course(course), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
