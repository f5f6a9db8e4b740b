"""The published examples and a table of cases derived from domain-rules.md §3, run through the JSON contract.

Each case names the rule it comes from; amounts are worked out by hand in the comment next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shopops.pricing.contract import quote_from_json

from .carts import cart, discounts, line, pays, rejected

# --- published examples (must hold verbatim) --------------------------------------------------------------


def test_presale_instant_off_balance():
    """§3.2 付定金立减: 预售价格 = 1000 − 200 = 800; 尾款 = 800 − 定金 100 = 700."""
    result = quote_from_json(cart(
        [line("1", "P1", "1000.00")],
        {"id": "pre", "type": "presale", "deposit": "100.00", "instant_off": "200.00"},
    ))
    assert result["presale"] == {"deposit": "100.00", "balance": "700.00"}
    assert result["total_pay"] == "800.00"
    assert result["lines"][0]["item_price"] == "800.00"


def test_presale_deposit_worth_balance():
    """§3.2 定金膨胀: 尾款 = 1000 − 定金 100 − (抵扣 150 − 定金 100) = 850."""
    result = quote_from_json(cart(
        [line("1", "P1", "1000.00")],
        {"id": "pre", "type": "presale", "deposit": "100.00", "deposit_worth": "150.00"},
    ))
    assert result["presale"] == {"deposit": "100.00", "balance": "850.00"}
    assert result["total_pay"] == "950.00"


def test_cross_store_on_item_price_after_shop_coupon_pays_zero():
    """§3.1 published example: 活动价 400, 店铺券 400−380, 跨店 400−50 → pays 0.00.

    跨店 is checked on the 400 活动价 (not the 20 left after the coupon) and is deducted only down to 0.
    """
    result = quote_from_json(cart(
        [line("1", "A1", "459.00")],
        {"id": "act", "type": "item_price", "skus": ["A1"], "price": "400.00"},
        {"id": "shopcoupon", "type": "coupon", "shop": "S1", "threshold": "400.00", "off": "380.00"},
        {"id": "kuadian", "type": "threshold_off", "level": "platform",
         "tiers": [{"threshold": "400.00", "off": "50.00"}]},
    ))
    assert result["total_pay"] == "0.00"
    assert discounts(result, "1") == {"act": "59.00", "shopcoupon": "380.00", "kuadian": "20.00"}
    assert result["applied"] == ["act", "shopcoupon", "kuadian"]
    assert result["rejected"] == []


def test_issue_example_cart_full_output():
    """The cart of the issue text. 299 × 85 % = 254.15 (单品折扣); 定金膨胀 150 − 100 = 50 → 204.15 (§3.2);
    shop 满300减30 and 跨店 每满300减50 miss on 204.15 (§3.1/§3.2a); shop coupon 100−10 applies; 尾款 94.15."""
    data = {
        "at": "2026-11-11T00:05:00+08:00",
        "lines": [{"line": "1", "sku": "A1", "shop": "S1", "price": "299.00", "qty": 1}],
        "promotions": [
            {"id": "p1", "type": "item_discount", "skus": ["A1"], "percent_off": 15},
            {"id": "p2", "type": "threshold_off", "level": "shop", "shop": "S1",
             "tiers": [{"threshold": "300.00", "off": "30.00"}]},
            {"id": "p3", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00", "cap": None},
            {"id": "p4", "type": "coupon", "level": "shop", "shop": "S1", "skus": ["A1"], "threshold": "100.00",
             "off": "10.00"},
            {"id": "p5", "type": "presale", "skus": ["A1"], "deposit": "100.00", "deposit_worth": "150.00"},
        ],
    }
    assert quote_from_json(data) == {
        "lines": [{
            "line": "1", "sku": "A1", "qty": 1, "price": "299.00", "item_price": "204.15", "pay": "194.15",
            "discounts": [{"promotion": "p1", "amount": "44.85"}, {"promotion": "p5", "amount": "50.00"},
                          {"promotion": "p4", "amount": "10.00"}],
        }],
        "gifts": [],
        "total_price": "299.00",
        "total_discount": "104.85",
        "total_pay": "194.15",
        "presale": {"deposit": "100.00", "balance": "94.15"},
        "applied": ["p1", "p5", "p4"],
        "rejected": [
            {"promotion": "p2", "reason": "threshold 300.00 not met: 204.15 at item-level price in scope"},
            {"promotion": "p3", "reason": "threshold 300.00 not met: 204.15 at item-level price in scope"},
        ],
    }


# --- table of rule cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    source: str  # domain-rules.md section the expectation follows from
    cart: dict
    total_pay: str
    pays: dict[str, str] = field(default_factory=dict)
    applied: list[str] | None = None
    rejected: tuple[str, ...] = ()
    line_discounts: dict[str, dict[str, str]] = field(default_factory=dict)
    gifts: list[dict] | None = None


S1_COUPON_200_100 = {"id": "c1", "type": "coupon", "shop": "S1", "threshold": "200.00", "off": "100.00"}

CASES = [
    Case(
        # base = 250 + 150 = 400 at item level (300 after the shop coupon): 跨店 400−50 still applies;
        # 50 split 250:150 → 31.25 / 18.75.
        "cross-store threshold on item-level price", "domain-rules.md §3.1 (跨店 on 活动价)",
        cart([line("a", "A", "250.00", shop="S1"), line("b", "B", "150.00", shop="S2")],
             S1_COUPON_200_100,
             {"id": "x", "type": "threshold_off", "level": "platform",
              "tiers": [{"threshold": "400.00", "off": "50.00"}]}),
        total_pay="250.00", pays={"a": "118.75", "b": "131.25"}, applied=["c1", "x"],
        line_discounts={"a": {"c1": "100.00", "x": "31.25"}, "b": {"x": "18.75"}},
    ),
    Case(
        # 每满400减100 on 800 → 200, shares 100/100; line a has 20 left → 20; b keeps its 100, not 180.
        "excess is not re-allocated", "domain-rules.md §3.1 (Taobao 2020: deduct to 0, no re-allocation)",
        cart([line("a", "A", "400.00", shop="S1"), line("b", "B", "400.00", shop="S2")],
             {"id": "c1", "type": "coupon", "shop": "S1", "threshold": "400.00", "off": "380.00"},
             {"id": "x", "type": "every_off", "level": "platform", "every": "400.00", "off": "100.00"}),
        total_pay="300.00", pays={"a": "0.00", "b": "300.00"},
        line_discounts={"a": {"c1": "380.00", "x": "20.00"}, "b": {"x": "100.00"}},
    ),
    Case(
        # 满400减40 over 300×1 and 50×2: 40 × 300/400 = 30, 40 × 100/400 = 10.
        "JD proportional allocation", "domain-rules.md §3.3 (JD 单品基准价 × 数量)",
        cart([line("a", "A", "300.00"), line("b", "B", "50.00", qty=2)],
             {"id": "m", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "400.00", "off": "40.00"}]}),
        total_pay="360.00", pays={"a": "270.00", "b": "90.00"},
    ),
    Case(
        # 满5减1 over three 2.00 lines: 0.34 + 0.33 + 0.33 = 1.00 exactly (not 0.99, not 0.98).
        "largest remainder sums exactly", "domain-rules.md general rule 1 (macrozheng/mall #492) and §3.3",
        cart([line("a", "A", "2.00"), line("b", "B", "2.00"), line("c", "C", "2.00")],
             {"id": "m", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "5.00", "off": "1.00"}]}),
        total_pay="5.00", pays={"a": "1.66", "b": "1.67", "c": "1.67"},
    ),
    Case(
        # Three shop coupons on 350: only the best (30) applies; the 满减 is another type and stacks (20).
        "same-type coupons do not stack", "domain-rules.md §3.1 (same-type coupons: pick the best)",
        cart([line("a", "A", "350.00")],
             {"id": "c-small", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "10.00"},
             {"id": "c-best", "type": "coupon", "shop": "S1", "threshold": "300.00", "off": "30.00"},
             {"id": "c-mid", "type": "coupon", "shop": "S1", "threshold": "200.00", "off": "25.00"},
             {"id": "mj", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "300.00", "off": "20.00"}]}),
        total_pay="300.00", applied=["mj", "c-best"], rejected=("c-mid", "c-small"),
    ),
    Case(
        # Tiers 200−20 / 300−40 / 500−80 on 450: the best tier met is 300−40.
        "best tier wins", "domain-rules.md §3.1 (满减 thresholds)",
        cart([line("a", "A", "450.00")],
             {"id": "mj", "type": "threshold_off", "shop": "S1",
              "tiers": [{"threshold": "500.00", "off": "80.00"}, {"threshold": "200.00", "off": "20.00"},
                        {"threshold": "300.00", "off": "40.00"}]}),
        total_pay="410.00",
    ),
    Case(
        # 每满300减50 on 1000 → 3 × 50 = 150, capped at 100.
        "every-off with a cap", "domain-rules.md §3.1 (每满300减50; cap is config, default none)",
        cart([line("a", "A", "1000.00")],
             {"id": "x", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00",
              "cap": "100.00"}),
        total_pay="900.00",
    ),
    Case(
        # Same, 上不封顶 (cap null): 150.
        "every-off without a cap", "domain-rules.md §3.1 (跨店 cap [UNVERIFIED] → cap=None)",
        cart([line("a", "A", "1000.00")],
             {"id": "x", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00", "cap": None}),
        total_pay="850.00",
    ),
    Case(
        # 15 % off 100 → 85; 秒杀 80 → 80: single-item offers don't stack, the lower price wins.
        "single-item offers: lowest price wins", "domain-rules.md §3.1 (单品级, mutually exclusive)",
        cart([line("a", "A", "100.00")],
             {"id": "zk", "type": "item_discount", "percent_off": 15},
             {"id": "ms", "type": "item_price", "price": "80.00"}),
        total_pay="80.00", applied=["ms"], rejected=("zk",),
    ),
    Case(
        # 直降 10 → 90, then 官方立减 15 % of 90 = 13.50 → 76.50.
        "官方立减 stacks on other single-item offers", "domain-rules.md §3.1 (2025 618 官方立减 combinable)",
        cart([line("a", "A", "100.00")],
             {"id": "gf", "type": "item_discount", "percent_off": 15, "stackable": True},
             {"id": "zj", "type": "item_price", "off": "10.00"}),
        total_pay="76.50", applied=["zj", "gf"], line_discounts={"a": {"zj": "10.00", "gf": "13.50"}},
    ),
    Case(
        # 官方立减 15 % of 200 = 30, capped at 20 a unit; two units → 40 off.
        "官方立减 cap is per unit", "domain-rules.md §3.1 (官方立减 base 15 %, capped)",
        cart([line("a", "A", "200.00", qty=2)],
             {"id": "gf", "type": "item_discount", "percent_off": 15, "cap": "20.00", "stackable": True}),
        total_pay="360.00", pays={"a": "360.00"},
    ),
    Case(
        # 预售价格 = 1000 − 200 = 800: 满900减50 misses, 满800减40 applies; 尾款 = 800 − 40 − 100 = 660.
        "presale thresholds use the price after 立减", "domain-rules.md §3.2 (a) 预售价格 ≥ threshold",
        cart([line("a", "P", "1000.00")],
             {"id": "pre", "type": "presale", "deposit": "100.00", "instant_off": "200.00"},
             {"id": "big", "type": "coupon", "shop": "S1", "threshold": "900.00", "off": "50.00"},
             {"id": "mj", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "800.00", "off": "40.00"}]}),
        total_pay="760.00", applied=["pre", "mj"], rejected=("big",),
    ),
    Case(
        # 膨胀 to 950 → item price 150, 尾款 50. 满减 40 (applied first) leaves 尾款 10; the 60 shop coupon and
        # the 10 platform coupon would eat into the 定金 (share ≥ 尾款) → both rejected.
        "presale 尾款 must exceed the face value", "domain-rules.md §3.2 (b) 尾款 > face value",
        cart([line("a", "P", "1000.00")],
             {"id": "pre", "type": "presale", "deposit": "100.00", "deposit_worth": "950.00"},
             {"id": "c60", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "60.00"},
             {"id": "mj", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "150.00", "off": "40.00"}]},
             {"id": "x", "type": "coupon", "level": "platform", "threshold": "150.00", "off": "10.00"}),
        total_pay="110.00", applied=["pre", "mj"], rejected=("c60", "x"),
    ),
    Case(
        # Platform coupon names S1 but covers S2 as well (跨店); shop coupon of S1 leaves S2 alone.
        "platform ignores shop, shop covers its own lines", "domain-rules.md §3.1 (店铺级 vs 平台级)",
        cart([line("a", "A", "200.00", shop="S1"), line("b", "B", "200.00", shop="S2")],
             {"id": "pt", "type": "coupon", "level": "platform", "shop": "S1", "threshold": "400.00", "off": "40.00"},
             S1_COUPON_200_100),
        total_pay="260.00", line_discounts={"a": {"c1": "100.00", "pt": "20.00"}, "b": {"pt": "20.00"}},
    ),
    Case(
        # 11-11 00:05 is before the 00:10 start of one offer and after the end of another.
        "promotion window", "domain-rules.md §3.4/§3.5 (time-limited offers state their period)",
        cart([line("a", "A", "100.00")],
             {"id": "later", "type": "item_discount", "percent_off": 10, "start": "2026-11-11T00:10:00+08:00"},
             {"id": "over", "type": "item_price", "off": "5.00", "end": "2026-11-11T00:00:00+08:00"},
             {"id": "now", "type": "item_price", "off": "1.00", "start": "2026-11-10T16:00:00Z",
              "end": "2026-11-12T00:00:00+08:00"}),
        total_pay="99.00", applied=["now"], rejected=("later", "over"),
    ),
    Case(
        # 会员价 needs a member cart; here the buyer is not a member.
        "member price needs a member", "domain-rules.md §6 (店铺会员) and §3.1 (单品级 offer)",
        cart([line("a", "A", "100.00")], {"id": "vip", "type": "member_price", "price": "88.00"}),
        total_pay="100.00", rejected=("vip",),
    ),
    Case(
        "member price for a member", "domain-rules.md §6 (店铺会员) and §3.1 (单品级 offer)",
        cart([line("a", "A", "100.00")], {"id": "vip", "type": "member_price", "price": "88.00"}, member=True),
        total_pay="88.00", applied=["vip"],
    ),
    Case(
        # 满赠 on item-level amount: 300 × 90 % = 270 ≥ 250 → gift; the 300 gift misses (270 < 300).
        "gift over a threshold", "domain-rules.md §3.3 (赠品 as 0-amount sub-orders)",
        cart([line("a", "A", "300.00")],
             {"id": "zk", "type": "item_discount", "percent_off": 10},
             {"id": "g250", "type": "gift", "shop": "S1", "threshold": "250.00", "gifts": [{"sku": "G1", "qty": 2}]},
             {"id": "g300", "type": "gift", "shop": "S1", "threshold": "300.00", "gifts": [{"sku": "G2"}]}),
        total_pay="270.00", rejected=("g300",), gifts=[{"promotion": "g250", "sku": "G1", "qty": 2}],
    ),
    Case(
        # 直降 50 on a 30 item stops at 0.00; line b is taken to 0.00 by a 400−400 shop coupon; the platform
        # 400−10 qualifies on the item-level 0 + 400 but has nothing left to take → rejected.
        "a line never goes below zero", "domain-rules.md §3.1/§3.3 (deduct only down to 0)",
        cart([line("a", "A", "30.00"), line("b", "B", "400.00")],
             {"id": "zj", "type": "item_price", "skus": ["A"], "off": "50.00"},
             {"id": "c", "type": "coupon", "shop": "S1", "skus": ["B"], "threshold": "400.00", "off": "400.00"},
             {"id": "x", "type": "coupon", "level": "platform", "threshold": "400.00", "off": "10.00"}),
        total_pay="0.00", applied=["zj", "c"], rejected=("x",),
    ),
]


def test_every_case_names_its_source():
    assert all(case.source.startswith("domain-rules.md ") for case in CASES)
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rule_case(case: Case):
    result = quote_from_json(case.cart)
    assert result["total_pay"] == case.total_pay
    for line_id, pay in case.pays.items():
        assert pays(result)[line_id] == pay
    if case.applied is not None:
        assert result["applied"] == case.applied
    assert tuple(sorted(rejected(result))) == tuple(sorted(case.rejected))
    for line_id, expected in case.line_discounts.items():
        assert discounts(result, line_id) == expected
    if case.gifts is not None:
        assert result["gifts"] == case.gifts
