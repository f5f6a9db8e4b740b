"""shopops stock move --sku X --qty N --type receipt|adjustment|count|return --ref R [--location L] [--json]
shopops stock show --sku X [--json]
shopops stock sync [--json]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from shopops.core.management.base import ShopOpsCommand
from shopops.inventory import selectors, services
from shopops.inventory.adapters import FileAdapter


class Command(ShopOpsCommand):
    help = ("Stock: `move` records a receipt, return, adjustment or count (idempotent by --ref); `show` prints a "
            "SKU's balances per location; `sync` computes each channel's quantity and writes the 库存同步 files.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["move", "show", "sync"])
        self.add_shop_argument(parser)
        parser.add_argument("--sku")
        parser.add_argument("--qty")
        parser.add_argument("--type", default="receipt", choices=["receipt", "adjustment", "count", "return"])
        parser.add_argument("--ref")
        parser.add_argument("--location")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        getattr(self, f"_{options['action']}")(shop, options)

    def _need(self, options: dict, *names: str) -> None:
        missing = [f"--{n}" for n in names if not options.get(n)]
        if missing:
            raise CommandError(f"{options['action']} needs {', '.join(missing)}", returncode=2)

    def _move(self, shop, options: dict) -> None:
        self._need(options, "sku", "qty", "ref")
        try:
            result = services.stock_move(shop=shop, sku_code=options["sku"], qty=options["qty"], type=options["type"],
                                         ref=options["ref"], location_code=options["location"])
        except services.StockConflict as exc:
            raise CommandError(f"{exc.detail} (available: {exc.available})", returncode=2) from exc
        moves = [{"id": m.pk, "location": m.location.code, "type": m.type, "qty": m.qty, "ref": m.ref}
                 for m in result.moves]
        sku = selectors.sku_get(shop=shop, sku_code=options["sku"])
        data = {"created": result.created, "moves": moves, "sku": sku.sku_code,
                **selectors.balances_for_sku(shop=shop, sku_id=sku.pk)}
        if options["json"]:
            self.emit_json(data)
        else:
            verb = "recorded" if result.created else "already recorded (same ref)"
            self.stdout.write(f"{options['type']} {options['qty']} × {sku.sku_code}: {verb}; "
                              f"on hand {data['total']['on_hand']}, available {data['total']['available']}")

    def _show(self, shop, options: dict) -> None:
        self._need(options, "sku")
        sku = selectors.sku_get(shop=shop, sku_code=options["sku"])
        if sku is None:
            raise CommandError(f"No SKU {options['sku']!r} in {shop.code}.", returncode=2)
        data = {"sku": sku.sku_code, **selectors.balances_for_sku(shop=shop, sku_id=sku.pk)}
        if options["json"]:
            self.emit_json(data)
            return
        table = Table(title=f"{sku.sku_code} stock")
        for column in ("location", "on_hand", "reserved", "pooled", "available", "in_transit"):
            table.add_column(column, justify="left" if column == "location" else "right")
        for row in [*data["locations"], {"location": "total", **data["total"]}]:
            table.add_row(row["location"], *(str(row[k]) for k in ("on_hand", "reserved", "pooled", "available",
                                                                    "in_transit")))
        Console(file=self.stdout, width=120).print(table)

    def _sync(self, shop, options: dict) -> None:
        adapter = FileAdapter(Path(settings.EXPORTS_DIR) / "stock-sync")
        result = services.stock_sync(shop=shop, adapter=adapter)
        channels: dict[str, dict] = {}
        for row in result["rows"]:
            c = channels.setdefault(row["channel"], {"channel": row["channel"], "qty": 0, "change": 0, "skus": 0,
                                                     "changed_skus": 0, "stale": 0})
            c["qty"] += row["qty"]
            c["change"] += row["change"]
            c["skus"] += 1
            c["changed_skus"] += row["change"] != 0
            c["stale"] += row.get("status") == "stale"
        data = {"at": result["at"], "channels": list(channels.values()), "files": result["files"],
                "items": [{k: r[k] for k in ("channel", "sku", "qty", "previous", "change", "status")}
                          for r in result["rows"]]}
        if options["json"]:
            self.emit_json(data)
            return
        table = Table(title="库存同步 stock sync")
        for column in ("channel", "skus", "qty", "change", "changed_skus", "stale"):
            table.add_column(column, justify="left" if column == "channel" else "right")
        for c in data["channels"]:
            table.add_row(c["channel"], str(c["skus"]), str(c["qty"]), f"{c['change']:+d}", str(c["changed_skus"]),
                          str(c["stale"]))
        console = Console(file=self.stdout, width=120)
        console.print(table)
        for path in data["files"]:
            console.print(f"wrote {path}")
