"""shopops catalog categories list | add CODE NAME [--parent CODE] | rename CODE NAME | move CODE (--parent CODE |
--top) | delete CODE;  shopops catalog products list [--category CODE];  shopops catalog matching list | unmatched |
map ACCOUNT KEY SKU_CODE [--new] | unmap ID  (each with --json, --shop, --language)"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shopops.catalog import selectors, services
from shopops.core.management.base import ShopOpsCommand
from shopops.core.models import Shop

# action → the values it takes after the action (names shown in the usage message)
CATEGORY_ACTIONS = {"list": (), "add": ("CODE", "NAME"), "rename": ("CODE", "NAME"), "move": ("CODE",),
                    "delete": ("CODE",)}
PRODUCT_ACTIONS = {"list": ()}


class Command(ShopOpsCommand):
    help = ("The catalog: `categories list|add|rename|move|delete` manages the category tree (类目); "
            "`products list` shows the products with their category paths; `matching list|unmatched|map|unmap` is "
            "SKU matching (商品对应关系, `shopops matching --help`).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("section", choices=["categories", "products", "matching"])
        parser.add_argument("action", help="categories: list | add | rename | move | delete; products: list")
        parser.add_argument("values", nargs="*", help="add CODE NAME, rename CODE NAME, move CODE, delete CODE")
        parser.add_argument("--parent", default=None, help="add, move: the parent category's code")
        parser.add_argument("--top", action="store_true", help="move: to the top level")
        parser.add_argument("--category", default="", help="products list: only this category (and below it); "
                                                              "matching map --new: the new product's category")
        parser.add_argument("--new", action="store_true", help="matching map: create the SKU from the key's lines")
        self.add_language_argument(parser)
        self.add_shop_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["section"] == "matching":
            self._matching(options)
            return
        with translation.override(options["language"]):
            actions = CATEGORY_ACTIONS if options["section"] == "categories" else PRODUCT_ACTIONS
            action, values = options["action"], options["values"]
            if action not in actions:
                raise CommandError(_("Unknown action %(action)s: use one of %(actions)s.")
                                   % {"action": action, "actions": " | ".join(actions)}, returncode=2)
            if len(values) != len(actions[action]):
                usage = " ".join(["shopops catalog", options["section"], action, *actions[action]])
                raise CommandError(_("Usage: %(usage)s") % {"usage": usage}, returncode=2)
            self.ensure_installed()
            shop = self.resolve_shop(options["shop"])
            getattr(self, f"_{options['section']}_{action}")(shop, options, *values)

    def _matching(self, options: dict[str, Any]) -> None:
        """SKU matching re-links order lines, which the orders app owns (it sits above the catalog): its
        ``matching`` command does the work, called by name."""
        flags = [*(["--json"] if options["json"] else []), *(["--new"] if options["new"] else []),
                 "--language", options["language"], *(["--shop", options["shop"]] if options["shop"] else []),
                 *(["--category", options["category"]] if options["category"] else [])]
        call_command("matching", options["action"], *options["values"], *flags, stdout=self.stdout,
                     stderr=self.stderr)

    def _say(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options["json"]:
            self.emit_json(data)
        else:
            self.stdout.write(text)

    def _category(self, shop: Shop, code: str) -> dict[str, object]:
        row = selectors.category_row(shop=shop, code=code)
        assert row is not None  # just written
        return row.as_dict()

    def _categories_list(self, shop: Shop, options: dict[str, Any]) -> None:
        rows = selectors.category_tree(shop=shop)
        if options["json"]:
            self.emit_json({"items": [row.as_dict() for row in rows], "count": len(rows)})
            return
        if not rows:
            self.stdout.write(_("No categories yet: add one with `shopops catalog categories add CODE NAME`."))
        for row in rows:
            uses = ngettext("%(n)s product", "%(n)s products", row.products) % {"n": row.products}
            self.stdout.write(f"{'  ' * (row.depth - 1)}{row.name}  [{row.code}]  {uses}")

    def _categories_add(self, shop: Shop, options: dict[str, Any], code: str, name: str) -> None:
        services.category_create(shop=shop, code=code, name=name, parent=options["parent"], exists_ok=False)
        data = self._category(shop, code)
        self._say(options, data, _("Created the category %(path)s (%(code)s).") % data)

    def _categories_rename(self, shop: Shop, options: dict[str, Any], code: str, name: str) -> None:
        services.category_rename(shop=shop, code=code, name=name)
        data = self._category(shop, code)
        self._say(options, data, _("Renamed the category %(code)s: %(path)s.") % data)

    def _categories_move(self, shop: Shop, options: dict[str, Any], code: str) -> None:
        if options["top"] == (options["parent"] is not None):
            raise CommandError(_("move needs either --parent CODE or --top."), returncode=2)
        services.category_move(shop=shop, code=code, parent=None if options["top"] else options["parent"])
        data = self._category(shop, code)
        self._say(options, data, _("Moved the category %(code)s: %(path)s.") % data)

    def _categories_delete(self, shop: Shop, options: dict[str, Any], code: str) -> None:
        services.category_delete(shop=shop, code=code)
        self._say(options, {"code": code, "deleted": True}, _("Deleted the category %(code)s.") % {"code": code})

    def _products_list(self, shop: Shop, options: dict[str, Any]) -> None:
        qs, _sort = selectors.product_list(shop=shop, category=options["category"])
        paths = dict(selectors.category_options(shop=shop))
        items = [{"spu_code": p.spu_code, "title": p.title, "category": p.category.code,
                  "category_path": paths.get(p.category.code, p.category.name), "skus": p.sku_count,
                  "status": p.status} for p in qs]
        if options["json"]:
            self.emit_json({"items": items, "count": len(items)})
            return
        for item in items:
            self.stdout.write(f"{item['spu_code']:<20} {item['title']}  ({item['category_path']}; "
                              + ngettext("%(n)s SKU", "%(n)s SKUs", item["skus"]) % {"n": item["skus"]} + ")")
