"""After an import: the pages' default panels computed once, in the worker, so the next page view finds them
in the analytics result cache instead of computing them while the operator waits (the dashboard's cards and
last 30 days, the traffic page and the GMV explanation for their default period, yesterday's alert check, the
replenishment plan).

The calls are the pages' own (same selectors, same arguments), so whatever the selectors cache is what the
pages read. A part that fails is logged and skipped: warming up never fails the import that asked for it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connection

from shopops.analytics.selectors.alerts import alerts_check, kpi_cards
from shopops.analytics.selectors.dashboard import dashboard_data
from shopops.analytics.selectors.metrics import default_period, gmv_explanation, last_full_day, metrics_report
from shopops.analytics.selectors.metrics import previous_period as previous_of
from shopops.analytics.selectors.traffic import traffic_by_source
from shopops.core.clock import today
from shopops.core.models import Shop
from shopops.inventory.selectors import replenishment_plan

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30  # the analytics pages' default period
DEFAULT_LANGUAGE = "zh-hans"
# The traffic page's metrics (its cards, chart and tables): one list for the page and its warm-up.
TRAFFIC_METRICS = ["uv", "pv", "buyers", "orders", "gmv", "cvr", "aov", "uv_value", "bounce_rate", "cart_rate",
                   "fav_rate", "refund_amount", "refund_rate", "new_buyers", "returning_buyers", "repurchase_rate"]


def _parts(shop: Shop) -> dict[str, Callable[[], object]]:
    """Each default panel as the page asks for it (no query string)."""
    day = last_full_day(shop.timezone)
    start, end = default_period(shop.timezone, days=DEFAULT_DAYS)
    date_from, date_to = start.isoformat(), end.isoformat()
    return {
        "dashboard_kpis": lambda: kpi_cards(shop=shop, end=day, days=1),
        "dashboard_month": lambda: dashboard_data(shop=shop, day=day),
        "traffic_daily": lambda: metrics_report(shop=shop, date_from=date_from, date_to=date_to, by="day",
                                                channel="", metrics=TRAFFIC_METRICS),
        "traffic_sources": lambda: traffic_by_source(shop=shop, date_from=date_from, date_to=date_to, channel=""),
        "gmv_explain": lambda: gmv_explanation(shop=shop, date_from=date_from, date_to=date_to,
                                               vs=previous_of(date_from, date_to), by="channel"),
        # what the daily `shopops alerts run` (default: yesterday) reads, so the scheduled run answers at once
        "alerts": lambda: alerts_check(shop=shop, date=day),
        "replenishment": lambda: replenishment_plan(shop=shop, end=today(shop.timezone), lang=DEFAULT_LANGUAGE),
    }


def analytics_warm_up(*, shop_id: int) -> dict[str, str]:
    """Compute the default panels of a shop; ``{part: "ok" | "failed"}`` (a missing shop: nothing to do).
    Never raises: a failure is logged with its traceback and the next part is computed all the same."""
    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is None:
        return {}
    done: dict[str, str] = {}
    for name, compute in _parts(shop).items():
        try:
            compute()
        except Exception:  # a panel that cannot be computed now is computed by the page, as before
            log.exception("analytics warm-up: %s failed for shop %s", name, shop.code)
            done[name] = "failed"
        else:
            done[name] = "ok"
    return done


def analytics_warm_up_in_background(*, shop_id: int) -> threading.Thread:
    """The warm-up in a daemon thread of this process, started now: a server that starts on a shop nobody has
    opened yet (``shopops demo``) computes its panels while the browser is opening, in the process that will
    answer, so its first dashboard finds them cached."""
    def run() -> None:
        try:
            analytics_warm_up(shop_id=shop_id)
        finally:
            connection.close()  # this thread's own database connection

    thread = threading.Thread(target=run, name=f"analytics-warm-up-{shop_id}", daemon=True)
    thread.start()
    return thread
