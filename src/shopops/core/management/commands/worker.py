"""shopops worker: runs background tasks and periodic jobs (huey consumer)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = "Run the task worker (huey: SQLite queue by default, Redis with REDIS_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("run_huey", workers=options["workers"], worker_type="thread")
