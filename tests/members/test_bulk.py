"""The bulk customer writes the order import uses (benchmarks/import_taobao_orders.py): the ids returned are
the stored ones, datetimes stored exactly as Django stores them."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection

from shopops.members.models import Customer, CustomerIdentity
from shopops.members.services import (
    CustomerInput,
    CustomerStats,
    customer_stats_apply,
    customers_create_bulk,
    db_datetime_adapter,
)


def test_datetime_adapter_writes_what_django_writes():
    adapt, django_adapt = db_datetime_adapter(), connection.ops.adapt_datetimefield_value
    values = [
        dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 1, 12, 0, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 1, 23, 59, 59, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        dt.datetime(2026, 10, 1, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ]
    for value in values:
        assert adapt(value) == django_adapt(value), value
    assert adapt(None) is None


def test_bulk_ids_are_the_stored_ones_also_when_the_id_range_misses_them(shop):
    """New customers' ids are reserved before the insert (core.bulk.reserve_ids) and are the stored ones, also
    after a customer was given an explicit larger id (SQLite's AUTOINCREMENT moves past it; PostgreSQL's
    sequence hands out its next values)."""
    at = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
    made = customers_create_bulk(shop=shop, customers=[
        CustomerInput(code=f"bulk-{i}", name=f"买家{i}", created_at=at, identities=(("taobao", f"bulk-tb-{i}"),))
        for i in range(3)])
    stored = dict(Customer.objects.filter(shop=shop, code__startswith="bulk-").values_list("code", "id"))
    assert made == stored and len(made) == 3
    assert {i.customer_id for i in CustomerIdentity.objects.filter(shop=shop, external_id__startswith="bulk-tb-")} \
        == set(made.values())
    assert Customer.objects.get(pk=made["bulk-0"]).created_at == at
    # an explicit larger id: PostgreSQL's sequence does not move past it, so the next ids fall below the
    # "largest id before" and are found by code (on SQLite AUTOINCREMENT moves on and the range finds them)
    Customer.objects.create(pk=max(stored.values()) + 10_000, shop=shop, code="bulk-explicit", name="x",
                            created_at=at)
    again = customers_create_bulk(shop=shop, customers=[
        CustomerInput(code=f"bulk-late-{i}", name="late", created_at=at) for i in range(2)])
    assert again == dict(Customer.objects.filter(shop=shop, code__startswith="bulk-late-").values_list("code", "id"))
    assert len(again) == 2


def test_stats_apply_stores_instants_exactly(shop):
    customer = Customer.objects.filter(shop=shop).first()
    first = dt.datetime(2026, 10, 1, 1, 2, 3, 456789, tzinfo=dt.UTC)
    last = dt.datetime(2026, 10, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert customer_stats_apply(shop=shop, stats=[CustomerStats(customer.pk, 2, 500, first, last)]) == 1
    customer.refresh_from_db()
    assert (customer.first_order_at, customer.last_order_at) == (first, last)
