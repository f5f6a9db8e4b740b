"""The column-wise order write (``orders_upsert_batch``) and its pieces agree with the row-wise one they stand
in for (the import speed goal, benchmarks/import_taobao_orders.py): vectorised allocation gives
``core.money.allocate``'s numbers, a batch's fingerprints are ``order_fingerprint``'s, the same orders give the
same records either way, and fingerprints stored by the earlier JSON form still count as unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.catalog.models import Sku
from shopops.core.errors import InvalidInput
from shopops.core.money import allocate
from shopops.members.models import Customer
from shopops.orders.domain import (
    LineInput,
    OrderBatch,
    OrderInput,
    UpsertCounts,
    allocate_discounts,
    fingerprint_matches,
    legacy_order_fingerprint,
    order_fingerprint,
)
from shopops.orders.models import Order, OrderLine
from shopops.orders.services import orders_upsert, orders_upsert_batch

AMOUNTS = st.one_of(st.integers(0, 10), st.integers(0, 10**6), st.integers(0, 10**14))


@st.composite
def _orders(draw):
    amounts = draw(st.lists(st.lists(AMOUNTS, min_size=1, max_size=6), min_size=1, max_size=30))
    discounts = [draw(st.integers(0, sum(lines))) for lines in amounts]
    return discounts, amounts


@settings(max_examples=300, deadline=None)
@given(_orders())
def test_vectorised_allocation_gives_the_largest_remainder_numbers(orders):
    discounts, amounts = orders
    starts = [0]
    for lines in amounts:
        starts.append(starts[-1] + len(lines))
    flat = [amount for lines in amounts for amount in lines]
    expected = [share for discount, lines in zip(discounts, amounts, strict=True) for share in allocate(discount, lines)]
    assert allocate_discounts(discounts, starts, flat) == expected


def test_allocation_needs_a_line_per_order():
    with pytest.raises(ValueError):
        allocate_discounts([0, 0], [0, 1, 1], [5])
    assert allocate_discounts([], [0], []) == []


def _batch(shop, numbers: list[str], *, title: str = "x", customer: Customer | None = None) -> OrderBatch:
    sku = Sku.objects.filter(shop=shop).order_by("pk").first()
    customer = customer or Customer.objects.filter(shop=shop).order_by("pk").first()
    from shopops.channels.models import ChannelAccount

    account = ChannelAccount.objects.filter(shop=shop).order_by("pk").first()
    paid = dt.datetime(2026, 11, 11, 1, 2, tzinfo=dt.UTC)
    n = len(numbers)
    return OrderBatch(
        channel_account_id=account.pk, channel=account.channel, order_no=list(numbers), customer_id=[customer.pk] * n,
        placed_at=[paid] * n, paid_at=[paid + dt.timedelta(hours=i) for i in range(n)], status=["paid"] * n,
        shipping_fen=[800] * n, province=["浙江省"] * n, city=["杭州市"] * n,
        line_starts=[2 * i for i in range(n + 1)], sku_id=[sku.pk] * 2 * n, title=[title, "y"] * n,
        unit_price_fen=[10000, 5000] * n, qty=[2, 1] * n, discount_fen=[1500, 500] * n)


def test_a_batch_fingerprints_as_its_orders_do(shop):
    batch = _batch(shop, ["B-1", "B-2"], title="含\"引号\"与'撇号'\x1f")
    assert batch.fingerprints() == [order_fingerprint(batch.order_input(i)) for i in range(2)]
    first = batch.order_input(0)
    assert order_fingerprint(first) != order_fingerprint(dataclasses.replace(first, city="宁波市"))
    moved = dataclasses.replace(first, paid_at=first.paid_at.astimezone(dt.timezone(dt.timedelta(hours=8))))
    assert order_fingerprint(moved) == order_fingerprint(first)  # the same instant in another zone


def test_a_legacy_fingerprint_still_means_unchanged(shop):
    order = _batch(shop, ["B-legacy"]).order_input(0)
    assert fingerprint_matches(legacy_order_fingerprint(order), order, order_fingerprint(order))
    other = dataclasses.replace(order, shipping_fen=0)
    assert not fingerprint_matches(legacy_order_fingerprint(order), other, order_fingerprint(other))
    assert orders_upsert(shop=shop, orders=[order]) == UpsertCounts(inserted=1)
    Order.objects.filter(order_no="B-legacy").update(fingerprint=legacy_order_fingerprint(order))  # an old import
    assert orders_upsert(shop=shop, orders=[order]) == UpsertCounts(unchanged=1)
    assert orders_upsert_batch(shop=shop, batch=_batch(shop, ["B-legacy"])) == UpsertCounts(unchanged=1)
    assert orders_upsert_batch(shop=shop, batch=_batch(shop, ["B-legacy"], title="z")) == UpsertCounts(updated=1)


def _records(shop, numbers: list[str]) -> list[tuple]:
    orders = list(Order.objects.filter(shop=shop, order_no__in=numbers).order_by("order_no").values_list(
        "order_no", "channel_account_id", "channel", "customer_id", "status", "placed_at", "paid_at", "paid_date",
        "goods_fen", "discount_fen", "shipping_fen", "paid_fen", "refunded_fen", "promotions", "source", "province",
        "city", "fingerprint"))
    lines = list(OrderLine.objects.filter(shop=shop, order__order_no__in=numbers).order_by("order__order_no", "pk")
                 .values_list("order__order_no", "sku_id", "title", "unit_price_fen", "qty", "amount_fen",
                              "discount_fen", "paid_fen"))
    return orders + lines


def test_a_batch_writes_what_the_row_wise_upsert_writes(shop):
    rows = _batch(shop, ["B-row-1", "B-row-2", "B-row-3"])
    inputs = [rows.order_input(i) for i in range(3)]
    outcomes: dict[str, str] = {}
    customers: set[int] = set()
    dates: set[dt.date] = set()
    assert orders_upsert(shop=shop, orders=inputs, outcomes=outcomes, touched_customers=customers,
                         touched_dates=dates) == UpsertCounts(inserted=3)
    expected = _records(shop, ["B-row-1", "B-row-2", "B-row-3"])
    Order.objects.filter(order_no__in=["B-row-1", "B-row-2", "B-row-3"]).delete()
    batch_outcomes: dict[str, str] = {}
    batch_customers: set[int] = set()
    batch_dates: set[dt.date] = set()
    assert orders_upsert_batch(shop=shop, batch=rows, outcomes=batch_outcomes, touched_customers=batch_customers,
                               touched_dates=batch_dates) == UpsertCounts(inserted=3)
    assert _records(shop, ["B-row-1", "B-row-2", "B-row-3"]) == expected
    assert (batch_outcomes, batch_customers, batch_dates) == (outcomes, customers, dates)


def test_a_batch_reimport_is_unchanged_and_a_correction_updates_in_place(shop):
    numbers = ["B-up-1", "B-up-2"]
    assert orders_upsert_batch(shop=shop, batch=_batch(shop, numbers)) == UpsertCounts(inserted=2)
    ids = dict(Order.objects.filter(order_no__in=numbers).values_list("order_no", "pk"))
    assert orders_upsert_batch(shop=shop, batch=_batch(shop, numbers)) == UpsertCounts(unchanged=2)
    other = Customer.objects.filter(shop=shop).order_by("-pk").first()
    customers: set[int] = set()
    corrected = _batch(shop, numbers, customer=other)
    assert orders_upsert_batch(shop=shop, batch=corrected, touched_customers=customers) == UpsertCounts(updated=2)
    order = Order.objects.get(order_no="B-up-2")
    assert order.pk == ids["B-up-2"] and order.customer_id == other.pk
    assert order.fingerprint == order_fingerprint(corrected.order_input(1))
    assert OrderLine.objects.filter(order=order).count() == 2
    assert other.pk in customers and len(customers) == 2  # the customer before and after the correction


def test_a_bad_batch_writes_nothing_and_names_the_problem(shop):
    before = Order.objects.count()
    bad = _batch(shop, ["B-bad-1", "B-bad-2"])
    bad.discount_fen[3] = 6000  # more than the line's amount
    with pytest.raises(InvalidInput) as exc:
        orders_upsert_batch(shop=shop, batch=bad)
    assert exc.value.errors[0].field.startswith("B-bad-2.lines[1]") and exc.value.errors[0].row == 2
    with pytest.raises(InvalidInput) as exc:
        orders_upsert_batch(shop=shop, batch=_batch(shop, ["B-bad-3", "B-bad-3"]))
    assert exc.value.errors[0].field == "order_no"
    foreign = _batch(shop, ["B-bad-4"])
    foreign.customer_id[0] = 10**9
    with pytest.raises(InvalidInput):
        orders_upsert_batch(shop=shop, batch=foreign)
    assert Order.objects.count() == before


def test_order_input_round_trip(shop):
    batch = _batch(shop, ["B-rt"])
    order = batch.order_input(0)
    assert isinstance(order, OrderInput) and order.lines[0] == LineInput(batch.sku_id[0], "x", 10000, 2, 1500)
    assert order.problems() == []


def test_the_batch_datetime_adapter_writes_what_the_shared_one_writes():
    from shopops.members.services import db_datetime_adapter
    from shopops.orders.services.records import _datetime_adapter

    fast, shared = _datetime_adapter(), db_datetime_adapter()
    for value in (dt.datetime(2026, 10, 2, 3, 4, 5, tzinfo=dt.UTC), dt.datetime(2026, 10, 2, 3, 4, 5, 120, tzinfo=dt.UTC),
                  dt.datetime(2026, 10, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                  dt.datetime(2026, 10, 2, 3, 4, 5, tzinfo=ZoneInfo("UTC"))):
        assert fast(value) == shared(value)
