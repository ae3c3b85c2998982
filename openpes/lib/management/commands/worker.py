from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from openpes.lib.periodic import ensure_scheduled


class Command(BaseCommand):
    help = "Schedule the periodic tasks (vacancy expiry…) that have no pending run, then run the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run the outstanding tasks, then exit.")
        parser.add_argument("--queue-name", default="default", help="Queues to process ('*' for all).")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in ensure_scheduled():
            self.stdout.write(f"Scheduled {path}")
        worker_options: dict[str, Any] = {"queue_name": options["queue_name"]}
        if options["batch"]:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
