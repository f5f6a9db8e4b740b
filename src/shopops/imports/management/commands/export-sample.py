"""shopops export-sample FORMAT PATH [--limit N] [--channel-account NAME] [--json]: a realistic file in FORMAT
from the shop's data; an order format's file imports back into the orders it came from, a catalog format's into
the products (``formats.catalog_samples``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.imports import services


class Command(ShopOpsCommand):
    help = "Write a realistic export file in FORMAT from the shop's data (taobao-orders also writes .items.csv)."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("format")
        parser.add_argument("path")
        parser.add_argument("--limit", type=int, default=2000, help="at most this many orders (catalog formats: products; 1 to "
                                                                     "1,000,000)")
        parser.add_argument("--channel-account", help="order formats: the account whose orders are written "
                                                      "(default: the one `shopops import` would import into)")
        self.add_shop_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        if not 1 <= options["limit"] <= 1_000_000:
            raise CommandError("--limit must be between 1 and 1000000.", returncode=2)
        result = services.export_sample(shop=shop, format_name=options["format"], path=options["path"],
                                        limit=options["limit"], channel_account=options["channel_account"])
        if options["json"]:
            self.emit_json(result)
        else:
            self.stdout.write(f"{result['file']}: {result['rows']} rows")
