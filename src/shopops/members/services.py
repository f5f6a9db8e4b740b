"""Writes for customers and their channel identities."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection, transaction

from shopops.core.bulk import SideWork, db_datetime_adapter, insert_rows, reserve_ids
from shopops.core.models import Shop
from shopops.members.models import Customer, CustomerIdentity
from shopops.members.selectors import channel_ids_of


@dataclass(frozen=True, slots=True)
class CustomerInput:
    code: str
    name: str
    created_at: dt.datetime
    phone_masked: str = ""
    province: str = ""
    city: str = ""
    identities: tuple[tuple[str, str], ...] = ()
    orders: OrdersTally | None = None  # the customer's orders, when the caller is writing all of them


@dataclass(frozen=True, slots=True)
class OrdersTally:
    """A customer's order count, total paid, first and last paid instant (the denormalised list columns)."""

    orders_count: int
    paid_fen_total: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None


_CUSTOMER_COLUMNS = ("id", "shop_id", "code", "name", "phone_masked", "province", "city", "created_at",
                     "orders_count", "paid_fen_total", "first_order_at", "last_order_at")


@transaction.atomic
def customers_create_bulk(*, shop: Shop, customers: Sequence[CustomerInput], ids: Sequence[int] | None = None,
                          side_work: SideWork | None = None) -> dict[str, int]:
    """Insert new customers with their channel identities; returns customer code → id.

    Plain rows with ids reserved first (:mod:`shopops.core.bulk`; ``ids``: reserved by the caller already):
    the ORM's ``bulk_create`` spent most of an order import's customer time preparing fields
    (benchmarks/import_taobao_orders.py). A customer given with its ``orders`` is written with those stats (an
    import creating a buyer knows all of their orders). ``side_work`` runs beside the inserts.
    """
    if not customers:
        return {}
    adapt = db_datetime_adapter()
    if ids is None:
        ids = reserve_ids(Customer._meta.db_table, len(customers))
    none = OrdersTally(0, 0, None, None)
    rows = []
    for pk, c in zip(ids, customers, strict=True):
        tally = c.orders or none
        rows.append((pk, shop.pk, c.code, c.name, c.phone_masked, c.province, c.city, adapt(c.created_at),
                     tally.orders_count, tally.paid_fen_total, adapt(tally.first_order_at),
                     adapt(tally.last_order_at)))
    insert_rows(Customer._meta.db_table, _CUSTOMER_COLUMNS, rows, side_work=side_work)
    insert_rows(CustomerIdentity._meta.db_table, ("shop_id", "customer_id", "channel", "external_id"),
                [(shop.pk, pk, channel, external_id) for pk, c in zip(ids, customers, strict=True)
                 for channel, external_id in c.identities], side_work=side_work)
    return {c.code: pk for pk, c in zip(ids, customers, strict=True)}


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


@dataclass(slots=True)
class CustomersPlan:
    """What :func:`customers_resolve` does, before it writes: every buyer's customer id (the new customers'
    reserved), and the new customers to write (:func:`customers_plan_write`, in the same transaction).
    :func:`customers_plan_orders` also gives each order's customer (``by_order``), the buyer ids it records for
    customers that had none on the channel (``linked``)."""

    ids: dict[str, int]
    new: list[CustomerInput]
    new_ids: list[int]
    channel: str = ""
    by_order: dict[str, int] = field(default_factory=dict)
    linked: list[tuple[str, int]] = field(default_factory=list)


def _plan_new(shop: Shop, channel: str, found: dict[str, int], missing: Sequence[BuyerSeen],
              tallies: Mapping[str, OrdersTally]) -> CustomersPlan:
    """The customers to create for ``missing`` buyers (ids reserved now), added to ``found``."""
    new_customers = [
        CustomerInput(code=customer_code_for(channel, b.external_id), name=b.name or b.external_id,
                      created_at=b.seen_at, phone_masked=b.phone_masked, province=b.province, city=b.city,
                      identities=((channel, b.external_id),), orders=tallies.get(b.external_id))
        for b in missing]
    new_ids = reserve_ids(Customer._meta.db_table, len(new_customers))
    for buyer, pk in zip(missing, new_ids, strict=True):
        found[buyer.external_id] = pk
    return CustomersPlan(ids=found, new=new_customers, new_ids=new_ids, channel=channel)


def customers_plan(*, shop: Shop, channel: str, buyers: Sequence[BuyerSeen],
                   orders: Mapping[str, OrdersTally] | None = None) -> CustomersPlan:
    """:func:`customers_resolve` up to the write: the caller knows every id before the new customers are
    written, and can work beside their insert (an import builds its first orders meanwhile)."""
    wanted = {b.external_id: b for b in buyers}
    keys = sorted(wanted)
    found = _identities(shop, channel, keys)
    return _plan_new(shop, channel, found, [wanted[key] for key in keys if key not in found], orders or {})


class OrderBuyer(NamedTuple):
    """One order of an import as the identity resolution sees it: its number, the buyer id the file names
    (``named`` False: the file names no buyer, e.g. a report without a buyer column), what it paid and when, and
    the customer it is stored with (None: a new order)."""

    key: str
    external_id: str
    named: bool
    paid_fen: int
    paid_at: dt.datetime
    stored_customer_id: int | None = None


def customers_plan_orders(*, shop: Shop, channel: str, buyers: Sequence[BuyerSeen],
                          orders: Sequence[OrderBuyer]) -> CustomersPlan:
    """Each order's customer, before anything is written (:func:`customers_plan_write` writes the plan).

    A buyer id seen before on the channel is that customer, always. An order already stored keeps its customer
    unless the file names a different buyer for it: a file that names no buyer keeps it; a buyer id unknown on
    the channel is recorded as the stored customer's id there when that customer has none yet (a report that
    now names the buyer), and is a different buyer (a new customer) when the stored customer has another id on
    the channel. Only new buyers make new customers, each starting with the stats of the orders it gets.
    """
    described = {b.external_id: b for b in buyers}
    found = _identities(shop, channel, sorted({o.external_id for o in orders}))
    stored_ids = {o.stored_customer_id for o in orders if o.stored_customer_id is not None}
    identified = set(channel_ids_of(shop=shop, channel=channel, customer_ids=stored_ids))
    candidates: dict[str, set[int]] = {}
    for o in orders:
        stored = o.stored_customer_id
        if stored is not None and o.named and o.external_id not in found and stored not in identified:
            candidates.setdefault(o.external_id, set()).add(stored)
    # one stored customer per unknown id; an id named for orders of several such customers links none of them
    linked = sorted((external_id, min(ids)) for external_id, ids in candidates.items() if len(ids) == 1)
    found.update(linked)
    by_order: dict[str, int] = {}
    waiting: list[OrderBuyer] = []
    tallies: dict[str, list] = {}
    for o in orders:
        stored = o.stored_customer_id
        if stored is not None and (not o.named or (o.external_id not in found and stored not in identified)):
            by_order[o.key] = stored
            continue
        customer = found.get(o.external_id)
        if customer is not None:
            by_order[o.key] = customer
            continue
        waiting.append(o)
        tally = tallies.get(o.external_id)
        if tally is None:
            tallies[o.external_id] = [1, o.paid_fen, o.paid_at, o.paid_at]
        else:
            tally[0] += 1
            tally[1] += o.paid_fen
            tally[2] = min(tally[2], o.paid_at)
            tally[3] = max(tally[3], o.paid_at)
    plan = _plan_new(shop, channel, found, [described[key] for key in sorted(tallies)],
                     {key: OrdersTally(*tally) for key, tally in tallies.items()})
    for o in waiting:
        by_order[o.key] = found[o.external_id]
    plan.by_order, plan.linked = by_order, linked
    return plan


def customers_plan_write(*, shop: Shop, plan: CustomersPlan, side_work: SideWork | None = None) -> None:
    customers_create_bulk(shop=shop, customers=plan.new, ids=plan.new_ids, side_work=side_work)
    if plan.linked:
        insert_rows(CustomerIdentity._meta.db_table, ("shop_id", "customer_id", "channel", "external_id"),
                    [(shop.pk, customer_id, plan.channel, external_id) for external_id, customer_id in plan.linked])


@transaction.atomic
def customers_resolve(*, shop: Shop, channel: str, buyers: Sequence[BuyerSeen],
                      orders: Mapping[str, OrdersTally] | None = None, created: set[int] | None = None,
                      ) -> dict[str, int]:
    """Customer ids for channel buyer ids, creating a customer (and identity) for each buyer not seen before.

    Matching is by the channel identity only: linking the same person across channels is a separate,
    deliberate step (private-domain work), never a guess made during an import. ``orders``: each buyer's
    orders as the caller is about to write them; a customer created here starts with those stats (it has no
    other orders), so the caller need not count them again. The ids created here are added to ``created``.
    """
    plan = customers_plan(shop=shop, channel=channel, buyers=buyers, orders=orders)
    customers_plan_write(shop=shop, plan=plan)
    if created is not None:
        created.update(plan.new_ids)
    return plan.ids


def _identities(shop: Shop, channel: str, external_ids: Sequence[str]) -> dict[str, int]:
    """external id → customer id of the channel identities among ``external_ids``, by raw SQL 900 ids a
    query (an import resolves a quarter of a million buyers: the ORM's per-value preparation was most of it)."""
    table = CustomerIdentity._meta.db_table
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(external_ids), 900):
            chunk = external_ids[start : start + 900]
            cursor.execute(f"SELECT external_id, customer_id FROM {table} WHERE shop_id = %s AND channel = %s AND "
                           f"external_id IN ({', '.join(['%s'] * len(chunk))})", [shop.pk, channel, *chunk])
            found.update(cursor.fetchall())
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
    adapt = db_datetime_adapter()  # Django's adapter per value cost a third of this function on 250,000 rows
    rows = [(s.customer_id, s.orders_count, s.paid_fen_total, adapt(s.first_order_at), adapt(s.last_order_at))
            for s in stats]
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
