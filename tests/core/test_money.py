"""Money in fen and largest-remainder allocation (docs/architecture.md#data; docs/rules/pricing.md#money-in-fen)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopops.core.money import Money, MoneyError, allocate, format_fen, parse_fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [("123.45", 12345), ("0", 0), ("0.5", 50), ("1,299.00", 129900), (" 7.1 ", 710), (Decimal("9.99"), 999), (3, 300)],
)
def test_parse_fen_reads_edges(text, fen):
    assert parse_fen(text) == fen


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "1.234", "-1.00", "NaN", "Infinity", 1.5, True, None, "1e400", "1e2", "1_000", "12,50", "1,2,3",
     "1,23.00", "¥5"],
)
def test_parse_fen_rejects_bad_input(bad):
    with pytest.raises(MoneyError):
        parse_fen(bad)


def test_negative_allowed_only_on_request():
    assert parse_fen("-3.20", allow_negative=True) == -320


def test_format_and_money_arithmetic():
    assert format_fen(12345) == "123.45"
    assert format_fen(-5) == "-0.05"
    assert str(Money.parse("19.90") * 3) == "59.70"
    assert Money(100) + Money(1) == Money(101)
    assert Money(100).to_decimal() == Decimal("1.00")


def test_allocate_worked_example():
    # 30.00 off a 100/200/300 basket: 5.00, 10.00, 15.00 exactly.
    assert allocate(3000, [10000, 20000, 30000]) == [500, 1000, 1500]
    # One fen left over goes to the largest remainder, ties to the earlier line.
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(0, [5, 5]) == [0, 0]
    assert allocate(7, [0, 0]) == [4, 3]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]


def test_allocate_rejects_impossible():
    with pytest.raises(ValueError):
        allocate(5, [])
    with pytest.raises(ValueError):
        allocate(5, [1, -1])


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30),
)
def test_allocate_always_adds_up_and_is_fair(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    if weight_sum:
        for part, weight in zip(parts, weights, strict=True):
            exact = total * weight / weight_sum
            assert exact - 1 < part < exact + 1
    assert parts == allocate(total, weights)  # deterministic


def test_divide_half_up():
    from shopops.core.money import divide_half_up

    assert divide_half_up(1001, 2) == 501 and divide_half_up(1000, 3) == 333 and divide_half_up(5, 2) == 3
    assert divide_half_up(-5, 2) == -3 and divide_half_up(7, 0) is None
