"""Random small shops for the rollup tests: the queries must give the same answers from the rollups as from the
facts (docs/architecture.md#rollups), so the data sets hold what makes that hard — users active on several
days and channels, customers buying on several days and channels, full and partial refunds, order lines not
matched to a SKU, a behaviour channel without orders (its buyers come from buy events) and a platform-only
channel (its traffic from ``traffic_daily``).
"""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import strategies as st

from shopops.analytics.metrics import BY, METRICS

START = dt.date(2026, 11, 1)  # a Sunday: weeks and a month boundary fall inside the 40 days below
DAYS = 40
EVENT_CHANNELS = ("site", "app", "tb")  # tb: behaviour log only, never orders
ORDER_CHANNELS = ("site", "app")
SKUS = {  # sku_id → (code, spu, category): one code per SKU, as the catalog keeps it
    11: ("A-1", "A", "c-a"), 12: ("A-2", "A", "c-a"), 21: ("B-1", "B", "c-b"),
}

_day = st.integers(0, DAYS - 1)
_event = st.tuples(_day, st.sampled_from(EVENT_CHANNELS), st.sampled_from(["u1", "u2", "u3", "u4", "u5"]),
                   st.sampled_from(["pv", "pv", "pv", "cart", "fav", "buy"]), st.sampled_from(["A", "B", "C"]),
                   st.sampled_from(["search", "direct"]))
_line = st.tuples(st.sampled_from([11, 12, 21, None]), st.integers(1, 3), st.integers(100, 5000))
_order = st.tuples(_day, st.sampled_from(ORDER_CHANNELS), st.sampled_from([1, 2, 3, 4, None]),
                   st.sampled_from(["search", "direct"]), st.integers(0, 800), st.sampled_from(["none", "part", "full"]),
                   st.lists(_line, max_size=3))
_traffic = st.tuples(_day, st.sampled_from(["搜索", "推荐"]), st.integers(1, 30), st.sampled_from([None, 0.25, 0.5]))


def _events(rows: list[tuple]) -> dict:
    cols: dict[str, list] = {c: [] for c in ("date", "ts", "channel", "user_id", "behavior", "item_id",
                                             "category_id", "source", "feed")}
    for i, (day, channel, user, behavior, item, source) in enumerate(rows):
        date = START + dt.timedelta(days=day)
        cols["date"].append(date)
        cols["ts"].append(dt.datetime(date.year, date.month, date.day, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i))
        cols["channel"].append(channel)
        cols["user_id"].append(user)
        cols["behavior"].append(behavior)
        cols["item_id"].append(item)
        cols["category_id"].append(f"c-{item.lower()}")
        cols["source"].append(source)
        cols["feed"].append(f"events-{channel}")
    return cols


def _orders_and_lines(rows: list[tuple]) -> tuple[dict, dict]:
    orders: dict[str, list] = {c: [] for c in ("order_id", "order_no", "paid_date", "channel", "customer_id",
                                               "source", "goods_fen", "discount_fen", "shipping_fen", "paid_fen",
                                               "refunded_fen", "status")}
    lines: dict[str, list] = {c: [] for c in ("line_id", "order_id", "paid_date", "channel", "customer_id",
                                              "sku_id", "sku_code", "product_id", "spu_code", "category", "qty",
                                              "unit_price_fen", "amount_fen", "discount_fen", "paid_fen")}
    for order_id, (day, channel, customer, source, shipping, refund, order_lines) in enumerate(rows, start=1):
        date = START + dt.timedelta(days=day)
        goods = sum(qty * price for _, qty, price in order_lines) or 1000
        paid = goods + shipping
        refunded = {"none": 0, "part": paid // 3, "full": paid}[refund]
        for column, value in (("order_id", order_id), ("order_no", f"N{order_id}"), ("paid_date", date),
                              ("channel", channel), ("customer_id", customer), ("source", source),
                              ("goods_fen", goods), ("discount_fen", 0), ("shipping_fen", shipping),
                              ("paid_fen", paid), ("refunded_fen", refunded), ("status", "paid")):
            orders[column].append(value)
        for sku_id, qty, price in order_lines:
            code, spu, category = SKUS.get(sku_id, (None, None, None)) if sku_id else (None, None, None)
            for column, value in (("line_id", len(lines["line_id"]) + 1), ("order_id", order_id),
                                  ("paid_date", date), ("channel", channel), ("customer_id", customer),
                                  ("sku_id", sku_id), ("sku_code", code), ("product_id", sku_id and sku_id // 10),
                                  ("spu_code", spu), ("category", category), ("qty", qty),
                                  ("unit_price_fen", price), ("amount_fen", qty * price), ("discount_fen", 0),
                                  ("paid_fen", qty * price)):
                lines[column].append(value)
    return orders, lines


def _traffic_daily(rows: list[tuple]) -> dict:
    return {"date": [START + dt.timedelta(days=r[0]) for r in rows], "channel": ["jd"] * len(rows),
            "level": ["store"] * len(rows), "source": [r[1] for r in rows], "visitors": [r[2] for r in rows],
            "page_views": [r[2] * 2 for r in rows], "cart_users": [r[2] // 3 for r in rows],
            "fav_users": [None] * len(rows), "bounce_rate": [r[3] for r in rows], "feed": ["jd"] * len(rows)}


@st.composite
def shops(draw) -> dict:
    """A random small shop: ``{"events": …, "orders_fact": …, "order_lines_fact": …, "traffic_daily": …}``."""
    orders, lines = _orders_and_lines(draw(st.lists(_order, max_size=14)))
    return {"events": _events(draw(st.lists(_event, max_size=45))), "orders_fact": orders,
            "order_lines_fact": lines, "traffic_daily": _traffic_daily(draw(st.lists(_traffic, max_size=4)))}


@st.composite
def periods(draw) -> tuple[dt.date, dt.date]:
    first = draw(st.integers(0, DAYS - 1))
    return START + dt.timedelta(days=first), START + dt.timedelta(days=first + draw(st.integers(0, DAYS - 1)))


groupings = st.sampled_from([None, *BY, ("day", "channel"), ("week", "channel"), ("month", "channel"),
                             ("day", "source"), ("channel", "source"), ("day", "product")])
channels = st.sampled_from([None, *EVENT_CHANNELS, "jd"])
metric_sets = st.one_of(st.none(), st.lists(st.sampled_from(list(METRICS)), min_size=1, max_size=5, unique=True))


def fixed_shop(seed: int) -> dict:
    """One shop of the same kind, drawn with a seeded ``random`` (for tests that run few, slow cases: Spark)."""
    rng = random.Random(seed)

    def event() -> tuple:
        return (rng.randrange(DAYS), rng.choice(EVENT_CHANNELS), rng.choice(["u1", "u2", "u3", "u4", "u5"]),
                rng.choice(["pv", "pv", "pv", "cart", "fav", "buy"]), rng.choice("ABC"), rng.choice(["search", "direct"]))

    def order() -> tuple:
        lines = [(rng.choice([11, 12, 21, None]), rng.randint(1, 3), rng.randint(100, 5000))
                 for _ in range(rng.randint(0, 3))]
        return (rng.randrange(DAYS), rng.choice(ORDER_CHANNELS), rng.choice([1, 2, 3, 4, None]),
                rng.choice(["search", "direct"]), rng.randint(0, 800), rng.choice(["none", "part", "full"]), lines)

    orders, lines = _orders_and_lines([order() for _ in range(14)])
    traffic = [(rng.randrange(DAYS), rng.choice(["搜索", "推荐"]), rng.randint(1, 30), rng.choice([None, 0.25]))
               for _ in range(4)]
    return {"events": _events([event() for _ in range(60)]), "orders_fact": orders, "order_lines_fact": lines,
            "traffic_daily": _traffic_daily(traffic)}
