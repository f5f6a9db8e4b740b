"""shopops competitors [--refresh] [--shop CODE] [--json]: the rival shops and their items with the latest
observation (price, promotion price, sales, reviews, rank) and the changes of the last 30 days
(docs/rules/listings.md#competitors). ``--refresh`` first runs the change detection (rivals found in the
imported snapshots, to-dos for new changes — each change once).

JSON: ``[{"id", "name", "channel", "note", "items": [{"id", "item_id", "title", "url", "rivals": [listing ids],
"latest": {"date", "price", "promo_price", "sales_estimate", "reviews", "rank", "title", "source"} | null,
"changes": ["below_price" | "below_floor" | "promo" | "title" | "image"]}]}]`` — money as yuan strings; with
``--refresh`` the object ``{"detected": {kind: count}, "competitors": [...]}``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.channels.labels import channel_label
from shopops.core.management.base import ShopOpsCommand
from shopops.listings.selectors.competitors import competitors_json
from shopops.listings.services.competitors import competitor_changes_detect


class Command(ShopOpsCommand):
    help = "Rival shops and their items: latest price, promotion price and changes; --refresh runs the detection."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("--refresh", action="store_true",
                            help="find rivals in the imported snapshots and raise to-dos for new changes first")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        detected = competitor_changes_detect(shop=shop) if options["refresh"] else None
        data = competitors_json(shop=shop)
        if options["json"]:
            self.emit_json(data if detected is None else {"detected": detected, "competitors": data})
            return
        if detected is not None:
            self.stdout.write("detected: " + (", ".join(f"{k} {v}" for k, v in detected.items()) or "nothing new"))
        if not data:
            self.stdout.write("no competitor")
        for competitor in data:
            channel = f" ({channel_label(competitor['channel'])})" if competitor["channel"] else ""
            self.stdout.write(f"{competitor['name']}{channel}")
            for item in competitor["items"]:
                now = item["latest"] or {}
                self.stdout.write(f"  {item['item_id']} {item['title']}: price {now.get('price') or '—'}, "
                                  f"promo {now.get('promo_price') or '—'}, {now.get('date') or '—'}"
                                  f"{'  [' + ', '.join(item['changes']) + ']' if item['changes'] else ''}")
