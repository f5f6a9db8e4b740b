"""Items ranked by one behaviour over a period (商品排行: the most viewed, carted, favourited or bought items of the
behaviour log), written once in Ibis for DuckDB and Spark.

From ``item_day`` when the lake's rollups are ready (an item's count of a behaviour over any range is the sum
of its daily counts: additive, unlike its distinct users), else from ``events``; equal by property test
(tests/analytics/test_rollup_equals_raw.py). Ties are broken by ``item_id`` so both paths and both engines
return the same rows."""

from __future__ import annotations

import datetime as dt

import ibis.expr.types as ir

from shopops.analytics.engine import Tables

BEHAVIOURS = ("pv", "cart", "fav", "buy")


def item_ranking(tables: Tables, *, behavior: str, date_from: dt.date, date_to: dt.date,
                 limit: int = 100) -> ir.Table:
    """The ``limit`` items with the most ``behavior`` events in ``[date_from, date_to]``: ``item_id``, ``n``
    (items without any such event are left out), most first."""
    if behavior not in BEHAVIOURS:
        raise ValueError(f"behavior must be one of {BEHAVIOURS}")
    if tables.rollups:
        days = tables["item_day"]
        days = days.filter(days.date >= date_from, days.date <= date_to)
        counts = days.group_by("item_id").aggregate(n=days[behavior].sum())
        counts = counts.filter(counts.n > 0)
    else:
        events = tables["events"]
        events = events.filter(events.date >= date_from, events.date <= date_to, events.behavior == behavior)
        counts = events.group_by("item_id").aggregate(n=events.count())
    counts = counts.select("item_id", n=counts.n.cast("int64"))
    return counts.order_by([counts.n.desc(), counts.item_id]).limit(limit)
