"""The lake's rollups: daily aggregates of the facts, kept at import time so pages read thousands of rows, not
millions (docs/architecture.md#rollups).

Pure declarations and builders (pyarrow only, no I/O). Each rollup is derived from ONE source table and has the
source's partitioning, so the rollup of a (date, feed) — or of a shop's paid dates — is rebuilt from exactly
the source rows of that partition: a re-import or correction rebuilds exactly the touched dates.

Grains are chosen so distinct counts over ANY date range stay exact (UV over a week is not the sum of daily UV):

* ``user_day`` (from ``events``): one row per user × day × feed (channel account) with the user's pv, cart, fav,
  buy and event counts and first/last timestamps. Distinct users of any range, channel set or day set are
  ``count(distinct user_id)`` over its rows — the raw log is needed only to split by source, item or category,
  or to order events within a day (funnels, paths).
* ``item_day`` (from ``events``): one row per item × day × feed: behaviour counts (additive) and ``users``, the
  distinct users of that item on that day in that feed — a distinct count, never summed (``additive: no``).
* ``customer_day`` (from ``orders_fact``): one row per customer × paid day × channel × source: paid orders,
  paid, goods, discount, shipping and refunded fen. Buyers of any range are distinct ``customer_id``.
* ``sku_day`` (from ``order_lines_fact``, matched lines only): one row per SKU × paid day × channel: units, paid
  and amount fen, lines and orders (an order has one paid day and one channel, so ``orders`` adds up over days
  and channels, never over SKUs).

Money stays integer fen; every count is int64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopops.lake.tables import EVENTS, FEED_PARTITIONS, ORDER_LINES_FACT, ORDERS_FACT, LakeTable

_DISTINCT = {"additive": "no: distinct users of the item on that day in that feed"}
_TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Rollup:
    """A rollup table, the source table it is built from, and the pure function that builds it."""

    table: LakeTable
    source: LakeTable
    build: Callable[[pa.Table], pa.Table]


USER_DAY = LakeTable(
    name="user_day",
    description="Rollup of events: one row per user × day × feed with pv/cart/fav/buy counts and first/last "
                "timestamps; distinct users of any range = count(distinct user_id).",
    partition_by=FEED_PARTITIONS,
    dictionary=("channel",),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("channel", pa.string()), ("channel_account_id", pa.int64()),
        ("user_id", pa.string()), ("pv", pa.int64()), ("cart", pa.int64()), ("fav", pa.int64()),
        ("buy", pa.int64()), ("events", pa.int64()), ("first_ts", _TS), ("last_ts", _TS),
        ("date", pa.date32()), ("feed", pa.string()),
    ]),
)

ITEM_DAY = LakeTable(
    name="item_day",
    description="Rollup of events: one row per item × day × feed with pv/cart/fav/buy counts and the item's "
                "distinct users that day (not additive).",
    partition_by=FEED_PARTITIONS,
    dictionary=("channel",),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("channel", pa.string()), ("channel_account_id", pa.int64()),
        ("item_id", pa.string()), ("category_id", pa.string()), ("pv", pa.int64()), ("cart", pa.int64()),
        ("fav", pa.int64()), ("buy", pa.int64()), ("events", pa.int64()), pa.field("users", pa.int64(),
                                                                                    metadata=_DISTINCT),
        ("date", pa.date32()), ("feed", pa.string()),
    ]),
)

CUSTOMER_DAY = LakeTable(
    name="customer_day",
    description="Rollup of orders_fact: one row per customer × paid day × channel × source (money in fen).",
    partition_by=("paid_date",),
    dictionary=("channel", "source"),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("channel", pa.string()), ("source", pa.string()), ("customer_id", pa.int64()),
        ("orders", pa.int64()), ("goods_fen", pa.int64()), ("discount_fen", pa.int64()),
        ("shipping_fen", pa.int64()), ("paid_fen", pa.int64()), ("refunded_fen", pa.int64()),
        ("paid_date", pa.date32()),
    ]),
)

SKU_DAY = LakeTable(
    name="sku_day",
    description="Rollup of order_lines_fact (matched lines): one row per SKU × paid day × channel (money in fen).",
    partition_by=("paid_date",),
    dictionary=("channel", "category"),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("channel", pa.string()), ("sku_id", pa.int64()), ("sku_code", pa.string()),
        ("product_id", pa.int64()), ("spu_code", pa.string()), ("category", pa.string()), ("qty", pa.int64()),
        ("amount_fen", pa.int64()), ("discount_fen", pa.int64()), ("paid_fen", pa.int64()),
        ("lines", pa.int64()), ("orders", pa.int64()), ("paid_date", pa.date32()),
    ]),
)


def _behaviour_flags(events: pa.Table) -> pa.Table:
    """The events with one 0/1 int64 column per behaviour the rollups count."""
    behavior = events.column("behavior")
    for name in ("pv", "cart", "fav", "buy"):
        events = events.append_column(f"is_{name}", pc.cast(pc.equal(behavior, name), pa.int64()))
    return events.append_column("one", pa.array(np.ones(events.num_rows, np.int64)))


_FLAG_SUMS = [("is_pv", "sum"), ("is_cart", "sum"), ("is_fav", "sum"), ("is_buy", "sum"), ("one", "sum")]
_FLAG_NAMES = {"is_pv_sum": "pv", "is_cart_sum": "cart", "is_fav_sum": "fav", "is_buy_sum": "buy",
               "one_sum": "events"}


def _shape(table: LakeTable, grouped: pa.Table, renames: dict[str, str]) -> pa.Table:
    """Rename pyarrow's ``<column>_<aggregation>`` names and order/cast the columns as the table declares."""
    grouped = grouped.rename_columns([renames.get(n, n) for n in grouped.column_names])
    return grouped.select(table.schema.names).cast(table.schema)


def build_user_day(events: pa.Table) -> pa.Table:
    """``user_day`` rows of some ``events`` rows (any number of dates and feeds)."""
    if not events.num_rows:
        return USER_DAY.schema.empty_table()
    flagged = _behaviour_flags(events)
    keys = ["shop_id", "channel", "channel_account_id", "date", "feed", "user_id"]
    grouped = flagged.group_by(keys, use_threads=True).aggregate([*_FLAG_SUMS, ("ts", "min"), ("ts", "max")])
    return _shape(USER_DAY, grouped, {**_FLAG_NAMES, "ts_min": "first_ts", "ts_max": "last_ts"})


def build_item_day(events: pa.Table) -> pa.Table:
    """``item_day`` rows of some ``events`` rows: per item and day, behaviour counts and distinct users."""
    if not events.num_rows:
        return ITEM_DAY.schema.empty_table()
    flagged = _behaviour_flags(events)
    keys = ["shop_id", "channel", "channel_account_id", "date", "feed", "item_id", "category_id"]
    grouped = flagged.group_by(keys, use_threads=True).aggregate(
        [*_FLAG_SUMS, ("user_id", "count_distinct", pc.CountOptions(mode="only_valid"))])
    return _shape(ITEM_DAY, grouped, {**_FLAG_NAMES, "user_id_count_distinct": "users"})


def build_customer_day(orders: pa.Table) -> pa.Table:
    """``customer_day`` rows of some ``orders_fact`` rows."""
    if not orders.num_rows:
        return CUSTOMER_DAY.schema.empty_table()
    orders = orders.append_column("one", pa.array(np.ones(orders.num_rows, np.int64)))
    keys = ["shop_id", "channel", "source", "customer_id", "paid_date"]
    sums = ["one", "goods_fen", "discount_fen", "shipping_fen", "paid_fen", "refunded_fen"]
    grouped = orders.group_by(keys, use_threads=True).aggregate([(c, "sum") for c in sums])
    return _shape(CUSTOMER_DAY, grouped, {"one_sum": "orders", **{f"{c}_sum": c for c in sums[1:]}})


def build_sku_day(lines: pa.Table) -> pa.Table:
    """``sku_day`` rows of some ``order_lines_fact`` rows (lines not matched to a SKU are left out)."""
    lines = lines.filter(pc.is_valid(lines.column("sku_id"))) if lines.num_rows else lines
    if not lines.num_rows:
        return SKU_DAY.schema.empty_table()
    lines = lines.append_column("one", pa.array(np.ones(lines.num_rows, np.int64)))
    keys = ["shop_id", "channel", "sku_id", "sku_code", "product_id", "spu_code", "category", "paid_date"]
    sums = ["qty", "amount_fen", "discount_fen", "paid_fen", "one"]
    grouped = lines.group_by(keys, use_threads=True).aggregate(
        [*((c, "sum") for c in sums), ("order_id", "count_distinct")])
    return _shape(SKU_DAY, grouped, {"one_sum": "lines", "order_id_count_distinct": "orders",
                                     **{f"{c}_sum": c for c in sums[:-1]}})


ROLLUPS: dict[str, Rollup] = {r.table.name: r for r in (
    Rollup(USER_DAY, EVENTS, build_user_day),
    Rollup(ITEM_DAY, EVENTS, build_item_day),
    Rollup(CUSTOMER_DAY, ORDERS_FACT, build_customer_day),
    Rollup(SKU_DAY, ORDER_LINES_FACT, build_sku_day),
)}


def rollups_of(source: str) -> list[Rollup]:
    """The rollups built from lake table ``source``."""
    return [r for r in ROLLUPS.values() if r.source.name == source]
