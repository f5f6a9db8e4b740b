"""The refundable amount of a return (docs/rules/returns.md#refundable-amount): pro rata in exact fen, the last
unit takes the remainder, never more than paid, less what the line and the order refunded already."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopops.service.refundable import LineState, refundable_fen, share_fen, units_worth_fen


def test_vectors():
    # 3 units paid 100.00 (a coupon allocated to the line already): 33.33 + 33.33 + 33.34
    assert [share_fen(10000, 3, before, 1) for before in range(3)] == [3333, 3333, 3334]
    assert share_fen(10000, 3, 0, 3) == 10000
    assert share_fen(10000, 3, 1, 2) == 6667
    # what the line gave back already is a ceiling: a 10.00 refund-only payment, then the units
    line = LineState(qty=3, paid_fen=10000, refunded_fen=1000, order_left_fen=9000)
    assert refundable_fen(line, 1) == 3333
    after_one = LineState(qty=3, paid_fen=10000, units_refunded=1, refunded_fen=4333, order_left_fen=5667)
    assert refundable_fen(after_one, 2) == 5667  # 66.67 asked by share, 56.67 left: never above what was paid
    # the order's own ceiling (an order-level refund) caps a line too
    assert refundable_fen(LineState(qty=1, paid_fen=5000, order_left_fen=1200), 1) == 1200
    assert refundable_fen(LineState(qty=1, paid_fen=5000, refunded_fen=5000), 1) == 0


@pytest.mark.parametrize("units_before, units", [(0, 0), (2, 2), (-1, 1), (0, 4)])
def test_impossible_unit_counts_are_refused(units_before, units):
    with pytest.raises(ValueError):
        share_fen(999, 3, units_before, units)


@st.composite
def line_and_split(draw):
    qty = draw(st.integers(1, 60))
    paid = draw(st.integers(0, 10**10))
    cuts = sorted(draw(st.lists(st.integers(1, qty - 1), max_size=qty - 1, unique=True))) if qty > 1 else []
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, qty], strict=True)]
    return qty, paid, parts


@given(line_and_split(), st.integers(0, 60))
def test_any_split_adds_up_to_at_most_paid_and_exactly_paid_for_all_units(case, stop):
    qty, paid, parts = case
    refunded, units = 0, 0
    for part in parts[: stop or len(parts)]:
        amount = refundable_fen(LineState(qty=qty, paid_fen=paid, units_refunded=units, refunded_fen=refunded,
                                          order_left_fen=paid - refunded), part)
        assert 0 <= amount <= paid - refunded
        refunded += amount
        units += part
        assert refunded == units_worth_fen(paid, qty, units) <= paid
    if not stop or stop >= len(parts):
        assert refunded == paid


@given(st.integers(1, 50), st.integers(0, 10**9), st.integers(0, 10**9), st.data())
def test_never_more_than_paid_whatever_was_refunded_before(qty, paid, refunded, data):
    refunded = min(refunded, paid)
    before = data.draw(st.integers(0, qty - 1))
    units = data.draw(st.integers(1, qty - before))
    amount = refundable_fen(LineState(qty=qty, paid_fen=paid, units_refunded=before, refunded_fen=refunded), units)
    assert 0 <= amount <= paid - refunded
    assert amount <= share_fen(paid, qty, before, units)
