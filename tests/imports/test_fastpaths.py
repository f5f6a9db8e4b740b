"""The vectorised fast paths agree with the Python parsers (the reference) on every cell they handle."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.imports.columns import Column, ColumnConverter, resolve_columns
from shopops.imports.fastpaths import WHITESPACE_RANGES, fast_cells
from shopops.imports.normalize import (
    ValueProblem,
    clean_text,
    parse_date,
    parse_datetime,
    parse_id,
    parse_int,
    parse_money_fen,
)
from shopops.imports.readers import read_table
from tests.imports.samples import write_csv

ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "UTC"]

PARSERS = {
    "text": lambda v, tz: clean_text(v),
    "id": lambda v, tz: parse_id(v),
    "money": lambda v, tz: parse_money_fen(v),
    "int": lambda v, tz: parse_int(v),
    "datetime": parse_datetime,
    "date": parse_date,
}

TRICKY = list("=+-@'\"\t\r\n ,.%¥$()0123456789eE") + ["\u3000", "\xa0", "\ufeff", "\u200b", "你", "null", "N/A", "—"]
tricky_text = st.lists(st.sampled_from(TRICKY), max_size=8).map("".join)
nulls = st.sampled_from(["", "-", "--", "null", "NULL", "nUlL", "N/A", "#N/A", "—", " ", "\t"])

CELLS = {
    "text": st.one_of(st.text(max_size=12), tricky_text, nulls, st.sampled_from(["交易成功", "-5", "=1+2", "a "])),
    "id": st.one_of(
        st.from_regex(r'="[0-9A-Za-z_\-./:#]{0,20}"', fullmatch=True),
        st.from_regex(r"[0-9A-Za-z_\-./:#]{1,20}", fullmatch=True),
        st.from_regex(r"[0-9](\.[0-9]{1,5})?[eE]\+?[0-9]{1,2}", fullmatch=True),
        st.sampled_from(['="null"', '="N/A"', "\t6917", "'123", '=""', "1E5"]), tricky_text, nulls),
    "money": st.one_of(
        st.from_regex(r"-?[0-9]{1,14}(\.[0-9]{0,4})?", fullmatch=True),
        st.from_regex(r"-?[0-9]{1,4}(,[0-9]{1,4}){0,3}(\.[0-9]{1,3})?", fullmatch=True),
        st.sampled_from(["¥1.00", " 1.00", "1.00 ", "(1.00)", "-0", "007.5", "１２"]), tricky_text, nulls),
    "int": st.one_of(st.from_regex(r"[-+]?[0-9]{1,20}(\.0*)?", fullmatch=True), tricky_text, nulls),
    "datetime": st.one_of(
        st.datetimes(min_value=dt.datetime(1890, 1, 1), max_value=dt.datetime(2210, 12, 31)).map(
            lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", fullmatch=True),
        st.sampled_from(["2026-11-01 01:30:00", "2026-03-08 02:30:00", "2026-03-29 01:30:00", "2026-10-25 01:30:00",
                         "2026-02-29 00:00:00", "2026-11-11 23:59:60", "0000-00-00 00:00:00", "2026/11/11 0:05"]),
        tricky_text, nulls),
    "date": st.one_of(
        st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2210, 12, 31)).map(str),
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?", fullmatch=True),
        st.sampled_from(["2026-02-29", "2026-11-11 24:00:00", "20261111"]), tricky_text, nulls),
}


def reference(kind: str, value: str, tz: str) -> tuple[str, object]:
    try:
        return "ok", PARSERS[kind](value, tz)
    except ValueProblem:
        return "error", None


@pytest.mark.parametrize("kind", sorted(CELLS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fast_path_agrees_with_the_python_parser(kind, data):
    values = data.draw(st.lists(CELLS[kind], min_size=1, max_size=25))
    tz = data.draw(st.sampled_from(ZONES))
    fast = fast_cells(kind, pa.array(values, pa.string()), tz)
    assert fast is not None
    results, fallback = fast
    handled = [i for i in range(len(values)) if i not in set(fallback)]
    for i in handled:
        expected = reference(kind, values[i], tz)
        assert expected == ("ok", results[i]), (values[i], tz)
        if isinstance(results[i], dt.datetime):
            assert results[i].tzinfo is dt.UTC


def test_the_common_shapes_take_the_fast_path():
    cases = {
        "money": ["123.45", "1,299.00", "0", "-5.5", ""],
        "int": ["1", "-2", "", "-"],
        "datetime": ["2026-11-11 00:05:03", "", "-"],
        "date": ["2026-11-11", "2026-11-11 00:05:03", ""],
        "id": ['="3801234567890123456"', "6917512345678901234", "", "-"],
        "text": ["交易成功", "浙江省 杭州市", "", "-", "null"],
    }
    for kind, values in cases.items():
        _, fallback = fast_cells(kind, pa.array(values), "Asia/Shanghai")
        assert fallback == [], kind


def test_only_non_null_string_arrays_have_a_fast_path():
    assert fast_cells("money", pa.array([1, 2]), "UTC") is None
    assert fast_cells("money", pa.array(["1", None]), "UTC") is None
    assert fast_cells("rate", pa.array(["1%"]), "UTC") is None


def test_cells_on_a_dst_switch_day_go_to_python():
    values = ["2026-03-08 02:30:00", "2026-03-09 02:30:00", "2026-11-01 01:30:00"]
    results, fallback = fast_cells("datetime", pa.array(values), "America/New_York")
    assert fallback == [0, 2]
    assert results[1] == dt.datetime(2026, 3, 9, 6, 30, tzinfo=dt.UTC)


def test_whitespace_ranges_are_exactly_what_str_strip_removes():
    from_ranges = {c for a, b in WHITESPACE_RANGES for c in range(a, b + 1)}
    assert from_ranges == {c for c in range(0x110000) if chr(c).isspace()}


def test_converter_gives_the_same_result_with_and_without_the_fast_path(tmp_path):
    spec = (
        Column("订单编号", required=True, kind="id", nullable=False, unique=True),
        Column("金额", kind="money", minimum=0),
        Column("数量", kind="int", minimum=1),
        Column("时间", kind="datetime", nullable=False),
        Column("日期", kind="date"),
        Column("备注", kind="text"),
    )
    rows = [
        ['="1"', "1,299.00", "1", "2026-11-11 00:05:03", "2026-11-11", "请尽快发货"],
        ['="2"', "￥-5", "0", "2026-02-30 00:00:00", "2026/11/11", "=cmd|' /C calc'!A0"],
        ['="1"', "12.345", "-", "-", "-", " 前后有空格 "],
        ["3.8E+18", "-", "2.5", "2026/11/11 0:05", "20261111", "null"],
    ] * 3
    path = write_csv(tmp_path / "orders.csv", [c.name for c in spec], rows)
    outcomes = []
    for vectorised in (True, False):
        with read_table(path, engine="arrow") as stream:
            resolution = resolve_columns(stream.headers, spec)
            converter = ColumnConverter(spec, resolution, vectorised=vectorised)
            batches = [converter.convert(b) for b in stream]
        outcomes.append(([b.values for b in batches], [b.errors for b in batches]))
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0][1][0]) > 10
