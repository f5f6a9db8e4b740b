"""The simulation's flags on hand-made SKUs, the reference price rule, typical baskets.

Rules: docs/rules/campaigns.md#reference-price, docs/rules/pricing.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from shopops.campaigns import domain, simulation
from shopops.campaigns.analysis import History, reference_prices
from shopops.pricing.domain import (
    PLATFORM,
    Coupon,
    EveryOff,
    ItemDiscount,
    MemberPrice,
    Scope,
    ThresholdOff,
    Tier,
)

FREE = domain.ChannelCosts(commission_bp=0, payment_fee_bp=0, shipping_fen=0, return_rate_bp=0, return_cost_fen=0,
                           ad_cost_fen=0)


def _input(promotions, *, price, cost, floor, claimed, reference, qty=None, rest=None, costs=FREE, min_margin_bp=1000,
           skus=None):
    n = len(price)
    return simulation.SimulationInput(
        shop="S1", skus=skus or [f"K{i}" for i in range(n)], price=np.array(price), cost=np.array(cost),
        floor=np.array(floor), claimed=np.array(claimed), reference=np.array(reference),
        basket_qty=np.array(qty or [1] * n), basket_rest=np.array(rest or [0] * n), promotions=promotions,
        channels=["tmall"], costs={"tmall": costs}, min_margin_bp=min_margin_bp)


def test_each_flag_on_its_own_sku():
    """K0 fine; K1 sells below cost; K2 below its floor; K3 claims 原价 ¥120 while it sold at ¥99 in the last 7
    days (《规范促销行为暂行规定》, docs/rules/campaigns.md#reference-price); K4 keeps a margin under the 10 % minimum."""
    promotions = [ItemDiscount("p15", 1500)]  # 15 % off every SKU
    result = simulation.simulate(_input(
        promotions,
        price=[10_000, 10_000, 10_000, 12_000, 10_000],
        cost=[5_000, 9_000, 5_000, 5_000, 7_800],
        floor=[5_000, 5_000, 9_000, 5_000, 5_000],
        claimed=[10_000, 10_000, 10_000, 12_000, 10_000],
        reference=[10_000, 10_500, 10_000, 9_900, -1]))
    flags = {sku: {f for f in simulation.FLAG_WEIGHTS if result.flags[f][i]} for i, sku in enumerate(result.skus)}
    assert flags == {"K0": set(), "K1": {"loss", "below_min_margin"}, "K2": {"below_floor"},
                     "K3": {"reference_price"}, "K4": {"below_min_margin"}}
    assert result.worst_unit_pay.tolist() == [8_500, 8_500, 8_500, 10_200, 8_500]
    assert [result.skus[i] for i in result.order[:2]] == ["K1", "K2"]  # sorted by risk (loss weighs most)
    assert result.margin.tolist()[1] == 8_500 - 9_000


def test_the_typical_basket_meets_a_threshold_one_unit_does_not():
    """满300减50 at platform level: one unit at ¥200 pays 200; with ¥200 of other goods in the basket the SKU
    takes half of the 50 off (JD 单品基准价 allocation, docs/rules/pricing.md#allocation-of-order-level-discounts)
    and pays 175."""
    promotions = [ThresholdOff("x", (Tier(30_000, 5_000),), PLATFORM)]
    result = simulation.simulate(_input(promotions, price=[20_000], cost=[10_000], floor=[0], claimed=[20_000],
                                    reference=[-1], qty=[1], rest=[20_000]))
    assert result.worst_unit_pay.tolist() == [17_500] and result.worst_scenario[0].startswith("basket")


def test_a_member_price_can_be_the_better_case_for_the_buyer_or_not():
    """The worst case takes member and non-member: a 会员价 of ¥290 drops the line under 满300减50."""
    promotions = [MemberPrice("m", 29_000), EveryOff("e", 30_000, 5_000, None, PLATFORM)]
    result = simulation.simulate(_input(promotions, price=[30_000], cost=[10_000], floor=[0], claimed=[30_000],
                                    reference=[-1]))
    assert result.worst_unit_pay.tolist() == [25_000]  # the non-member pays 250, the member 290
    assert "member" not in result.worst_scenario[0]


def test_costs_per_channel_come_off_the_margin():
    costs = domain.ChannelCosts(commission_bp=500, payment_fee_bp=60, shipping_fen=800, return_rate_bp=1000,
                                return_cost_fen=1_200, ad_cost_fen=1_000)
    result = simulation.simulate(_input([], price=[10_000], cost=[4_000], floor=[0], claimed=[10_000], reference=[-1],
                                    costs=costs))
    # 100 − 40 − 5 % − 0.6 % − shipping 8 − ads 10 − returns 10 % × (8 + 12) = 100 − 40 − 5 − 0.6 − 8 − 10 − 2
    assert result.margin.tolist() == [10_000 - 4_000 - 500 - 60 - 800 - 1_000 - 200]


def test_scoped_promotions_cover_only_their_skus_and_coupons_pick_the_best():
    promotions = [Coupon("c1", 10_000, 1_000, scope=Scope("S1", frozenset({"K0"}))), Coupon("c2", 10_000, 2_000,
                                                                                            scope=Scope("S1"))]
    result = simulation.simulate(_input(promotions, price=[10_000, 10_000], cost=[0, 0], floor=[0, 0],
                                    claimed=[10_000, 10_000], reference=[-1, -1]))
    assert result.worst_unit_pay.tolist() == [8_000, 8_000]  # same-type coupons don't stack: the best one


def test_reference_price_is_the_lowest_in_the_window_else_the_last_before():
    """《规范促销行为暂行规定》 art. 6 (docs/rules/campaigns.md#reference-price): the lowest transaction price of the 7
    days before; with no transaction in those days, the last transaction price before."""
    tz = dt.UTC
    rows = [  # sku, date, paid, qty, unit_price
        ("A", dt.date(2026, 11, 1), 9_000, 1, 9_000), ("A", dt.date(2026, 12, 3), 17_000, 2, 9_500),
        ("A", dt.date(2026, 12, 5), 9_900, 1, 10_000),
        ("B", dt.date(2026, 11, 10), 8_000, 1, 8_000), ("B", dt.date(2026, 11, 20), 8_801, 1, 9_000),
    ]
    hist = History(order_id=np.arange(len(rows)), paid_at=[dt.datetime.combine(r[1], dt.time(12), tz) for r in rows],
                   paid_date=[r[1] for r in rows], sku=np.array([r[0] for r in rows], dtype=object),
                   qty=np.array([r[3] for r in rows]), unit_price=np.array([r[4] for r in rows]),
                   amount=np.array([r[4] * r[3] for r in rows]), discount=np.zeros(len(rows), dtype=np.int64),
                   paid=np.array([r[2] for r in rows]))
    paid = reference_prices(hist, ["A", "B", "C"], window_start=dt.date(2026, 12, 1), basis="paid")
    assert paid == {"A": 8_500, "B": 8_801}  # A: 170/2 in the window; B: its last sale; C: never sold
    assert reference_prices(hist, ["A"], window_start=dt.date(2026, 12, 1), basis="unit") == {"A": 9_500}


def test_typical_basket_is_the_median_order():
    order = np.array([1, 1, 2, 3, 3, 3])
    sku = np.array(["A", "B", "A", "A", "B", "C"], dtype=object)
    qty = np.array([1, 1, 2, 1, 1, 1])
    amount = np.array([100, 50, 200, 100, 500, 30])
    baskets = simulation.typical_baskets(order, sku, qty, amount, ["A", "B"])
    # orders with A: #1 total 150, #2 total 200, #3 total 630 → the median is #2 (A×2, nothing else)
    assert baskets["A"] == (2, 0)
    assert baskets["B"] == (1, 100)  # orders with B: #1 (150) and #3 (630): the lower median, #1


def test_large_amounts_stay_exact():
    promotions = [ItemDiscount("p", 3333), EveryOff("e", 30_000, 5_000, None, PLATFORM)]
    result = simulation.simulate(_input(promotions, price=[10**12], cost=[0], floor=[0], claimed=[10**12],
                                    reference=[-1]))
    from shopops.campaigns.simulation import engine_cart
    from shopops.pricing.domain import quote

    expected = quote(engine_cart(shop="S1", sku="K0", price=10**12, qty=1, rest=0, promotions=promotions))
    assert int(result.worst_unit_pay[0]) == expected.total_pay
