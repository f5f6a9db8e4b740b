"""/api/v1/customers: list and read customers with their channel identities."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError
from pydantic import Field

from shopops.core.api_auth import current_shop, needs
from shopops.core.money import format_fen
from shopops.core.roles import VIEW_CUSTOMERS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams
from shopops.members import selectors
from shopops.members.models import Customer
from shopops.members.schemas import CustomerOut, CustomerPage

router = Router(tags=["customers"])


class CustomerFilters(PageParams):
    q: str = Field("", max_length=100)
    channel: str = Field("", max_length=20)
    province: str = Field("", max_length=20)
    min_orders: int | None = Field(None, ge=0, le=100000)
    sort: str = Field("", max_length=20)


def customer_out(c: Customer) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "phone_masked": c.phone_masked,
        "province": c.province,
        "city": c.city,
        "created_at": c.created_at,
        "orders_count": c.orders_count,
        "total_paid": format_fen(c.paid_fen_total),
        "first_order_at": c.first_order_at,
        "last_order_at": c.last_order_at,
        "identities": [{"channel": i.channel, "external_id": i.external_id} for i in c.identities.all()],
    }


@router.get("", response={200: CustomerPage, **ERRORS}, auth=needs(VIEW_CUSTOMERS))
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]) -> dict:
    qs, _sort = selectors.customer_list(
        shop=current_shop(request), q=filters.q, channel=filters.channel, province=filters.province,
        min_orders=filters.min_orders, sort=filters.sort,
    )
    page = qs.prefetch_related("identities")[filters.offset : filters.offset + filters.limit]
    return {"items": [customer_out(c) for c in page], "count": qs.count()}


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS}, auth=needs(VIEW_CUSTOMERS))
def get_customer(request: HttpRequest, customer_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    customer = selectors.customer_detail(shop=current_shop(request), pk=customer_id)
    if customer is None:
        raise HttpError(404, "No such customer.")
    return customer_out(customer)
