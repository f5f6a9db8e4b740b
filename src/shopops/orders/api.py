"""/api/v1/orders: list and read orders with lines and refunds."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError
from pydantic import Field

from shopops.core.api_auth import current_shop, needs
from shopops.core.money import format_fen
from shopops.core.roles import VIEW_CUSTOMERS, VIEW_ORDERS, VIEW_REFUNDS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams
from shopops.orders import selectors
from shopops.orders.models import Order
from shopops.orders.schemas import OrderOut, OrderPage

router = Router(tags=["orders"])


class OrderFilters(PageParams):
    q: str = Field("", max_length=100)
    channel: str = Field("", max_length=20)
    status: str = Field("", max_length=10)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    customer: int | None = Field(None, ge=1, le=MAX_DB_ID)
    refunded: bool | None = None
    sort: str = Field("", max_length=20)


def order_out(order: Order, *, show_customer: bool, with_refunds: bool = False) -> dict:
    return {
        "id": order.pk,
        "order_no": order.order_no,
        "channel": order.channel,
        "channel_account": order.channel_account.name,
        "customer": {"id": order.customer.pk, "code": order.customer.code, "name": order.customer.name}
        if show_customer
        else None,
        "status": order.status,
        "placed_at": order.placed_at,
        "paid_at": order.paid_at,
        "paid_date": order.paid_date,
        "goods": format_fen(order.goods_fen),
        "discount": format_fen(order.discount_fen),
        "shipping": format_fen(order.shipping_fen),
        "paid": format_fen(order.paid_fen),
        "refunded": format_fen(order.refunded_fen),
        "promotions": order.promotions,
        "source": order.source,
        "province": order.province,
        "city": order.city,
        "lines": [
            {
                "id": line.pk,
                "sku_code": line.sku.sku_code if line.sku is not None else None,
                "seller_code": line.seller_code,
                "title": line.title,
                "unit_price": format_fen(line.unit_price_fen),
                "qty": line.qty,
                "amount": format_fen(line.amount_fen),
                "discount": format_fen(line.discount_fen),
                "paid": format_fen(line.paid_fen),
            }
            for line in order.lines.all()
        ],
        "refunds": [
            {
                "refund_no": r.refund_no,
                "line_id": r.line_id,
                "kind": r.kind,
                "amount": format_fen(r.amount_fen),
                "reason": r.reason,
                "status": r.status,
                "requested_at": r.requested_at,
                "completed_at": r.completed_at,
            }
            for r in order.refunds.all()
        ]
        if with_refunds
        else [],
    }


@router.get("", response={200: OrderPage, **ERRORS}, auth=needs(VIEW_ORDERS))
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> dict:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise HttpError(422, "date_from must not be after date_to.")
    qs, _sort = selectors.order_list(
        shop=current_shop(request), q=filters.q, channel=filters.channel, status=filters.status,
        date_from=filters.date_from, date_to=filters.date_to, customer_id=filters.customer,
        refunded=filters.refunded, sort=filters.sort, search_customers=request.auth.has_perm(VIEW_CUSTOMERS),
        with_lines=True,
    )
    page = qs[filters.offset : filters.offset + filters.limit]
    show_customer = request.auth.has_perm(VIEW_CUSTOMERS)
    return {"items": [order_out(o, show_customer=show_customer) for o in page], "count": qs.count()}


@router.get("/{order_id}", response={200: OrderOut, **ERRORS}, auth=needs(VIEW_ORDERS))
def get_order(request: HttpRequest, order_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    order = selectors.order_detail(shop=current_shop(request), pk=order_id)
    if order is None:
        raise HttpError(404, "No such order.")
    return order_out(order, show_customer=request.auth.has_perm(VIEW_CUSTOMERS),
                     with_refunds=request.auth.has_perm(VIEW_REFUNDS))
