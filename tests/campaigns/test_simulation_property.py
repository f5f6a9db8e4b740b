"""The vectorised simulation equals the pricing engine's quote, cart by cart (hypothesis).

``campaigns.simulation.simulate_carts`` runs ``pricing.domain.quote_batch`` over numpy arrays for speed (the goal:
100,000 SKUs in under 5 s); this test is what allows it to exist: for random SKUs, baskets and promotion
sets (every promotion type, every level, windows, members, presales) the SKU line's pay and the order's pay
are the engine's to the fen.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopops.campaigns.simulation import CartBatch, engine_cart, simulate_carts
from shopops.pricing.domain import (
    PLATFORM,
    SHOP,
    Coupon,
    EveryOff,
    Gift,
    GiftItem,
    ItemDiscount,
    ItemPrice,
    MemberPrice,
    Presale,
    Scope,
    ThresholdOff,
    Tier,
    quote,
)

SHOP_CODE = "S1"
SKUS = [f"K{i}" for i in range(6)]
money = st.integers(min_value=1, max_value=60_000)


def _scope(draw, level):
    skus = frozenset(draw(st.lists(st.sampled_from(SKUS), max_size=3)))
    shop = None if level == PLATFORM else draw(st.sampled_from([SHOP_CODE, SHOP_CODE, None, "S2"]))
    return Scope(shop, skus)


@st.composite
def promotion(draw, pid):
    kind = draw(st.sampled_from(["item_discount", "item_price", "member_price", "presale", "threshold_off",
                                 "every_off", "coupon", "gift"]))
    if kind in ("item_discount", "item_price", "member_price", "presale"):
        scope = _scope(draw, "item")
        if kind == "item_discount":
            cap = draw(st.one_of(st.none(), money))
            return ItemDiscount(pid, draw(st.integers(1, 9_999)), cap, draw(st.booleans()), scope)
        if kind == "item_price":
            if draw(st.booleans()):
                return ItemPrice(pid, price=draw(st.integers(0, 60_000)), scope=scope)
            return ItemPrice(pid, off=draw(money), scope=scope)
        if kind == "member_price":
            return MemberPrice(pid, draw(st.integers(0, 60_000)), scope)
        deposit = draw(st.integers(1, 20_000))
        if draw(st.booleans()):
            return Presale(pid, deposit, instant_off=draw(st.integers(0, 20_000)), scope=scope)
        return Presale(pid, deposit, deposit_worth=deposit + draw(st.integers(0, 20_000)), scope=scope)
    level = draw(st.sampled_from([SHOP, PLATFORM]))
    scope = _scope(draw, level)
    if kind == "threshold_off":
        thresholds = draw(st.lists(money, min_size=1, max_size=3, unique=True))
        tiers = tuple(Tier(t, draw(st.integers(1, t))) for t in sorted(thresholds))
        return ThresholdOff(pid, tiers, level, scope)
    if kind == "every_off":
        every = draw(money)
        off = draw(st.integers(1, every))
        cap = draw(st.one_of(st.none(), st.integers(off, off * 5)))
        return EveryOff(pid, every, off, cap, level, scope)
    if kind == "coupon":
        threshold = draw(money)
        return Coupon(pid, threshold, draw(st.integers(1, threshold)), level, scope)
    return Gift(pid, draw(st.integers(0, 60_000)), (GiftItem("G1", 1),), level, scope)


@st.composite
def case(draw):
    n = draw(st.integers(1, 6))
    rows = [(draw(st.sampled_from(SKUS)), draw(st.integers(0, 80_000)), draw(st.integers(1, 4)),
             draw(st.one_of(st.just(0), st.integers(1, 90_000)))) for _ in range(n)]
    count = draw(st.integers(0, 6))
    promotions = [draw(promotion(f"p{i}")) for i in range(count)]
    return rows, promotions, draw(st.booleans())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case())
def test_vectorised_simulation_equals_the_engine(data):
    rows, promotions, member = data
    skus = [r[0] for r in rows]
    covers = {p.id: np.array([s in p.scope.skus for s in skus]) for p in promotions if p.scope.skus}
    batch = CartBatch(SHOP_CODE, np.array([r[1] for r in rows], dtype=np.int64),
                      np.array([r[2] for r in rows], dtype=np.int64), np.array([r[3] for r in rows], dtype=np.int64),
                      covers)
    got = simulate_carts(batch, promotions, member=member)
    for i, (sku, price, qty, rest) in enumerate(rows):
        expected = quote(engine_cart(shop=SHOP_CODE, sku=sku, price=price, qty=qty, rest=rest,
                                     promotions=promotions, member=member))
        assert int(got.line_pay[i]) == expected.lines[0].pay, (i, expected)
        assert int(got.order_pay[i]) == expected.total_pay, (i, expected)
        assert int(got.item_price[i]) == expected.lines[0].item_price
        granted = {g.promotion for g in expected.gifts}
        assert {pid for pid, mask in got.gifts.items() if mask[i]} == granted


def test_windows_pick_the_live_promotions():
    """A promotion outside its window is rejected by the engine and absent from the live set."""
    from shopops.campaigns.simulation import live_sets
    from shopops.pricing.domain import Window

    tz = dt.timezone(dt.timedelta(hours=8))
    early = ItemDiscount("a", 1000, window=Window(dt.datetime(2026, 11, 1, tzinfo=tz), dt.datetime(2026, 11, 5, tzinfo=tz)))
    always = Coupon("b", 10_000, 1_000)
    sets = live_sets([early, always], dt.datetime(2026, 10, 20, tzinfo=tz), dt.datetime(2026, 11, 13, tzinfo=tz))
    assert [sorted(p.id for p in live) for _at, live in sets] == [["b"], ["a", "b"]]
