"""shopops price quote --cart FILE [--json] [--language en]: the 到手价 of a cart under a set of promotions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from shopops.core.clock import now
from shopops.core.management.base import ShopOpsCommand, read_json_argument
from shopops.pricing.messages import CartRequest, quote_said


class Command(ShopOpsCommand):
    help = "Quote a cart (JSON file, '-' for standard input) under its promotions: 到手价, discounts, reasons."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["quote"])
        parser.add_argument("--cart", required=True, help="cart JSON file, or - for standard input")
        self.add_language_argument(parser, help="language of problems and reasons")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            data = read_json_argument(options["cart"], what=_("the cart"))
            result = quote_said(CartRequest.model_validate(data), now=now())
            if options["json"]:
                self.emit_json(result)
            else:
                self.show(result)

    def show(self, result: dict[str, Any]) -> None:
        table = Table(title=_("到手价 quote"))
        for column in ("line", "sku", "qty", "price", "item_price", "pay", "discounts"):
            table.add_column(column, justify="right" if column in ("qty", "price", "item_price", "pay") else "left")
        for line in result["lines"]:
            discounts = ", ".join(f"{d['promotion']} −{d['amount']}" for d in line["discounts"])
            table.add_row(str(line["line"]), str(line["sku"]), str(line["qty"]), line["price"], line["item_price"],
                          line["pay"], discounts)
        console = Console(file=self.stdout, width=120)
        console.print(table)
        console.print(_("total %(total)s  discount %(discount)s  pay %(pay)s") % {
            "total": result["total_price"], "discount": result["total_discount"], "pay": result["total_pay"]})
        for rejected in result["rejected"]:
            reason = _("not applied: %(promotion)s — %(reason)s") % {
                "promotion": rejected["promotion"], "reason": rejected["reason"]}
            console.print(f"[dim]{reason}[/dim]")
