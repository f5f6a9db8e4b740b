"""Writes for customers and their channel identities."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

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
class BuyerSeen:
    """A buyer as a channel export names them: their id on that channel and what else the row says."""

    external_id: str
    name: str
    seen_at: dt.datetime
    province: str = ""
    city: str = ""
    phone_masked: str = ""


def customer_code_for(channel: str, external_id: str) -> str:
    """A stable, readable code for a buyer first seen on a channel (ids can be long or contain spaces)."""
    digest = hashlib.sha1(f"{channel}:{external_id}".encode()).hexdigest()[:12]
    return f"{channel[:12]}-{digest}"


@transaction.atomic
def customers_resolve(*, shop: Shop, channel: str, buyers: Sequence[BuyerSeen]) -> dict[str, int]:
    """Customer ids for channel buyer ids, creating a customer (and identity) for each buyer not seen before.

    Matching is by the channel identity only: linking the same person across channels is a separate,
    deliberate step (private-domain work), never a guess made during an import.
    """
    wanted = {b.external_id: b for b in buyers}
    found: dict[str, int] = {}
    keys = sorted(wanted)
    for start in range(0, len(keys), 900):
        found.update(
            CustomerIdentity.objects.filter(shop=shop, channel=channel, external_id__in=keys[start : start + 900])
            .values_list("external_id", "customer_id")
        )
    missing = [wanted[key] for key in keys if key not in found]
    created = customers_create_bulk(
        shop=shop,
        customers=[
            CustomerInput(code=customer_code_for(channel, b.external_id), name=b.name or b.external_id,
                          created_at=b.seen_at, phone_masked=b.phone_masked, province=b.province, city=b.city,
                          identities=((channel, b.external_id),))
            for b in missing
        ],
    )
    for buyer in missing:
        found[buyer.external_id] = created[customer_code_for(channel, buyer.external_id)]
    return found


@dataclass(frozen=True, slots=True)
class CustomerStats:
    customer_id: int
    orders_count: int
    paid_fen_total: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None


@transaction.atomic
def customer_stats_apply(*, shop: Shop, stats: Iterable[CustomerStats]) -> int:
    """Store each customer's order count, total paid, first and last order (denormalised for lists).

    One ``UPDATE … FROM`` over a temporary table (SQLite ≥ 3.33 and PostgreSQL): 50,000 customers in
    about a second, where ``bulk_update``'s CASE WHEN batches took twenty.
    """
    ops = connection.ops
    rows = [
        (s.customer_id, s.orders_count, s.paid_fen_total, ops.adapt_datetimefield_value(s.first_order_at),
         ops.adapt_datetimefield_value(s.last_order_at))
        for s in stats
    ]
    if not rows:
        return 0
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS shopops_customer_stats")
        cursor.execute(
            f"CREATE TEMPORARY TABLE shopops_customer_stats (id bigint PRIMARY KEY, n integer, total bigint, "
            f"first_at {timestamp}, last_at {timestamp})"
        )
        for start in range(0, len(rows), 5000):
            cursor.executemany("INSERT INTO shopops_customer_stats VALUES (%s, %s, %s, %s, %s)",
                               rows[start : start + 5000])
        cursor.execute(
            "UPDATE members_customer SET orders_count = s.n, paid_fen_total = s.total, first_order_at = s.first_at, "
            "last_order_at = s.last_at FROM shopops_customer_stats AS s "
            "WHERE members_customer.id = s.id AND members_customer.shop_id = %s",
            [shop.pk],
        )
        updated = cursor.rowcount
        cursor.execute("DROP TABLE shopops_customer_stats")
    return updated
