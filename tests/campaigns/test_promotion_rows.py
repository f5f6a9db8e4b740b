"""The plan form's promotion rows ⇄ the pricing contract's promotions, and the cost table (pure modules)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shopops.campaigns import cost_table
from shopops.campaigns.form_values import ValueProblem, parse_money, parse_percent_bp, show_percent
from shopops.campaigns.promotion_rows import (
    ROW_FIELDS,
    TYPES,
    ReadRows,
    RowError,
    blank_row,
    parse_discount_bp,
    promotion_rows,
    read_rows,
    show_discount,
)
from shopops.core.errors import FieldError
from shopops.pricing.contract import parse_cart

TZ = ZoneInfo("Asia/Shanghai")


def row(**values: str) -> dict[str, str]:
    return {**blank_row(), **values}


def read(*rows: dict[str, str]) -> ReadRows:
    return read_rows(list(rows), TZ)


# Canonical promotions of every type and option: contract → rows → contract gives them back unchanged.
CANONICAL = [
    {"id": "t1", "type": "threshold_off", "level": "shop", "shop": "S1", "name": "满减",
     "tiers": [{"threshold": "300.00", "off": "30.00"}, {"threshold": "400.00", "off": "50.00"}]},
    {"id": "t2", "type": "threshold_off", "level": "platform",
     "tiers": [{"threshold": "199.90", "off": "20.50"}], "start": "2026-11-11T00:00:00+08:00",
     "end": "2026-11-12T00:00:00+08:00"},
    {"id": "e1", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00"},
    {"id": "e2", "type": "every_off", "level": "shop", "shop": "S1", "every": "200.00", "off": "20.00", "cap": "100.00",
     "note": "上限 100"},
    {"id": "d1", "type": "item_discount", "percent_off": 15},
    {"id": "d2", "type": "item_discount", "percent_off": "12.5", "cap": "20.00", "stackable": True,
     "skus": ["A1", "A2"]},
    {"id": "d3", "type": "item_discount", "percent_off": "14.45", "shop": "S1"},
    {"id": "i1", "type": "item_price", "off": "10.00", "skus": ["A1"]},
    {"id": "i2", "type": "item_price", "price": "99.00", "start": "2026-11-11T20:00:00+08:00"},
    {"id": "m1", "type": "member_price", "price": "88.80", "skus": ["A2"]},
    {"id": "c1", "type": "coupon", "level": "shop", "shop": "S1", "threshold": "399.00", "off": "40.00"},
    {"id": "c2", "type": "coupon", "level": "platform", "threshold": "10.00", "off": "5.00"},
    {"id": "g1", "type": "gift", "level": "shop", "shop": "S1", "threshold": "299.00", "gifts": [{"sku": "GIFT-1", "qty": 1}]},
    {"id": "g2", "type": "gift", "level": "platform", "threshold": "99.00",
     "gifts": [{"sku": "GIFT-1", "qty": 2}, {"sku": "小样-2", "qty": 1}]},
    {"id": "s1", "type": "presale", "deposit": "50.00", "deposit_worth": "100.00"},
    {"id": "s2", "type": "presale", "deposit": "20.00", "instant_off": "30.00", "skus": ["A1"]},
]


def test_every_type_goes_round_the_trip_unchanged():
    assert {p["type"] for p in CANONICAL} == set(TYPES)
    rows = promotion_rows(CANONICAL, TZ)
    back = read(*rows)
    assert back.errors == []
    assert back.promotions == CANONICAL
    assert back.rows == list(range(1, len(CANONICAL) + 1))
    assert set(rows[0]) == set(ROW_FIELDS)


def test_rows_show_promotions_as_an_operator_types_them():
    rows = {r["id"]: r for r in promotion_rows(CANONICAL, TZ)}
    assert rows["t1"]["tiers"] == "满300减30，满400减50"
    assert rows["d1"]["discount"] == "8.5折" and rows["d2"]["discount"] == "8.75折"
    assert rows["g2"]["gift_sku"] == "GIFT-1×2，小样-2×1" and rows["g1"]["gift_qty"] == "1"
    assert rows["t2"]["start"] == "2026-11-11T00:00" and rows["t2"]["level"] == "platform"
    assert rows["d2"]["skus"] == "A1, A2" and rows["d2"]["stackable"] == "on"
    assert rows["d1"]["level"] == ""  # item-level types have no level to choose


def test_the_result_passes_the_pricing_contract():
    promotions = read(*promotion_rows(CANONICAL, TZ)).promotions
    lines = [{"line": str(n), "sku": sku, "shop": "S1", "price": "500.00", "qty": 1}
             for n, sku in enumerate(["A1", "A2", "GIFT-1", "小样-2"], start=1)]
    cart = parse_cart({"lines": lines, "promotions": promotions, "at": "2026-11-11T21:00:00+08:00"})
    assert [p.id for p in cart.promotions] == [p["id"] for p in CANONICAL]


@pytest.mark.parametrize(("text", "bp"), [
    ("8.5折", 1500), ("8.5", 1500), ("15%", 1500), ("９折", 1000), (" 8.75 折", 1250), ("0.5折", 9500),
    ("12.5%", 1250), ("8.755折", 1245), ("9.99折", 10), ("１５％", 1500),
])
def test_discounts_are_read_as_zhe_or_percent_off(text, bp):
    assert parse_discount_bp(text) == bp


@pytest.mark.parametrize("text", ["12折", "0折", "10折", "85折", "85", "0", "abc", "", "0%", "100%", "8.7555折",
                                  "12.345%", "-1折", "8.5折%", "1e1折"])
def test_bad_discounts_are_refused(text):
    with pytest.raises(ValueProblem):
        parse_discount_bp(text)


def test_discounts_show_as_zhe():
    assert [show_discount(bp) for bp in (1500, 1000, 1250, 10)] == ["8.5折", "9折", "8.75折", "9.99折"]


@pytest.mark.parametrize("tiers", ["满300减30，满400减50", "满300减30\n满400减50", "300-30; 400-50",
                                   "满300元减30元、满400减50", "满 300 减 30 , 满400减50"])
def test_tiers_are_read_in_the_usual_spellings(tiers):
    result = read(row(type="threshold_off", tiers=tiers))
    assert result.errors == []
    assert result.promotions[0]["tiers"] == [{"threshold": "300.00", "off": "30.00"},
                                             {"threshold": "400.00", "off": "50.00"}]


def test_a_bad_tier_names_its_row_and_tier():
    result = read(row(type="threshold_off", tiers="满300减30，满400送50"))
    (error,) = result.errors
    assert isinstance(error, RowError) and error.row == 1 and error.input == "tiers"
    assert str(error.field) == "row 1 · Tiers" and "tier 2 (满400送50)" in error.message
    assert read(row(type="threshold_off")).errors[0].input == "tiers"  # no tier at all


def test_each_type_reads_its_inputs():
    result = read(
        row(type="every_off", level="platform", every="300", off="50", cap=""),
        row(type="item_discount", discount="9折", cap="¥5", stackable="on"),
        row(type="item_price", price="99"),
        row(type="member_price", price="88.8", skus="A1，A2\nA3 A4"),
        row(type="coupon", threshold="1,000", off="100元"),
        row(type="gift", threshold="299", gift_sku="GIFT-1", gift_qty="3"),
        row(type="presale", deposit="50", instant_off="20"),
    )
    assert result.errors == []
    assert result.promotions == [
        {"id": "p1", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00"},
        {"id": "p2", "type": "item_discount", "percent_off": 10, "cap": "5.00", "stackable": True},
        {"id": "p3", "type": "item_price", "price": "99.00"},
        {"id": "p4", "type": "member_price", "price": "88.80", "skus": ["A1", "A2", "A3", "A4"]},
        {"id": "p5", "type": "coupon", "level": "shop", "threshold": "1000.00", "off": "100.00"},
        {"id": "p6", "type": "gift", "level": "shop", "threshold": "299.00", "gifts": [{"sku": "GIFT-1", "qty": 3}]},
        {"id": "p7", "type": "presale", "deposit": "50.00", "instant_off": "20.00"},
    ]


def test_only_the_inputs_of_the_chosen_type_are_read():
    """The page hides the other inputs, which may keep what was typed before the type changed."""
    result = read(row(type="member_price", price="50", tiers="nonsense", discount="99折", off="x"))
    assert result.errors == [] and result.promotions == [{"id": "p1", "type": "member_price", "price": "50.00"}]


def test_ids_are_generated_readable_and_never_clash():
    result = read(row(type="coupon", threshold="100", off="10"), row(id="p1", type="coupon", threshold="200", off="20"),
                  row(type="coupon", threshold="300", off="30"), row(id="vip", type="member_price", price="9"))
    assert [p["id"] for p in result.promotions] == ["p2", "p1", "p3", "vip"]
    again = read(*promotion_rows(result.promotions, TZ))
    assert [p["id"] for p in again.promotions] == ["p2", "p1", "p3", "vip"]  # stable once saved


def test_a_code_used_twice_names_the_second_row():
    result = read(row(id="x", type="coupon", threshold="100", off="10"), row(id="x", type="member_price", price="9"))
    (error,) = result.errors
    assert error.row == 2 and error.input == "id" and "row 1" in error.message


def test_blank_and_removed_rows_are_skipped_but_keep_their_numbers():
    result = read(row(), row(type="coupon", threshold="100", off="10", delete="on"),
                  row(type="coupon", threshold="abc", off="10"), row(level="shop"))
    (error,) = result.errors
    assert error.row == 3 and error.input == "threshold" and str(error.field) == "row 3 · Minimum spend (¥)"
    assert result.promotions == []


@pytest.mark.parametrize(("values", "field"), [
    ({"type": "item_price", "off": "5", "price": "90"}, "off"),
    ({"type": "item_price"}, "off"),
    ({"type": "presale", "deposit": "10", "deposit_worth": "20", "instant_off": "5"}, "deposit_worth"),
    ({"type": "presale", "deposit": "10"}, "deposit_worth"),
    ({"type": "presale", "deposit_worth": "20"}, "deposit"),
    ({"name": "没有类型"}, "type"),
    ({"type": "bogus"}, "type"),
    ({"type": "coupon", "level": "item", "threshold": "10", "off": "1"}, "level"),
    ({"type": "coupon", "threshold": "10", "off": "1", "start": "明天"}, "start"),
    ({"type": "gift", "threshold": "10"}, "gift_sku"),
    ({"type": "gift", "threshold": "10", "gift_sku": "A", "gift_qty": "0"}, "gift_qty"),
    ({"type": "gift", "threshold": "10", "gift_sku": "A×0"}, "gift_sku"),
    ({"type": "every_off", "every": "100", "off": "1.234"}, "off"),
    ({"type": "item_discount", "discount": "12折"}, "discount"),
    ({"type": "item_discount"}, "discount"),
])
def test_problems_name_the_row_and_input(values, field):
    result = read(row(type="member_price", price="1"), row(**values))
    assert [(e.row, e.input) for e in result.errors] == [(2, field)]
    assert str(result.errors[0].field).startswith("row 2 · ")


def test_local_times_take_the_shops_offset():
    result = read(row(type="coupon", threshold="100", off="10", start="2026-11-11T20:00", end="2026-11-12"))
    assert result.promotions[0]["start"] == "2026-11-11T20:00:00+08:00"
    assert result.promotions[0]["end"] == "2026-11-12T00:00:00+08:00"
    other = promotion_rows([{**result.promotions[0], "start": "2026-11-11T12:00:00Z"}], TZ)
    assert other[0]["start"] == "2026-11-11T20:00"


def test_contract_problems_are_mapped_back_to_row_and_input():
    result = read(row(), row(type="threshold_off", tiers="满300减30，满400减50"), row(),
                  row(type="gift", threshold="10", gift_sku="A"), row(type="item_discount", discount="9折", skus="X"))
    assert result.rows == [2, 4, 5]
    cases = {
        "promotions[0].tiers[1].off": (2, "tiers"), "promotions[1].gifts[0].sku": (4, "gift_sku"),
        "promotions[1].gifts[0].qty": (4, "gift_qty"), "promotions[2].percent_off": (5, "discount"),
        "promotions[2].skus[0]": (5, "skus"), "promotions[2]": (5, "type"), "promotions[1].shop": (4, "shop"),
    }
    for path, (number, name) in cases.items():
        located = result.locate(FieldError(path, "why"))
        assert isinstance(located, RowError) and (located.row, located.input) == (number, name), path
    assert result.locate(FieldError("promotions[0].tiers[1].off", "why")).message == "tier 2: why"
    for other in ("budget", "promotions", "promotions[9].off", "skus[0].sku"):
        assert result.locate(FieldError(other, "why")) == FieldError(other, "why")


# --- form values and the cost table ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "bp"), [("10%", 1000), ("10", 1000), ("0.65%", 65), ("-5%", -500), ("１０％", 1000)])
def test_percentages(text, bp):
    assert parse_percent_bp(text, low=-10_000, high=10_000) == bp
    assert parse_percent_bp(show_percent(bp), low=-10_000, high=10_000) == bp


@pytest.mark.parametrize("text", ["abc", "0.1%%", "0.125%", "101%", "1e2"])
def test_bad_percentages(text):
    with pytest.raises(ValueProblem):
        parse_percent_bp(text, low=-10_000, high=10_000)


def test_money_in_the_usual_spellings():
    assert [parse_money(t) for t in ("129", "129.9", "¥1,299", "￥30", "30元", " 8 ")] == [12_900, 12_990, 129_900,
                                                                                       3_000, 3_000, 800]
    for bad in ("-1", "1.234", "abc", "1e5"):
        with pytest.raises(ValueProblem):
            parse_money(bad)


def test_cost_cells_read_rates_as_percent_and_amounts_as_yuan():
    names = {"tmall": "天猫", "jd": "京东"}
    costs, errors = cost_table.read_cells({"tmall": {"commission_bp": "4.5%", "shipping_fen": "8", "ad_cost_fen": ""},
                                           "jd": {"return_rate_bp": "6"}}, names)
    assert errors == [] and costs == {"tmall": {"commission_bp": 450, "shipping_fen": 800}, "jd": {"return_rate_bp": 600}}
    assert cost_table.cells(costs) == {"tmall": {"commission_bp": "4.5%", "shipping_fen": "8"},
                                       "jd": {"return_rate_bp": "6%"}}
    assert cost_table.read_cells(cost_table.cells(costs), names)[0] == costs
    _, errors = cost_table.read_cells({"jd": {"commission_bp": "150%", "shipping_fen": "abc"}}, names)
    assert [str(e.field) for e in errors] == ["京东 · Commission rate", "京东 · Shipping per order (¥)"]
    located = cost_table.cost_error(FieldError("costs.tmall.return_rate_bp", "Out of range."), names)
    assert str(located.field) == "天猫 · Return rate" and located.message == "Out of range."


def test_the_cost_table_shows_the_defaults():
    rows = cost_table.table_rows([("tmall", "天猫")], {})
    assert [c["default"] for c in rows[0]["cells"]] == ["5%", "0.6%", "8", "8%", "12", "15"]
    assert rows[0]["cells"][0]["input"] == "cost-tmall-commission_bp"


def test_naive_times_stay_in_the_shop_zone_across_a_date():
    tz = ZoneInfo("America/New_York")
    result = read_rows([row(type="coupon", threshold="1", off="1", start="2026-07-01T09:30")], tz)
    assert dt.datetime.fromisoformat(result.promotions[0]["start"]).utcoffset() == dt.timedelta(hours=-4)
