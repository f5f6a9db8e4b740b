"""The orders' derived copy in the lake: ``orders_fact`` and ``order_lines_fact`` (docs/architecture.md#data).

The DB's orders are the truth; these tables are refreshed after every order import and recreated by
``shopops lake rebuild``. The order records and the facts live in two stores that cannot share one
transaction, so an import records the refresh it owes (:class:`~shopops.orders.models.FactsRefreshDue`, a
transactional outbox) in its own DB transaction and pays it after the Delta commits: a crash in between is
repaired by the next import, the worker or ``shopops lake settle``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from shopops.core import selectors as core_selectors
from shopops.core.clock import now
from shopops.lake.services import TABLES, replace_rows, rollups_kept
from shopops.orders import selectors as order_selectors
from shopops.orders.domain import order_paid_fen
from shopops.orders.models import FactsRefreshDue

if TYPE_CHECKING:
    from collections.abc import Iterable

    from shopops.core.models import Shop
    from shopops.orders.domain import InsertedOrders

ORDERS_FACT = TABLES["orders_fact"]
ORDER_LINES_FACT = TABLES["order_lines_fact"]
_FACTS = (ORDERS_FACT.name, ORDER_LINES_FACT.name)

_ORDER_NAMES = {"pk": "order_id"}
_LINE_NAMES = {
    "pk": "line_id", "order__paid_date": "paid_date", "order__channel": "channel",
    "order__customer_id": "customer_id", "sku__sku_code": "sku_code", "sku__product_id": "product_id",
    "sku__product__spu_code": "spu_code", "sku__product__category__code": "category",
}


def _table(columns: dict[str, list], renames: dict[str, str], schema: pa.Schema) -> pa.Table:
    named = {renames.get(name, name): values for name, values in columns.items()}
    return pa.table({field.name: _array(named[field.name], field.type) for field in schema}, schema=schema)


def _array(values: list, kind: pa.DataType) -> pa.Array:
    """A column as Arrow; timestamps and dates given as SQLite's ISO text (naive UTC) are cast column-wise."""
    if (pa.types.is_timestamp(kind) or pa.types.is_date(kind)) and any(isinstance(v, str) for v in values[:1]):
        text = pa.array(values, pa.string())
        if pa.types.is_date(kind):
            return text.cast(kind)
        return text.cast(pa.timestamp(kind.unit)).cast(kind)
    return pa.array(values, type=kind)


def order_facts_refresh(*, shop: Shop, date_from: dt.date | None = None,
                        date_to: dt.date | None = None) -> dict[str, int]:
    """Replace the shop's rows of orders_fact and order_lines_fact with the DB's, one commit per table.

    With ``date_from``/``date_to`` only the paid dates in that range are replaced (an import passes the range
    of the dates its new and changed orders had and have: every other date's rows are the same in the DB
    and the lake); the tables' partitions are by paid date, so the commit rewrites only those.
    """
    orders = _table(order_selectors.order_fact_raw_columns(shop=shop, date_from=date_from, date_to=date_to),
                    _ORDER_NAMES, ORDERS_FACT.schema)
    lines = _table(order_selectors.line_fact_raw_columns(shop=shop, date_from=date_from, date_to=date_to),
                   _LINE_NAMES, ORDER_LINES_FACT.schema)
    predicate = f"shop_id = {int(shop.pk)}"
    if date_from is not None and date_to is not None:
        predicate += f" AND paid_date >= '{date_from.isoformat()}' AND paid_date <= '{date_to.isoformat()}'"
    else:
        date_from = date_to = None
    # the rollups of the same shop and paid dates follow (customer_day, sku_day; docs/architecture.md#rollups)
    with rollups_kept(_FACTS, shop_id=shop.pk, date_from=date_from, date_to=date_to):
        versions = {"orders_fact": replace_rows(ORDERS_FACT, orders, predicate=predicate),
                    "order_lines_fact": replace_rows(ORDER_LINES_FACT, lines, predicate=predicate)}
    return {**versions, "orders": orders.num_rows, "order_lines": lines.num_rows}


def facts_refresh_owe(*, shop: Shop, date_from: dt.date, date_to: dt.date) -> int:
    """Record that the lake's order facts of ``date_from..date_to`` must be refreshed; returns the debt's id.

    Call it inside the transaction that changes the orders: the debt then commits (or rolls back) with them,
    and survives a crash before :func:`facts_refresh_settle` (see :class:`~shopops.orders.models.FactsRefreshDue`).
    """
    return FactsRefreshDue.objects.create(shop=shop, date_from=date_from, date_to=date_to).pk


class NewOrderFacts:
    """orders_fact and order_lines_fact rows of the orders an import inserted column-wise, built from the
    import's own columns and the ids it gave them (:class:`~shopops.orders.domain.InsertedOrders`, in
    ``parts``): the same rows :func:`order_facts_refresh` reads back from the DB (tests/lake/test_inserted_facts.py),
    without reading 1,000,000 lines back (benchmarks/import_taobao_orders.py). :meth:`build` is pure (numpy
    and Arrow, no database): an import runs it as side work while its next chunk is written."""

    def __init__(self, *, shop_id: int, sku_ids: Iterable[int]) -> None:
        self.shop_id = shop_id
        self.parts: list[InsertedOrders] = []
        self._keys = order_selectors.line_fact_sku_keys(sku_ids=sku_ids)
        self._built: dict[int, tuple[pa.Table, pa.Table]] = {}

    def build(self, index: int) -> None:
        """The rows of ``parts[index]``."""
        if index not in self._built:
            self._built[index] = _part_facts(self.shop_id, self.parts[index], self._keys)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        for index in range(len(self.parts)):
            self.build(index)
        built = [self._built[index] for index in range(len(self.parts))]
        if not built:
            return ORDERS_FACT.schema.empty_table(), ORDER_LINES_FACT.schema.empty_table()
        return pa.concat_tables([o for o, _l in built]), pa.concat_tables([li for _o, li in built])


def _part_facts(shop_id: int, part: InsertedOrders, sku_keys: dict[int, tuple[str, int, str, str | None]],
                ) -> tuple[pa.Table, pa.Table]:
    batch, n = part.batch, len(part.indexes)
    pick = np.asarray(part.indexes, dtype=np.int64)
    take = pa.array(pick)
    amounts, goods, discount = batch.money()
    shipping = np.asarray(batch.shipping_fen, dtype=np.int64)[pick]
    goods, discount = goods[pick], discount[pick]
    customer = np.asarray(batch.customer_id, dtype=np.int64)[pick]
    paid_date = pa.array(part.paid_dates, pa.date32())
    order_ids = np.asarray(part.order_ids, dtype=np.int64)
    instant = pa.timestamp("us", tz="UTC")
    orders = pa.table({
        "shop_id": np.full(n, shop_id, dtype=np.int64), "order_id": order_ids,
        "order_no": pa.array(batch.order_no, pa.string()).take(take), "channel": pa.repeat(batch.channel, n),
        "channel_account_id": np.full(n, batch.channel_account_id, dtype=np.int64), "customer_id": customer,
        "status": pa.array(batch.status, pa.string()).take(take),
        "placed_at": pa.array(batch.placed_at, instant).take(take),
        "paid_at": pa.array(batch.paid_at, instant).take(take), "paid_date": paid_date,
        "goods_fen": goods, "discount_fen": discount, "shipping_fen": shipping,
        "paid_fen": order_paid_fen(goods, shipping, discount), "refunded_fen": np.zeros(n, dtype=np.int64),
        "source": pa.repeat("", n), "province": pa.array(batch.province, pa.string()).take(take),
        "city": pa.array(batch.city, pa.string()).take(take),
    }, schema=ORDERS_FACT.schema)
    starts = np.asarray(batch.line_starts, dtype=np.int64)
    counts = starts[pick + 1] - starts[pick]
    # the positions of the picked orders' lines in the batch's line columns, order by order
    positions = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(
        starts[pick] - (np.cumsum(counts) - counts), counts)
    sku_ids = np.asarray(batch.sku_id, dtype=np.int64)[positions]
    skus, which = np.unique(sku_ids, return_inverse=True)
    known = [sku_keys[int(sku)] for sku in skus]
    by_sku = pa.array(which.astype(np.int64))
    amount = amounts[positions]
    line_discount = np.asarray(batch.discount_fen, dtype=np.int64)[positions]
    lines = pa.table({
        "shop_id": np.full(len(positions), shop_id, dtype=np.int64), "order_id": np.repeat(order_ids, counts),
        "line_id": np.asarray(part.line_ids, dtype=np.int64), "paid_date": paid_date.take(
            pa.array(np.repeat(np.arange(n, dtype=np.int64), counts))),
        "channel": pa.repeat(batch.channel, len(positions)), "customer_id": np.repeat(customer, counts),
        "sku_id": sku_ids, "sku_code": pa.array([k[0] for k in known], pa.string()).take(by_sku),
        "product_id": pa.array([k[1] for k in known], pa.int64()).take(by_sku),
        "spu_code": pa.array([k[2] for k in known], pa.string()).take(by_sku),
        "category": pa.array([k[3] for k in known], pa.string()).take(by_sku),
        "qty": np.asarray(batch.qty, dtype=np.int64)[positions],
        "unit_price_fen": np.asarray(batch.unit_price_fen, dtype=np.int64)[positions], "amount_fen": amount,
        "discount_fen": line_discount, "paid_fen": amount - line_discount,
    }, schema=ORDER_LINES_FACT.schema)
    return orders, lines


def facts_settle_import(*, shop: Shop, debt: int, refresh: tuple[dt.date, dt.date] | None,
                        new: NewOrderFacts | None) -> dict[str, int]:
    """Pay an order import's debt (:func:`facts_refresh_owe`, ``debt``): the paid dates in ``refresh`` (orders
    it updated, or wrote one by one) are read back from the DB; the orders it inserted column-wise (``new``)
    are written from its own columns, replacing exactly the rows of their ids — which works only when those
    ids are all of one range (SQLite's write lock gives that; PostgreSQL usually): otherwise their dates are
    read back too. Then the debt is deleted, and any other debt of the shop (an interrupted import's) is paid.
    A crash on the way leaves the debt on record, and paying it reads everything back: nothing is lost."""
    parts = new.parts if new is not None else []
    ids = [order_id for part in parts for order_id in (part.order_ids[0], part.order_ids[-1])]
    count = sum(len(part.order_ids) for part in parts)
    low_id, high_id = (min(ids), max(ids)) if ids else (0, -1)
    # The defaults are never read: both days are used only when there are parts.
    first_day = min((min(part.paid_dates) for part in parts), default=dt.date.max)
    last_day = max((max(part.paid_dates) for part in parts), default=dt.date.min)
    if parts and high_id - low_id + 1 != count:  # another writer's ids in between: read them back
        refresh = (min(first_day, refresh[0]), max(last_day, refresh[1])) if refresh else (first_day, last_day)
        parts = []
    out = {"orders": 0, "order_lines": 0}
    if refresh is not None:
        result = order_facts_refresh(shop=shop, date_from=refresh[0], date_to=refresh[1])
        out = {"orders": result["orders"], "order_lines": result["order_lines"]}
    if new is not None and parts and not (refresh and refresh[0] <= first_day and last_day <= refresh[1]):
        orders, lines = new.tables()
        predicate = (f"shop_id = {int(shop.pk)} AND paid_date >= '{first_day.isoformat()}' AND paid_date <= "
                     f"'{last_day.isoformat()}' AND order_id >= {int(low_id)} AND order_id <= {int(high_id)}")
        with rollups_kept(_FACTS, shop_id=shop.pk, date_from=first_day, date_to=last_day):
            replace_rows(ORDERS_FACT, orders, predicate=predicate)
            replace_rows(ORDER_LINES_FACT, lines, predicate=predicate)
        out = {"orders": out["orders"] + orders.num_rows, "order_lines": out["order_lines"] + lines.num_rows}
    FactsRefreshDue.objects.filter(pk=debt).delete()
    facts_refresh_settle(shop=shop)
    return out


def facts_refresh_settle(*, shop: Shop | None = None, older_than: dt.timedelta | None = None) -> list[dict]:
    """Pay the recorded debts (of ``shop``, or of every shop; only those older than ``older_than``): one
    refresh per shop over the span of its debts, then the debts read are deleted — never before the lake
    commits, and not those recorded meanwhile. Refreshing is idempotent, so paying a debt twice is harmless.
    """
    dues = FactsRefreshDue.objects.select_related("shop").order_by("pk")
    if shop is not None:
        dues = dues.filter(shop=shop)
    if older_than is not None:
        dues = dues.filter(created_at__lt=now() - older_than)
    spans: dict[int, tuple[Shop, dt.date, dt.date, list[int]]] = {}
    for due in dues:
        owner, low, high, ids = spans.get(due.shop_id, (due.shop, due.date_from, due.date_to, []))
        spans[due.shop_id] = (owner, min(low, due.date_from), max(high, due.date_to), [*ids, due.pk])
    paid = []
    for owner, low, high, ids in spans.values():
        result = order_facts_refresh(shop=owner, date_from=low, date_to=high)
        FactsRefreshDue.objects.filter(pk__in=ids).delete()
        paid.append({"shop": owner.code, "date_from": low.isoformat(), "date_to": high.isoformat(),
                     "debts": len(ids), **result})
    return paid


def facts_refresh_due_count() -> int:
    return FactsRefreshDue.objects.count()


def facts_rebuild() -> list[dict]:
    """Recreate the order facts from the DB, shop by shop; the debts recorded before a shop's refresh are paid
    by it."""
    out = []
    for shop in core_selectors.all_shops():
        owed = list(FactsRefreshDue.objects.filter(shop=shop).values_list("pk", flat=True))
        out.append({"shop": shop.code, **order_facts_refresh(shop=shop)})
        FactsRefreshDue.objects.filter(pk__in=owed).delete()
    return out
