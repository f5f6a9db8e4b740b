"""Column specs: header matching through aliases, and batch conversion with row-level errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from shopops.core.errors import FieldError
from shopops.imports.columns import Column, ColumnConverter, duplicate_headers, parse_cell, resolve_columns
from shopops.imports.normalize import ValueProblem
from tests.imports.said import zh

SPEC = (
    Column("订单编号", aliases=("订单号",), required=True, kind="id", nullable=False, unique=True),
    Column("买家实际支付金额", aliases=("买家实付金额",), required=True, kind="money", minimum=0),
    Column("订单创建时间", required=True, kind="datetime", nullable=False),
    Column("宝贝总数量", kind="int", minimum=0),
    Column("买家留言", kind="text"),
)


@dataclass
class Rows:
    """A minimal CellBatch: row-major cells and their source row numbers."""

    row_numbers: list[int]
    cells: list[list[object]]

    def column(self, key: int) -> list[object]:
        return [row[key] for row in self.cells]


def test_export_versions_rename_columns():
    """买家实际支付金额 (classic export) and 买家实付金额 (2026 export) are the same column
    (docs/rules/platforms.md#taobao-order-report)."""
    classic = resolve_columns(["订单编号", "买家实际支付金额", "订单创建时间"], SPEC)
    newer = resolve_columns(["订单号", "买家实付金额 ", "订单创建时间"], SPEC)
    assert classic.mapping == {"订单编号": 0, "买家实际支付金额": 1, "订单创建时间": 2}
    assert newer.mapping == classic.mapping
    assert not classic.errors and not newer.errors


def test_headers_match_after_normalisation_and_case_folding():
    spec = (Column("Lineitem quantity", required=True, kind="int"),)
    assert resolve_columns(["\ufeff lineitem  QUANTITY "], spec).mapping == {"Lineitem quantity": 0}


def test_every_missing_required_column_is_reported_on_row_1():
    result = resolve_columns(["买家留言", "宝贝总数量"], SPEC)
    assert [e.field for e in result.errors] == ["订单编号", "买家实际支付金额", "订单创建时间"]
    assert all(e.row == 1 for e in result.errors)
    assert zh(result.errors[1].message) == "缺少必需的列“买家实际支付金额”（也接受：买家实付金额）"


def test_missing_column_message_in_english():
    result = resolve_columns([], SPEC[:1])
    assert result.errors == [FieldError("订单编号", "required column “订单编号” is missing (also accepted: 订单号)", 1)]


def test_unknown_columns_are_returned_for_a_warning():
    result = resolve_columns(["订单编号", "买家实际支付金额", "订单创建时间", "店铺Id ", "", "备注标签"], SPEC)
    assert result.ignored == ["店铺Id", "备注标签"]
    assert not result.errors


def test_a_column_present_twice_is_an_error_not_a_silent_choice():
    result = resolve_columns(["订单编号", "买家实际支付金额", "买家实付金额", "订单创建时间"], SPEC)
    assert [e.field for e in result.errors] == ["买家实际支付金额"]
    assert "2 次" in zh(result.errors[0].message)
    assert "买家实际支付金额" not in result.mapping


def test_duplicate_headers_helper():
    assert duplicate_headers(["收货地址", "收货地址 ", "订单编号", ""]) == ["收货地址"]


def test_spec_mistakes_fail_loudly():
    with pytest.raises(ValueError, match="claimed by both"):
        resolve_columns([], (Column("a", aliases=("x",)), Column("b", aliases=("X ",))))
    with pytest.raises(ValueError):
        Column("a", kind="float")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Column("a", aliases="订单号")  # type: ignore[arg-type]


def _converter(headers: list[str]) -> ColumnConverter:
    resolution = resolve_columns(headers, SPEC)
    assert not resolution.errors
    return ColumnConverter(SPEC, resolution)


HEADERS = ["订单编号", "买家实际支付金额", "订单创建时间", "宝贝总数量", "买家留言"]


def test_converter_types_every_declared_column():
    converter = _converter(HEADERS)
    batch = converter.convert(Rows([2, 3], [
        ['="3801234567890123456"', "¥1,299.00", "2026-11-11 00:05:03", "1", "请尽快发货"],
        ["\t3801234567890123457", "89.90", "2026/11/11 0:07", "2", "-"],
    ]))
    assert not batch.errors
    assert batch.values["订单编号"] == ["3801234567890123456", "3801234567890123457"]
    assert batch.values["买家实际支付金额"] == [129900, 8990]
    assert batch.values["订单创建时间"][0] == dt.datetime(2026, 11, 10, 16, 5, 3, tzinfo=dt.UTC)
    assert batch.values["宝贝总数量"] == [1, 2]
    assert batch.values["买家留言"] == ["请尽快发货", None]
    assert batch.records()[1]["_row"] == 3


def test_hostile_rows_are_reported_with_row_column_and_reason():
    """Bad dates, negative quantities, negative money, empty required values and duplicate ids."""
    converter = _converter(HEADERS)
    batch = converter.convert(Rows([2, 3, 4, 5, 6], [
        ['="3801"', "10.00", "2026-02-30 10:00:00", "1", ""],  # no such date
        ['="3802"', "10.00", "2026-11-11 10:00:00", "-2", ""],  # negative quantity
        ['="3803"', "-10.00", "2026-11-11 10:00:00", "1", ""],  # negative amount
        ['="3801"', "10.00", "-", "1", ""],  # duplicate id, empty creation time
        ['="3805"', "12.345", "2026-11-11 10:00:00", "1", "=cmd|' /C calc'!A0"],  # sub-fen amount
    ]))
    found = {(e.row, e.field) for e in batch.errors}
    assert found == {(2, "订单创建时间"), (3, "宝贝总数量"), (4, "买家实际支付金额"), (5, "订单编号"),
                     (5, "订单创建时间"), (6, "买家实际支付金额")}
    messages = {(e.row, e.field): zh(e.message) for e in batch.errors}
    assert messages[(5, "订单编号")] == "“3801”与第 2 行重复"
    assert messages[(3, "宝贝总数量")] == "不能小于 0（实际为 -2）"
    assert messages[(4, "买家实际支付金额")] == "不能小于 0.00（实际为 -10.00）"
    assert messages[(5, "订单创建时间")] == "不能为空"
    assert batch.bad_rows == {2, 3, 4, 5, 6}
    assert batch.records() == []
    assert batch.values["买家留言"][4] == "'=cmd|' /C calc'!A0"


def test_duplicates_are_found_across_batches():
    converter = _converter(HEADERS)
    converter.convert(Rows([2], [['="3801"', "1.00", "2026-11-11 10:00:00", "1", ""]]))
    second = converter.convert(Rows([50_002], [['="3801"', "1.00", "2026-11-11 10:00:00", "1", ""]]))
    assert second.errors == [FieldError("订单编号", "“3801” duplicates row 2", 50_002)]


def test_absent_optional_columns_are_empty():
    headers = ["订单编号", "买家实际支付金额", "订单创建时间"]
    batch = _converter(headers).convert(Rows([2], [['="1"', "1.00", "2026-11-11"]]))
    assert batch.values["宝贝总数量"] == [None] and batch.values["买家留言"] == [None]
    assert not batch.errors


def test_parse_cell_applies_kind_and_bounds():
    column = Column("折扣率", kind="rate", minimum=0, maximum=1)
    assert parse_cell(column, "18.53%") == 0.1853
    with pytest.raises(ValueProblem, match="at most 1"):
        parse_cell(column, "120%")
    assert parse_cell(Column("下单日期", kind="date"), "2026-11-11 23:59:59") == dt.date(2026, 11, 11)
