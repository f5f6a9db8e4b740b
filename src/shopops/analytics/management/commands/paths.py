"""shopops paths --from D --to D [--start EVENT] [--limit N] [--shop CODE] [--json]: top session paths and the
step → step edges (sessions split after 30 idle minutes when the log has no session id)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.analytics.selectors.behaviour import DEFAULT_PATHS, paths_report
from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = ("Paths through sessions: the first 5 steps of each session (repeats collapsed), the most common "
            "paths and the edges between steps (for a Sankey).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        self.add_period_arguments(parser)
        parser.add_argument("--start", default=None, help="paths begin at the session's first EVENT")
        parser.add_argument("--limit", default=DEFAULT_PATHS, help=f"top paths to list (default {DEFAULT_PATHS})")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        report = paths_report(shop=shop, date_from=options["date_from"], date_to=options["date_to"],
                              start=options["start"], limit=options["limit"])
        if options["json"]:
            self.emit_json(report)
            return
        self.stdout.write(f"{report['sessions']} sessions, {report['from']}..{report['to']}")
        for p in report["paths"]:
            self.stdout.write(f"  {p['sessions']:>8}  {p['share']:.1%}  " + " → ".join(p["steps"]))
