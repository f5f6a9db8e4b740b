"""Writes of the orders app: orders and refunds (``records``) and their derived copy in the lake (``facts``),
SKU matching's re-linking of order lines (``matching``), single refunds under the order's lock (``refunds``)."""

from shopops.orders.services.facts import (
    NewOrderFacts,
    facts_rebuild,
    facts_refresh_due_count,
    facts_refresh_owe,
    facts_refresh_settle,
    facts_settle_import,
    order_facts_refresh,
)
from shopops.orders.services.matching import Relinked, matching_map, matching_unmap
from shopops.orders.services.records import orders_create_bulk, orders_upsert, orders_upsert_batch
from shopops.orders.services.refunds import (
    LineMoney,
    OrderRefundState,
    order_refund_state,
    refund_record,
)

__all__ = [
    "LineMoney",
    "OrderRefundState",
    "NewOrderFacts",
    "Relinked",
    "facts_rebuild",
    "facts_refresh_due_count",
    "facts_refresh_owe",
    "facts_refresh_settle",
    "facts_settle_import",
    "matching_map",
    "matching_unmap",
    "order_facts_refresh",
    "order_refund_state",
    "orders_create_bulk",
    "orders_upsert",
    "orders_upsert_batch",
    "refund_record",
]
