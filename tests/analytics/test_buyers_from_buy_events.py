"""支付买家数 of a channel with a behaviour log and no orders (e.g. a shop whose only data is UserBehavior) are its
log's buyers, not 0; the output's notes say so. Channels with orders keep counting buyers from the orders."""

from __future__ import annotations

import datetime as dt

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.metrics import NOTES, compute
from tests.analytics.metrics_data import D1, D2, shop_data

# channel tb: 4 visitors, 2 of them buy (t1 twice), 1 only carts; no order anywhere in tb
TB_EVENTS = [
    (D1, "t1", "pv"), (D1, "t1", "buy"), (D2, "t1", "pv"), (D2, "t1", "buy"),
    (D1, "t2", "pv"), (D1, "t2", "cart"),
    (D2, "t3", "pv"), (D2, "t3", "buy"),
    (D2, "t4", "pv"),
]


def _with_tb(data: dict) -> dict:
    events = {k: list(v) for k, v in data["events"].items()}
    for i, (day, user, behavior) in enumerate(TB_EVENTS):
        row = {"date": day, "channel": "tb", "user_id": user, "behavior": behavior, "item_id": "T",
               "category_id": "c-t", "source": "search",
               "ts": dt.datetime(day.year, day.month, day.day, 3, i, tzinfo=dt.UTC)}
        for column, value in row.items():
            events[column].append(value)
    return {**data, "events": events}


@pytest.fixture
def plain():
    return MemoryTables(get_engine("duckdb"), shop_data())


@pytest.fixture
def tables():
    return MemoryTables(get_engine("duckdb"), _with_tb(shop_data()))


def test_a_channel_without_orders_counts_its_buy_events(tables):
    rows = {r["channel"]: r for r in compute(tables, date_from=D1, date_to=D2, by="channel")["rows"]}
    tb = rows["tb"]
    assert tb["buyers"] == 2 and tb["uv"] == 4 and tb["cvr"] == 0.5
    assert tb["orders"] == 0 and tb["gmv"] == 0 and tb["aov"] is None  # its money is unknown
    by_day = {r["day"]: r for r in compute(tables, date_from=D1, date_to=D2, by="day", channel="tb")["rows"]}
    assert by_day[D1.isoformat()]["buyers"] == 1 and by_day[D2.isoformat()]["buyers"] == 2


def test_the_notes_say_where_the_buyers_come_from(tables, plain):
    result = compute(tables, date_from=D1, date_to=D2)
    assert "buyers_from_buy_events" in result["notes"] and "buyers_from_buy_events" in NOTES
    assert "buyers_from_buy_events" not in compute(plain, date_from=D1, date_to=D2)["notes"]


def test_channels_with_orders_and_their_totals_are_unchanged(tables, plain):
    before = compute(plain, date_from=D1, date_to=D2, by="channel")
    after = compute(tables, date_from=D1, date_to=D2, by="channel")
    old = {r["channel"]: r for r in before["rows"]}
    new = {r["channel"]: r for r in after["rows"]}
    assert new["site"] == old["site"] and new["app"] == old["app"]
    # the shop's buyers: the order buyers plus tb's log buyers (different people: customers vs log users)
    assert after["totals"]["buyers"] == before["totals"]["buyers"] + 2
    assert after["totals"]["aov"] == before["totals"]["aov"]  # GMV per order buyer, as before


def test_a_buy_event_of_a_channel_with_orders_is_not_a_second_count(plain):
    data = shop_data()
    data["events"]["behavior"] = ["buy" if b == "cart" else b for b in data["events"]["behavior"]]
    result = compute(MemoryTables(get_engine("duckdb"), data), date_from=D1, date_to=D2)
    assert result["totals"]["buyers"] == compute(plain, date_from=D1, date_to=D2)["totals"]["buyers"]
    assert "buyers_from_buy_events" not in result["notes"]
