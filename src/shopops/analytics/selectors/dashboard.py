"""The home dashboard's numbers: the last 30 days, with their comparison, channels and GMV trend.

Every number comes from the analytics metric layer (``analytics.selectors.alerts.sales_overview``), like the
dashboard's period cards: one definition of GMV and of refunds (by payment date, docs/metrics.md#refunds).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from shopops.analytics.selectors.alerts import sales_overview

if TYPE_CHECKING:
    from shopops.core.models import Shop

MONTH_DAYS = 30


def dashboard_data(*, shop: Shop, day: dt.date, trend_days: int = 90) -> dict:
    """The last 30 days up to ``day``: ``monthly`` cards (vs the 30 days before), ``channels`` and ``trend``."""
    overview = sales_overview(shop=shop, end=day, days=MONTH_DAYS, trend_days=trend_days)
    return {
        "day": day,
        "start30": overview["start"],
        "monthly": overview["cards"],
        "trend": overview["trend"],
        "channels": overview["channels"],
        "gmv30_fen": overview["gmv_fen"],
    }
