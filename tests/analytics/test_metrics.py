"""The metric layer on a small hand-checked shop (tests/analytics/metrics_data.py), DuckDB.

Every trap of the platforms' metric definitions, each with its source (docs/rules/metrics.md).
"""

from __future__ import annotations

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.metrics import BY, METRICS, compute, daily_by_channel
from tests.analytics.metrics_data import D0, D1, D2, shop_data, traffic_data


@pytest.fixture
def tables():
    return MemoryTables(get_engine("duckdb"), shop_data())


def test_totals_hand_checked(tables):
    t = compute(tables, date_from=D1, date_to=D2)["totals"]
    assert t == {
        "uv": 3, "pv": 9, "buyers": 2, "orders": 3, "gmv": 17000, "cvr": 0.666667, "aov": 8500,
        "uv_value": 5667, "bounce_rate": 0.583333, "cart_rate": 0.333333, "fav_rate": 0.333333,
        "refund_amount": 10500, "refund_rate": 0.75, "new_buyers": 1, "returning_buyers": 1,
        "repurchase_rate": 0.5, "deduplicated": True,
    }


def test_uv_is_not_summed_across_days_or_channels(tables):
    """访客数 is de-duplicated over the period; channel UVs are not additive (生意参谋,
    docs/rules/metrics.md#distinct-counts-are-not-additive)."""
    by_day = compute(tables, date_from=D1, date_to=D2, by="day", metrics=["uv"])
    assert [r["uv"] for r in by_day["rows"]] == [3, 2] and by_day["totals"]["uv"] == 3
    by_channel = compute(tables, date_from=D1, date_to=D2, by="channel", metrics=["uv"])
    assert {r["channel"]: r["uv"] for r in by_channel["rows"]} == {"app": 2, "site": 2}
    assert by_channel["totals"]["uv"] == 3


def test_bounce_rate_over_days_is_the_mean_of_daily_rates(tables):
    """跳失率 multi-day = mean of daily rates (docs/rules/metrics.md#bounce-rate): (2/3 + 1/2) / 2, not pooled
    3/5."""
    result = compute(tables, date_from=D1, date_to=D2, by="day", metrics=["bounce_rate"])
    assert [r["bounce_rate"] for r in result["rows"]] == [0.666667, 0.5]
    assert result["totals"]["bounce_rate"] == round(7 / 12, 6) != 0.6
    site = compute(tables, date_from=D1, date_to=D2, by="channel", metrics=["bounce_rate"])["rows"]
    assert {r["channel"]: r["bounce_rate"] for r in site} == {"app": 1.0, "site": 0.25}  # (1/2 + 0) / 2


def test_the_layer_returns_numbers_of_each_kind(tables):
    """Numbers, never display text (docs/metrics.md "General rules"): money in integer fen, rates floats,
    counts ints; the edges (templates, xlsx, ``analytics.schemas``) format them."""
    for result in (compute(tables, date_from=D1, date_to=D2, by="day"), compute(tables, date_from=D0, date_to=D2)):
        for values in [*result["rows"], result["totals"]]:
            for name, metric in METRICS.items():
                value = values[name]
                expected = {"money": int, "count": int, "rate": float}[metric.kind]
                assert value is None or (type(value) is expected), (name, value)


def test_refunds_are_not_deducted_from_gmv(tables):
    """支付金额 includes postage and does not deduct refunds (haomu.top via docs/rules/metrics.md#gmv)."""
    t = compute(tables, date_from=D1, date_to=D1, metrics=["gmv", "refund_amount"])["totals"]
    assert t == {"gmv": 10000, "refund_amount": 10000, "deduplicated": True}  # fully refunded, still GMV


def test_a_buyer_who_buys_twice_counts_once(tables):
    result = compute(tables, date_from=D1, date_to=D2, by="day", metrics=["buyers", "orders", "repurchase_rate"])
    assert [(r["buyers"], r["orders"]) for r in result["rows"]] == [(1, 1), (2, 2)]
    assert (result["totals"]["buyers"], result["totals"]["orders"]) == (2, 3)
    assert result["totals"]["repurchase_rate"] == 0.5


def test_new_and_returning_buyers_per_row(tables):
    """c1's first order is on day 1: new on day 1, returning on day 2; c2 bought before the period."""
    result = compute(tables, date_from=D1, date_to=D2, by="day", metrics=["new_buyers", "returning_buyers"])
    assert [(r["new_buyers"], r["returning_buyers"]) for r in result["rows"]] == [(1, 0), (0, 2)]
    assert (result["totals"]["new_buyers"], result["totals"]["returning_buyers"]) == (1, 1)


def test_refund_rate_is_30_day_sub_orders(tables):
    """退款率 = 近30天成功退款笔数 / 近30天子订单数 (maijiaw.com via docs/rules/metrics.md#refund-rate).

    Window ending 11-02: sub-orders o1×2, o2, o3 = 4 (o10 on 10-01 is 32 days before); refunded: o1 fully (2
    sub-orders) + o3 partly (1) = 3. Ending 11-01: o1 only → 2/2.
    """
    result = compute(tables, date_from=D1, date_to=D2, by="day", metrics=["refund_rate"])
    assert [r["refund_rate"] for r in result["rows"]] == [1.0, 0.75]
    wide = compute(tables, date_from=D0, date_to=D0, metrics=["refund_rate"])["totals"]
    assert wide["refund_rate"] == 0.0


def test_rates_are_null_when_undefined(tables):
    t = compute(tables, date_from=D0, date_to=D0)["totals"]
    assert t["uv"] == 0 and t["cvr"] is None and t["uv_value"] is None and t["bounce_rate"] is None
    assert t["buyers"] == 1 and t["aov"] == 3000 and t["gmv"] == 3000
    empty = compute(MemoryTables(get_engine("duckdb"), {}), date_from=D1, date_to=D2, by="day")
    assert empty["rows"] == [] and empty["totals"]["gmv"] == 0 and empty["totals"]["aov"] is None


def test_channel_filter_and_metric_selection(tables):
    result = compute(tables, date_from=D1, date_to=D2, channel="site", metrics=["uv", "gmv"])
    assert result["totals"] == {"uv": 2, "gmv": 15000, "deduplicated": True}
    with pytest.raises(ValueError):
        compute(tables, date_from=D1, date_to=D2, metrics=["nope"])


def test_product_and_category_rows(tables):
    result = compute(tables, date_from=D1, date_to=D2, by="product", metrics=["uv", "buyers", "gmv", "refund_rate"])
    assert result["rows"] == [
        {"product": "A", "uv": 2, "buyers": 1, "gmv": 11000, "refund_rate": None, "deduplicated": True},
        {"product": "B", "uv": 3, "buyers": 2, "gmv": 5000, "refund_rate": None, "deduplicated": True},
    ]
    assert "product_rows_gmv_without_shipping_refunds_unknown" in result["notes"]


def test_platform_traffic_totals_are_flagged_not_deduplicated():
    """traffic_daily visitors are daily distinct counts per source: their sum is flagged, never presented as UV
    de-duplicated (lake/tables.py, additive: no)."""
    data = {**shop_data(), **traffic_data()}
    result = compute(MemoryTables(get_engine("duckdb"), data), date_from=D1, date_to=D2, by="channel",
                     metrics=["uv", "pv"])
    rows = {r["channel"]: r for r in result["rows"]}
    assert rows["jd"] == {"channel": "jd", "uv": 27, "pv": 56, "deduplicated": False}
    assert rows["site"]["deduplicated"] is True
    assert result["totals"] == {"uv": 30, "pv": 65, "deduplicated": False}
    assert result["notes"] == ["platform_uv_not_deduplicated", "rates_cover_reporting_channels"]  # no 跳失率
    one_day = compute(MemoryTables(get_engine("duckdb"), traffic_data()), date_from=D2, date_to=D2,
                      metrics=["uv"])
    assert one_day["totals"] == {"uv": 12, "deduplicated": True}  # one day, one source: as reported


def test_daily_by_channel_matches_compute(tables):
    rows = daily_by_channel(tables, date_from=D1, date_to=D2, metrics=["uv", "gmv"])
    assert rows == [
        {"day": "2026-11-01", "channel": "app", "uv": 2, "gmv": 0, "deduplicated": True},
        {"day": "2026-11-01", "channel": "site", "uv": 2, "gmv": 10000, "deduplicated": True},
        {"day": "2026-11-02", "channel": "app", "uv": 1, "gmv": 2000, "deduplicated": True},
        {"day": "2026-11-02", "channel": "site", "uv": 1, "gmv": 5000, "deduplicated": True},
    ]


@pytest.mark.parametrize("by", BY)
def test_every_grouping_has_the_same_totals(tables, by):
    result = compute(tables, date_from=D1, date_to=D2, by=by)
    assert result["totals"] == compute(tables, date_from=D1, date_to=D2)["totals"]
    assert set(result["rows"][0]) == {by, *METRICS, "deduplicated"}


def test_identity_gmv_equals_uv_times_cvr_times_aov(tables):
    """支付金额 = 访客数 × 支付转化率 × 客单价 (docs/rules/metrics.md#gmv-identity), up to rounding of the shown values."""
    t = compute(tables, date_from=D1, date_to=D2)["totals"]
    assert abs(t["uv"] * t["cvr"] * t["aov"] - t["gmv"]) < 1  # fen


def test_rates_divide_only_by_visitors_of_channels_that_report_them():
    """加购率/收藏率/跳失率 of a shop whose platform reports lack some of them: the numerator comes only from the
    reporting rows, so the denominator does too (a rate of the own-site log is not diluted by every platform
    visitor). jd reports 加购人数 on 搜索 only, 跳失率 on 搜索 only, 收藏人数 never."""
    traffic = {"traffic_daily": {
        "date": [D1, D1, D2], "channel": ["jd"] * 3, "level": ["store"] * 3, "source": ["搜索", "推荐", "搜索"],
        "visitors": [10, 5, 12], "page_views": [30, 6, 20], "cart_users": [2, None, 3],
        "fav_users": [None, None, None], "bounce_rate": [0.5, None, 0.25],
    }}
    data = {**shop_data(), **traffic}
    metrics = ["uv", "cart_rate", "fav_rate", "bounce_rate"]
    result = compute(MemoryTables(get_engine("duckdb"), data), date_from=D1, date_to=D2, by="channel",
                     metrics=metrics)
    jd = {r["channel"]: r for r in result["rows"]}["jd"]
    # cart 5 of the 22 visitors of reporting rows; no fav reported; bounce mean of 5/10 and 3/12
    assert (jd["uv"], jd["cart_rate"], jd["fav_rate"], jd["bounce_rate"]) == (27, round(5 / 22, 6), None, 0.375)
    t = result["totals"]
    # events: 3 visitors, 1 carted, 1 faved, daily one-page 2/3 and 1/2; jd adds 5 carts of 22 visitors and
    # one-page visitors round(0.5×10)=5 of 10 (D1), round(0.25×12)=3 of 12 (D2)
    assert (t["uv"], t["cart_rate"], t["fav_rate"]) == (30, round(6 / 25, 6), round(1 / 3, 6))
    assert t["bounce_rate"] == round((7 / 13 + 4 / 14) / 2, 6)
    assert "rates_cover_reporting_channels" in result["notes"]
    plain = compute(MemoryTables(get_engine("duckdb"), shop_data()), date_from=D1, date_to=D2, metrics=metrics)
    assert "rates_cover_reporting_channels" not in plain["notes"]
