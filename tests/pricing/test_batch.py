"""The batch engine (``quote_batch``, numpy) gives ``quote``'s money cart by cart.

Random carts (1–4 lines over two shops and four SKUs, small amounts so lines often reach 0.00) under random
promotion stacks of every type and level (SKU and shop scopes, windows, member prices, presales, gifts), quoted
as one batch and one by one: every line's item price, 定金 and pay, every cart's total and gifts agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopops.pricing.domain import (
    PLATFORM,
    Cart,
    Coupon,
    EveryOff,
    ItemDiscount,
    Line,
    Presale,
    Promotion,
    Scope,
    ThresholdOff,
    Tier,
    Window,
    columns_of,
    quote,
    quote_batch,
)
from tests.pricing.test_properties import any_promotion, lines

TZ = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 11, 0, 5, tzinfo=TZ)
windows = st.sampled_from([
    Window(), Window(), Window(AT - dt.timedelta(days=1), AT + dt.timedelta(days=1)),
    Window(AT + dt.timedelta(hours=1), None), Window(None, AT),
])


@st.composite
def stacks(draw) -> tuple[Promotion, ...]:
    drawn = draw(st.lists(any_promotion, max_size=8))
    return tuple(replace(p, id=f"p{i}", window=draw(windows)) for i, p in enumerate(drawn))


def assert_same_as_quote(carts: list[tuple[Line, ...]], promotions: tuple[Promotion, ...],
                         at: dt.datetime | None, member: bool) -> None:
    got = quote_batch(columns_of(carts, promotions), promotions, at=at, member=member)
    for i, cart_lines in enumerate(carts):
        expected = quote(Cart(cart_lines, promotions, at, member))
        k = len(cart_lines)
        assert got.item_price[i, :k].tolist() == [row.item_price for row in expected.lines], (i, expected)
        assert got.deposit[i, :k].tolist() == [row.deposit for row in expected.lines], (i, expected)
        assert got.pay[i, :k].tolist() == [row.pay for row in expected.lines], (i, expected)
        assert got.pay[i, k:].tolist() == [0] * (got.pay.shape[1] - k)
        assert int(got.total_pay[i]) == expected.total_pay
        assert {pid for pid, granted in got.gifts.items() if granted[i]} == {g.promotion for g in expected.gifts}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), min_size=1, max_size=8), stacks(), st.sampled_from([AT, None]), st.booleans())
def test_batch_equals_quote_cart_by_cart(carts, promotions, at, member):
    assert_same_as_quote(carts, promotions, at, member)


def test_amounts_beyond_int64_products_stay_exact():
    """Prices whose products overflow 64-bit integers are computed on Python integers, to the fen."""
    promotions = (ItemDiscount("a", 3333), EveryOff("b", 30_000, 5_000, None, PLATFORM),
                  ThresholdOff("c", (Tier(10**12, 10**11),)), Coupon("d", 10**12, 777_777))
    carts = [(Line("1", "A", "S1", 10**12, 3), Line("2", "B", "S1", 7, 1)), (Line("1", "A", "S1", 3, 1),)]
    assert_same_as_quote(carts, promotions, None, False)


def test_presale_block_and_lines_cut_at_zero():
    """A 预售 line refuses a coupon whose share reaches its 尾款; a line gives at most what it still pays."""
    presale = Presale("a", 10_000, deposit_worth=95_000)  # 1000.00: item price 150.00, 定金 100.00, 尾款 50.00
    coupon = Coupon("b", 10_000, 6_000)  # share 60.00 ≥ 尾款 50.00: refused
    carts = [(Line("1", "A", "S1", 100_000, 1),), (Line("1", "A", "S1", 100_000, 1), Line("2", "B", "S1", 0, 2))]
    assert_same_as_quote(carts, (presale, coupon), None, False)
    got = quote_batch(columns_of(carts, (presale, coupon)), (presale, coupon))
    assert got.pay[:, 0].tolist() == [15_000, 15_000] and got.deposit[:, 0].tolist() == [10_000, 10_000]
    shop_off = ThresholdOff("c", (Tier(10_000, 9_000),))  # leaves 10.00 of a 100.00 line
    platform_coupon = Coupon("d", 10_000, 5_000, PLATFORM)  # 50.00 nominal, 10.00 effective
    carts = [(Line("1", "A", "S1", 10_000, 1),)]
    assert_same_as_quote(carts, (shop_off, platform_coupon), None, False)
    assert quote_batch(columns_of(carts, ()), (shop_off, platform_coupon)).pay.tolist() == [[0]]


def test_sku_lists_need_their_masks():
    carts = columns_of([(Line("1", "A", "S1", 100, 1),)], ())
    with pytest.raises(ValueError):
        quote_batch(carts, (ItemDiscount("a", 1000, scope=Scope(None, frozenset({"A"}))),))


def test_one_shop_for_every_line():
    """``shop`` may be one code for the whole batch (a shop's own simulation)."""
    promotions = (Coupon("c", 10_000, 1_000, scope=Scope("S1")),)
    columns = columns_of([(Line("1", "A", "S1", 12_000, 1),), (Line("1", "A", "S1", 5_000, 1),)], promotions)
    for shop in ("S1", "S2"):
        got = quote_batch(replace(columns, shop=shop), promotions)
        assert got.total_pay.tolist() == ([11_000, 5_000] if shop == "S1" else [12_000, 5_000])
    assert np.asarray(got.item_price).dtype == np.int64
