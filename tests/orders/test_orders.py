"""Order money adds up: discounts allocated to lines, refunds within what was paid.

Rules: docs/rules/pricing.md#allocation-of-order-level-discounts, docs/rules/pricing.md#refund-ceiling.
"""

import datetime as dt

import pytest

from shopops.catalog.models import Sku
from shopops.core.errors import InvalidInput
from shopops.members.models import Customer
from shopops.orders.domain import (
    LineAmounts,
    LineInput,
    OrderInput,
    RefundInput,
    allocate_order_discount,
    change_rate,
    check_order,
)
from shopops.orders.models import Order, OrderLine, Refund
from shopops.orders.services import orders_create_bulk


def test_order_discount_is_allocated_by_amount():
    lines = [LineAmounts(19900, 1), LineAmounts(9900, 2), LineAmounts(100, 1)]
    parts = allocate_order_discount(5000, lines)
    assert sum(parts) == 5000
    assert parts == [2500, 2487, 13]  # 2500.0, 2487.44, 12.56: the spare fen goes to the largest remainder
    with pytest.raises(ValueError):
        allocate_order_discount(50000, lines)


def test_check_order_finds_every_problem():
    assert check_order([LineAmounts(1000, 1, 100)], 0) == []
    problems = check_order([LineAmounts(1000, 0, 0), LineAmounts(-5, 1, 0), LineAmounts(100, 1, 200)], -1, [2000])
    fields = {p.field for p in problems}
    assert {"lines[0].qty", "lines[1].unit_price", "lines[2].discount", "shipping", "refunds"} <= fields


def test_change_rate_needs_a_base():
    assert change_rate(110, 100) == pytest.approx(0.1)
    assert change_rate(5, 0) is None


def _order(shop, **changes):
    sku = Sku.objects.filter(shop=shop).first()
    customer = Customer.objects.filter(shop=shop).first()
    from shopops.channels.models import ChannelAccount

    account = ChannelAccount.objects.filter(shop=shop).first()
    paid = dt.datetime(2026, 11, 11, 1, 2, tzinfo=dt.UTC)
    data = {
        "order_no": "T-1", "channel_account_id": account.pk, "channel": account.channel, "customer_id": customer.pk,
        "placed_at": paid, "paid_at": paid, "status": "paid",
        "lines": (LineInput(sku.pk, "x", 10000, 2, 1500), LineInput(sku.pk, "y", 5000, 1, 500)),
        "shipping_fen": 800,
    }
    data.update(changes)
    return OrderInput(**data)


def test_orders_are_written_with_consistent_money(shop):
    refund = RefundInput("R-T-1", 0, "refund_only", 5000, "quality", "success",
                         dt.datetime(2026, 11, 12, tzinfo=dt.UTC), dt.datetime(2026, 11, 13, tzinfo=dt.UTC))
    orders_create_bulk(shop=shop, orders=[_order(shop, refunds=(refund,))])
    order = Order.objects.get(order_no="T-1")
    assert (order.goods_fen, order.discount_fen, order.shipping_fen, order.paid_fen) == (25000, 2000, 800, 23800)
    assert order.paid_date == dt.date(2026, 11, 11)  # 01:02 UTC is 09:02 in Shanghai
    assert order.refunded_fen == 5000
    assert sum(line.paid_fen for line in order.lines.all()) + order.shipping_fen == order.paid_fen
    assert Refund.objects.get(refund_no="R-T-1").completed_date == dt.date(2026, 11, 13)


@pytest.mark.parametrize(
    "changes",
    [
        {"lines": ()},
        {"shipping_fen": -1},
        {"refunds": (RefundInput("R-X", 1, "refund_only", 99999, "quality", "success",
                                 dt.datetime(2026, 11, 12, tzinfo=dt.UTC), None),)},
        {"refunds": (RefundInput("R-Y", 7, "refund_only", 1, "quality", "success",
                                 dt.datetime(2026, 11, 12, tzinfo=dt.UTC), dt.datetime(2026, 11, 12, tzinfo=dt.UTC)),)},
        # two refunds on one line that together exceed it
        {"refunds": tuple(RefundInput(f"R-Z{i}", 1, "refund_only", 3000, "quality", "pending",
                                      dt.datetime(2026, 11, 12, tzinfo=dt.UTC), None) for i in range(2))},
        # a successful refund must say when it completed
        {"refunds": (RefundInput("R-W", 0, "refund_only", 100, "quality", "success",
                                 dt.datetime(2026, 11, 12, tzinfo=dt.UTC), None),)},
    ],
)
def test_inconsistent_orders_write_nothing(shop, changes):
    before = (Order.objects.count(), OrderLine.objects.count(), Refund.objects.count())
    good = _order(shop, order_no="T-GOOD")
    with pytest.raises(InvalidInput) as exc:
        orders_create_bulk(shop=shop, orders=[good, _order(shop, order_no="T-BAD", **changes)])
    assert exc.value.errors[0].row == 2
    assert (Order.objects.count(), OrderLine.objects.count(), Refund.objects.count()) == before


def test_demo_orders_satisfy_the_money_invariants(shop):
    for order in Order.objects.filter(shop=shop).prefetch_related("lines", "refunds")[:3000]:
        lines = list(order.lines.all())
        assert sum(li.discount_fen for li in lines) == order.discount_fen
        assert sum(li.paid_fen for li in lines) + order.shipping_fen == order.paid_fen
        for refund in order.refunds.all():
            cap = refund.line.paid_fen if refund.line_id else order.paid_fen
            assert 0 < refund.amount_fen <= cap


def test_a_rejected_refund_does_not_count_against_what_was_paid(shop):
    at = dt.datetime(2026, 11, 12, tzinfo=dt.UTC)
    refunds = (RefundInput("R-REJ", 1, "refund_only", 4500, "quality", "rejected", at, None),
               RefundInput("R-OK", 1, "refund_only", 4500, "quality", "success", at, at))
    orders_create_bulk(shop=shop, orders=[_order(shop, order_no="T-RR", refunds=refunds)])
    assert Order.objects.get(order_no="T-RR").refunded_fen == 4500


def test_orders_cannot_point_at_another_shops_records(shop):
    from shopops.core.services import shop_create

    other = shop_create(code="other-shop", name="别家")
    before = Order.objects.count()
    with pytest.raises(InvalidInput) as exc:
        orders_create_bulk(shop=other, orders=[_order(shop, order_no="T-X")])
    assert {e.field for e in exc.value.errors} == {"customer", "sku", "channel_account"}
    assert Order.objects.count() == before
