"""The order-discount identity (goods + shipping − paid, docs/rules/pricing.md#allocation-of-order-level-discounts)
has one home, ``orders.domain.order_discount_fen``, for one order and for numpy columns of orders."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from shopops.orders.domain import LineAmounts, check_order, order_discount_fen, order_paid_fen

fen = st.integers(0, 10**12)


def test_discount_is_goods_plus_shipping_minus_paid():
    assert order_discount_fen(30_000, 800, 27_800) == 3_000
    assert order_paid_fen(30_000, 800, 3_000) == 27_800


@given(fen, fen, fen)
def test_paid_and_discount_are_the_same_identity(goods, shipping, discount):
    paid = order_paid_fen(goods, shipping, discount)
    assert paid == goods - discount + shipping
    assert order_discount_fen(goods, shipping, paid) == discount


def test_columns_of_orders():
    goods = np.array([30_000, 5_000, 0], dtype=np.int64)
    shipping = np.array([800, 0, 600], dtype=np.int64)
    paid = np.array([27_800, 5_000, 600], dtype=np.int64)
    assert order_discount_fen(goods, shipping, paid).tolist() == [3_000, 0, 0]
    assert order_paid_fen(goods, shipping, np.array([3_000, 0, 0])).tolist() == paid.tolist()


def test_check_order_holds_refunds_against_what_was_paid():
    lines = [LineAmounts(10_000, 1, 1_000)]
    assert check_order(lines, 500, [9_500]) == []
    assert [e.field for e in check_order(lines, 500, [9_501])] == ["refunds"]
