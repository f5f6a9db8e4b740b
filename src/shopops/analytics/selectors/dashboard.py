"""The home dashboard's numbers: yesterday and the last 30 days, with their comparisons and trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopops.orders import selectors as order_selectors
from shopops.orders.domain import SalesSummary, change_rate

if TYPE_CHECKING:
    from shopops.core.models import Shop


@dataclass(frozen=True)
class Kpi:
    key: str
    value: int | None
    money: bool
    change: float | None  # vs the previous period
    change_wow: float | None = None  # vs the same weekday last week (daily cards only)


def _kpis(current: SalesSummary, previous: SalesSummary, week_ago: SalesSummary | None) -> list[Kpi]:
    def trio(key: str, money: bool, get) -> Kpi:  # noqa: ANN001
        return Kpi(key, get(current), money, change_rate(get(current), get(previous)),
                   change_rate(get(current), get(week_ago)) if week_ago else None)

    return [
        trio("gmv", True, lambda s: s.gmv_fen),
        trio("orders", False, lambda s: s.orders),
        trio("buyers", False, lambda s: s.buyers),
        trio("aov", True, lambda s: s.aov_fen),
        trio("refund", True, lambda s: s.refund_fen),
    ]


def dashboard_data(*, shop: Shop, day: dt.date, trend_days: int = 90) -> dict:
    one = dt.timedelta(days=1)
    yesterday = order_selectors.sales_summary(shop=shop, start=day, end=day)
    day_before = order_selectors.sales_summary(shop=shop, start=day - one, end=day - one)
    week_ago_day = day - dt.timedelta(days=7)
    week_ago = order_selectors.sales_summary(shop=shop, start=week_ago_day, end=week_ago_day)
    start30 = day - dt.timedelta(days=29)
    last30 = order_selectors.sales_summary(shop=shop, start=start30, end=day)
    prev30 = order_selectors.sales_summary(shop=shop, start=start30 - dt.timedelta(days=30), end=start30 - one)
    trend = order_selectors.daily_sales(shop=shop, start=day - dt.timedelta(days=trend_days - 1), end=day)
    channels = order_selectors.channel_sales(shop=shop, start=start30, end=day)
    return {
        "day": day,
        "start30": start30,
        "daily": _kpis(yesterday, day_before, week_ago),
        "monthly": _kpis(last30, prev30, None),
        "trend": trend,
        "channels": channels,
        "gmv30_fen": last30.gmv_fen,
    }
