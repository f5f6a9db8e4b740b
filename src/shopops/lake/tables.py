"""The lake's Delta tables: name, Arrow schema and partitioning (DESIGN.md "Data").

Pure declarations. Each table is written by one owner; a table appears here when something writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class LakeTable:
    name: str
    schema: pa.Schema
    partition_by: tuple[str, ...]
    description: str


ORDERS_FACT = LakeTable(
    name="orders_fact",
    description="A derived copy of the DB's orders for analytics (one row per order; money in fen).",
    partition_by=("paid_date",),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("order_id", pa.int64()), ("order_no", pa.string()), ("channel", pa.string()),
        ("channel_account_id", pa.int64()), ("customer_id", pa.int64()), ("status", pa.string()),
        ("placed_at", pa.timestamp("us", tz="UTC")), ("paid_at", pa.timestamp("us", tz="UTC")),
        ("paid_date", pa.date32()), ("goods_fen", pa.int64()), ("discount_fen", pa.int64()),
        ("shipping_fen", pa.int64()), ("paid_fen", pa.int64()), ("refunded_fen", pa.int64()),
        ("source", pa.string()), ("province", pa.string()), ("city", pa.string()),
    ]),
)

ORDER_LINES_FACT = LakeTable(
    name="order_lines_fact",
    description="A derived copy of the DB's order lines with their product keys (money in fen).",
    partition_by=("paid_date",),
    schema=pa.schema([
        ("shop_id", pa.int64()), ("order_id", pa.int64()), ("line_id", pa.int64()), ("paid_date", pa.date32()),
        ("channel", pa.string()), ("customer_id", pa.int64()), ("sku_id", pa.int64()), ("sku_code", pa.string()),
        ("product_id", pa.int64()), ("spu_code", pa.string()), ("category", pa.string()), ("qty", pa.int64()),
        ("unit_price_fen", pa.int64()), ("amount_fen", pa.int64()), ("discount_fen", pa.int64()),
        ("paid_fen", pa.int64()),
    ]),
)

TABLES: dict[str, LakeTable] = {t.name: t for t in (ORDERS_FACT, ORDER_LINES_FACT)}
