from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openpes.training.content import import_course
from openpes.training.models import Programme


class Command(BaseCommand):
    help = "Import a course (JSON or zip, see docs/training-content-format.md) into a programme, all-or-nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="course .json or .zip")
        parser.add_argument("--programme", type=int, required=True, help="id of the programme to add it to")
        parser.add_argument("--publish", action="store_true", help="open the course to learners at once")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(pk=options["programme"]).first()
        if programme is None:
            raise CommandError(f"No programme with id {options['programme']}.")
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        try:
            course = import_course(data, programme, publish=options["publish"])
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(error.messages)) from None
        self.stdout.write(f"Imported course {course.pk}: {course.title_en or course.title_km}")
