"""The contract reads a valid cart in one pass and falls back to the piecewise reader on any problem: the two
must agree. Random edits of a valid cart (some valid, most not) go through both; the fast path may only
accept what the piecewise reader accepts, with the same cart, and every rejection names the same problems."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.core.errors import InvalidInput
from shopops.core.money import MoneyError, parse_fen
from shopops.pricing.contract import CartIn, parse_cart
from tests.pricing.carts import cart, line

BASE = cart(
    [line("1", "A1", "299.00"), line("2", "B2", "59.90", 3), line("3", "C3", "128", 2, shop="S2")],
    {"id": "p1", "type": "item_discount", "skus": ["A1"], "percent_off": 15},
    {"id": "p2", "type": "item_price", "skus": ["C3"], "price": "109.00"},
    {"id": "p3", "type": "threshold_off", "shop": "S1",
     "tiers": [{"threshold": "300.00", "off": "30.00"}, {"threshold": "400.00", "off": "50.00"}]},
    {"id": "p4", "type": "coupon", "shop": "S1", "threshold": "200.00", "off": "20.00"},
    {"id": "p5", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00"},
    {"id": "p6", "type": "presale", "skus": ["B2"], "deposit": "10.00", "deposit_worth": "30.00"},
    {"id": "p7", "type": "member_price", "skus": ["B2"], "price": "49.90"},
    {"id": "p8", "type": "gift", "shop": "S2", "threshold": "100.00", "gifts": [{"sku": "G1", "qty": 1}]},
    member=True,
)

ODD_VALUES = [None, "", " ", "x", "-1.00", "1.001", "0", 0, 1.5, True, [], {}, "A1", "S2", "p1", "1", "2",
              "99999999999.00", "2026-11-12T00:00:00+08:00", "2026-11-11", 10**9, "12,50", "+3", "１２"]


def _outcome(read):
    try:
        return "ok", read()
    except InvalidInput as exc:
        return "invalid", sorted((e.field, str(e.message)) for e in exc.errors)


@st.composite
def edited_carts(draw) -> dict:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(["line", "promotion", "top"]))
        items = data.get("lines" if target == "line" else "promotions")
        if target != "top" and not (isinstance(items, list) and items and isinstance(items[0], dict)):
            continue  # the list itself was edited away
        obj = data if target == "top" else items[draw(st.integers(0, len(items) - 1))]
        key = draw(st.sampled_from(sorted(obj) + ["extra", "level", "cap", "start", "end"]))
        action = draw(st.sampled_from(["set", "set", "delete", "duplicate"]))
        if action == "delete":
            obj.pop(key, None)
        elif action == "duplicate" and target != "top":
            items.append(copy.deepcopy(obj))
        else:
            obj[key] = draw(st.sampled_from(ODD_VALUES))
    return data


@settings(max_examples=400, deadline=None)
@given(edited_carts())
def test_the_one_pass_reader_agrees_with_the_piecewise_reader(data: dict) -> None:
    fast = _outcome(lambda: parse_cart(copy.deepcopy(data)))
    slow = _outcome(lambda: CartIn.read_piecewise(copy.deepcopy(data)).to_cart())
    assert fast == slow


def test_the_base_cart_takes_the_one_pass_path() -> None:
    cart = parse_cart(BASE)
    assert len(cart.lines) == 3 and len(cart.promotions) == 8
    assert cart == CartIn.read_piecewise(BASE).to_cart()


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"\s?[0-9]{1,14}(\.[0-9]{1,4})?\s?", fullmatch=True))
def test_plain_amounts_read_in_integers_equal_the_decimal_rule(text: str) -> None:
    """parse_fen's integer path for "129.9"-like strings gives what the Decimal path decides."""
    amount = Decimal(text.strip())
    if amount >= Decimal(10) ** 12 or amount.quantize(Decimal("0.01")) != amount:
        with pytest.raises(MoneyError):
            parse_fen(text)
    else:
        assert parse_fen(text) == int(amount * 100)
