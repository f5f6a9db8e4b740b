"""shopops service ACTION: customer service (客服) from the command line. Each action's arguments and code are in
functions of their own (``<action>_arguments``, ``<action>_run``), registered in ``ACTIONS``; ``--from``/``--to``
are shared by the actions that read a period.

  due   shopops service due --start "YYYY-MM-DD HH:MM" --hours H [--calendar NAME] [--json]
        → {"due": "YYYY-MM-DD HH:MM"}: H business hours after the start on the shop's default calendar
  sla   shopops service sla [--from D --to D] [--json]: SLA attainment per agent and channel, and breaches
  chats shopops service chats [--from D --to D] [--json]
        the chat KPIs per agent and per channel over a period (default: the 30 days up to the last chat),
        docs/rules/service-chats.md
  dsr   shopops service dsr [--from D --to D] [--channel C] [--json]
        → {"description", "service", "logistics", "counted", "excluded", …}: the shop's DSR (店铺动态评分) by
        Taobao's rules (docs/rules/dsr.md) as of --to (today), over the 180 days up to it or from --from
  returns shopops service returns [--from D --to D] [--json]
        the shop's returns (售后) by status and by reason (service/management/returns_action.py)
  experience shopops service experience [--to D] [--json]
        → {"from", "to", "days", "components": [...]}: the 店铺体验分 indicators measurable from the imported
        data over the 90 days up to --to (today), never a weighted score (docs/rules/experience-score.md)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from shopops.core.clock import now, today
from shopops.core.errors import InvalidInput
from shopops.core.i18n import say
from shopops.core.management.base import ActionCommand, ShopOpsCommand
from shopops.service import calendar as cal
from shopops.service import selectors
from shopops.service.dsr import DIMENSION_LABELS
from shopops.service.management.returns_action import run_returns
from shopops.service.selectors import chats as chat_selectors
from shopops.service.selectors.calendars import calendar_for
from shopops.service.selectors.experience import experience_report, group_names
from shopops.service.selectors.tickets import sla_attainment

MAX_HOURS = Decimal(100_000)
MINUTE = "%Y-%m-%d %H:%M"
SLA_DAYS = 30  # `service sla` without --from/--to: the tickets opened in the last 30 days


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


# ------------------------------------------------------------------------------------------------ due

def due_arguments(parser: CommandParser) -> None:
    parser.add_argument("--start", help="due: the start, local time of the calendar (YYYY-MM-DD HH:MM)")
    parser.add_argument("--hours", help="due: business hours to add (e.g. 4 or 1.5)")
    parser.add_argument("--calendar", help="due: a business calendar's name (default: the shop's default)")


def due_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """The instant ``--hours`` business hours after ``--start`` (a start outside working time starts at the
    next opening)."""
    if not options["start"] or options["hours"] is None:
        raise _refuse(_("due needs --start \"YYYY-MM-DD HH:MM\" and --hours H."))
    try:
        start = dt.datetime.strptime(options["start"].strip(), MINUTE)  # noqa: DTZ007 (local: zone set below)
    except ValueError:
        raise _refuse(_("--start: “%(value)s” is not a time like 2024-02-09 17:30.")
                      % {"value": options["start"]}) from None
    try:
        hours = Decimal(options["hours"].strip())
    except InvalidOperation:
        hours = Decimal("NaN")
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise _refuse(_("--hours: “%(value)s” is not a number of hours from 0 to %(max)s.")
                      % {"value": options["hours"], "max": MAX_HOURS})
    shop = command.resolve_shop(options["shop"])
    calendar = calendar_for(shop=shop, name=options["calendar"])
    if calendar is None:
        raise _refuse(_("No business calendar named %(name)s.") % {"name": options["calendar"]})
    seconds = int((hours * 3600).to_integral_value())
    try:
        due = cal.add_business_hours(start.replace(tzinfo=calendar.zone), dt.timedelta(seconds=seconds), calendar)
    except InvalidInput as exc:  # the calendar barely opens: the pure module's English text, said here
        raise _refuse(say(exc.detail)) from None
    result = {"due": due.strftime(MINUTE)}
    if options["json"]:
        command.emit_json(result)
    else:
        command.stdout.write(result["due"])


# ------------------------------------------------------------------------------------------------ sla

def _date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _refuse(_("%(option)s: “%(value)s” is not a date like 2024-10-08.")
                      % {"option": option, "value": value}) from None


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def sla_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """SLA attainment per agent and per channel of the tickets opened in the period, and every breach."""
    shop = command.resolve_shop(options["shop"])
    date_to = _date("--to", options["date_to"]) if options["date_to"] else today(shop.timezone)
    date_from = (_date("--from", options["date_from"]) if options["date_from"]
                 else date_to - dt.timedelta(days=SLA_DAYS - 1))
    if date_from > date_to:
        raise _refuse(_("--from must not be after --to."))
    report = sla_attainment(shop=shop, date_from=date_from, date_to=date_to, now=now())
    if options["json"]:
        command.emit_json(report)
        return
    write = command.stdout.write
    write(_("SLA attainment, tickets opened %(start)s to %(end)s") % {"start": date_from, "end": date_to})
    for title, rows, key in ((_("By agent"), report["by_agent"], "assignee"),
                             (_("By channel"), report["by_channel"], "channel")):
        write(f"\n{title}")
        for row in rows:
            write(f"  {row[key] or _('(none)')}: {_('tickets')} {row['tickets']}  "
                  f"{_('first response')} {_rate(row['first_response']['rate'])}  "
                  f"{_('next response')} {_rate(row['next_response']['rate'])}  "
                  f"{_('resolution')} {_rate(row['resolution']['rate'])}")
    write(f"\n{_('Breaches')}: {len(report['breaches'])}")
    for breach in report["breaches"]:
        due = breach["due"].strftime(MINUTE) if breach["due"] is not None else "—"
        write(f"  #{breach['ticket']} {breach['subject']}  {breach['target']}  {due}")


# ------------------------------------------------------------------------------------------------ experience


def experience_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """The 店铺体验分 indicators of the 90 days up to --to, each with its count or why there is no data."""
    shop = command.resolve_shop(options["shop"])
    as_of = _date("--to", options["date_to"]) if options["date_to"] else None
    report = experience_report(shop, as_of)
    if options["json"]:
        command.emit_json(report)
        return
    write = command.stdout.write
    write(_("Shop experience score indicators, %(start)s to %(end)s") % {"start": report["from"], "end": report["to"]})
    groups = group_names()
    for key, name in groups.items():
        write(f"\n{name}")
        for c in (c for c in report["components"] if c["group"] == key):
            if c["value"] is None:
                shown = f"{_('No data')} ({c['no_data_reason']})"
            elif c["unit"] == "seconds":
                shown = _("%(seconds)s s") % {"seconds": c["value"]}
            else:
                shown = f"{Decimal(c['value']):.2%}"
                if c["denominator"]:
                    shown += f"  ({c['numerator']}/{c['denominator']})"
            write(f"  {c['name']}: {shown}")


# ------------------------------------------------------------------------------------------------ command


# ------------------------------------------------------------------------------------------------ period


def period_arguments(parser: CommandParser) -> None:
    parser.add_argument("--from", dest="date_from", default=None,
                        help="first date (YYYY-MM-DD; sla: default the last 30 days; chats: default the 30 days up to the last chat; dsr: the "
                             "180 days up to --to; returns: first request date, default all)")
    parser.add_argument("--to", dest="date_to", default=None,
                        help="last date (YYYY-MM-DD; dsr, experience: the as-of date, default today; returns: last request date)")

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

ACTIONS: dict[str, Callable[[ShopOpsCommand, dict[str, Any]], None]] = {
    "due": due_run, "sla": sla_run, "chats": chats_run, "dsr": dsr_run, "returns": returns_run,
    "experience": experience_run}
ARGUMENTS: tuple[Callable[[CommandParser], None], ...] = (period_arguments, due_arguments, dsr_arguments)


class Command(ActionCommand):
    help = ("Customer service: `due` (a due time on the shop's business calendar), `sla` (SLA attainment per "
            "agent and channel, breaches), `chats` (chat KPIs per agent: sessions, 询单, 询单转化率, first response, 有效回复率); "
            "`dsr` (the shop's DSR by Taobao's rules); `returns` (returns and exchanges by status and by reason).")
    actions = ACTIONS
    arguments = ARGUMENTS
