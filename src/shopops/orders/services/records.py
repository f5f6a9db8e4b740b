"""Writes for orders, lines and refunds: validated first, then written in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shopops.catalog.selectors import sku_ids_in_shop
from shopops.channels.selectors import channel_account_ids_in_shop
from shopops.core.bulk import SideWork, SqlValue, insert_rows, reserve_ids
from shopops.core.clock import local_date
from shopops.core.domain import MAX_AMOUNT_FEN, MAX_LINE_QTY
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.members.selectors import customer_ids_in_shop
from shopops.members.services import db_datetime_adapter
from shopops.orders.domain import (
    InsertedOrders,
    OrderBatch,
    OrderInput,
    UpsertCounts,
    fingerprint_matches,
    order_fingerprint,
)
from shopops.orders.models import Order, OrderLine, Refund

BATCH = 2000


def _refuse_foreign_ids(shop: Shop, orders: Sequence[OrderInput]) -> None:
    """Every customer, SKU and channel account an order points at must belong to the same shop."""
    wanted = {
        "customer": ({o.customer_id for o in orders}, customer_ids_in_shop),
        "sku": ({line.sku_id for o in orders for line in o.lines if line.sku_id is not None}, sku_ids_in_shop),
        "channel_account": ({o.channel_account_id for o in orders}, channel_account_ids_in_shop),
    }
    errors = []
    for field, (ids, found_in_shop) in wanted.items():
        for missing in sorted(ids - found_in_shop(shop=shop, ids=ids))[:20]:
            errors.append(FieldError(field, _("%(field)s %(id)s does not belong to this shop.")
                                     % {"field": field, "id": missing}))
    if errors:
        raise InvalidInput(_("No order was written: it refers to records of another shop."), errors)


def _money_ok(order: OrderInput) -> bool:
    """The common case of ``order.problems()`` without building objects: no refunds, every line sane."""
    if order.refunds or not order.lines or order.shipping_fen < 0:
        return False
    for line in order.lines:
        if not 0 < line.qty <= MAX_LINE_QTY or not 0 <= line.unit_price_fen <= MAX_AMOUNT_FEN \
                or not 0 <= line.discount_fen <= line.unit_price_fen * line.qty:
            return False
    return True


def _validate(shop: Shop, orders: Sequence[OrderInput], *, ids_of_shop: bool = False) -> None:
    """Every order is checked (lines add up, discounts within amounts, refunds within what was paid, one
    entry per order number, records of this shop only) before the first row is written."""
    errors: list[FieldError] = []
    seen: set[tuple[int, str]] = set()
    for index, order in enumerate(orders):
        key = (order.channel_account_id, order.order_no)
        if key in seen:
            errors.append(FieldError("order_no", _("Order %s appears twice.") % order.order_no, row=index + 1))
        seen.add(key)
        if _money_ok(order):
            continue
        errors.extend(
            FieldError(f"{order.order_no}.{e.field}", e.message, row=index + 1) for e in order.problems()
        )
        if len(errors) >= 100:
            break
    if errors:
        raise InvalidInput(_("No order was written: some orders do not add up."), errors)
    if not ids_of_shop:
        _refuse_foreign_ids(shop, orders)


@transaction.atomic
def orders_create_bulk(*, shop: Shop, orders: Sequence[OrderInput]) -> int:
    """Insert many new orders with their lines and refunds; all or nothing."""
    _validate(shop, orders)
    return _insert(shop, orders)


@transaction.atomic
def orders_upsert(*, shop: Shop, orders: Sequence[OrderInput], outcomes: dict[str, str] | None = None,
                  touched_customers: set[int] | None = None, touched_dates: set[dt.date] | None = None,
                  ids_of_shop: bool = False) -> UpsertCounts:
    """Write orders idempotently, keyed by channel account and order number; all or nothing.

    An order whose content is unchanged (same fingerprint) is left alone; a corrected one has its lines
    and refunds replaced; a new one is inserted. Importing the same file twice changes nothing.
    ``outcomes``, when given, receives ``order_no → "inserted" | "updated" | "unchanged"`` (imports count
    the file's rows by what happened to their order). ``touched_customers`` and ``touched_dates``, when
    given, receive the customers and business (paid) dates of inserted and updated orders, before and after
    the change, so derived figures (customer statistics, the lake's order facts) are recomputed for those only.
    ``ids_of_shop=True`` says the caller looked every customer, SKU and channel account id up within this
    shop (the import pipeline does): the re-check that they belong to it is skipped.
    """
    _validate(shop, orders, ids_of_shop=ids_of_shop)
    fingerprints = [order_fingerprint(o) for o in orders]
    existing = _existing(shop, orders)
    zone = ZoneInfo(shop.timezone)
    new, new_prints, changed, changed_prints, unchanged = [], [], [], [], 0
    tracking = touched_customers is not None or touched_dates is not None
    for order, fingerprint in zip(orders, fingerprints, strict=True):
        found = existing.get((order.channel_account_id, order.order_no))
        if found is None:
            new.append(order)
            new_prints.append(fingerprint)
            outcome = "inserted"
        elif fingerprint_matches(found[1], order, fingerprint):
            unchanged += 1
            outcome = "unchanged"
        else:
            changed.append((found[0], order))
            changed_prints.append(fingerprint)
            outcome = "updated"
            if touched_customers is not None:  # what the order was before the change
                touched_customers.add(found[2])
            if touched_dates is not None:
                touched_dates.add(found[3])
        if tracking and outcome != "unchanged":
            if touched_customers is not None:
                touched_customers.add(order.customer_id)
            if touched_dates is not None:
                touched_dates.add(order.paid_at.astimezone(zone).date())
        if outcomes is not None:
            outcomes[order.order_no] = outcome
    if changed:
        _replace_changed(shop, changed, changed_prints)
    _insert(shop, new, fingerprints=new_prints)
    return UpsertCounts(inserted=len(new), updated=len(changed), unchanged=unchanged)


@transaction.atomic
def orders_upsert_batch(*, shop: Shop, batch: OrderBatch, outcomes: dict[str, str] | None = None,
                        touched_customers: set[int] | None = None, touched_dates: set[dt.date] | None = None,
                        ids_of_shop: bool = False, inserted: list[InsertedOrders] | None = None,
                        fingerprints: Sequence[str] | None = None, side_work: SideWork | None = None,
                        ) -> UpsertCounts:
    """:func:`orders_upsert` for orders held column by column (:class:`~shopops.orders.domain.OrderBatch`):
    the same checks, outcomes, fingerprints and touched customers and dates, without an object per order or
    line on the way (the column-wise import path, benchmarks/import_taobao_orders.py). New orders are written
    as plain rows from the columns; corrected ones (rare) go the ``OrderInput`` way.

    With ``inserted`` the new orders are appended to it with their ids (:class:`InsertedOrders`) and their
    paid dates are not added to ``touched_dates``: the caller describes them to the lake itself.
    ``fingerprints``: the batch's, when the caller computed them already (``batch.fingerprints()``).
    ``side_work``: pure Python tasks to run while the new orders' rows go in (:class:`shopops.core.bulk.SideWork`)."""
    numbers = batch.order_no
    if len(set(numbers)) != len(numbers) or not batch.money_ok():  # the row validator names the problems
        _validate(shop, [batch.order_input(i) for i in range(len(batch))], ids_of_shop=ids_of_shop)
    if not ids_of_shop:
        _refuse_foreign_ids(shop, [batch.order_input(i) for i in range(len(batch))])
    if fingerprints is None:
        fingerprints = batch.fingerprints()
    account = batch.channel_account_id
    existing = _existing_numbers(shop, account, numbers)
    zone = ZoneInfo(shop.timezone)
    paid_dates = [paid_at.astimezone(zone).date() for paid_at in batch.paid_at]
    new: list[int] = []
    changed: list[tuple[int, OrderInput]] = []
    changed_prints: list[str] = []
    unchanged = 0
    tracking = touched_customers is not None or touched_dates is not None
    for index, (number, fingerprint) in enumerate(zip(numbers, fingerprints, strict=True)):
        found = existing.get(number)
        if found is None:
            new.append(index)
            outcome = "inserted"
        elif found[1] == fingerprint or fingerprint_matches(found[1], batch.order_input(index), fingerprint):
            unchanged += 1
            outcome = "unchanged"
        else:
            changed.append((found[0], batch.order_input(index)))
            changed_prints.append(fingerprint)
            outcome = "updated"
            if touched_customers is not None:
                touched_customers.add(found[2])
            if touched_dates is not None:
                touched_dates.add(found[3])
        if tracking and outcome != "unchanged":
            if touched_customers is not None:
                touched_customers.add(batch.customer_id[index])
            if touched_dates is not None and (inserted is None or outcome != "inserted"):
                touched_dates.add(paid_dates[index])
        if outcomes is not None:
            outcomes[number] = outcome
    if changed:
        _replace_changed(shop, changed, changed_prints)
    written = _insert_batch(shop, batch, new, fingerprints, paid_dates, side_work=side_work)
    if written is not None and inserted is not None:
        inserted.append(written)
    return UpsertCounts(inserted=len(new), updated=len(changed), unchanged=unchanged)


def _replace_changed(shop: Shop, changed: list[tuple[int, OrderInput]], fingerprints: list[str]) -> None:
    """Corrected orders keep their ids: lines and refunds are deleted and written again, the order row updated."""
    ids = [pk for pk, _order in changed]
    for start in range(0, len(ids), 900):  # refunds first: they may point at the lines
        Refund.objects.filter(order_id__in=ids[start : start + 900]).delete()
        OrderLine.objects.filter(order_id__in=ids[start : start + 900]).delete()
    # same ids: links keep working; the refunds are replaced by the file's (none when it lists none)
    _insert(shop, [order for _pk, order in changed], keep_ids=ids, fingerprints=fingerprints)


def _existing_numbers(shop: Shop, account_id: int, numbers: Sequence[str],
                      ) -> dict[str, tuple[int, str, int, dt.date]]:
    """order number → (id, fingerprint, customer, paid date) of one account's stored orders among ``numbers``,
    900 numbers a query. A lookup names the account so that it uses the (shop, account, order number) unique
    index; with the shop alone SQLite scanned every order of the shop per chunk (quadratic at 1M lines)."""
    out: dict[str, tuple[int, str, int, dt.date]] = {}
    table = Order._meta.db_table
    ordered = sorted(set(numbers))
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), 900):
            chunk = ordered[start : start + 900]
            cursor.execute(f"SELECT order_no, id, fingerprint, customer_id, paid_date FROM {table} WHERE shop_id = %s "
                           f"AND channel_account_id = %s AND order_no IN ({', '.join(['%s'] * len(chunk))})",
                           [shop.pk, account_id, *chunk])
            for number, pk, fingerprint, customer_id, paid_date in cursor.fetchall():
                if not isinstance(paid_date, dt.date):  # SQLite gives the ISO text
                    paid_date = dt.date.fromisoformat(str(paid_date))
                out[number] = (pk, fingerprint, customer_id, paid_date)
    return out


def _existing(shop: Shop, orders: Sequence[OrderInput]) -> dict[tuple[int, str], tuple[int, str, int, dt.date]]:
    """(account, order number) → (id, fingerprint, customer, paid date) of the orders already stored (one
    indexed query per 900 numbers of an account)."""
    by_account: dict[int, list[str]] = {}
    for order in orders:
        by_account.setdefault(order.channel_account_id, []).append(order.order_no)
    return {(account_id, number): found for account_id, numbers in by_account.items()
            for number, found in _existing_numbers(shop, account_id, numbers).items()}


_ORDER_FIELDS = [
    "channel_account_id", "channel", "order_no", "customer_id", "status", "placed_at", "paid_at", "paid_date",
    "goods_fen", "discount_fen", "shipping_fen", "paid_fen", "refunded_fen", "promotions", "source", "province",
    "city", "fingerprint",
]


def _insert(shop: Shop, orders: Sequence[OrderInput], keep_ids: Sequence[int] | None = None,
            fingerprints: Sequence[str] | None = None) -> int:
    """Write orders with their lines and refunds; with ``keep_ids`` the order rows are updated in place."""
    if fingerprints is None:
        fingerprints = [order_fingerprint(o) for o in orders]
    if keep_ids is None and not any(order.refunds for order in orders):
        return _insert_plain(shop, orders, fingerprints)
    tz = shop.timezone
    order_rows = []
    for order, fingerprint in zip(orders, fingerprints, strict=True):
        amounts = order.line_amounts()
        goods = sum(a.amount_fen for a in amounts)
        discount = sum(a.discount_fen for a in amounts)
        refunded = sum(r.amount_fen for r in order.refunds if r.status == Refund.Status.SUCCESS)
        order_rows.append(
            Order(
                shop=shop, channel_account_id=order.channel_account_id, channel=order.channel,
                order_no=order.order_no, customer_id=order.customer_id, status=order.status,
                placed_at=order.placed_at, paid_at=order.paid_at, paid_date=local_date(order.paid_at, tz),
                goods_fen=goods, discount_fen=discount, shipping_fen=order.shipping_fen,
                paid_fen=goods - discount + order.shipping_fen, refunded_fen=refunded,
                promotions=list(order.promotions), source=order.source, province=order.province,
                city=order.city, fingerprint=fingerprint,
            )
        )
    if keep_ids is None:
        Order.objects.bulk_create(order_rows, batch_size=BATCH)
    else:
        for row, pk in zip(order_rows, keep_ids, strict=True):
            row.pk = pk
        Order.objects.bulk_update(order_rows, _ORDER_FIELDS, batch_size=500)
    line_rows: list[OrderLine] = []
    line_owner: list[tuple[int, int]] = []
    for order_row, order in zip(order_rows, orders, strict=True):
        for index, line in enumerate(order.lines):
            amount = line.unit_price_fen * line.qty
            line_rows.append(
                OrderLine(
                    shop=shop, order_id=order_row.pk, sku_id=line.sku_id, title=line.title,
                    unit_price_fen=line.unit_price_fen, qty=line.qty, amount_fen=amount,
                    discount_fen=line.discount_fen, paid_fen=amount - line.discount_fen,
                    seller_code=line.seller_code, platform_item_id=line.platform_item_id,
                    platform_sku_id=line.platform_sku_id, spec=line.spec, match_key=line.match_key,
                )
            )
            line_owner.append((order_row.pk, index))
    OrderLine.objects.bulk_create(line_rows, batch_size=BATCH)
    line_ids = {owner: row.pk for owner, row in zip(line_owner, line_rows, strict=True)}
    refund_rows = [
        Refund(
            shop=shop, order_id=order_row.pk,
            line_id=line_ids[(order_row.pk, refund.line_index)] if refund.line_index is not None else None,
            refund_no=refund.refund_no, kind=refund.kind, amount_fen=refund.amount_fen, reason=refund.reason,
            status=refund.status, requested_at=refund.requested_at,
            requested_date=local_date(refund.requested_at, tz), completed_at=refund.completed_at,
            completed_date=local_date(refund.completed_at, tz) if refund.completed_at else None,
        )
        for order_row, order in zip(order_rows, orders, strict=True)
        for refund in order.refunds
    ]
    Refund.objects.bulk_create(refund_rows, batch_size=BATCH)
    return len(order_rows)


_ORDER_COLUMNS = ("id", "shop_id", *_ORDER_FIELDS)  # attribute names are the column names here
_LINE_COLUMNS = ("shop_id", "order_id", "sku_id", "title", "unit_price_fen", "qty", "amount_fen", "discount_fen",
                 "paid_fen")
# what an export said of the item (SKU matching): written by the one-by-one path only; the column-wise path
# writes lines matched by their seller code, which leave them at their database default ""
_LINE_IDENTITY = ("seller_code", "platform_item_id", "platform_sku_id", "spec", "match_key")


def _insert_plain(shop: Shop, orders: Sequence[OrderInput], fingerprints: Sequence[str]) -> int:
    """New orders without refunds (what imports write) as plain rows (:mod:`shopops.core.bulk`): the ORM's
    per-field preparation cost more than the database itself (benchmarks/import_taobao_orders.py). The CHECK
    constraints still hold the money rules, and the values are the same the ORM path computes."""
    if not orders:
        return 0
    adapt = db_datetime_adapter()
    adapt_date = connection.ops.adapt_datefield_value
    zone = ZoneInfo(shop.timezone)
    shop_id = shop.pk
    order_ids = reserve_ids(Order._meta.db_table, len(orders))
    rows = []
    empty_promotions = json.dumps([])
    for order_id, order, fingerprint in zip(order_ids, orders, fingerprints, strict=True):
        goods = discount = 0
        for line in order.lines:
            goods += line.unit_price_fen * line.qty
            discount += line.discount_fen
        paid_at = order.paid_at
        rows.append((
            order_id, shop_id, order.channel_account_id, order.channel, order.order_no, order.customer_id,
            order.status, adapt(order.placed_at), adapt(paid_at), adapt_date(paid_at.astimezone(zone).date()), goods,
            discount, order.shipping_fen, goods - discount + order.shipping_fen, 0,
            json.dumps(list(order.promotions)) if order.promotions else empty_promotions, order.source,
            order.province, order.city, fingerprint,
        ))
    insert_rows(Order._meta.db_table, _ORDER_COLUMNS, rows)
    line_rows = [
        (shop_id, order_id, line.sku_id, line.title, line.unit_price_fen, line.qty, line.unit_price_fen * line.qty,
         line.discount_fen, line.unit_price_fen * line.qty - line.discount_fen, line.seller_code,
         line.platform_item_id, line.platform_sku_id, line.spec, line.match_key)
        for order_id, order in zip(order_ids, orders, strict=True)
        for line in order.lines
    ]
    insert_rows(OrderLine._meta.db_table, (*_LINE_COLUMNS, *_LINE_IDENTITY), line_rows)
    return len(rows)


def _datetime_adapter() -> Callable[[dt.datetime], SqlValue]:
    """``members.services.db_datetime_adapter`` with a shortcut for the UTC datetimes the CSV fast paths make:
    on SQLite, where that adapter writes naive UTC text, ``isoformat`` without its ``+00:00`` is that text in
    one call (tests/orders/test_batch.py compares them)."""
    adapt = db_datetime_adapter()
    if adapt == connection.ops.adapt_datetimefield_value:
        return adapt
    utc = dt.UTC

    def fast(value: dt.datetime) -> SqlValue:
        if value.tzinfo is utc:
            return value.isoformat(" ")[:-6]
        return adapt(value)

    return fast


def _insert_batch(shop: Shop, batch: OrderBatch, indexes: list[int], fingerprints: Sequence[str],
                  paid_dates: Sequence[dt.date], *, side_work: SideWork | None = None) -> InsertedOrders | None:
    """New orders of a batch (``indexes``) and their lines as plain rows from the columns, with ids reserved
    first (:mod:`shopops.core.bulk`); returns them with their ids, for the lake's facts."""
    if not indexes:
        return None
    adapt = _datetime_adapter()
    adapt_date = connection.ops.adapt_datefield_value
    amounts, goods_of, discount_of = batch.money()
    goods, discount = goods_of.tolist(), discount_of.tolist()
    shop_id, account, channel = shop.pk, batch.channel_account_id, batch.channel
    empty_promotions = json.dumps([])
    o = batch
    starts = o.line_starts
    order_ids = reserve_ids(Order._meta.db_table, len(indexes))
    line_ids = reserve_ids(OrderLine._meta.db_table, sum(starts[i + 1] - starts[i] for i in indexes))
    new_dates = [paid_dates[i] for i in indexes]
    rows = [(order_id, shop_id, account, channel, o.order_no[i], o.customer_id[i], o.status[i], adapt(o.placed_at[i]),
             adapt(o.paid_at[i]), adapt_date(paid_date), goods[i], discount[i], o.shipping_fen[i],
             goods[i] - discount[i] + o.shipping_fen[i], 0, empty_promotions, "", o.province[i], o.city[i],
             fingerprints[i])
            for order_id, i, paid_date in zip(order_ids, indexes, new_dates, strict=True)]
    insert_rows(Order._meta.db_table, _ORDER_COLUMNS, rows, side_work=side_work)
    amount_list = amounts.tolist()
    line_rows = []
    next_line = iter(line_ids)
    for order_id, i in zip(order_ids, indexes, strict=True):
        for j in range(starts[i], starts[i + 1]):
            amount = amount_list[j]
            line_rows.append((next(next_line), shop_id, order_id, o.sku_id[j], o.title[j], o.unit_price_fen[j],
                              o.qty[j], amount, o.discount_fen[j], amount - o.discount_fen[j]))
    insert_rows(OrderLine._meta.db_table, ("id", *_LINE_COLUMNS), line_rows, side_work=side_work)
    return InsertedOrders(batch=batch, indexes=indexes, order_ids=order_ids, line_ids=line_ids, paid_dates=new_dates)
