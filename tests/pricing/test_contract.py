"""The JSON contract: defaults, rendering, and InvalidInput naming every bad field."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from shopops.core.errors import InvalidInput
from shopops.pricing.contract import parse_cart, quote_from_json
from shopops.pricing.domain import PLATFORM, SHOP, Coupon, ItemDiscount, Presale
from tests.pricing.carts import cart, line, rejected


def errors_of(data: object, **kwargs) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_cart(data, **kwargs)
    assert caught.value.exit_code == 2 and caught.value.http_status == 422
    return {e.field: e.message for e in caught.value.errors}


def test_every_problem_is_reported_at_once_with_its_path():
    data = cart(
        [line("1", "A1", "10.00"), line("1", "B1", "-1.00"), {"line": "3", "sku": "C1", "shop": "S1", "qty": 0}],
        {"id": "p1", "type": "bogus"},
        {"id": "p2", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "120.00"},
        {"id": "p3", "type": "item_discount", "skus": ["A1", "ZZ"], "percent_off": 15},
        {"id": "p4", "type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "50.00", "off": "-5.00"}]},
        {"id": "p2", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00", "cap": "10.00"},
    )
    errors = errors_of(data)
    assert set(errors) == {
        "lines[1].line", "lines[1].price", "lines[2].price", "lines[2].qty",
        "promotions[0].type", "promotions[1].off", "promotions[2].skus[1]", "promotions[3].tiers[0].off",
        "promotions[4].id", "promotions[4].cap",
    }
    assert "unknown type 'bogus'" in errors["promotions[0].type"]
    assert "exceeds the threshold 100.00" in errors["promotions[1].off"]
    assert "unknown SKU ZZ" in errors["promotions[2].skus[1]"]
    assert "negative" in errors["promotions[3].tiers[0].off"]


@pytest.mark.parametrize(
    ("promotion", "field", "fragment"),
    [
        ({"type": "coupon", "threshold": "10.00", "off": "1.00"}, "shop", "required"),
        ({"type": "coupon", "shop": "S1", "threshold": "10.00", "off": "1.00", "level": "item"}, "level", "shop or platform"),
        ({"type": "presale", "level": "shop", "deposit": "1.00", "instant_off": "0.00"}, "level", "item level"),
        ({"type": "item_discount", "percent_off": 15.5}, "percent_off", "percentage"),
        ({"type": "item_discount", "percent_off": "100"}, "percent_off", "between 0 and 100"),
        ({"type": "item_discount", "percent_off": "12.345"}, "percent_off", "two decimals"),
        ({"type": "item_discount", "percent_off": 10, "stackable": "yes"}, "stackable", "true or false"),
        ({"type": "item_price", "price": "1.00", "off": "1.00"}, "price", "either price"),
        ({"type": "presale", "deposit": "1.00"}, "deposit_worth", "either deposit_worth"),
        ({"type": "presale", "deposit": "5.00", "deposit_worth": "4.00"}, "deposit_worth", "at least the deposit"),
        ({"type": "presale", "deposit": "5.00", "instant_off": "6.00"}, "instant_off", "exceeds the price 10.00"),
        ({"type": "presale", "deposit": "0.00", "instant_off": "1.00"}, "deposit", "more than 0.00"),
        ({"type": "every_off", "shop": "S1", "every": "10.00", "off": "11.00"}, "off", "exceeds every"),
        ({"type": "threshold_off", "shop": "S1", "tiers": []}, "tiers", "non-empty"),
        ({"type": "threshold_off", "shop": "S1", "tiers": [{"threshold": "5.00", "off": "1.00"},
                                                          {"threshold": "5.00", "off": "2.00"}]},
         "tiers[1].threshold", "duplicate"),
        ({"type": "gift", "shop": "S1", "threshold": "5.00", "gifts": [{"sku": "G", "qty": 0}]}, "gifts[0].qty", "from 1 to"),
        ({"type": "coupon", "shop": "S1", "threshold": "10.00", "off": "1.00", "threshhold": "1"},
         "threshhold", "unknown field"),
        ({"type": "coupon", "shop": "S2", "skus": ["A1"], "threshold": "10.00", "off": "1.00"},
         "skus[0]", "not sold by shop S2"),
        ({"type": "coupon", "shop": "S1", "threshold": 9.5, "off": "1.00"}, "threshold", "float"),
        ({"type": "item_price", "off": "1.00", "start": "2026-11-11T00:00:00"}, "start", "UTC offset"),
        ({"type": "item_price", "off": "1.00", "start": "2026-11-12T00:00:00+08:00",
          "end": "2026-11-11T00:00:00+08:00"}, "end", "after start"),
    ],
)
def test_invalid_promotion_fields(promotion, field, fragment):
    errors = errors_of(cart([line("1", "A1", "10.00")], {"id": "p", **promotion}))
    assert fragment in errors[f"promotions[0].{field}"], errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "$"),
        ({"lines": []}, "lines"),
        ({"lines": [line("1", "A", "1.00")], "member": "yes"}, "member"),
        ({"lines": [line("1", "A", "1.00")], "at": "tomorrow"}, "at"),
        ({"lines": [line("1", "A", "1.00")], "currency": "CNY"}, "currency"),
        ({"lines": [line("1", "A", "1.00")], "promotions": {}}, "promotions"),
        ({"lines": [line("1", "A", "1.00")],
          "promotions": [{"id": "p", "type": "item_price", "off": "1.00", "end": "2026-11-12T00:00:00+08:00"}]}, "at"),
    ],
)
def test_invalid_cart_shapes(data, field):
    assert field in errors_of(data)


def test_defaults_levels_scopes_and_platform_ignoring_shop():
    parsed = parse_cart(cart(
        [line("1", "A1", "10.00")],
        {"id": "zk", "type": "item_discount", "percent_off": "12.5"},
        {"id": "c", "type": "coupon", "shop": "S1", "threshold": "5.00", "off": "1.00"},
        {"id": "x", "type": "coupon", "level": "platform", "shop": "S9", "skus": ["A1"], "threshold": "5.00",
         "off": "1.00"},
        {"id": "pre", "type": "presale", "deposit": "1.00", "deposit_worth": "2.00"},
    ))
    zk, c, x, pre = parsed.promotions
    assert isinstance(zk, ItemDiscount) and zk.basis_points == 1250 and not zk.stackable
    assert isinstance(c, Coupon) and c.level == SHOP and c.scope.shop == "S1" and not c.scope.skus
    assert isinstance(x, Coupon) and x.level == PLATFORM and x.scope.shop is None and x.scope.skus == {"A1"}
    assert isinstance(pre, Presale) and pre.reduction == 100
    assert parsed.at == dt.datetime(2026, 11, 11, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert parsed.member is False


def test_at_defaults_to_the_callers_now():
    data = {"lines": [line("1", "A", "100.00")],
            "promotions": [{"id": "p", "type": "item_price", "off": "1.00", "end": "2026-11-12T00:00:00+08:00"}]}
    early = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert quote_from_json(data, now=early)["total_pay"] == "99.00"
    late = dt.datetime(2026, 11, 13, tzinfo=dt.UTC)
    assert rejected(quote_from_json(data, now=late)) == {"p": "ended 2026-11-12T00:00:00+08:00"}


def test_shop_without_lines_is_rejected_not_invalid():
    result = quote_from_json(cart([line("1", "A", "100.00")],
                                  {"id": "c", "type": "coupon", "shop": "S9", "threshold": "5.00", "off": "1.00"}))
    assert rejected(result) == {"c": "no line of shop S9 in its scope"}


def test_output_is_json_with_two_decimal_money_strings():
    result = quote_from_json(cart([line("1", "A", "99", qty=3)], {"id": "zk", "type": "item_discount",
                                                                   "percent_off": 10}))
    assert json.loads(json.dumps(result)) == result
    row = result["lines"][0]
    assert (row["price"], row["item_price"], row["pay"], row["qty"]) == ("99.00", "89.10", "267.30", 3)
    assert result["total_price"] == "297.00" and result["total_discount"] == "29.70"
    assert result["presale"] is None and result["gifts"] == []


def test_percent_rounds_half_up_per_unit():
    # 0.05 × 15 % = 0.0075 → 0.01 off a unit (half up), so 3 units pay 0.12.
    result = quote_from_json(cart([line("1", "A", "0.05", qty=3)], {"id": "zk", "type": "item_discount",
                                                                     "percent_off": 15}))
    assert result["lines"][0]["item_price"] == "0.04" and result["total_pay"] == "0.12"


def test_pricing_modules_import_no_django():
    """import-linter forbids django/ninja in domain modules; check the whole package in a clean interpreter."""
    code = ("import sys, shopops.pricing.contract, shopops.pricing.domain; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'huey')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
