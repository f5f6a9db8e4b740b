"""Writes to the lake: the derived order facts (DESIGN.md: refreshed after every order import;
`shopops lake rebuild` recreates them from the DB)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from shopops.core import selectors as core_selectors
from shopops.lake.storage import replace_rows
from shopops.lake.tables import ORDER_LINES_FACT, ORDERS_FACT
from shopops.orders import selectors as order_selectors

if TYPE_CHECKING:
    from shopops.core.models import Shop

_ORDER_NAMES = {"pk": "order_id"}
_LINE_NAMES = {
    "pk": "line_id", "order__paid_date": "paid_date", "order__channel": "channel",
    "order__customer_id": "customer_id", "sku__sku_code": "sku_code", "sku__product_id": "product_id",
    "sku__product__spu_code": "spu_code", "sku__product__category__code": "category",
}


def _table(columns: dict[str, list], renames: dict[str, str], schema: pa.Schema) -> pa.Table:
    named = {renames.get(name, name): values for name, values in columns.items()}
    return pa.table({field.name: pa.array(named[field.name], type=field.type) for field in schema}, schema=schema)


def order_facts_refresh(*, shop: Shop) -> dict[str, int]:
    """Replace the shop's rows of orders_fact and order_lines_fact with the DB's, one commit per table."""
    orders = _table(order_selectors.order_fact_columns(shop=shop), _ORDER_NAMES, ORDERS_FACT.schema)
    lines = _table(order_selectors.line_fact_columns(shop=shop), _LINE_NAMES, ORDER_LINES_FACT.schema)
    predicate = f"shop_id = {int(shop.pk)}"
    return {
        "orders_fact": replace_rows(ORDERS_FACT, orders, predicate=predicate),
        "order_lines_fact": replace_rows(ORDER_LINES_FACT, lines, predicate=predicate),
        "orders": orders.num_rows,
        "order_lines": lines.num_rows,
    }


def lake_rebuild() -> list[dict]:
    """Recreate every derived table from the DB, shop by shop."""
    return [{"shop": shop.code, **order_facts_refresh(shop=shop)} for shop in core_selectors.all_shops()]
