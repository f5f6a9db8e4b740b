"""shopops funnel --steps pv,cart,buy [--window 1d] [--mode sequential|strict|any] --from D --to D
[--by channel|source] [--shop CODE] [--json]: people per step and conversion (analytics/queries/funnels.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.analytics.selectors.behaviour import funnel_report
from shopops.core.management.base import ShopOpsCommand


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


class Command(ShopOpsCommand):
    help = ("Funnel over the behaviour log: each person counted at the furthest step reached within the window "
            "that starts at their step-1 event; conversion from the previous and from the first step.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("--steps", required=True, help="event names in order, e.g. pv,cart,buy (2–10)")
        parser.add_argument("--window", default="1d", help="conversion window: Ns, Nm, Nh or Nd (default 1d)")
        parser.add_argument("--mode", default="sequential", help="sequential (default), strict or any")
        self.add_period_arguments(parser)
        parser.add_argument("--by", default=None, help="also per channel or source")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        report = funnel_report(shop=shop, steps=options["steps"], window=options["window"], mode=options["mode"],
                               date_from=options["date_from"], date_to=options["date_to"], by=options["by"])
        if options["json"]:
            self.emit_json(report)
            return
        self.stdout.write(f"{report['mode']} funnel, window {report['window']}, {report['from']}..{report['to']}")
        for group in [{"value": "", "rows": report["rows"]}, *report["groups"]]:
            if group["value"]:
                self.stdout.write(f"[{report['by']} = {group['value']}]")
            for r in group["rows"]:
                self.stdout.write(f"  {r['step']}. {r['behavior']:<12} {r['people']:>10}  "
                                  f"{_pct(r['conversion_from_previous']):>7} of previous  "
                                  f"{_pct(r['conversion_from_first']):>7} of first")
