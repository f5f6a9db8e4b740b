"""Writes for orders, lines and refunds: validated first, then written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog.selectors import sku_ids_in_shop
from shopops.channels.selectors import channel_account_ids_in_shop
from shopops.core.clock import local_date
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.members.selectors import customer_ids_in_shop
from shopops.orders.domain import OrderInput
from shopops.orders.models import Order, OrderLine, Refund

BATCH = 2000


def _refuse_foreign_ids(shop: Shop, orders: Sequence[OrderInput]) -> None:
    """Every customer, SKU and channel account an order points at must belong to the same shop."""
    wanted = {
        "customer": ({o.customer_id for o in orders}, customer_ids_in_shop),
        "sku": ({line.sku_id for o in orders for line in o.lines}, sku_ids_in_shop),
        "channel_account": ({o.channel_account_id for o in orders}, channel_account_ids_in_shop),
    }
    errors = []
    for field, (ids, found_in_shop) in wanted.items():
        for missing in sorted(ids - found_in_shop(shop=shop, ids=ids))[:20]:
            errors.append(FieldError(field, _("%(field)s %(id)s does not belong to this shop.")
                                     % {"field": field, "id": missing}))
    if errors:
        raise InvalidInput(_("No order was written: it refers to records of another shop."), errors)


@transaction.atomic
def orders_create_bulk(*, shop: Shop, orders: Sequence[OrderInput]) -> int:
    """Insert many new orders with their lines and refunds; all or nothing.

    Every order is checked (lines add up, discounts within amounts, refunds within what was paid)
    before the first row is written, and the errors name the order.
    """
    errors: list[FieldError] = []
    for index, order in enumerate(orders):
        errors.extend(
            FieldError(f"{order.order_no}.{e.field}", e.message, row=index + 1) for e in order.problems()
        )
        if len(errors) >= 100:
            break
    if errors:
        raise InvalidInput(_("No order was written: some orders do not add up."), errors)
    _refuse_foreign_ids(shop, orders)
    tz = shop.timezone
    order_rows = []
    for order in orders:
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
                city=order.city,
            )
        )
    Order.objects.bulk_create(order_rows, batch_size=BATCH)
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
