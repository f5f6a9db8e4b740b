"""Idempotent order writes (the re-import rule): same file → unchanged; corrected → updated."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from shopops.core.errors import InvalidInput
from shopops.members.models import Customer, CustomerIdentity
from shopops.members.services import BuyerSeen, customers_resolve
from shopops.orders.domain import RefundInput, UpsertCounts, order_fingerprint
from shopops.orders.models import Order, OrderLine, Refund
from shopops.orders.services import orders_upsert
from tests.orders.test_orders import _order


def test_same_orders_twice_change_nothing_and_a_correction_updates_in_place(shop):
    first = [_order(shop, order_no="U-1"), _order(shop, order_no="U-2")]
    assert orders_upsert(shop=shop, orders=first) == UpsertCounts(inserted=2)
    ids = dict(Order.objects.filter(order_no__in=["U-1", "U-2"]).values_list("order_no", "pk"))
    assert orders_upsert(shop=shop, orders=first) == UpsertCounts(unchanged=2)
    at = dt.datetime(2026, 11, 12, tzinfo=dt.UTC)
    corrected = dataclasses.replace(first[1], shipping_fen=0,
                                    refunds=(RefundInput("R-U2", 0, "refund_only", 1000, "quality", "success", at, at),))
    assert orders_upsert(shop=shop, orders=[first[0], corrected, _order(shop, order_no="U-3")]) == UpsertCounts(
        inserted=1, updated=1, unchanged=1)
    order = Order.objects.get(order_no="U-2")
    assert order.pk == ids["U-2"] and order.shipping_fen == 0 and order.refunded_fen == 1000
    assert OrderLine.objects.filter(order=order).count() == 2 and Refund.objects.filter(order=order).count() == 1
    assert order.fingerprint == order_fingerprint(corrected)


def test_a_batch_with_a_bad_order_writes_nothing(shop):
    before = Order.objects.count()
    with pytest.raises(InvalidInput):
        orders_upsert(shop=shop, orders=[_order(shop, order_no="U-9"), _order(shop, order_no="U-10", lines=())])
    with pytest.raises(InvalidInput) as exc:
        orders_upsert(shop=shop, orders=[_order(shop, order_no="U-9"), _order(shop, order_no="U-9")])
    assert exc.value.errors[0].field == "order_no" and exc.value.errors[0].row == 2
    assert Order.objects.count() == before


def test_buyers_are_resolved_by_channel_identity(shop):
    seen = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    existing = CustomerIdentity.objects.filter(shop=shop, channel="jd").first()
    ids = customers_resolve(shop=shop, channel="jd", buyers=[
        BuyerSeen(existing.external_id, "老客", seen), BuyerSeen("jd_new_buyer_01", "新客", seen, "浙江省", "杭州市"),
    ])
    assert ids[existing.external_id] == existing.customer_id
    new = Customer.objects.get(pk=ids["jd_new_buyer_01"])
    assert (new.name, new.province) == ("新客", "浙江省")
    again = customers_resolve(shop=shop, channel="jd", buyers=[BuyerSeen("jd_new_buyer_01", "新客", seen)])
    assert again == {"jd_new_buyer_01": new.pk}
    # The same id on another channel is another identity: no guessing across channels.
    other = customers_resolve(shop=shop, channel="douyin", buyers=[BuyerSeen("jd_new_buyer_01", "x", seen)])
    assert other["jd_new_buyer_01"] != new.pk
