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
* ``funnel_day`` (from ``events``): the pv→cart→buy funnel of a 1-day window (生意参谋's 访客→加购→支付), one
  row per user × day × feed with the furthest step reached within the day and what a chain crossing midnight
  needs (the day's last pv, the latest start of a pv→cart chain, the first cart, the first buy, the first buy at
  or after the first cart). A window of one day spans at most two dates, so the funnel of any range is the best
  of each day's level and of each pair of consecutive days stitched (analytics/queries/funnels.py).
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

FUNNEL_STEPS = ("pv", "cart", "buy")
FUNNEL_WINDOW_SECONDS = 86_400

FUNNEL_DAY = LakeTable(
    name="funnel_day",
    description="Rollup of events for the pv→cart→buy funnel with a 1-day window: one row per user × day × feed "
                "with the day's furthest step (level) and the times a chain crossing midnight needs.",
    partition_by=FEED_PARTITIONS,
    dictionary=("channel",),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("channel", pa.string()), ("channel_account_id", pa.int64()),
        ("user_id", pa.string()), ("level", pa.int64()), ("last_pv_ts", _TS), ("start2_ts", _TS),
        ("first_cart_ts", _TS), ("first_buy_ts", _TS), ("first_buy_after_cart_ts", _TS),
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


_GROUP_KEYS = ["shop_id", "channel", "channel_account_id", "date", "feed", "user_id"]


def _group_codes(table: pa.Table, keys: list[str]) -> np.ndarray:
    """One int64 code per row, equal for rows with equal ``keys`` (nulls included) and ordered by the keys'
    dictionary codes: a single integer sort key instead of several string ones (columns constant over the
    rows, as a partition's shop, date and feed are, are skipped)."""
    combined = np.zeros(table.num_rows, dtype=np.int64)
    for key in keys:
        encoded = pc.dictionary_encode(table.column(key)).combine_chunks()
        size = len(encoded.dictionary) + 1  # + null
        if size <= 2 and encoded.null_count in (0, len(encoded)):
            continue
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64) + 1
        if int(combined.max(initial=0)) + 1 >= 2 ** 62 // size:  # keep it in int64: renumber densely first
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
        combined = combined * size + codes
    return combined


def _last_marked(group: np.ndarray, rel: np.ndarray, marked: np.ndarray, span: int) -> np.ndarray:
    """Per row: the largest ``rel`` of a marked row at or before it in its group, -1 when none (rows sorted by
    group then time; ``rel`` in ``[0, span - 2]``, so group offsets keep groups apart in one running max)."""
    base = group * span
    running = np.maximum.accumulate(base + np.where(marked, rel + 1, 0))
    return np.where(running > base, running - base - 1, -1)


def build_funnel_day(events: pa.Table) -> pa.Table:
    """``funnel_day`` rows of some ``events`` rows. The same sequential rules as the funnel query (a step at the
    same instant as the step before counts as after it; the window is inclusive): per row, the latest pv at or
    before it starts the best pv→cart chain, the latest such start over earlier carts the best chain to a buy."""
    steps = events.filter(pc.is_in(events.column("behavior"), pa.array(FUNNEL_STEPS))) if events.num_rows else events
    if not steps.num_rows:
        return FUNNEL_DAY.schema.empty_table()
    kind = pc.index_in(steps.column("behavior"), pa.array(FUNNEL_STEPS)).to_numpy(zero_copy_only=False)
    ts = pc.cast(steps.column("ts"), pa.int64()).to_numpy(zero_copy_only=False)
    group = _group_codes(steps, _GROUP_KEYS)
    order = np.lexsort((ts * len(FUNNEL_STEPS) + kind, group))  # by the keys, then time, then step
    group = group[order]
    new = np.empty(len(order), dtype=bool)
    new[0] = True
    np.not_equal(group[1:], group[:-1], out=new[1:])
    keys = steps.select(_GROUP_KEYS)
    keys = pa.table({name: pc.cast(col, col.type.value_type) if pa.types.is_dictionary(col.type) else col
                     for name, col in zip(keys.column_names, keys.columns, strict=True)})
    return _funnel_rows(keys, order, new, ts[order], kind[order])


def _funnel_rows(keys: pa.Table, order: np.ndarray, starts_mask: np.ndarray, ts: np.ndarray,
                 kind: np.ndarray) -> pa.Table:
    """``funnel_day`` rows of the steps in ``order`` (``ts`` µs and ``kind`` step index already in that order;
    ``starts_mask`` marks the first row of each group, whose key columns are read from ``keys``)."""
    starts = np.flatnonzero(starts_mask)
    group = np.cumsum(starts_mask) - 1
    origin = ts[starts]  # the group's first (earliest) time
    rel = ts - origin[group]
    span = int(rel.max()) + 2
    if len(starts) > 1 and len(starts) * span >= 2 ** 62:  # too many groups for one running max: halve
        half = int(starts[len(starts) // 2])
        return pa.concat_tables([
            _funnel_rows(keys, order[:half], starts_mask[:half], ts[:half], kind[:half]),
            _funnel_rows(keys, order[half:], starts_mask[half:], ts[half:], kind[half:])])
    window = FUNNEL_WINDOW_SECONDS * 1_000_000
    pv, cart, buy = kind == 0, kind == 1, kind == 2
    last_pv = _last_marked(group, rel, pv, span)
    valid_cart = cart & (last_pv >= 0) & (rel - last_pv <= window)
    start3 = _last_marked(group, np.where(valid_cart, last_pv, 0), valid_cart, span)
    valid_buy = buy & (start3 >= 0) & (rel - start3 <= window)
    level = np.where(valid_buy, 3, np.where(valid_cart, 2, np.where(pv, 1, 0)))
    never = np.iinfo(np.int64).max
    first_cart = np.minimum.reduceat(np.where(cart, rel, never), starts)
    buy_after_cart = buy & (rel >= first_cart[group])
    columns = {
        "level": np.maximum.reduceat(level, starts),
        "last_pv_ts": np.maximum.reduceat(np.where(pv, rel, -1), starts),
        "start2_ts": np.maximum.reduceat(np.where(valid_cart, last_pv, -1), starts),
        "first_cart_ts": first_cart,
        "first_buy_ts": np.minimum.reduceat(np.where(buy, rel, never), starts),
        "first_buy_after_cart_ts": np.minimum.reduceat(np.where(buy_after_cart, rel, never), starts),
    }
    out = keys.take(pa.array(order[starts]))
    for name, values in columns.items():
        if name == "level":
            out = out.append_column(name, pa.array(values, pa.int64()))
            continue
        missing = (values < 0) | (values == never)
        stamps = pa.array(np.where(missing, 0, values + origin), pa.int64(), mask=missing)
        out = out.append_column(name, pc.cast(stamps, _TS))
    return out.select(FUNNEL_DAY.schema.names).cast(FUNNEL_DAY.schema)


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
    Rollup(FUNNEL_DAY, EVENTS, build_funnel_day),
    Rollup(CUSTOMER_DAY, ORDERS_FACT, build_customer_day),
    Rollup(SKU_DAY, ORDER_LINES_FACT, build_sku_day),
)}


def rollups_of(source: str) -> list[Rollup]:
    """The rollups built from lake table ``source``."""
    return [r for r in ROLLUPS.values() if r.source.name == source]
