"""shopops listings ACTION: channel listings (商品上架与优化) from the command line. Each action's arguments and
code are in functions of their own (``<action>_arguments``, ``<action>_run``), registered in ``ACTIONS``.

  audit shopops listings audit [--channel C] [--json]
        audits every listing of the shop (or of one channel) by its platform's rules, saves the audits and
        to-dos, and prints them worst first: [{"listing", "item_id", "channel", "score", "problems": [{"rule",
        "severity", "message", "span", …}], …}]. ``listing`` is our listing id (the platform's item id is
        ``item_id``); docs/rules/listings.md#audit
  check shopops listings check --channel C --title T [--json]
        → {"channel", "title", "length": {"value", "limit", "unit"}, "score", "problems": [...]}: one title under
        a channel's rules with the shop dictionary (docs/rules/listings.md#title-rules)
  suggest shopops listings suggest LISTING [--from D --to D] [--json]
        a title suggestion for one listing with its keyword coverage before and after
        (listings/management/suggest_action.py, docs/rules/listings.md#title-suggestion)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shopops.channels.domain import channel_code_of
from shopops.channels.labels import channel_label
from shopops.core.management.base import ActionCommand, ShopOpsCommand
from shopops.listings.management.suggest_action import suggest_arguments, suggest_run
from shopops.listings.selectors import audits as audit_selectors
from shopops.listings.services.audits import audit_listings


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _channel(value: str | None) -> str | None:
    if value is None:
        return None
    code = channel_code_of(value)
    if code is None:
        raise _refuse(_("--channel: “%(value)s” is not a channel (use a code like tmall or a name like 天猫).")
                      % {"value": value})
    return code


def _problem_line(problem: dict[str, Any]) -> str:
    span = f" «{problem['span']}»" if problem.get("span") else ""
    return f"    [{problem['severity']}] {problem['rule']}: {problem['message']}{span}"


# ------------------------------------------------------------------------------------------------ audit

def audit_arguments(parser: CommandParser) -> None:
    parser.add_argument("--channel", help="audit/check: a channel code (tmall) or name (天猫)")


def audit_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """Audit the shop's listings (saving audits and to-dos), then print them worst first."""
    shop = command.resolve_shop(options["shop"])
    channel = _channel(options["channel"])
    progress = command.progress(1)
    progress.step(_("auditing listings…"))
    audit_listings(shop=shop, channel=channel)
    progress.done()
    items = [audit_selectors.audit_json(a) for a in audit_selectors.audits(shop=shop, channel=channel)]
    if options["json"]:
        command.emit_json(items)
        return
    for item in items:
        command.stdout.write(f"{item['score']:>3}  #{item['listing']} {channel_label(item['channel'])} "
                             f"{item['title']}")
        for problem in item["problems"]:
            command.stdout.write(_problem_line(problem))
    command.stdout.write(_("%(count)s listings audited.") % {"count": len(items)})


# ------------------------------------------------------------------------------------------------ check

def check_arguments(parser: CommandParser) -> None:
    parser.add_argument("--title", help="check: the title to check")


def check_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """One title under a channel's rules (nothing saved)."""
    if not options["channel"] or options["title"] is None:
        raise _refuse(_("check needs --channel C and --title T."))
    shop = command.resolve_shop(options["shop"])
    result = audit_selectors.title_check(shop=shop, channel=options["channel"], title=options["title"])
    if options["json"]:
        command.emit_json(result)
        return
    length = result["length"]
    command.stdout.write(_("%(channel)s, score %(score)s, length %(value)s / %(limit)s %(unit)s") % {
        "channel": channel_label(result["channel"]), "score": result["score"], "value": length["value"],
        "limit": length["limit"] if length["limit"] is not None else "—", "unit": length["unit"]})
    for problem in result["problems"]:
        command.stdout.write(_problem_line(problem))


ARGUMENTS: tuple[Callable[[CommandParser], None], ...] = (audit_arguments, check_arguments, suggest_arguments)
ACTIONS: dict[str, Callable[[ShopOpsCommand, dict[str, Any]], None]] = {"audit": audit_run, "check": check_run,
                                                                         "suggest": suggest_run}


class Command(ActionCommand):
    help = ("Channel listings: `audit` (every listing by its platform's rules, worst first; `listing` in the JSON "
            "is our listing id, `item_id` the platform's), `check` (one title under a channel's rules), `suggest LISTING` "
            "(a title suggestion from the shop's search terms, with keyword coverage before and after; --json prints "
            "{listing, channel, title, suggestion, length, before, after, added_terms, added_words, dropped_words, "
            "gaps, root_gaps}).")
    actions = ACTIONS
    arguments = ARGUMENTS
