"""shopops campaign list | simulate ID | review ID [--json] [--limit N] [--xlsx FILE] [--language L]; simulate and
review say their steps on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from shopops.campaigns import selectors
from shopops.campaigns.review_xlsx import review_workbook
from shopops.core.management.base import ShopOpsCommand, file_error, output_file
from shopops.core.selectors import all_shops


class Command(ShopOpsCommand):
    help = ("Campaigns: `list`; `simulate ID` (worst-case 到手价, margin and flags per SKU, most risky first); "
            "`review ID` (the post-mortem vs goals and a weekday-aligned baseline).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "simulate", "review"])
        parser.add_argument("id", nargs="?", type=int, help="campaign id (simulate, review)")
        parser.add_argument("--limit", type=int, default=None, help="simulate: at most this many rows")
        parser.add_argument("--xlsx", default=None, help="review: also write the review to this xlsx file")
        self.add_language_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        action = options["action"]
        if action == "list":
            rows = [selectors.campaign_dict(c, full=False) for shop in all_shops()
                    for c in selectors.campaign_list(shop=shop)]
            if options["json"]:
                self.emit_json({"items": rows})
            else:
                for row in rows:
                    self.stdout.write(f"{row['id']:>5}  {row['name']}  {row['warmup_start']}..{row['return_end']}  "
                                      f"{row['status']}")
            return
        if options["id"] is None or options["id"] < 1:
            raise CommandError(_("%(action)s needs a campaign id (shopops campaign list shows them).")
                               % {"action": action}, returncode=2)
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError(_("--limit must be at least 1."), returncode=2)
        campaign = next((c for shop in all_shops()
                         if (c := selectors.campaign_detail(shop=shop, pk=options["id"])) is not None), None)
        if campaign is None:
            raise CommandError(_("No campaign %(id)s.") % {"id": options["id"]}, returncode=2)
        if action == "simulate":
            progress = self.progress(1)
            progress.step(_("Simulating the worst-case prices and margins of %(name)s…") % {"name": campaign.name})
            report = selectors.campaign_simulation(campaign=campaign, limit=options["limit"])
            progress.done()
            if options["json"]:
                self.emit_json(report)
            else:
                self._show_simulation(report)
            return
        if options["xlsx"]:
            output_file(options["xlsx"])  # refused before the review is computed
        progress = self.progress(2 if options["xlsx"] else 1)
        progress.step(_("Reviewing %(name)s against its goals and baseline…") % {"name": campaign.name})
        report = selectors.campaign_review(campaign=campaign)
        if options["xlsx"]:
            progress.step(_("Writing %(path)s…") % {"path": options["xlsx"]})
            try:
                Path(options["xlsx"]).write_bytes(review_workbook(report))
            except OSError as exc:
                raise file_error(options["xlsx"], exc) from exc
        progress.done()
        if options["json"]:
            self.emit_json(report)
        else:
            self._show_review(report)

    def _show_simulation(self, report: dict) -> None:
        console = Console(file=self.stdout, width=140)
        console.print(f"{report['campaign']['name']}: {report['skus']} SKUs, {report['scenarios']} scenarios, "
                      f"flags {report['flag_counts']}")
        table = Table()
        for column in ("sku", "price", "worst_unit_pay", "floor", "reference_price", "margin", "margin_rate", "flags"):
            table.add_column(column)
        for row in report["rows"][:50]:
            table.add_row(row["sku"], row["price"], row["worst_unit_pay"], row["floor"], str(row["reference_price"]),
                          row["margin"], f"{row['margin_rate']:.1%}", ", ".join(row["flags"]))
        console.print(table)

    def _show_review(self, report: dict) -> None:
        k, b = report["kpis"], report["baseline"]
        self.stdout.write(f"{report['campaign']['name']} {report['period'][0]}..{report['period'][1]} "
                          f"(baseline {report['baseline_period'][0]}..{report['baseline_period'][1]})")
        for key in ("gmv", "orders", "buyers", "aov", "new_buyers", "promotion_cost"):
            self.stdout.write(f"  {key:<15} {k[key]!s:>14}  baseline {b[key]!s:>14}")
        self.stdout.write(f"  incremental GMV {report['incremental_gmv']['gross']}")
        for note in (report["ads"]["note"], report["traffic"]["note"]):
            if note:
                self.stdout.write(f"  {note}")
