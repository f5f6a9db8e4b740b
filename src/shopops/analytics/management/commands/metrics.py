"""shopops metrics --from D --to D [--by day|week|month|channel|source|product|category] [--channel C]
[--metrics a,b] [--json] [--language L]: the metric layer for one shop (``{"rows": [...], "totals": {...}}``),
its step on stderr."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from shopops.analytics.metrics import BY, NOTES
from shopops.analytics.schemas import report_json
from shopops.analytics.selectors import metrics as selectors
from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = ("Shop metrics (UV, PV, buyers, orders, GMV, CVR, AOV, UV value, bounce/cart/fav rates, refunds, new and "
            "returning buyers, repurchase rate) over a period, optionally grouped. Distinct counts are recomputed "
            "per row, never summed.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        self.add_period_arguments(parser)
        parser.add_argument("--by", choices=BY, help="group the rows")
        parser.add_argument("--channel", help="only this channel (e.g. tmall)")
        parser.add_argument("--metrics", help="comma-separated metric names (default: all)")
        self.add_language_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        progress = self.progress(1)
        progress.step(_("Computing the metrics of %(start)s..%(end)s…")
                      % {"start": options["date_from"], "end": options["date_to"]})
        result = selectors.metrics_report(shop=shop, date_from=options["date_from"], date_to=options["date_to"],
                                          by=options["by"], channel=options["channel"], metrics=options["metrics"])
        progress.done()
        result = report_json(result)
        if options["json"]:
            self.emit_json(result)
            return
        names = result["metrics"]
        keys = result["by"]
        table = Table(title=f"{result['period']['from']} – {result['period']['to']}")
        for column in [*keys, *names]:
            table.add_column(column, justify="left" if column in keys else "right")
        for row in [*result["rows"], {**dict.fromkeys(keys, "total"), **result["totals"]}]:
            table.add_row(*("—" if row.get(c) is None else str(row.get(c)) for c in [*keys, *names]))
        Console(file=self.stdout, width=250).print(table)
        for note in result["notes"]:
            self.stdout.write(f"note: {NOTES.get(note, note)}")
