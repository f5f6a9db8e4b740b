"""shopops imports clean [--older-than DAYS] [--json]"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.imports import services


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"a whole number of days (0 or more), not {text!r}")
    return int(text)


class Command(ShopOpsCommand):
    help = ("Housekeeping of imports. `clean`: remove the uploads of rejected and failed jobs, of jobs finished "
            "more than --older-than days ago (default: SHOPOPS_IMPORT_RETENTION_DAYS, 30) and those no job points "
            "to; mark failed the running jobs whose process died. Queued and running jobs keep their files.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["clean"])
        parser.add_argument("--older-than", type=_days, default=None, metavar="DAYS",
                            help="remove the uploads of jobs finished more than DAYS days ago")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        result = services.imports_clean(older_than_days=options["older_than"])
        if options["json"]:
            self.emit_json(result)
            return
        size = int(result["bytes"]) / 1024**2  # type: ignore[call-overload]
        self.stdout.write(
            f"removed the uploads of {len(result['removed_jobs'])} job(s) and {result['orphans']} orphan upload(s), "
            f"{size:.1f} MB (retention {result['retention_days']} days); kept {result['kept']} upload(s)")
        if result["failed_dead_jobs"]:
            self.stdout.write(f"marked failed (their process died): jobs {result['failed_dead_jobs']}")
