"""shopops worker [--workers N]: runs background tasks and periodic jobs (huey consumer) in its own process.

`shopops serve` runs the same consumer in its process by default; this command is for `serve --no-worker`
(several web processes, another WSGI server) and beats the same heartbeat (``core.worker``)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.core.worker import consumer_log_to_console, consumer_run


class Command(ShopOpsCommand):
    help = "Run the task worker (huey: SQLite queue by default, Redis with REDIS_URL)."
    requires_system_checks = "__all__"  # a long-running server: check everything once at start

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.", returncode=2)
        call_command("migrate", verbosity=0, interactive=False)
        consumer_log_to_console(quiet=False)
        consumer_run(workers=options["workers"])
