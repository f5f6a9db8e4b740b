"""The queries give the same answers from the rollups as from the facts (docs/architecture.md#rollups): for
random small shops, periods, channels, groupings and metric sets, ``MemoryTables(rollups=True)`` (rollups built
by the lake's own builders) equals ``MemoryTables(rollups=False)`` (the raw path)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.metrics import compute
from shopops.analytics.queries.alerts import first_data_day
from shopops.analytics.queries.coverage import log_visitors_by_channel
from shopops.analytics.queries.items import BEHAVIOURS, item_ranking
from shopops.analytics.queries.products import sku_sales
from shopops.analytics.queries.retention import ACTIVE, COHORTS, PERIODS, retention
from tests.analytics.metrics_data import D1, D2, shop_data
from tests.analytics.rollup_data import channels, groupings, metric_sets, periods, shops

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _both(data: dict) -> tuple[MemoryTables, MemoryTables]:
    engine = get_engine("duckdb")
    return MemoryTables(engine, data, rollups=True), MemoryTables(engine, data, rollups=False)


def _sorted_rows(tables: MemoryTables, expr) -> list[dict]:
    return sorted(tables.engine.rows(expr), key=repr)


@FAST
@given(shops(), periods(), groupings, channels, metric_sets)
def test_compute_from_rollups_equals_raw(data, period, by, channel, metrics):
    rolled, raw = _both(data)
    kw = {"date_from": period[0], "date_to": period[1], "by": by, "channel": channel, "metrics": metrics}
    assert compute(rolled, **kw) == compute(raw, **kw)


@FAST
@given(shops(), periods(), st.sampled_from(COHORTS), st.sampled_from(PERIODS), st.sampled_from(ACTIVE))
def test_retention_from_rollups_equals_raw(data, period, cohort, period_kind, active):
    rolled, raw = _both(data)
    kw = {"date_from": period[0], "date_to": period[1], "cohort": cohort, "period": period_kind, "active": active}
    assert _sorted_rows(rolled, retention(rolled, **kw)) == _sorted_rows(raw, retention(raw, **kw))


@FAST
@given(shops(), periods())
def test_sku_sales_coverage_and_first_day_from_rollups_equal_raw(data, period):
    rolled, raw = _both(data)
    kw = {"date_from": period[0], "date_to": period[1]}
    for query in (sku_sales, log_visitors_by_channel):
        assert _sorted_rows(rolled, query(rolled, **kw)) == _sorted_rows(raw, query(raw, **kw)), query.__name__
    assert first_data_day(rolled) == first_data_day(raw)


@FAST
@given(shops(), periods(), st.sampled_from(BEHAVIOURS), st.integers(1, 4))
def test_item_ranking_from_rollups_equals_raw(data, period, behavior, limit):
    rolled, raw = _both(data)
    kw = {"date_from": period[0], "date_to": period[1], "behavior": behavior, "limit": limit}
    # ordered rows: the ranking's order (most first, ties by item) is part of the answer
    assert rolled.engine.rows(item_ranking(rolled, **kw)) == raw.engine.rows(item_ranking(raw, **kw))


class _Recording(MemoryTables):
    """MemoryTables that note which tables the queries open."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.opened: set[str] = set()

    def __getitem__(self, name: str):
        self.opened.add(name)
        return super().__getitem__(name)


def test_time_and_channel_groupings_read_the_rollups_not_the_facts():
    """Not vacuous: with rollups the metric layer reads user_day and customer_day instead of the events and
    the orders (refund_daily_query alone still needs the orders and their lines); without, never a rollup."""
    engine = get_engine("duckdb")
    rolled = _Recording(engine, shop_data())
    compute(rolled, date_from=D1, date_to=D2, by=("day", "channel"))
    assert {"user_day", "customer_day"} <= rolled.opened and "events" not in rolled.opened
    raw = _Recording(engine, shop_data(), rollups=False)
    compute(raw, date_from=D1, date_to=D2, by=("day", "channel"))
    assert "events" in raw.opened and not raw.opened & {"user_day", "customer_day", "item_day", "sku_day"}


def test_source_and_product_groupings_read_the_events():
    """user_day has no source, item or category: those groupings read the raw events."""
    for by in ("source", "product", "category"):
        tables = _Recording(get_engine("duckdb"), shop_data())
        compute(tables, date_from=D1, date_to=D2, by=by)
        assert "events" in tables.opened, by


def test_memory_tables_build_rollups_that_match_the_given_facts():
    tables = MemoryTables(get_engine("duckdb"), shop_data())
    assert tables.rollups
    user_day = tables["user_day"]
    rows = tables.engine.rows(user_day.filter(user_day.date == dt.date(2026, 11, 1)).order_by(["channel", "user_id"]))
    assert [(r["channel"], r["user_id"], r["pv"], r["fav"]) for r in rows] == [
        ("app", "u2", 1, 0), ("app", "u3", 1, 0), ("site", "u1", 1, 0), ("site", "u2", 3, 1)]
