"""shopops catalog matching list | unmatched | map ACCOUNT KEY SKU_CODE [--new] [--category CODE] | unmap ID
(also ``shopops matching …``; each with --json, --shop, --language): SKU matching, docs/rules/sku-matching.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shopops.catalog import selectors as catalog_selectors
from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_account_named, channel_accounts
from shopops.core.management.base import ShopOpsCommand
from shopops.core.models import Shop
from shopops.core.money import format_fen
from shopops.orders import selectors, services

# action → the values it takes after the action (names shown in the usage message)
ACTIONS = {"list": (), "unmatched": (), "map": ("ACCOUNT", "KEY", "SKU_CODE"), "unmap": ("ID",)}


class Command(ShopOpsCommand):
    help = ("SKU matching (商品对应关系): `unmatched` lists the order lines not matched to a SKU by key, `list` the "
            "mappings, `map ACCOUNT KEY SKU_CODE` maps a key (with --new: to a SKU created with that code from its "
            "lines), `unmap ID` removes a mapping. Also `shopops catalog matching …`.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", help="list | unmatched | map | unmap")
        parser.add_argument("values", nargs="*", help="map ACCOUNT KEY SKU_CODE, unmap ID")
        parser.add_argument("--new", action="store_true", help="map: create the SKU from the key's lines")
        parser.add_argument("--category", default="", help="map --new: the new product's category (default 未分类)")
        self.add_language_argument(parser)
        self.add_shop_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            action, values = options["action"], options["values"]
            if action not in ACTIONS:
                raise CommandError(_("Unknown action %(action)s: use one of %(actions)s.")
                                   % {"action": action, "actions": " | ".join(ACTIONS)}, returncode=2)
            if len(values) != len(ACTIONS[action]):
                usage = " ".join(["shopops catalog matching", action, *ACTIONS[action]])
                raise CommandError(_("Usage: %(usage)s") % {"usage": usage}, returncode=2)
            self.ensure_installed()
            shop = self.resolve_shop(options["shop"])
            getattr(self, f"_{action}")(shop, options, *values)

    def _names(self, shop: Shop) -> dict[int, str]:
        return {a.pk: a.name for a in channel_accounts(shop=shop)}

    def _unmatched(self, shop: Shop, options: dict[str, Any]) -> None:
        names = self._names(shop)
        items = [{"channel_account": names.get(g.channel_account_id, ""), "channel_name": channel_label(g.channel),
                  "key": g.match_key, "seller_code": g.seller_code, "platform_item_id": g.platform_item_id,
                  "platform_sku_id": g.platform_sku_id, "title": g.title, "spec": g.spec, "lines": g.lines,
                  "units": g.units, "gmv": format_fen(g.gmv_fen), "first_seen": g.first_seen.isoformat(),
                  "last_seen": g.last_seen.isoformat()} for g in selectors.unmatched_groups(shop=shop)]
        if options["json"]:
            self.emit_json({"items": items, "count": len(items)})
            return
        if not items:
            self.stdout.write(_("Every order line is matched to a SKU."))
        for item in items:
            self.stdout.write(f"{item['channel_account']}  {item['key']}  {item['title']} {item['spec']}  "
                              + ngettext("%(n)s line", "%(n)s lines", item["lines"]) % {"n": item["lines"]}
                              + f"  ¥{item['gmv']}")

    def _list(self, shop: Shop, options: dict[str, Any]) -> None:
        names = self._names(shop)
        items = [{"id": m.pk, "channel_account": names.get(m.channel_account_id, ""), "key": m.match_key,
                  "sku_code": m.sku.sku_code, "title": m.title, "spec": m.spec,
                  "created_at": m.created_at.isoformat()} for m in catalog_selectors.sku_mappings(shop=shop)]
        if options["json"]:
            self.emit_json({"items": items, "count": len(items)})
            return
        if not items:
            self.stdout.write(_("No mappings yet."))
        for item in items:
            self.stdout.write(f"{item['id']:>6}  {item['channel_account']}  {item['key']}  → {item['sku_code']}")

    def _map(self, shop: Shop, options: dict[str, Any], account_name: str, key: str, sku_code: str) -> None:
        account = channel_account_named(shop=shop, name=account_name)
        if account is None:
            raise CommandError(_("No channel account named %(name)s.") % {"name": account_name}, returncode=2)
        if options["new"]:
            done = services.matching_map(shop=shop, channel_account_id=account.pk, match_key=key,
                                         new_sku_code=sku_code, category=options["category"])
        else:
            sku = catalog_selectors.sku_by_code(shop=shop, sku_code=sku_code)
            if sku is None:
                raise CommandError(_("No SKU with the code %(code)s.") % {"code": sku_code}, returncode=2)
            done = services.matching_map(shop=shop, channel_account_id=account.pk, match_key=key, sku_id=sku.pk)
        data = {"id": done.mapping_id, "sku_id": done.sku_id, "sku_code": sku_code, "lines": done.lines}
        self._say(options, data, ngettext("Matched: %(n)s order line now points to the SKU.",
                                          "Matched: %(n)s order lines now point to the SKU.", done.lines)
                  % {"n": done.lines})

    def _unmap(self, shop: Shop, options: dict[str, Any], mapping_id: str) -> None:
        if not mapping_id.isdigit():
            raise CommandError(_("The mapping id must be a number."), returncode=2)
        done = services.matching_unmap(shop=shop, mapping_id=int(mapping_id))
        data = {"id": done.mapping_id, "sku_id": done.sku_id, "lines": done.lines}
        self._say(options, data, ngettext("Mapping removed: %(n)s order line re-matched.",
                                          "Mapping removed: %(n)s order lines re-matched.", done.lines)
                  % {"n": done.lines})

    def _say(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options["json"]:
            self.emit_json(data)
        else:
            self.stdout.write(text)
