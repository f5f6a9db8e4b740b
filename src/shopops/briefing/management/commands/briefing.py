"""shopops briefing [--date D] [--send] [--shop CODE] [--json]: the daily report of a day (default yesterday)
as text, or as JSON; ``--send`` pushes it now to the shop's active group robots (exit 1 if one failed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shopops.analytics.domain import FIRST_DAY, LAST_DAY, day_in_range
from shopops.briefing.render import robot_text
from shopops.briefing.selectors import briefing_report, report_day
from shopops.briefing.services import briefing_push
from shopops.core.management.base import ShopOpsCommand


def report_json(report: dict) -> dict:
    """The report as JSON: KPI values as the metric layer gives them (money in integer fen, rates 0..1),
    changes as numbers or null, dates as YYYY-MM-DD."""
    kpis = report["kpis"]
    return {
        "shop": report["shop"], "date": report["date"].isoformat(),
        "kpis": [{"key": c["key"], "label": str(c["label"]), "kind": c["kind"], "value": c["value"],
                  "previous": c["previous"], "week_ago": c["week_ago"], "change_prev": c["change_prev"],
                  "change_wow": c["change_wow"]} for c in kpis["cards"]],
        "todos": {**report["todos"], "top": [{**item, "due_date": item["due_date"].isoformat()
                                              if item["due_date"] else None} for item in report["todos"]["top"]]},
    }


class Command(ShopOpsCommand):
    help = ("The daily report (yesterday's key metrics vs the day before and the same weekday last week, the open "
            "alerts and to-dos); --send pushes it to the shop's group robots now.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("--date", help="business date YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--send", action="store_true", help="push it to the active group robots now")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else report_day(shop)
        except ValueError as exc:
            raise CommandError(f"--date: {exc}", returncode=2) from exc
        if not day_in_range(day):
            raise CommandError(f"--date: choose a date between {FIRST_DAY} and {LAST_DAY}", returncode=2)
        if options["send"]:
            results = briefing_push(shop=shop, day=day)
            if options["json"]:
                self.emit_json({"date": day.isoformat(), "sent": results})
            else:
                if not results:
                    self.stdout.write("no active group robot")
                for r in results:
                    self.stdout.write(f"{r['target']} ({r['kind']}): {'ok' if r['ok'] else 'FAILED'} {r['answer']}")
            if any(not r["ok"] for r in results):
                raise CommandError("some pushes failed", returncode=1)
            return
        report = briefing_report(shop=shop, day=day)
        if options["json"]:
            self.emit_json(report_json(report))
            return
        text = robot_text(report)
        self.stdout.write(text.title)
        for line in text.plain:
            self.stdout.write(line)
