"""The lake's Delta tables: name, Arrow schema and partitioning (docs/architecture.md#data).

Pure declarations. Each table is written by one owner; a table appears here when something writes it.

Two kinds of table:

* **Derived** (``orders_fact``, ``order_lines_fact``): exact copies of the DB, replaced shop by shop by
  ``orders.services.order_facts_refresh`` and recreated by ``shopops lake rebuild``.
* **Import-fed** (``events``, ``traffic_daily``, ``ad_daily``, ``search_terms``, ``competitor_snapshots``):
  the only copy of what a channel export said; ``lake rebuild`` never touches them. Every row belongs to one
  *feed* — the source it came from: ``s{shop}.{format}.a{channel account or 0}[.{variant}]`` (the variant
  is the ad platform or the report level, so a campaign-level report never replaces keyword rows). They are
  partitioned by ``(date, feed)``: a re-import replaces exactly the files of its feed and date range in one
  Delta commit (``lake.services.FeedWriter``), and a file never mixes two feeds.

Conventions of the import-fed tables: ``date`` is the business date in the shop's time zone; money is an
integer in the minor unit of ``currency`` (fen for CNY, cents for USD); rates are fractions 0..1 as the
platform reported them (float64, never used for money); key columns hold ``""`` rather than null so keys join.
Columns whose field metadata says ``additive: no`` are distinct counts (访客数, 支付买家数, Sessions): the platform
de-duplicated them within the day, so summing them over days or sources over-counts
(docs/rules/metrics.md#distinct-counts-are-not-additive: "all-terminal UV = de-dup of PC + mobile (not the
sum)").
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
    key: tuple[str, ...] = ()  # import-fed tables with a row key (None: rows are a multiset, e.g. events)
    fed_by_imports: bool = False
    dictionary: tuple[str, ...] = ()  # low-cardinality string columns worth dictionary-encoding in parquet

    @property
    def data_columns(self) -> list[str]:
        """The columns stored in the parquet files (partition columns live in the Delta log)."""
        return [name for name in self.schema.names if name not in self.partition_by]


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
    # sku_id, sku_code, product_id, spu_code and category are null for a line not matched to a SKU yet
    # (docs/rules/sku-matching.md#unmatched-lines): SKU-level queries filter sku_id IS NOT NULL
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

FEED_PARTITIONS = ("date", "feed")
_DISTINCT = {"additive": "no: a distinct count de-duplicated by the platform within one day"}


def _common(*fields: pa.Field | tuple) -> list:
    return [("shop_id", pa.int64()), ("channel", pa.string()), ("channel_account_id", pa.int64()), *fields,
            ("date", pa.date32()), ("feed", pa.string())]


def _distinct(name: str) -> pa.Field:
    return pa.field(name, pa.int64(), metadata=_DISTINCT)


EVENTS = LakeTable(
    name="events",
    description="Behaviour log: one row per event (pv, fav, cart, buy, …); ids as text; date = local date of ts.",
    partition_by=FEED_PARTITIONS,
    fed_by_imports=True,
    dictionary=("channel", "behavior", "source"),
    schema=pa.schema(_common(
        ("ts", pa.timestamp("us", tz="UTC")), ("user_id", pa.string()), ("item_id", pa.string()),
        ("category_id", pa.string()), ("sku_id", pa.string()), ("behavior", pa.string()), ("source", pa.string()),
        ("session_id", pa.string()), ("price_fen", pa.int64()),
    )),
)

TRAFFIC_DAILY = LakeTable(
    name="traffic_daily",
    description="Platform-reported traffic by date × channel × level (store|item) × source × item; visitors and "
                "buyers are distinct counts per day and must not be summed across days or sources.",
    partition_by=FEED_PARTITIONS,
    key=("level", "terminal", "source", "item_id"),
    fed_by_imports=True,
    dictionary=("channel", "platform", "level", "terminal", "source", "currency"),
    schema=pa.schema(_common(
        ("platform", pa.string()), ("level", pa.string()), ("terminal", pa.string()), ("source", pa.string()),
        ("item_id", pa.string()), ("parent_item_id", pa.string()), ("sku", pa.string()), ("title", pa.string()),
        _distinct("visitors"), ("page_views", pa.int64()), _distinct("buyers"), ("orders", pa.int64()),
        ("units", pa.int64()), ("sales_fen", pa.int64()), ("b2b_units", pa.int64()), ("b2b_sales_fen", pa.int64()),
        _distinct("cart_users"), _distinct("fav_users"), ("conversion_rate", pa.float64()),
        ("bounce_rate", pa.float64()), ("buy_box_rate", pa.float64()), ("currency", pa.string()),
    )),
)

AD_DAILY = LakeTable(
    name="ad_daily",
    description="Ad reports by date × platform × campaign × unit × keyword/crowd/creative; level says which "
                "(sum one level only); cost and sales in the minor unit of currency.",
    partition_by=FEED_PARTITIONS,
    key=("level", "campaign_id", "campaign", "unit_id", "unit", "target_id", "target", "match_type", "item_id"),
    fed_by_imports=True,
    dictionary=("channel", "platform", "level", "match_type", "currency"),
    schema=pa.schema(_common(
        ("platform", pa.string()), ("level", pa.string()), ("campaign_id", pa.string()), ("campaign", pa.string()),
        ("unit_id", pa.string()), ("unit", pa.string()), ("target_id", pa.string()), ("target", pa.string()),
        ("match_type", pa.string()), ("item_id", pa.string()), ("impressions", pa.int64()), ("clicks", pa.int64()),
        ("cost_fen", pa.int64()), ("orders", pa.int64()), ("sales_fen", pa.int64()), ("direct_orders", pa.int64()),
        ("direct_sales_fen", pa.int64()), ("cart_adds", pa.int64()), ("favorites", pa.int64()),
        ("units", pa.int64()), ("currency", pa.string()),
    )),
)

SEARCH_TERMS = LakeTable(
    name="search_terms",
    description="Search terms by date × source × term (× item): impressions, visitors, clicks, orders, sales, rank.",
    partition_by=FEED_PARTITIONS,
    key=("source", "term", "item_id"),
    fed_by_imports=True,
    dictionary=("channel", "platform", "source", "currency"),
    schema=pa.schema(_common(
        ("platform", pa.string()), ("source", pa.string()), ("term", pa.string()), ("item_id", pa.string()),
        ("impressions", pa.int64()), _distinct("visitors"), ("clicks", pa.int64()), ("orders", pa.int64()),
        ("sales_fen", pa.int64()), ("rank", pa.int64()), ("currency", pa.string()),
    )),
)

COMPETITOR_SNAPSHOTS = LakeTable(
    name="competitor_snapshots",
    description="What a competitor's item looked like on a date: price, promo price, sales estimate, rank.",
    partition_by=FEED_PARTITIONS,
    key=("competitor_shop", "item_id"),
    fed_by_imports=True,
    dictionary=("channel", "platform", "currency"),
    schema=pa.schema(_common(
        ("platform", pa.string()), ("competitor_shop", pa.string()), ("item_id", pa.string()),
        ("title", pa.string()), ("category", pa.string()), ("price_fen", pa.int64()),
        ("promo_price_fen", pa.int64()), ("sales_estimate", pa.int64()), ("reviews", pa.int64()),
        ("rank", pa.int64()), ("url", pa.string()), ("currency", pa.string()),
    )),
)

TABLES: dict[str, LakeTable] = {t.name: t for t in (
    ORDERS_FACT, ORDER_LINES_FACT, EVENTS, TRAFFIC_DAILY, AD_DAILY, SEARCH_TERMS, COMPETITOR_SNAPSHOTS)}
FED_TABLES: dict[str, LakeTable] = {name: t for name, t in TABLES.items() if t.fed_by_imports}
