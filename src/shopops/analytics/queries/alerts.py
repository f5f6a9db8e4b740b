"""The daily numbers behind anomaly alerts: per day × channel and per day for the whole shop.

Every number comes from the metric layer (:mod:`shopops.analytics.metrics`), so an alert's "GMV" is the
dashboard's "GMV" (支付金额, refunds not deducted) and its visitors are de-duplicated per row, never summed
(docs/rules/metrics.md#distinct-counts-are-not-additive, docs/rules/metrics.md#gmv). The layer's numbers
are used as they are: money in integer fen, rates as floats, counts as ints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from shopops.analytics import metrics as metric_layer
from shopops.analytics.engine import Tables

# What alerts watch: the headline metrics of the daily check. refund_amount is left out on
# purpose: it is booked by payment date, so recent days always look "better" until their refunds arrive.
ALERT_METRICS = ("gmv", "uv", "pv", "buyers", "orders", "cvr", "aov", "uv_value", "bounce_rate", "refund_rate")
TOTAL = ""  # the channel key of the whole shop

# rates whose volume gate is another metric of the same row (the rate's denominator)
DENOMINATOR = {"cvr": "uv", "uv_value": "uv", "bounce_rate": "uv", "aov": "buyers", "refund_rate": "orders"}


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def daily_values(tables: Tables, *, date_from: dt.date, date_to: dt.date,
                 metrics: Iterable[str] = ALERT_METRICS) -> dict[tuple[dt.date, str], dict[str, int | float | None]]:
    """``{(day, channel): {metric: value}}`` for every day × channel with data, plus ``(day, "")`` for the shop.

    Days without any row are absent (the caller decides whether that means 0 or "no data yet").
    """
    names = list(metrics)
    out: dict[tuple[dt.date, str], dict[str, int | float | None]] = {}
    by_channel = metric_layer.compute(tables, date_from=date_from, date_to=date_to, by=("day", "channel"),
                                      metrics=names)
    for row in by_channel["rows"]:
        out[(_day(row["day"]), str(row["channel"]))] = {m: row[m] for m in names}
    by_day = metric_layer.compute(tables, date_from=date_from, date_to=date_to, by="day", metrics=names)
    for row in by_day["rows"]:
        out[(_day(row["day"]), TOTAL)] = {m: row[m] for m in names}
    return out


def first_data_day(tables: Tables) -> dt.date | None:
    """The first day the shop has orders or behaviour data (a baseline never reaches before it); the rollups'
    first days are the facts' (every order and event has a row there), and they are far smaller."""
    days = []
    of = tables["customer_day" if tables.rollups else "orders_fact"]
    ev = tables["user_day" if tables.rollups else "events"]
    td = tables["traffic_daily"]
    engine = tables.engine
    for expr in (of.paid_date.min(), ev.date.min(), td.date.min()):
        value = engine.scalar(expr)
        if value is not None:
            days.append(_day(value))
    return min(days) if days else None
