"""shopops products analyze --from D --to D [--json]: ABC by GMV, 动销率, sell-through, price bands, new vs old."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from rich.console import Console
from rich.table import Table

from shopops.analytics.schemas import products_json
from shopops.analytics.selectors import products as selectors
from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = "Product analysis: `products analyze --from D --to D` (ABC by GMV, 动销率, sell-through, price bands)."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("action", choices=["analyze"])
        self.add_period_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        result = products_json(selectors.products_analysis(shop=shop, date_from=options["date_from"],
                                                           date_to=options["date_to"]))
        if options["json"]:
            self.emit_json(result)
            return
        t = result["totals"]
        self.stdout.write(f"SKUs on sale {t['skus_on_sale']}, sold {t['skus_sold']}, 动销率 {t['sell_rate']}, "
                          f"units {t['units']}, GMV {t['gmv']}, sell-through {t['sell_through']}")
        table = Table(title="ABC")
        for column in ("class", "skus", "skus_sold", "units", "gmv", "share"):
            table.add_column(column, justify="right")
        for name, row in result["abc"].items():
            table.add_row(name, *(str(row[c]) for c in ("skus", "skus_sold", "units", "gmv", "share")))
        Console(file=self.stdout, width=200).print(table)
