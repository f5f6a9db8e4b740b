"""shopops service ACTION [--json]: customer service from the command line, one function per action.

``dsr [--from D --to D] [--channel C]``: the shop's DSR (店铺动态评分) by Taobao's rules (docs/rules/dsr.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from shopops.core.i18n import say
from shopops.core.management.base import ShopOpsCommand
from shopops.service import selectors
from shopops.service.dsr import DIMENSION_LABELS


def dsr_action(command: ShopOpsCommand, shop: Any, options: dict[str, Any]) -> None:
    """The DSR over the 180-day window ending on ``--to`` (today), or from ``--from``."""
    result = selectors.shop_dsr(shop=shop, date_from=options.get("date_from"), date_to=options.get("date_to"),
                                channel=options.get("channel") or None)
    if options["json"]:
        command.emit_json(result)
        return
    command.stdout.write(_("DSR from %(start)s to %(end)s") % {"start": result["from"], "end": result["to"]})
    for name, label in DIMENSION_LABELS.items():
        command.stdout.write(f"  {say(label)}: {result[name] or '—'}")
    command.stdout.write(_("  counted reviews: %(counted)s, excluded: %(excluded)s")
                         % {"counted": result["counted"], "excluded": result["excluded"]})


ACTIONS: dict[str, Callable[[ShopOpsCommand, Any, dict[str, Any]], None]] = {"dsr": dsr_action}


class Command(ShopOpsCommand):
    help = "Customer service: `dsr [--from D --to D]` (the shop's DSR by Taobao's rules)."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("action", choices=sorted(ACTIONS))
        parser.add_argument("--from", dest="date_from", default=None,
                            help="dsr: first date of the ratings (default: 180 days up to --to)")
        parser.add_argument("--to", dest="date_to", default=None, help="dsr: the as-of date (default: today)")
        parser.add_argument("--channel", default=None, help="dsr: only this channel's reviews (e.g. taobao)")
        self.add_language_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        ACTIONS[options["action"]](self, shop, options)
