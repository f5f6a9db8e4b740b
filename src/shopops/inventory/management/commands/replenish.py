"""shopops replenish [--date D] [--all] [--approve SKU ...] [--json]: suggested purchase quantities per SKU."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from shopops.core.clock import today
from shopops.core.management.base import ShopOpsCommand
from shopops.inventory import selectors, services

FIELDS = ("sku", "on_hand", "available", "in_transit", "forecast_daily", "safety_stock", "reorder_point",
          "suggested_qty", "reason")


class Command(ShopOpsCommand):
    help = ("Forecast demand and suggest purchase quantities (safety stock, reorder point, order-up-to, MOQ and "
            "case packs). Lists SKUs to reorder (--all: every SKU); --approve SKU... creates draft POs.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("--date", help="plan as of this business date (default: today, or the last sale)")
        parser.add_argument("--all", action="store_true", help="list every SKU, not only those to reorder")
        parser.add_argument("--approve", nargs="+", metavar="SKU", help="create draft POs for these SKUs")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        try:
            end = dt.date.fromisoformat(options["date"]) if options["date"] else today(shop.timezone)
        except ValueError as exc:
            raise CommandError(f"--date: {exc}", returncode=2) from exc
        if options["approve"]:
            orders, skipped = services.replenishment_approve(shop=shop, sku_codes=options["approve"], end=end)
            data = {"purchase_orders": [{"id": o.pk, "number": o.number, "supplier": o.supplier.code,
                                         "lines": [{"sku": li.sku.sku_code, "qty": li.qty_ordered}
                                                   for li in o.lines.select_related("sku")]} for o in orders],
                    "skipped": skipped}
            if options["json"]:
                self.emit_json(data)
            else:
                for o in data["purchase_orders"]:
                    self.stdout.write(f"draft {o['number']} ({o['supplier']}): "
                                      + ", ".join(f"{li['sku']}×{li['qty']}" for li in o["lines"]))
                if skipped:
                    self.stdout.write("skipped (no supplier or nothing to order): " + ", ".join(skipped))
            return
        rows = selectors.replenishment_plan(shop=shop, end=end, lang="en")
        if not options["all"]:
            rows = [r for r in rows if r["suggested_qty"] > 0]
        out = [{k: r[k] for k in FIELDS} | {"supplier": r["supplier"], "reason_code": r["reason_code"]} for r in rows]
        if options["json"]:
            self.emit_json(out)
            return
        table = Table(title=f"Replenishment {end}")
        for column in FIELDS:
            table.add_column(column, justify="left" if column in ("sku", "reason") else "right")
        for r in out:
            table.add_row(*(str(r[k]) for k in FIELDS))
        Console(file=self.stdout, width=200).print(table)
