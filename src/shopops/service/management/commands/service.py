"""shopops service ACTION: customer service (客服) from the command line. Each action's arguments and code are in
functions of their own (``<action>_arguments``, ``<action>_run``), registered in ``ACTIONS``; ``--from``/``--to``
are shared by the actions that read a period.

  chats shopops service chats [--from D --to D] [--json]
        the chat KPIs per agent and per channel over a period (default: the 30 days up to the last chat),
        docs/rules/service-chats.md
  dsr   shopops service dsr [--from D --to D] [--channel C] [--json]
        → {"description", "service", "logistics", "counted", "excluded", …}: the shop's DSR (店铺动态评分) by
        Taobao's rules (docs/rules/dsr.md) as of --to (today), over the 180 days up to it or from --from
  returns shopops service returns [--from D --to D] [--json]
        the shop's returns (售后) by status and by reason (service/management/returns_action.py)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from shopops.core.i18n import say
from shopops.core.management.base import ShopOpsCommand
from shopops.service import selectors
from shopops.service.dsr import DIMENSION_LABELS
from shopops.service.management.returns_action import run_returns
from shopops.service.selectors import chats as chat_selectors

# ------------------------------------------------------------------------------------------------ period


def period_arguments(parser: CommandParser) -> None:
    parser.add_argument("--from", dest="date_from", default=None,
                        help="first date (YYYY-MM-DD; chats: default the 30 days up to the last chat; dsr: the "
                             "180 days up to --to; returns: first request date, default all)")
    parser.add_argument("--to", dest="date_to", default=None,
                        help="last date (YYYY-MM-DD; dsr: the as-of date, default today; returns: last request date)")

# ------------------------------------------------------------------------------------------------ chats


def _percent(value: object) -> str:
    return "—" if value is None else f"{float(str(value)) * 100:.1f}%"


def _seconds(value: object) -> str:
    return "—" if value is None else f"{float(str(value)):.0f}"


def chats_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """Per agent: sessions, 询单 buyer-days, converted, 询单转化率, first response (avg, p50), 有效回复率."""
    shop = command.resolve_shop(options["shop"])
    report = chat_selectors.chat_kpis_report(shop=shop, date_from=options["date_from"], date_to=options["date_to"])
    if options["json"]:
        command.emit_json(report)
        return
    table = Table(title=_("Chats %(start)s – %(end)s") % {"start": report["from"], "end": report["to"]})
    headers = [_("Agent"), _("Sessions"), _("Inquiries"), _("Converted"), _("Inquiry conversion"),
               _("First response avg (s)"), _("First response p50 (s)"), _("Effective reply rate")]
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right")
    agents = report["agents"]
    assert isinstance(agents, list)
    total = report["total"]
    for row in [*agents, *([{**total, "agent": _("Total")}] if isinstance(total, dict) else [])]:
        table.add_row(str(row["agent"] or _("(unassigned)")), str(row["sessions"]), str(row["inquiries"]),
                      str(row["converted"]), _percent(row["inquiry_conversion"]),
                      _seconds(row["first_response_avg_seconds"]), _seconds(row["first_response_p50_seconds"]),
                      _percent(row["effective_reply_rate"]))
    Console(file=command.stdout, width=200).print(table)
    if not agents:
        command.stdout.write(_("No chats in this period: import a chat export (shopops import qianniu-chats FILE)."))


# ------------------------------------------------------------------------------------------------ dsr


def dsr_arguments(parser: CommandParser) -> None:
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


# ------------------------------------------------------------------------------------------------ returns


def returns_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    run_returns(command, command.resolve_shop(options["shop"]), options)


# ------------------------------------------------------------------------------------------------ command

ACTIONS: dict[str, Callable[[ShopOpsCommand, dict[str, Any]], None]] = {"chats": chats_run, "dsr": dsr_run,
                                                                      "returns": returns_run}
ARGUMENTS: tuple[Callable[[CommandParser], None], ...] = (period_arguments, dsr_arguments)


class Command(ShopOpsCommand):
    help = ("Customer service: `chats` (chat KPIs per agent: sessions, 询单, 询单转化率, first response, 有效回复率); "
            "`dsr` (the shop's DSR by Taobao's rules); `returns` (returns and exchanges by status and by reason).")
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
