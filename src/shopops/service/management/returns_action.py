"""``shopops service returns [--shop S] [--from D --to D] [--json]``: the shop's returns (售后) by status and by
reason, with money as yuan strings (``"123.45"``); the action's arguments and output, kept apart from the
``service`` command's other actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from shopops.core.management.base import ShopOpsCommand
from shopops.core.money import format_fen
from shopops.service import selectors


def _date(value: str | None, flag: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(flag)s needs a date like 2026-11-11.") % {"flag": flag}, returncode=2) from None


def returns_report(*, shop: Any, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict:
    """The action's JSON: ``by_status`` (every return, in the flow's order) and ``by_reason`` (requests of the
    period, rejected ones left out), money as strings with two decimals."""
    by_status = [{"status": r["status"], "name": r["name"], "returns": r["returns"],
                  "asked": format_fen(r["asked_fen"]), "refunded": format_fen(r["refunded_fen"])}
                 for r in selectors.returns_by_status(shop=shop)]
    by_reason = [{"reason": r["reason"], "name": r["name"], "returns": r["returns"], "units": r["units"],
                  "refunded": format_fen(r["refunded_fen"])}
                 for r in selectors.returns_by_reason(shop=shop, date_from=date_from, date_to=date_to)]
    return {"shop": shop.code, "date_from": date_from.isoformat() if date_from else None,
            "date_to": date_to.isoformat() if date_to else None,
            "returns": sum(r["returns"] for r in by_status), "by_status": by_status, "by_reason": by_reason}


def run_returns(command: ShopOpsCommand, shop: Any, options: dict[str, Any]) -> None:
    date_from, date_to = _date(options.get("date_from"), "--from"), _date(options.get("date_to"), "--to")
    if date_from and date_to and date_from > date_to:
        raise CommandError(_("--from must not be after --to."), returncode=2)
    report = returns_report(shop=shop, date_from=date_from, date_to=date_to)
    if options["json"]:
        command.emit_json(report)
        return
    if not report["returns"]:
        command.stdout.write(_("No returns yet."))
        return
    command.stdout.write(_("Returns by status"))
    for row in report["by_status"]:
        command.stdout.write(f"  {row['name']:<12} {row['returns']:>6}  {row['asked']:>12}  {row['refunded']:>12}")
    command.stdout.write(_("Returns by reason"))
    for row in report["by_reason"]:
        command.stdout.write(f"  {row['name']:<12} {row['returns']:>6}  {row['units']:>6}  {row['refunded']:>12}")
