from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openpes.demo.world import DEMO_ACCOUNTS, DEMO_PASSWORD, build_world


class Command(BaseCommand):
    help = "Build the deterministic demo world (centres, staff in every role, jobseekers, employers, vacancies)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=2000, help="Number of jobseekers (others scale with it)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo sign-ins")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = build_world(size=options["size"], seed=options["seed"])
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(f"Demo world ready ({summary}; {time.perf_counter() - started:.1f} s).")
        if not options["quiet_accounts"]:
            self.stdout.write("")
            self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.role:<22} {account.login}")
