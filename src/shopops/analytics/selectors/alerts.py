"""Reads for alerts and the dashboard's KPI cards: run the metric layer for one shop, judge, shape the JSON.

``alerts_check`` computes the anomalies of one business day without writing anything (the GET endpoint, and
the first half of ``services.alerts.analytics_alerts_run``). The baseline rule (weekday-aligned, promotion
aware) and the robust score live in the pure module :mod:`shopops.analytics.anomaly`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from shopops.analytics import anomaly
from shopops.analytics.cache import remember
from shopops.analytics.domain import FIRST_DAY, LAST_DAY, day_in_range
from shopops.analytics.engine import LakeTables, Tables, get_engine
from shopops.analytics.metrics import METRICS, compute
from shopops.analytics.queries.alerts import ALERT_METRICS, DENOMINATOR, TOTAL, daily_values, first_data_day
from shopops.campaigns.selectors import promotion_days
from shopops.core.errors import FieldError, InvalidInput
from shopops.orders.domain import change_rate

if TYPE_CHECKING:
    from shopops.core.models import Shop

ALL_CHANNELS = "all"  # how the shop total is named in alerts and to-do keys


def shop_tables(shop: Shop) -> Tables:
    """The lake narrowed to ``shop`` on the configured engine (tests replace this with MemoryTables)."""
    return LakeTables(get_engine(), shop.pk)


def _out(metric: str, value: float | None) -> int | float | None:
    """A judged value as a number of the metric's kind: money whole fen, rates 6 places, counts ints (a
    baseline median of counts may be a half). The JSON edge formats it (``schemas.alert_json``)."""
    if value is None:
        return None
    kind = METRICS[metric].kind
    if kind == "money":
        return round(value)
    if kind == "count":
        return round(value) if float(value).is_integer() else round(value, 2)
    return round(value, 6)


def _clamp(z: float) -> float:
    return round(max(-999.0, min(999.0, z)), 2)


def alerts_check(*, shop: Shop, date: dt.date, tables: Tables | None = None,
                 metrics: tuple[str, ...] = ALERT_METRICS) -> dict:
    """Anomalies of ``date`` per metric × channel (and the shop total) against the promotion-aware baseline.

    ``{"date", "status": "ok"|"no_data", "promotion": [names], "baseline": {"kind", "days"}, "alerts": [...],
    "checked": n}``; each alert ``{"metric", "channel", "value", "baseline", "change", "z", "direction",
    "severity", "promotion", "baseline_days"}``. ``checked`` counts the (metric, channel) pairs judged.
    """
    if not day_in_range(date):
        raise InvalidInput(_("Invalid input."), [FieldError("date", _("Choose a date between %(first)s and %(last)s.")
                                                            % {"first": FIRST_DAY, "last": LAST_DAY})])
    tables = tables or shop_tables(shop)
    first = remember("alerts.first_data_day", tables, {}, lambda t: first_data_day(t))
    lookback = date - dt.timedelta(days=anomaly.PROMO_LOOKBACK_DAYS + 1)
    promos = promotion_days(shop=shop, start=lookback, end=date + dt.timedelta(days=1))  # ± 1 day: peak or body
    base = anomaly.baseline_days(date, promos, first_day=first)
    result = {"date": date.isoformat(), "status": "ok", "promotion": list(base.promotion),
              "baseline": {"kind": base.kind, "role": base.role, "days": [d.isoformat() for d in base.days]},
              "alerts": [], "checked": 0}
    if first is None or first > date:
        result["status"] = "no_data"
        return result
    start = min(base.days, default=date)
    values = remember("alerts.daily_values", tables, {"from": start, "to": date, "metrics": metrics},
                      lambda t: daily_values(t, date_from=start, date_to=date, metrics=metrics))
    if (date, TOTAL) not in values:
        result["status"] = "no_data"  # nothing imported for the day yet: judging zeros would cry wolf
        return result
    channels = sorted({ch for (day, ch) in values if day == date or day in base.days})
    alerts = []
    checked = 0
    for channel in channels:
        for metric in metrics:
            judged, alert = _judge(metric, channel, date, values, base)
            checked += judged
            if alert is not None:
                alerts.append(alert)
    order = {"critical": 0, "warning": 1, "info": 2}
    alerts.sort(key=lambda a: (order[a["severity"]], a["channel"] != ALL_CHANNELS, -abs(a["z"]), a["metric"],
                               a["channel"]))
    result["alerts"] = alerts
    result["checked"] = checked
    return result


def _value_of(row: dict, metric: str, zero: bool) -> float | None:
    """A metric's value in one (day, channel) row; a missing row is 0 for ``zero`` (additive) metrics, while
    a rate of a missing row stays unknown."""
    v = row.get(metric)
    return 0 if v is None and zero and not row else v


def _volume(metric: str, channel: str, values: dict, days: Sequence[dt.date]) -> float | None:
    """A rate's volume for ``anomaly.judge``: the baseline median of its denominator (a 30-day window of
    sub-orders for the refund rate), so a rate over a handful of orders is not judged; None otherwise."""
    if metric not in DENOMINATOR:
        return None
    den = [values.get((d, channel), {}).get(DENOMINATOR[metric]) or 0 for d in days]
    volume = sorted(den)[len(den) // 2] if den else 0
    if metric == "refund_rate":
        volume *= 30  # a 30-day window of sub-orders
    return volume


def _judge(metric: str, channel: str, date: dt.date, values: dict, base: anomaly.Baseline
           ) -> tuple[bool, dict | None]:
    """(was the pair judged, its alert or None) for one metric × channel of ``date`` against the baseline
    days; not judged when the day has no value or the baseline has too few days."""
    additive = METRICS[metric].kind != "rate" and metric not in DENOMINATOR  # missing row: 0 for counts/sums
    value = _value_of(values.get((date, channel), {}), metric, additive)
    if value is None:
        return False, None
    history = [_value_of(values.get((d, channel), {}), metric, additive) for d in base.days]
    score = anomaly.robust_score(value, history)
    verdict = anomaly.judge(metric, score, volume=_volume(metric, channel, values, base.days))
    judged = verdict.reason != "few_days"
    if not verdict.alert or score is None:  # no score (too few days) never alerts
        return judged, None
    return judged, {
        "metric": metric, "channel": channel or ALL_CHANNELS,
        "value": _out(metric, score.value), "baseline": _out(metric, score.baseline),
        "change": None if score.change is None else round(score.change, 4),
        "z": _clamp(score.z), "direction": verdict.direction, "severity": verdict.severity,
        "promotion": list(base.promotion), "baseline_days": [d.isoformat() for d in base.days],
        "baseline_kind": base.kind,
    }


# ---------------------------------------------------------------- dashboard KPI cards

KPI_METRICS = ("gmv", "uv", "buyers", "cvr", "aov", "orders", "refund_amount")
PERIODS = (1, 7, 30)


def kpi_cards(*, shop: Shop, end: dt.date, days: int = 1, tables: Tables | None = None) -> dict:
    """The dashboard's KPI cards for the ``days`` ending on ``end``: each metric's value, its change vs the
    previous period of the same length and vs the same period one week earlier (the same weekday last week
    for one day). Three metric-layer computations (one per period), whatever the number of cards; period
    totals are recomputed from rows (distinct visitors and buyers are never summed over days).

    Money values are integer fen; ``change_prev``/``change_wow`` are relative changes or None (undefined).
    """
    tables = tables or shop_tables(shop)
    start = end - dt.timedelta(days=days - 1)
    span = dt.timedelta(days=days)
    week = dt.timedelta(days=7)

    periods = [(start, end), (start - span, end - span)]
    if days != 7:  # else the same 7 days one week earlier are the previous period
        periods.append((start - week, end - week))
    # one cache entry for the cards' computations: one lookup per page view (analytics.cache)
    found = remember("alerts.kpi_totals", tables, {"periods": periods},
                     lambda t: [compute(t, date_from=a, date_to=b, metrics=KPI_METRICS)["totals"] for a, b in periods])

    def totals(result: dict) -> tuple[dict, bool]:
        numbers = {m: result.get(m) for m in KPI_METRICS}
        if not numbers["uv"] and numbers["buyers"]:
            numbers["uv"] = None  # buyers without a visitor: no traffic data for the period, not 0 visitors
        return numbers, bool(result.get("deduplicated", True))

    current, dedup = totals(found[0])
    previous, _d = totals(found[1])
    week_ago = totals(found[2])[0] if len(found) > 2 else previous
    cards = []
    for m in KPI_METRICS:
        meta = METRICS[m]
        cards.append({
            "key": m, "label": meta.label, "kind": meta.kind, "value": current[m],
            "previous": previous[m], "week_ago": week_ago[m],
            "change_prev": change_rate(current[m], previous[m]),
            "change_wow": change_rate(current[m], week_ago[m]),
        })
    return {"start": start, "end": end, "days": days, "cards": cards, "deduplicated": dedup,
            "visitors_unknown": current["uv"] is None,
            "previous_start": start - span, "previous_end": end - span,
            "week_start": start - week, "week_end": end - week}


# ---------------------------------------------------------------- the dashboard's last 30 days

OVERVIEW_METRICS = ("gmv", "orders", "buyers", "aov", "refund_amount")
TREND_METRICS = ("gmv", "orders", "buyers")


def _trend(rows: list[dict], *, end: dt.date, days: int) -> list[dict]:
    """GMV, orders and buyers per business day of the ``days`` ending on ``end`` (``rows``: the metric layer's
    rows by day), zeros included."""
    start = end - dt.timedelta(days=days - 1)
    by_day = {row["day"]: row for row in rows}
    out = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        row = by_day.get(day.isoformat(), {})
        out.append({"date": day, "gmv_fen": row.get("gmv") or 0, "orders": row.get("orders") or 0,
                    "buyers": row.get("buyers") or 0})
    return out


def sales_overview(*, shop: Shop, end: dt.date, days: int = 30, trend_days: int = 90,
                   tables: Tables | None = None) -> dict:
    """The dashboard's sales of the ``days`` ending on ``end``: cards (GMV, orders, buyers, AOV, refunds) with
    their change vs the ``days`` before, the channels, and the daily trend of the ``trend_days`` ending on
    ``end``.

    The metric layer's numbers, so the dashboard says what the analytics pages and the API say for the same
    period: one GMV (paid incl. shipping, refunds not deducted) and one refund basis — by payment date
    (docs/metrics.md#refunds). Money is integer fen.
    """
    tables = tables or shop_tables(shop)
    start = end - dt.timedelta(days=days - 1)
    span = dt.timedelta(days=days)
    trend_start = end - dt.timedelta(days=trend_days - 1)

    def numbers(t: Tables) -> tuple[dict, dict, list[dict]]:
        return (compute(t, date_from=start, date_to=end, by="channel", metrics=OVERVIEW_METRICS),
                compute(t, date_from=start - span, date_to=end - span, metrics=OVERVIEW_METRICS)["totals"],
                compute(t, date_from=trend_start, date_to=end, by="day", metrics=TREND_METRICS)["rows"])

    # one cache entry for the three computations: one lookup per page view (analytics.cache)
    current, previous, trend = remember("alerts.sales_overview", tables,
                                        {"end": end, "days": days, "trend_days": trend_days}, numbers)
    totals = current["totals"]
    cards = [{"key": m, "label": METRICS[m].label, "kind": METRICS[m].kind, "value": totals[m],
              "previous": previous[m], "change_prev": change_rate(totals[m], previous[m])}
             for m in OVERVIEW_METRICS]
    channels = [{"channel": row["channel"], "gmv_fen": row["gmv"], "orders": row["orders"], "buyers": row["buyers"]}
                for row in current["rows"] if row["orders"]]
    channels.sort(key=lambda row: (-row["gmv_fen"], row["channel"]))
    return {"start": start, "end": end, "days": days, "cards": cards, "channels": channels,
            "gmv_fen": totals["gmv"], "trend": _trend(trend, end=end, days=trend_days)}
