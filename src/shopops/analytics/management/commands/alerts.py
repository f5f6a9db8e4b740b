"""shopops alerts run [--date D] [--shop CODE] [--dry-run] [--json] [--language L]: metric anomalies into the to-do
list, with its steps on stderr."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shopops.analytics.schemas import alerts_json
from shopops.analytics.selectors.alerts import alerts_check
from shopops.analytics.services.alerts import alerts_todos_apply
from shopops.core.clock import today
from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = ("Compare a business day's metrics per channel with a weekday-aligned, promotion-aware baseline and "
            "put every anomaly in the operator's to-do list (run: default yesterday).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["run"], help="run: check the day and update the to-do list")
        self.add_shop_argument(parser)
        parser.add_argument("--date", help="business date YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--dry-run", action="store_true", help="compute only; do not touch the to-do list")
        self.add_language_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        try:
            day = (dt.date.fromisoformat(options["date"]) if options["date"]
                   else today(shop.timezone) - dt.timedelta(days=1))
        except ValueError as exc:
            raise CommandError(f"--date: {exc}", returncode=2) from exc
        progress = self.progress(1 if options["dry_run"] else 2)
        progress.step(_("Checking the metrics of %(date)s…") % {"date": day.isoformat()})
        result = alerts_check(shop=shop, date=day)
        if not options["dry_run"]:  # analytics_alerts_run's two halves, each a step
            progress.step(_("Updating the to-do list…"))
            result = alerts_todos_apply(shop=shop, date=day, result=result)
        progress.done()
        result = alerts_json(result)
        if options["json"]:
            self.emit_json(result)
            return
        promo = f" ({'、'.join(result['promotion'])})" if result["promotion"] else ""
        self.stdout.write(f"{result['date']}{promo}: {result['status']}, {result['checked']} checked, "
                          f"{len(result['alerts'])} alerts (baseline {result['baseline']['kind']}: "
                          f"{', '.join(result['baseline']['days']) or '—'})")
        for a in result["alerts"]:
            change = "—" if a["change"] is None else f"{a['change'] * 100:+.1f}%"
            self.stdout.write(f"  [{a['severity']}] {a['metric']} {a['channel']}: {a['value']} vs {a['baseline']} "
                              f"({change}, z {a['z']:+.2f})")
        if "todos" in result:
            self.stdout.write(f"to-do: {result['todos']['raised']} raised, {result['todos']['closed']} closed")
