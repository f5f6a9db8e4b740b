"""A small hand-checked shop used by the metric tests (and the conformance test).

Two days (2026-11-01, 11-02), two own channels (site, app). Traps (docs/rules/metrics.md):
* UV: 3 people; by day 3 + 2 = 5, by channel 2 + 2 = 4 — neither sum is the UV.
* Bounce: day 1 one-pv visitors 2/3, day 2 1/2 → mean of daily rates 7/12 (pooled would be 3/5).
* c1 buys twice (counted once as a buyer); o1 is fully refunded and o3 partly — GMV does not deduct them.
* c2 bought on 10-01, before the period: a returning buyer.
"""

from __future__ import annotations

import datetime as dt

D0 = dt.date(2026, 10, 1)
D1 = dt.date(2026, 11, 1)
D2 = dt.date(2026, 11, 2)


def _events():
    rows = [
        # (date, channel, user, behavior, item, category, source)
        (D1, "site", "u1", "pv", "A", "c-a", "search"),
        (D2, "site", "u1", "pv", "A", "c-a", "search"),
        (D2, "site", "u1", "pv", "B", "c-b", "search"),
        (D2, "site", "u1", "cart", "A", "c-a", "search"),
        (D1, "site", "u2", "pv", "A", "c-a", "direct"),
        (D1, "site", "u2", "pv", "B", "c-b", "direct"),
        (D1, "site", "u2", "pv", "A", "c-a", "direct"),
        (D1, "site", "u2", "fav", "A", "c-a", "direct"),
        (D1, "app", "u2", "pv", "B", "c-b", "search"),
        (D1, "app", "u3", "pv", "B", "c-b", "search"),
        (D2, "app", "u3", "pv", "B", "c-b", "search"),
    ]
    cols = ("date", "channel", "user_id", "behavior", "item_id", "category_id", "source")
    data = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
    data["ts"] = [dt.datetime(r[0].year, r[0].month, r[0].day, 2, i, tzinfo=dt.UTC) for i, r in enumerate(rows)]
    return data


def _orders():
    rows = [
        # order, customer, date, channel, source, goods, shipping, refunded
        (10, 2, D0, "app", "search", 3000, 0, 0),
        (1, 1, D1, "site", "search", 9000, 1000, 10000),
        (2, 1, D2, "site", "direct", 5000, 0, 0),
        (3, 2, D2, "app", "search", 2000, 0, 500),
    ]
    return {
        "order_id": [r[0] for r in rows], "order_no": [f"N{r[0]}" for r in rows], "customer_id": [r[1] for r in rows],
        "paid_date": [r[2] for r in rows], "channel": [r[3] for r in rows], "source": [r[4] for r in rows],
        "goods_fen": [r[5] for r in rows], "discount_fen": [0] * len(rows), "shipping_fen": [r[6] for r in rows],
        "paid_fen": [r[5] + r[6] for r in rows], "refunded_fen": [r[7] for r in rows], "status": ["paid"] * len(rows),
    }


def _lines():
    rows = [
        # line, order, customer, date, channel, spu, category, qty, paid
        (100, 10, 2, D0, "app", "A", "c-a", 1, 3000),
        (101, 1, 1, D1, "site", "A", "c-a", 2, 6000),
        (102, 1, 1, D1, "site", "B", "c-b", 1, 3000),
        (103, 2, 1, D2, "site", "A", "c-a", 1, 5000),
        (104, 3, 2, D2, "app", "B", "c-b", 1, 2000),
    ]
    return {
        "line_id": [r[0] for r in rows], "order_id": [r[1] for r in rows], "customer_id": [r[2] for r in rows],
        "paid_date": [r[3] for r in rows], "channel": [r[4] for r in rows], "spu_code": [r[5] for r in rows],
        "category": [r[6] for r in rows], "qty": [r[7] for r in rows], "paid_fen": [r[8] for r in rows],
        "amount_fen": [r[8] for r in rows], "unit_price_fen": [r[8] // r[7] for r in rows],
        "discount_fen": [0] * len(rows), "sku_code": [r[5] + "-1" for r in rows],
        "product_id": [ord(r[5]) for r in rows], "sku_id": [ord(r[5]) * 10 for r in rows],
    }


def shop_data() -> dict:
    return {"events": _events(), "orders_fact": _orders(), "order_lines_fact": _lines()}


def traffic_data() -> dict:
    """Platform-reported store traffic of channel jd (no events): daily distinct visitors per source."""
    rows = [(D1, "搜索", 10, 30), (D1, "推荐", 5, 6), (D2, "搜索", 12, 20)]
    return {"traffic_daily": {
        "date": [r[0] for r in rows], "channel": ["jd"] * 3, "level": ["store"] * 3, "source": [r[1] for r in rows],
        "visitors": [r[2] for r in rows], "page_views": [r[3] for r in rows], "cart_users": [2, None, 3],
        "fav_users": [0, None, None], "bounce_rate": [0.5, None, 0.25],  # some rows do not report them
    }}
