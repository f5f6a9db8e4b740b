"""shopops service ACTION: customer service from the command line. Each action's arguments and code are in
functions of their own (``<action>_arguments``, ``<action>_run``), registered in ``ACTIONS``.

  dsr   shopops service dsr [--from D --to D] [--channel C] [--json]
        → {"description", "service", "logistics", "counted", "excluded", …}: the shop's DSR (店铺动态评分) by
        Taobao's rules (docs/rules/dsr.md) as of --to (today), over the 180 days up to it or from --from
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

# ------------------------------------------------------------------------------------------------ dsr


def dsr_arguments(parser: CommandParser) -> None:
    parser.add_argument("--from", dest="date_from", default=None,
                        help="dsr: first date of the ratings (YYYY-MM-DD; default: the 180 days up to --to)")
    parser.add_argument("--to", dest="date_to", default=None, help="dsr: the as-of date (YYYY-MM-DD; default today)")
    parser.add_argument("--channel", default=None, help="dsr: only this channel's reviews (e.g. tmall)")


def dsr_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """The DSR per dimension (two decimals, null without ratings) and the reviews counted and left out."""
    shop = command.resolve_shop(options["shop"])
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


# ------------------------------------------------------------------------------------------------ command

ACTIONS: dict[str, Callable[[ShopOpsCommand, dict[str, Any]], None]] = {"dsr": dsr_run}
ARGUMENTS: tuple[Callable[[CommandParser], None], ...] = (dsr_arguments,)


class Command(ShopOpsCommand):
    help = "Customer service: `dsr` (the shop's DSR by Taobao's rules)."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=list(ACTIONS))
        self.add_shop_argument(parser)
        self.add_language_argument(parser)
        for add in ARGUMENTS:
            add(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        ACTIONS[options["action"]](self, options)
