"""Value normalisation for channel exports (docs/rules/platforms.md#export-quirks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.imports.normalize import (
    ValueProblem,
    clean_text,
    neutralize_formula,
    normalize_header,
    parse_date,
    parse_datetime,
    parse_id,
    parse_int,
    parse_money_fen,
    parse_rate,
)
from tests.imports.said import en, zh

UTC = dt.UTC


# ------------------------------------------------------------------------------------------------ headers

@pytest.mark.parametrize(("raw", "expected"), [
    ("收货地址 ", "收货地址"),  # docs/rules/platforms.md#export-quirks: trailing spaces in Taobao headers
    ("订单付款时间 ", "订单付款时间"),
    ("\ufeff订单编号", "订单编号"),  # UTF-8 BOM glued to the first header
    ('"宝贝标题 "', "宝贝标题"),
    ("“宝贝标题”", "宝贝标题"),
    ('="订单编号"', "订单编号"),
    ("\t买家会员名\t", "买家会员名"),
    ("\u3000买家留言\u3000", "买家留言"),  # full-width space
    ("Lineitem\xa0\xa0name", "Lineitem name"),  # nbsp, inner whitespace collapsed
    ("商家备注等级（等级1-5为由高到低）", "商家备注等级(等级1-5为由高到低)"),  # NFKC: full-width parentheses
    ("Sessions -  Total", "Sessions - Total"),
    ("", ""),
    (None, ""),
])
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == expected


# ---------------------------------------------------------------------------------------------- clean_text

@pytest.mark.parametrize(("raw", "expected"), [
    # Taobao: 订单编号 as ="…" (docs/rules/platforms.md#taobao-order-report)
    ('="3801234567890123456"', "3801234567890123456"),
    # Douyin: tab-prefixed ids (docs/rules/platforms.md#douyin-order-export)
    ("\t6917512345678901234", "6917512345678901234"),
    ("'0571-88886666", "0571-88886666"),  # Excel's apostrophe text marker
    ("  交易成功 ", "交易成功"),
    ("-", None), ("--", None), ("—", None), ("null", None), ("NULL", None), ("Null", None), ("N/A", None),
    ("", None), ("   ", None), (None, None), ('=""', None),
    (12.0, "12"), (12.5, "12.5"), (7, "7"), (True, "TRUE"),
    (dt.datetime(2026, 11, 11, 0, 5, 3), "2026-11-11 00:05:03"),
    ("请尽快发货\n谢谢", "请尽快发货\n谢谢"),
    ("\ufeff买家留言", "买家留言"),
    ("''", None), ("''abc", "abc"), ("'=1+2", "'=1+2"),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("formula", [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","点我领券")',
    "@SUM(A1:A9)",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+2",
    " =1+2",
    "+86-13800138000",  # Excel would compute it (= -13800137914)
    "=",
])
def test_formulas_are_neutralised(formula):
    cleaned = clean_text(formula)
    assert cleaned.startswith("'")
    assert cleaned[1:] == formula.strip()


def test_formula_inside_an_unwrapped_id_is_neutralised():
    assert clean_text('="=cmd|\' /C calc\'!A0"') == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("number", ["-5", "+5", "-1,234.50", "-12%", "-¥5", "+3.5", "-0.00", "-1.5E+3"])
def test_a_plain_signed_number_is_not_a_formula(number):
    assert clean_text(number) == number
    assert neutralize_formula(number) == number


def test_neutralize_formula_leaves_ordinary_text():
    assert neutralize_formula("交易成功") == "交易成功"
    assert neutralize_formula("") == ""


_FORMULA_TRIGGERS = "=+-@"


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("=+-@'\"\t |!()ABC1.,%¥ 你 \u3000\ufeff")), max_size=12) | st.text())
def test_clean_text_never_returns_a_live_formula(text):
    """Whatever the cell, the result can be re-exported safely, and cleaning twice changes nothing."""
    cleaned = clean_text(text)
    if cleaned is not None:
        if cleaned[:1] in _FORMULA_TRIGGERS:
            assert neutralize_formula(cleaned) == cleaned  # only a plain number may start so
            assert not cleaned.startswith("=")
        assert clean_text(cleaned) == cleaned


# -------------------------------------------------------------------------------------------------- money

@pytest.mark.parametrize(("raw", "fen"), [
    ("123.45", 12345), ("123.4", 12340), ("123", 12300), ("0.00", 0), ("-0.00", 0),
    ("¥1,234.50", 123450), ("￥１２.５", 1250), ("RMB 12", 1200), ("CNY 1,000", 100000), ("12元", 1200),
    ("$1,937.41", 193741),  # Amazon Business Report (docs/rules/platforms.md#amazon-business-report)
    ("₹1,08,218.36", 10821836),  # Indian grouping (docs/rules/platforms.md#amazon-business-report)
    ("-5.00", -500), ("(5.00)", -500), ("¥-5", -500), ("-¥5", -500), ("－１２", -1200), ("\u22125", -500),
    ("12.3400", 1234),  # extra decimals that are zeros are fine
    ('="89.90"', 8990), ("\t59.90", 5990), (" 1,024.00 ", 102400),
    ("-", None), ("", None), ("null", None), (None, None),
    (12, 1200), (12.5, 1250), (0.1 + 0.2, 30), (26.910000000000004, 2691), (Decimal("9.99"), 999),
    ("999999999999.99", 99999999999999),
])
def test_parse_money_fen(raw, fen):
    assert parse_money_fen(raw) == fen


@pytest.mark.parametrize("raw", [
    "12.345",  # a third decimal: not rounded silently
    12.345, Decimal("0.001"),
    "1,2", "12,50", "1,2345.00",  # separators that do not group digits (a decimal comma?)
    "abc", "12%", "¥", "1e5", "1 234", "--5", "(-5)", "1.2.3", "1000000000000.00", True, [1],
])
def test_parse_money_fen_refuses(raw):
    with pytest.raises(ValueProblem) as caught:
        parse_money_fen(raw)
    assert zh(caught.value.text) != caught.value.text == en(caught.value.text)


def test_money_error_names_the_value_in_both_languages():
    with pytest.raises(ValueProblem) as caught:
        parse_money_fen("12.345")
    assert "12.345" in zh(caught.value.text) and "两位小数" in zh(caught.value.text)
    assert "12.345" in en(caught.value.text) and "two decimals" in en(caught.value.text)


def test_money_can_refuse_negatives():
    with pytest.raises(ValueProblem):
        parse_money_fen("-1.00", allow_negative=False)
    assert parse_money_fen("1.00", allow_negative=False) == 100


def _group(digits: str, indian: bool) -> str:
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    if not indian:
        groups = []
        while head:
            groups.insert(0, head[-3:])
            head = head[:-3]
        return ",".join([*groups, tail])
    groups = []
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([*groups, tail])


_FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@given(
    fen=st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1),
    currency=st.sampled_from(["", "¥", "￥", "$", "RMB ", "CNY", "₹"]),
    grouping=st.sampled_from(["none", "western", "indian"]),
    negative_style=st.sampled_from(["minus", "parentheses", "after_currency"]),
    full_width=st.booleans(),
)
def test_money_round_trips_through_export_formats(fen, currency, grouping, negative_style, full_width):
    whole, cents = divmod(abs(fen), 100)
    digits = str(whole) if grouping == "none" else _group(str(whole), grouping == "indian")
    body = f"{digits}.{cents:02d}"
    if fen < 0:
        text = {"minus": f"-{currency}{body}", "parentheses": f"({currency}{body})",
                "after_currency": f"{currency}-{body}"}[negative_style]
    else:
        text = f"{currency}{body}"
    if full_width:
        text = text.translate(_FULL_WIDTH)
    assert parse_money_fen(text) == fen


# ------------------------------------------------------------------------------------------- int and rate

@pytest.mark.parametrize(("raw", "value"), [
    ("2", 2), ("1,128", 1128), ("１２", 12), ("12.0", 12), ("-3", -3), ("+3", 3), ('="7"', 7), ("-", None),
    (5.0, 5), (5, 5), (Decimal("4"), 4), ("", None),
])
def test_parse_int(raw, value):
    assert parse_int(raw) == value


@pytest.mark.parametrize("raw", ["1.5", 1.5, "abc", "1,2", True, "2件"])
def test_parse_int_refuses(raw):
    with pytest.raises(ValueProblem):
        parse_int(raw)


@pytest.mark.parametrize(("raw", "value"), [
    ("18.53%", 0.1853), ("0.1853", 0.1853), ("3‰", 0.003), ("1,234.5%", 12.345), ("100%", 1.0), ("-2.5%", -0.025),
    ("18.53 %", 0.1853), ("１８.５３％", 0.1853), (0.25, 0.25), (1, 1.0), ("-", None), ("", None),
])
def test_parse_rate(raw, value):
    assert parse_rate(raw) == value


@pytest.mark.parametrize("raw", ["abc", "%", "1.2.3%", True])
def test_parse_rate_refuses(raw):
    with pytest.raises(ValueProblem):
        parse_rate(raw)


# ------------------------------------------------------------------------------------------- date and time

SHANGHAI_0005 = dt.datetime(2026, 11, 10, 16, 5, 3, tzinfo=UTC)  # 2026-11-11 00:05:03 in Asia/Shanghai


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-11 00:05:03", SHANGHAI_0005),
    ("2026/11/11 0:05:03", SHANGHAI_0005),
    ("2026-11-11T00:05:03+08:00", SHANGHAI_0005),
    ("2026-11-11 00:05:03 +0800", SHANGHAI_0005),  # Shopify
    ("2026-11-10T16:05:03Z", SHANGHAI_0005),
    ("20261111 000503", SHANGHAI_0005),
    ("20261111000503", SHANGHAI_0005),
    ("2026年11月11日 00:05:03", SHANGHAI_0005),
    ("2026/11/11 0:05", SHANGHAI_0005.replace(second=0)),
    ("2026-11-11", dt.datetime(2026, 11, 10, 16, 0, tzinfo=UTC)),
    ("20261111", dt.datetime(2026, 11, 10, 16, 0, tzinfo=UTC)),
    ("2026-11-11 00:05:03.250", SHANGHAI_0005.replace(microsecond=250000)),
    ("46337.0035069444", SHANGHAI_0005),  # an Excel serial that reached a CSV as text
    (46337.0035069444, SHANGHAI_0005),  # an xlsx number in a date column
    ("1511544070", dt.datetime(2017, 11, 24, 17, 21, 10, tzinfo=UTC)),  # epoch seconds (UserBehavior)
    (1511544070, dt.datetime(2017, 11, 24, 17, 21, 10, tzinfo=UTC)),
    ("1511544070123", dt.datetime(2017, 11, 24, 17, 21, 10, 123000, tzinfo=UTC)),  # epoch milliseconds
    (dt.datetime(2026, 11, 11, 0, 5, 3), SHANGHAI_0005),  # an xlsx date cell: wall time
    (dt.datetime(2026, 11, 11, 0, 5, 3, tzinfo=dt.timezone(dt.timedelta(hours=8))), SHANGHAI_0005),
    (dt.date(2026, 11, 11), dt.datetime(2026, 11, 10, 16, 0, tzinfo=UTC)),
    ("0000-00-00 00:00:00", None), ("-", None), ("", None), (None, None),
])
def test_parse_datetime(raw, expected):
    result = parse_datetime(raw)
    assert result == expected
    if result is not None:
        assert result.tzinfo is UTC


def test_parse_datetime_uses_the_shops_zone_for_wall_time():
    assert parse_datetime("2026-11-11 00:05:03", tz="America/Los_Angeles") == dt.datetime(
        2026, 11, 11, 8, 5, 3, tzinfo=UTC)
    assert parse_datetime("2026-11-11T00:05:03+08:00", tz="America/Los_Angeles") == SHANGHAI_0005


@pytest.mark.parametrize("raw", [
    "2026-02-30 10:00:00", "2026-13-01", "2026-11-11 24:00:00", "2026-11-11 23:59:60", "明天", "tomorrow",
    "12345678901", "1", "2026", "1800-01-01", "2026-11", True, "11/11/2026",
])
def test_bad_dates_are_refused(raw):
    with pytest.raises(ValueProblem) as caught:
        parse_datetime(raw)
    assert zh(caught.value.text) != caught.value.text == en(caught.value.text)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-11", dt.date(2026, 11, 11)),
    ("2026/11/11", dt.date(2026, 11, 11)),
    ("20261111", dt.date(2026, 11, 11)),
    ("2026年11月11日", dt.date(2026, 11, 11)),
    ("2026-11-11 23:59:59", dt.date(2026, 11, 11)),  # the local calendar day
    ("2026-11-11T23:30:00Z", dt.date(2026, 11, 12)),  # an aware moment: its day in the shop's zone
    (46337, dt.date(2026, 11, 11)),
    (dt.date(2026, 11, 11), dt.date(2026, 11, 11)),
    (dt.datetime(2026, 11, 11, 23, 0), dt.date(2026, 11, 11)),
    ("-", None),
])
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_parse_date_refuses_a_bad_date():
    with pytest.raises(ValueProblem):
        parse_date("2026-02-29")


# ------------------------------------------------------------------------------------------------------ ids

@pytest.mark.parametrize(("raw", "expected"), [
    ('="3801234567890123456"', "3801234567890123456"),
    ("\t6917512345678901234", "6917512345678901234"),
    ("SKU-红色-XL", "SKU-红色-XL"),
    (1234567890123.0, "1234567890123"),
    (42, "42"),
    ("-", None),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", [
    3.801234567890123e18,  # an 18-digit order number stored as an Excel number: digits already lost
    1234567890123456.0,  # 16 digits: below 2**53, but past Excel's 15 significant digits
    12.5,
    "3.80123E+18",  # what Excel writes after such a round trip
    "=cmd|' /C calc'!A0",
    "123\n456",
])
def test_parse_id_refuses_what_cannot_be_the_real_id(raw):
    with pytest.raises(ValueProblem):
        parse_id(raw)


def test_value_problem_is_said_in_the_language():
    with pytest.raises(ValueProblem) as caught:
        parse_money_fen("abc")
    problem = caught.value
    assert zh(problem.text) == "“abc” 不是金额"
    assert en(problem.text) == "“abc” is not an amount of money"
    assert str(problem) == "“abc” is not an amount of money"
    assert isinstance(problem, ValueError)
