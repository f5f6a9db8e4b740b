"""The published examples and a table of cases derived from docs/rules/pricing.md, run through the JSON
contract.

Each case names the rule it comes from (a section of docs/rules/pricing.md); amounts are worked out by hand
in the comment next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shopops.pricing.contract import quote_from_json
from tests.pricing.carts import cart, discounts, line, pays, rejected

# --- published examples (must hold verbatim) --------------------------------------------------------------


def test_presale_instant_off_balance():
    """付定金立减 (docs/rules/pricing.md#presale-deposit-and-balance): 预售价格 = 1000 − 200 = 800;
    尾款 = 800 − 定金 100 = 700."""
    result = quote_from_json(cart(
        [line("1", "P1", "1000.00")],
        {"id": "pre", "type": "presale", "deposit": "100.00", "instant_off": "200.00"},
    ))
    assert result["presale"] == {"deposit": "100.00", "balance": "700.00"}
    assert result["total_pay"] == "800.00"
    assert result["lines"][0]["item_price"] == "800.00"


def test_presale_deposit_worth_balance():
    """定金膨胀 (docs/rules/pricing.md#presale-deposit-and-balance): 尾款 = 1000 − 定金 100 − (抵扣 150 − 定金 100)
    = 850."""
    result = quote_from_json(cart(
        [line("1", "P1", "1000.00")],
        {"id": "pre", "type": "presale", "deposit": "100.00", "deposit_worth": "150.00"},
    ))
    assert result["presale"] == {"deposit": "100.00", "balance": "850.00"}
    assert result["total_pay"] == "950.00"


def test_cross_store_on_item_price_after_shop_coupon_pays_zero():
    """Published example (docs/rules/pricing.md#thresholds-on-the-item-level-price): 活动价 400, 店铺券 400−380,
    跨店 400−50 → pays 0.00.

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


def test_worked_example_cart_full_output():
    """A 双11 cart with every level. 299 × 85 % = 254.15 (单品折扣); 定金膨胀 150 − 100 = 50 → 204.15
    (docs/rules/pricing.md#presale-deposit-and-balance); shop 满300减30 and 跨店 每满300减50 miss on 204.15
    (docs/rules/pricing.md#thresholds-on-the-item-level-price, docs/rules/pricing.md#presale-thresholds); shop
    coupon 100−10 applies; 尾款 94.15."""
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
    source: str  # the docs/rules/pricing.md section (file#anchor) the expectation follows from
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
        "cross-store threshold on item-level price",
        "docs/rules/pricing.md#thresholds-on-the-item-level-price",
        cart([line("a", "A", "250.00", shop="S1"), line("b", "B", "150.00", shop="S2")],
             S1_COUPON_200_100,
             {"id": "x", "type": "threshold_off", "level": "platform",
              "tiers": [{"threshold": "400.00", "off": "50.00"}]}),
        total_pay="250.00", pays={"a": "118.75", "b": "131.25"}, applied=["c1", "x"],
        line_discounts={"a": {"c1": "100.00", "x": "31.25"}, "b": {"x": "18.75"}},
    ),
    Case(
        # 每满400减100 on 800 → 200, shares 100/100; line a has 20 left → 20; b keeps its 100, not 180.
        "excess is not re-allocated", "docs/rules/pricing.md#deduct-to-zero-no-re-allocation",
        cart([line("a", "A", "400.00", shop="S1"), line("b", "B", "400.00", shop="S2")],
             {"id": "c1", "type": "coupon", "shop": "S1", "threshold": "400.00", "off": "380.00"},
             {"id": "x", "type": "every_off", "level": "platform", "every": "400.00", "off": "100.00"}),
        total_pay="300.00", pays={"a": "0.00", "b": "300.00"},
        line_discounts={"a": {"c1": "380.00", "x": "20.00"}, "b": {"x": "100.00"}},
    ),
    Case(
        # 满400减40 over 300×1 and 50×2: 40 × 300/400 = 30, 40 × 100/400 = 10.
        "JD proportional allocation", "docs/rules/pricing.md#allocation-of-order-level-discounts",
        cart([line("a", "A", "300.00"), line("b", "B", "50.00", qty=2)],
             {"id": "m", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "400.00", "off": "40.00"}]}),
        total_pay="360.00", pays={"a": "270.00", "b": "90.00"},
    ),
    Case(
        # 满5减1 over three 2.00 lines: 0.34 + 0.33 + 0.33 = 1.00 exactly (not 0.99, not 0.98).
        "largest remainder sums exactly", "docs/rules/pricing.md#money-in-fen",
        cart([line("a", "A", "2.00"), line("b", "B", "2.00"), line("c", "C", "2.00")],
             {"id": "m", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "5.00", "off": "1.00"}]}),
        total_pay="5.00", pays={"a": "1.66", "b": "1.67", "c": "1.67"},
    ),
    Case(
        # Three shop coupons on 350: only the best (30) applies; the 满减 is another type and stacks (20).
        "same-type coupons do not stack", "docs/rules/pricing.md#same-type-offers-do-not-stack",
        cart([line("a", "A", "350.00")],
             {"id": "c-small", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "10.00"},
             {"id": "c-best", "type": "coupon", "shop": "S1", "threshold": "300.00", "off": "30.00"},
             {"id": "c-mid", "type": "coupon", "shop": "S1", "threshold": "200.00", "off": "25.00"},
             {"id": "mj", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "300.00", "off": "20.00"}]}),
        total_pay="300.00", applied=["mj", "c-best"], rejected=("c-mid", "c-small"),
    ),
    Case(
        # Tiers 200−20 / 300−40 / 500−80 on 450: the best tier met is 300−40.
        "best tier wins", "docs/rules/pricing.md#same-type-offers-do-not-stack",
        cart([line("a", "A", "450.00")],
             {"id": "mj", "type": "threshold_off", "shop": "S1",
              "tiers": [{"threshold": "500.00", "off": "80.00"}, {"threshold": "200.00", "off": "20.00"},
                        {"threshold": "300.00", "off": "40.00"}]}),
        total_pay="410.00",
    ),
    Case(
        # 每满300减50 on 1000 → 3 × 50 = 150, capped at 100.
        "every-off with a cap", "docs/rules/pricing.md#cross-store-offers-by-year",
        cart([line("a", "A", "1000.00")],
             {"id": "x", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00",
              "cap": "100.00"}),
        total_pay="900.00",
    ),
    Case(
        # Same, 上不封顶 (cap null): 150.
        "every-off without a cap", "docs/rules/pricing.md#cross-store-offers-by-year",
        cart([line("a", "A", "1000.00")],
             {"id": "x", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00", "cap": None}),
        total_pay="850.00",
    ),
    Case(
        # 15 % off 100 → 85; 秒杀 80 → 80: single-item offers don't stack, the lower price wins.
        "single-item offers: lowest price wins", "docs/rules/pricing.md#single-item-offers",
        cart([line("a", "A", "100.00")],
             {"id": "zk", "type": "item_discount", "percent_off": 15},
             {"id": "ms", "type": "item_price", "price": "80.00"}),
        total_pay="80.00", applied=["ms"], rejected=("zk",),
    ),
    Case(
        # 直降 10 → 90, then 官方立减 15 % of 90 = 13.50 → 76.50.
        "官方立减 stacks on other single-item offers", "docs/rules/pricing.md#official-instant-discount",
        cart([line("a", "A", "100.00")],
             {"id": "gf", "type": "item_discount", "percent_off": 15, "stackable": True},
             {"id": "zj", "type": "item_price", "off": "10.00"}),
        total_pay="76.50", applied=["zj", "gf"], line_discounts={"a": {"zj": "10.00", "gf": "13.50"}},
    ),
    Case(
        # 官方立减 15 % of 200 = 30, capped at 20 a unit; two units → 40 off.
        "官方立减 cap is per unit", "docs/rules/pricing.md#official-instant-discount",
        cart([line("a", "A", "200.00", qty=2)],
             {"id": "gf", "type": "item_discount", "percent_off": 15, "cap": "20.00", "stackable": True}),
        total_pay="360.00", pays={"a": "360.00"},
    ),
    Case(
        # 预售价格 = 1000 − 200 = 800: 满900减50 misses, 满800减40 applies; 尾款 = 800 − 40 − 100 = 660.
        "presale thresholds use the price after 立减", "docs/rules/pricing.md#presale-thresholds",
        cart([line("a", "P", "1000.00")],
             {"id": "pre", "type": "presale", "deposit": "100.00", "instant_off": "200.00"},
             {"id": "big", "type": "coupon", "shop": "S1", "threshold": "900.00", "off": "50.00"},
             {"id": "mj", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "800.00", "off": "40.00"}]}),
        total_pay="760.00", applied=["pre", "mj"], rejected=("big",),
    ),
    Case(
        # 膨胀 to 950 → item price 150, 尾款 50. 满减 40 (applied first) leaves 尾款 10; the 60 shop coupon and
        # the 10 platform coupon would eat into the 定金 (share ≥ 尾款) → both rejected.
        "presale 尾款 must exceed the face value", "docs/rules/pricing.md#presale-thresholds",
        cart([line("a", "P", "1000.00")],
             {"id": "pre", "type": "presale", "deposit": "100.00", "deposit_worth": "950.00"},
             {"id": "c60", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "60.00"},
             {"id": "mj", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "150.00", "off": "40.00"}]},
             {"id": "x", "type": "coupon", "level": "platform", "threshold": "150.00", "off": "10.00"}),
        total_pay="110.00", applied=["pre", "mj"], rejected=("c60", "x"),
    ),
    Case(
        # Platform coupon names S1 but covers S2 as well (跨店); shop coupon of S1 leaves S2 alone.
        "platform ignores shop, shop covers its own lines", "docs/rules/pricing.md#stacking-order",
        cart([line("a", "A", "200.00", shop="S1"), line("b", "B", "200.00", shop="S2")],
             {"id": "pt", "type": "coupon", "level": "platform", "shop": "S1", "threshold": "400.00", "off": "40.00"},
             S1_COUPON_200_100),
        total_pay="260.00", line_discounts={"a": {"c1": "100.00", "pt": "20.00"}, "b": {"pt": "20.00"}},
    ),
    Case(
        # 11-11 00:05 is before the 00:10 start of one offer and after the end of another.
        "promotion window", "docs/rules/pricing.md#promotion-period",
        cart([line("a", "A", "100.00")],
             {"id": "later", "type": "item_discount", "percent_off": 10, "start": "2026-11-11T00:10:00+08:00"},
             {"id": "over", "type": "item_price", "off": "5.00", "end": "2026-11-11T00:00:00+08:00"},
             {"id": "now", "type": "item_price", "off": "1.00", "start": "2026-11-10T16:00:00Z",
              "end": "2026-11-12T00:00:00+08:00"}),
        total_pay="99.00", applied=["now"], rejected=("later", "over"),
    ),
    Case(
        # 会员价 needs a member cart; here the buyer is not a member.
        "member price needs a member", "docs/rules/pricing.md#member-price",
        cart([line("a", "A", "100.00")], {"id": "vip", "type": "member_price", "price": "88.00"}),
        total_pay="100.00", rejected=("vip",),
    ),
    Case(
        "member price for a member", "docs/rules/pricing.md#member-price",
        cart([line("a", "A", "100.00")], {"id": "vip", "type": "member_price", "price": "88.00"}, member=True),
        total_pay="88.00", applied=["vip"],
    ),
    Case(
        # 满赠 on item-level amount: 300 × 90 % = 270 ≥ 250 → gift; the 300 gift misses (270 < 300).
        "gift over a threshold", "docs/rules/pricing.md#gifts",
        cart([line("a", "A", "300.00")],
             {"id": "zk", "type": "item_discount", "percent_off": 10},
             {"id": "g250", "type": "gift", "shop": "S1", "threshold": "250.00", "gifts": [{"sku": "G1", "qty": 2}]},
             {"id": "g300", "type": "gift", "shop": "S1", "threshold": "300.00", "gifts": [{"sku": "G2"}]}),
        total_pay="270.00", rejected=("g300",), gifts=[{"promotion": "g250", "sku": "G1", "qty": 2}],
    ),
    Case(
        # 直降 50 on a 30 item stops at 0.00; line b is taken to 0.00 by a 400−400 shop coupon; the platform
        # 400−10 qualifies on the item-level 0 + 400 but has nothing left to take → rejected.
        "a line never goes below zero", "docs/rules/pricing.md#deduct-to-zero-no-re-allocation",
        cart([line("a", "A", "30.00"), line("b", "B", "400.00")],
             {"id": "zj", "type": "item_price", "skus": ["A"], "off": "50.00"},
             {"id": "c", "type": "coupon", "shop": "S1", "skus": ["B"], "threshold": "400.00", "off": "400.00"},
             {"id": "x", "type": "coupon", "level": "platform", "threshold": "400.00", "off": "10.00"}),
        total_pay="0.00", applied=["zj", "c"], rejected=("x",),
    ),
]


def _heading_anchors(path: Path) -> set[str]:
    """GitHub-style slugs of a Markdown file's headings: lower case, punctuation dropped, spaces → hyphens."""
    slugs = set()
    for text in path.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"#{1,6}\s+(.+?)\s*$", text):
            slugs.add(re.sub(r"[^\w\- ]", "", match.group(1).lower()).replace(" ", "-"))
    return slugs


def test_every_case_names_its_source():
    """Every case cites a section of docs/rules/pricing.md that exists (a renamed heading breaks this)."""
    anchors = _heading_anchors(Path(__file__).resolve().parents[2] / "docs" / "rules" / "pricing.md")
    for case in CASES:
        file, _, anchor = case.source.partition("#")
        assert file == "docs/rules/pricing.md", case.name
        assert anchor in anchors, f"{case.name}: no heading for #{anchor} in {file}"
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
