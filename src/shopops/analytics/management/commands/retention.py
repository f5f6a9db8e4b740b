"""shopops retention --from D --to D [--cohort first_event|first_buy] [--period day|week] [--active any|buy]
[--shop CODE] [--json]: cohorts by first activity, users active in period 0..N and the rates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.analytics.selectors.behaviour import retention_report
from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = ("Retention: people grouped by the day or week of their first event (or first buy); how many of each "
            "cohort were active (any event, or --active buy) in each later period.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        self.add_period_arguments(parser)
        parser.add_argument("--cohort", default="first_event", help="first_event (default) or first_buy")
        parser.add_argument("--period", default="day", help="day (default) or week")
        parser.add_argument("--active", default="any", help="what counts as active: any event (default) or buy")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        report = retention_report(shop=shop, date_from=options["date_from"], date_to=options["date_to"],
                                  cohort=options["cohort"], period=options["period"], active=options["active"])
        if options["json"]:
            self.emit_json(report)
            return
        self.stdout.write(f"{report['cohort']} cohorts by {report['period']}, {report['from']}..{report['to']}")
        for c in report["cohorts"]:
            rates = " ".join("—" if p["rate"] is None else f"{p['rate']:.0%}" for p in c["periods"])
            self.stdout.write(f"  {c['cohort']}  {c['users']:>7}  {rates}")
