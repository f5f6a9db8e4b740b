"""Writes for customers and their channel identities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from shopops.core.models import Shop
from shopops.members.models import Customer, CustomerIdentity


@dataclass(frozen=True, slots=True)
class CustomerInput:
    code: str
    name: str
    created_at: dt.datetime
    phone_masked: str = ""
    province: str = ""
    city: str = ""
    identities: tuple[tuple[str, str], ...] = ()


@transaction.atomic
def customers_create_bulk(*, shop: Shop, customers: Sequence[CustomerInput]) -> dict[str, int]:
    """Insert new customers with their channel identities; returns customer code → id."""
    rows = [
        Customer(shop=shop, code=c.code, name=c.name, phone_masked=c.phone_masked, province=c.province,
                 city=c.city, created_at=c.created_at)
        for c in customers
    ]
    Customer.objects.bulk_create(rows, batch_size=2000)
    CustomerIdentity.objects.bulk_create(
        (
            CustomerIdentity(shop=shop, customer_id=row.pk, channel=channel, external_id=external_id)
            for row, c in zip(rows, customers, strict=True)
            for channel, external_id in c.identities
        ),
        batch_size=2000,
    )
    return {row.code: row.pk for row in rows}


@dataclass(frozen=True, slots=True)
class CustomerStats:
    customer_id: int
    orders_count: int
    paid_fen_total: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None


@transaction.atomic
def customer_stats_apply(*, shop: Shop, stats: Iterable[CustomerStats]) -> int:
    """Store each customer's order count, total paid, first and last order (denormalised for lists)."""
    rows = [
        Customer(pk=s.customer_id, orders_count=s.orders_count, paid_fen_total=s.paid_fen_total,
                 first_order_at=s.first_order_at, last_order_at=s.last_order_at)
        for s in stats
    ]
    Customer.objects.bulk_update(
        rows, ["orders_count", "paid_fen_total", "first_order_at", "last_order_at"], batch_size=500
    )
    return len(rows)
