"""The default funnel (pv→cart→buy, sequential, a one-day window) from the ``funnel_day`` rollup equals the raw
path (analytics/queries/funnels.py, docs/architecture.md#rollups): random users, times near midnight, equal
timestamps, chains that cross one midnight and chains that miss the window by a second; and the rollup is
really read, unless a user has two feeds on one date, another question is asked, or a date lasts 23 hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.queries.funnels import funnel
from shopops.core.clock import days_last_24_hours
from shopops.lake.rollups import build_funnel_day
from tests.analytics.test_rollup_equals_raw import _Recording

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.date(2026, 11, 1)
DAY = 86_400
# seconds of the day that make the edges likely: midnight, one second before it, one window apart
SECONDS = st.one_of(st.sampled_from([0, 1, 59, 3_600, 43_200, 86_399, 86_398]), st.integers(0, DAY - 1))
_event = st.tuples(st.integers(0, 4), SECONDS, st.sampled_from(["u1", "u2", "u3"]),
                   st.sampled_from(["pv", "pv", "cart", "buy", "fav"]))


def _events(rows: list[tuple], *, feeds: tuple[str, ...] = ("events-site",)) -> dict:
    cols: dict[str, list] = {c: [] for c in ("date", "ts", "channel", "user_id", "behavior", "item_id", "feed")}
    for i, (day, second, user, behaviour) in enumerate(rows):
        date = START + dt.timedelta(days=day)
        local = dt.datetime.combine(date, dt.time(), SHANGHAI) + dt.timedelta(seconds=second)
        feed = feeds[i % len(feeds)]
        cols["date"].append(date)
        cols["ts"].append(local.astimezone(dt.UTC))
        cols["channel"].append(feed.removeprefix("events-"))
        cols["user_id"].append(user)
        cols["behavior"].append(behaviour)
        cols["item_id"].append("A")
        cols["feed"].append(feed)
    return {"events": cols}


def _people(tables, **kw) -> list[int]:
    rows = tables.engine.rows(funnel(tables, steps=["pv", "cart", "buy"], window_seconds=DAY,
                                     mode="sequential", **kw))
    return [r["people"] for r in sorted(rows, key=lambda r: r["step"])]


def _both(data: dict) -> tuple[_Recording, MemoryTables]:
    engine = get_engine("duckdb")
    return _Recording(engine, data, rollups=True), MemoryTables(engine, data, rollups=False)


PERIODS = st.tuples(st.integers(0, 4), st.integers(0, 4)).map(sorted)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_event, max_size=30), PERIODS)
def test_the_default_funnel_from_the_rollup_equals_the_raw_path(rows, period):
    rolled, raw = _both(_events(rows))
    kw = {"date_from": START + dt.timedelta(days=period[0]), "date_to": START + dt.timedelta(days=period[1])}
    assert _people(rolled, days_last_24_hours=True, **kw) == _people(raw, **kw)
    assert "events" not in rolled.opened and "funnel_day" in rolled.opened


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_event, max_size=30), PERIODS)
def test_two_feeds_of_one_user_on_a_date_are_answered_right(rows, period):
    """A day's level is computed within a feed: a user with two feeds on a date sends the query to the log."""
    rolled, raw = _both(_events(rows, feeds=("events-site", "events-app")))
    kw = {"date_from": START + dt.timedelta(days=period[0]), "date_to": START + dt.timedelta(days=period[1])}
    assert _people(rolled, days_last_24_hours=True, **kw) == _people(raw, **kw)


def test_a_chain_across_midnight_and_one_a_second_too_late():
    # u1: pv 23:00 day 0 → cart 01:00 day 1 → buy 22:59:59 day 1 (within 24 h of the pv): level 3
    # u2: pv 10:00 day 0 → cart 12:00 day 0 → buy 10:00:01 day 1 (one second past the window): level 2
    rows = [(0, 82_800, "u1", "pv"), (1, 3_600, "u1", "cart"), (1, 82_799, "u1", "buy"),
            (0, 36_000, "u2", "pv"), (0, 43_200, "u2", "cart"), (1, 36_001, "u2", "buy")]
    rolled, raw = _both(_events(rows))
    kw = {"date_from": START, "date_to": START + dt.timedelta(days=1)}
    assert _people(rolled, days_last_24_hours=True, **kw) == _people(raw, **kw) == [2, 2, 1]
    # the last day of the range ends the chains: without day 1, u1 and u2 stop at the pv (u2 at the cart)
    only_day0 = {"date_from": START, "date_to": START}
    assert _people(rolled, days_last_24_hours=True, **only_day0) == _people(raw, **only_day0) == [2, 1, 0]


def test_the_window_is_inclusive_to_the_microsecond_across_midnight():
    # u1: pv day 0 10:00 → cart day 1 10:00 exactly (86,400 s: inside) → buy day 1 10:00 (same instant: after)
    # u2: pv day 0 10:00 → cart day 1 10:00:01 (outside); u3: pv day 0 10:00 → cart day 1 10:00 (inside)
    rows = [(0, 36_000, "u1", "pv"), (1, 36_000, "u1", "cart"), (1, 36_000, "u1", "buy"),
            (0, 36_000, "u2", "pv"), (1, 36_001, "u2", "cart"), (0, 36_000, "u3", "pv"), (1, 36_000, "u3", "cart")]
    rolled, raw = _both(_events(rows))
    kw = {"date_from": START, "date_to": START + dt.timedelta(days=1)}
    assert _people(rolled, days_last_24_hours=True, **kw) == _people(raw, **kw) == [3, 2, 1]
    assert "funnel_day" in rolled.opened


@pytest.mark.parametrize("question", [
    {"steps": ["pv", "buy"]}, {"window_seconds": 3_600}, {"mode": "strict"}, {"by": "channel"},
    {"days_last_24_hours": False}])
def test_any_other_question_reads_the_log(question):
    rolled, _raw = _both(_events([(0, 100, "u1", "pv"), (0, 200, "u1", "cart")]))
    kw = {"steps": ["pv", "cart", "buy"], "window_seconds": DAY, "mode": "sequential", "date_from": START,
          "date_to": START, "days_last_24_hours": True, **question}
    rolled.engine.rows(funnel(rolled, **kw))
    assert "events" in rolled.opened


def test_days_last_24_hours_knows_daylight_saving():
    assert days_last_24_hours(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Asia/Shanghai")
    assert not days_last_24_hours(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "America/New_York")
    assert days_last_24_hours(dt.date(2026, 4, 1), dt.date(2026, 4, 30), "America/New_York")


def test_the_builder_keeps_one_row_per_user_date_and_feed():
    data = _events([(0, 10, "u1", "pv"), (0, 20, "u1", "fav"), (1, 5, "u1", "buy"), (1, 6, "u2", "cart")])
    engine = get_engine("duckdb")
    built = build_funnel_day(MemoryTables(engine, data)._rows("events"))
    rows = sorted(built.to_pylist(), key=lambda r: (r["date"], r["user_id"]))
    assert [(r["date"].day, r["user_id"], r["level"]) for r in rows] == [(1, "u1", 1), (2, "u1", 0), (2, "u2", 0)]
    assert rows[1]["first_buy_ts"] is not None and rows[1]["first_buy_after_cart_ts"] is None
    assert rows[2]["first_cart_ts"] is not None and rows[2]["last_pv_ts"] is None
