"""Property tests of the quote engine: exact allocation, no negative line,
removing a promotion never lowers the price when the others still qualify, input order is irrelevant."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.pricing.contract import render_quote
from shopops.pricing.domain import (
    ITEM,
    PLATFORM,
    SHOP,
    Cart,
    Coupon,
    EveryOff,
    Gift,
    GiftItem,
    ItemDiscount,
    ItemPrice,
    Line,
    MemberPrice,
    Presale,
    Quote,
    Scope,
    ThresholdOff,
    Tier,
    quote,
)

SHOPS = ("S1", "S2")
SKUS = ("A", "B", "C", "D")
# Small amounts too, so rounding to the fen and lines reaching 0.00 are common, not rare.
fen = st.integers(min_value=0, max_value=300) | st.integers(min_value=0, max_value=60_000)
positive_fen = st.integers(min_value=1, max_value=300) | st.integers(min_value=1, max_value=60_000)


def up_to(limit: int) -> st.SearchStrategy[int]:
    """An amount in 1..limit, often close to the limit (deep discounts push lines to 0.00)."""
    return st.integers(min_value=1, max_value=limit) | st.integers(min_value=max(1, limit - 50), max_value=limit)


@st.composite
def lines(draw) -> tuple[Line, ...]:
    count = draw(st.integers(min_value=1, max_value=4))
    return tuple(
        Line(str(i), draw(st.sampled_from(SKUS)), draw(st.sampled_from(SHOPS)), draw(fen),
             draw(st.integers(min_value=1, max_value=3)))
        for i in range(count)
    )


scopes = st.builds(Scope, st.none() | st.sampled_from(SHOPS), st.frozensets(st.sampled_from(SKUS), max_size=2))
order_levels = st.sampled_from((SHOP, PLATFORM))


@st.composite
def threshold_offs(draw) -> ThresholdOff:
    thresholds = draw(st.lists(positive_fen, min_size=1, max_size=3, unique=True))
    tiers = tuple(Tier(t, draw(up_to(t))) for t in thresholds)
    return ThresholdOff("", tiers, draw(order_levels), draw(scopes))


@st.composite
def every_offs(draw) -> EveryOff:
    every = draw(positive_fen)
    off = draw(up_to(every))
    cap = draw(st.none() | st.integers(min_value=off, max_value=off * 5))
    return EveryOff("", every, off, cap, draw(order_levels), draw(scopes))


@st.composite
def coupons(draw) -> Coupon:
    threshold = draw(positive_fen)
    return Coupon("", threshold, draw(up_to(threshold)), draw(order_levels), draw(scopes))


@st.composite
def presales(draw) -> Presale:
    deposit = draw(positive_fen)
    if draw(st.booleans()):
        return Presale("", deposit, instant_off=draw(fen), scope=draw(scopes))
    return Presale("", deposit, deposit_worth=deposit + draw(fen), scope=draw(scopes))


any_promotion = st.one_of(
    st.builds(ItemDiscount, st.just(""), st.integers(min_value=1, max_value=9_900), st.none() | fen, st.booleans(),
              scopes),
    st.builds(ItemPrice, st.just(""), price=fen, scope=scopes),
    st.builds(ItemPrice, st.just(""), off=positive_fen, scope=scopes),
    st.builds(MemberPrice, st.just(""), fen, scopes),
    presales(),
    threshold_offs(),
    every_offs(),
    coupons(),
    st.builds(Gift, st.just(""), fen, st.just((GiftItem("G"),)), order_levels, scopes),
)


@st.composite
def carts(draw) -> Cart:
    drawn = draw(st.lists(any_promotion, max_size=7))
    promotions = tuple(replace(p, id=f"p{i}") for i, p in enumerate(drawn))
    return Cart(draw(lines()), promotions, member=draw(st.booleans()))


def check_invariants(cart: Cart, result: Quote) -> None:
    assert {a.promotion for a in result.applied} | {r.promotion for r in result.rejected} == {
        p.id for p in cart.promotions}
    assert len(result.applied) + len(result.rejected) == len(cart.promotions)  # each exactly once
    for row in result.lines:
        assert row.pay >= 0  # no line below zero
        assert row.pay + sum(d.amount for d in row.discounts) == row.line.amount
        assert all(d.amount > 0 for d in row.discounts)
        assert 0 <= row.item_price <= row.line.price
        if row.deposit:
            assert row.pay >= row.deposit  # discounts never eat into a paid 定金
    assert result.total_pay == sum(row.pay for row in result.lines)
    assert result.total_price == result.total_pay + result.total_discount


@settings(max_examples=400, deadline=None)
@given(carts())
def test_allocations_add_up_and_no_line_goes_below_zero(cart: Cart):
    result = quote(cart)
    check_invariants(cart, result)
    promotions = {p.id: p for p in cart.promotions}
    for applied in result.applied:
        amounts = [d.amount for row in result.lines for d in row.discounts if d.promotion == applied.promotion]
        assert sum(amounts) == applied.amount  # each discount is allocated exactly
        assert applied.amount <= applied.nominal
        if applied.level != ITEM and applied.amount < applied.nominal:
            # the face value is only cut where a covered line reached 0.00 (no re-allocation)
            scope = promotions[applied.promotion].scope
            assert any(row.pay == 0 for row in result.lines if scope.covers(row.line, applied.level))


def qualification(result: Quote, without: str = "") -> tuple[frozenset, dict[str, int]]:
    """Which promotion took money off which line (and each presale deposit), and each order-level face value."""
    taken = frozenset(
        (row.line.line, d.promotion) for row in result.lines for d in row.discounts if d.promotion != without
    ) | frozenset((row.line.line, "deposit", row.deposit) for row in result.lines)
    nominal = {a.promotion: a.nominal for a in result.applied if a.level != ITEM and a.promotion != without}
    return taken, nominal


def excess_lost(result: Quote) -> bool:
    return any(a.amount < a.nominal for a in result.applied if a.level != ITEM)


@settings(max_examples=400, deadline=None)
@given(carts())
def test_removing_a_promotion_never_lowers_the_price_while_the_others_still_qualify(cart: Cart):
    """"Still qualifies": every other promotion takes money off the same lines with the same face value
    (tier, multiple). Then removing an order-level offer never lowers total_pay, exactly. Removing an
    item-level offer raises the 单品基准价 weights; that is exact too unless some line was cut at 0.00, where
    largest remainder may shift a fen (test_rounding_artifact_when_a_line_is_cut_at_zero)."""
    full = quote(cart)
    for removed in cart.promotions:
        partial = quote(Cart(cart.lines, tuple(p for p in cart.promotions if p is not removed), cart.at,
                             cart.member))
        if qualification(partial) != qualification(full, without=removed.id):
            continue  # another offer now qualifies differently (a runner-up wins, a tier moves): not comparable
        if removed.level == ITEM and (excess_lost(full) or excess_lost(partial)):
            continue
        assert partial.total_pay >= full.total_pay, removed.id
        assert partial.total_discount <= full.total_discount


@settings(max_examples=300, deadline=None)
@given(carts())
def test_a_rejected_promotion_changes_nothing(cart: Cart):
    full = render_quote(quote(cart))
    for rejection in full["rejected"]:
        rest = Cart(cart.lines, tuple(p for p in cart.promotions if p.id != rejection["promotion"]), cart.at,
                    cart.member)
        partial = render_quote(quote(rest))
        assert partial == {**full, "rejected": [r for r in full["rejected"] if r != rejection]}


def test_rounding_artifact_when_a_line_is_cut_at_zero():
    """Known, bounded effect of largest remainder + "excess not re-allocated"
    (docs/rules/pricing.md#allocation-of-order-level-discounts,
    docs/rules/pricing.md#deduct-to-zero-no-re-allocation): lines k1/k2 are taken to 0.00 by a shop coupon,
    so only line j keeps its share of the platform 21.00-off. With j at 0.02 (after a 0.01 直降) its share is
    21 × 2/26 = 1.62 → 0.01 (the spare fen go to k1/k2's larger remainders); at 0.03 it is 21 × 3/27 = 2.33
    → 0.03. Removing the 0.01 直降 therefore lowers the total by 0.01."""
    lines = (Line("j", "J", "S1", 3, 1), Line("k1", "K1", "S2", 12, 1), Line("k2", "K2", "S2", 12, 1))
    shop = Coupon("s", 24, 24, scope=Scope("S2"))
    cross = Coupon("x", 21, 21, level=PLATFORM)
    with_item = quote(Cart(lines, (ItemPrice("i", off=1, scope=Scope(skus=frozenset({"J"}))), shop, cross)))
    without = quote(Cart(lines, (shop, cross)))
    assert (with_item.total_pay, without.total_pay) == (1, 0)
    assert excess_lost(with_item) and excess_lost(without)


@settings(max_examples=300, deadline=None)
@given(cart=carts(), data=st.data())
def test_promotion_order_does_not_change_the_result(cart: Cart, data):
    shuffled = data.draw(st.permutations(cart.promotions))
    again = Cart(cart.lines, tuple(shuffled), cart.at, cart.member)
    assert render_quote(quote(again)) == render_quote(quote(cart))
