"""The hostile file set: each bad upload has one clear, documented outcome, decided before any write.

| file                                    | outcome                                                              |
|-----------------------------------------|----------------------------------------------------------------------|
| 2 GB binary named .csv                  | ReadError from read_table() in milliseconds (sniff reads 64 KiB)     |
| Big5 / Shift-JIS / UTF-16 / Latin-1     | ReadError from read_table(): "save as UTF-8 (or GBK) CSV"            |
| UTF-8 file with a GBK row inside        | ReadError while reading, naming the row                              |
| rows with a wrong number of cells       | ReadError listing the rows (first 100)                               |
| missing required columns                | one FieldError per missing column, row 1, before any row is read     |
| the same column twice (old + new name)  | FieldError on row 1: ambiguous                                       |
| bad dates (02-30, 24:00, "明天")        | FieldError(column, "…不是有效的日期时间", row)                          |
| negative quantity / amount              | FieldError(column, "不能小于 0…", row) when the spec sets minimum=0    |
| duplicate ids                           | FieldError(column, "“x”与第 N 行重复", row) for every repeat            |
| formulas in text cells (=cmd|…, @SUM)   | not an error: stored as text with a leading ' so it never evaluates   |
| ids mangled by Excel (3.8E+18, floats)  | FieldError: the original id is lost, use the original export          |
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from shopops.core.errors import FieldError
from shopops.imports.columns import Column, ColumnConverter, resolve_columns
from shopops.imports.readers import ReadError, read_table
from tests.imports.said import zh
from tests.imports.samples import TAOBAO_HEADER, TAOBAO_ROWS, csv_text, write_csv, write_xlsx

SPEC = (
    Column("订单编号", aliases=("订单号",), required=True, kind="id", nullable=False, unique=True),
    Column("买家实际支付金额", aliases=("买家实付金额",), required=True, kind="money", minimum=0),
    Column("订单状态", required=True, kind="text", nullable=False),
    Column("订单创建时间", required=True, kind="datetime", nullable=False),
    Column("订单付款时间", kind="datetime"),
    Column("宝贝标题", aliases=("商品标题",), kind="text"),
    Column("宝贝总数量", kind="int", minimum=0),
)


def check_file(path: Path) -> tuple[list[FieldError], list[dict]]:
    """What an importer does before writing anything: read, map, convert, collect every error."""
    with read_table(path) as stream:
        resolution = resolve_columns(stream.headers, SPEC)
        if resolution.errors:
            return resolution.errors, []
        converter = ColumnConverter(SPEC, resolution)
        errors: list[FieldError] = []
        records: list[dict] = []
        for batch in stream:
            converted = converter.convert(batch)
            errors.extend(converted.errors)
            records.extend(converted.records())
    return errors, records


def test_a_clean_taobao_export_passes(tmp_path):
    errors, records = check_file(write_csv(tmp_path / "ExportOrderList.csv", TAOBAO_HEADER, TAOBAO_ROWS))
    assert errors == []
    assert [r["买家实际支付金额"] for r in records] == [129900, 8990, 0]
    assert records[2]["宝贝标题"] == "'=HYPERLINK(\"http://evil.example\",\"点我领券\")"
    assert records[1]["订单付款时间"] is None  # "-"


def test_2gb_binary_named_csv(tmp_path):
    path = tmp_path / "ExportOrderList.csv"
    with path.open("wb") as handle:
        handle.write(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 100)
        handle.truncate(2 * 1024**3)
    started = time.perf_counter()
    with pytest.raises(ReadError):
        check_file(path)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(("encoding", "text"), [
    ("big5", "訂單編號,買家實際支付金額,訂單狀態,訂單創建時間\n1,10.00,交易成功,2026-11-11 00:00:00\n" * 30),
    ("utf-16", "订单编号,买家实际支付金额,订单状态,订单创建时间\n1,10.00,交易成功,2026-11-11 00:00:00\n"),
    ("latin-1", "Name,Total\nCafé Müller,10.00\n"),
])
def test_wrong_encodings_are_refused_before_any_row(tmp_path, encoding, text):
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(ReadError) as caught:
        check_file(path)
    assert "UTF-8" in zh(caught.value.text)


def test_missing_required_columns_are_all_reported_on_row_1(tmp_path):
    path = write_csv(tmp_path / "orders.csv", ["订单编号", "宝贝标题"], [['="1"', "羊毛衫"]])
    errors, _ = check_file(path)
    assert [(e.field, e.row) for e in errors] == [("买家实际支付金额", 1), ("订单状态", 1), ("订单创建时间", 1)]
    assert errors[0].message == "required column “买家实际支付金额” is missing (also accepted: 买家实付金额)"


def test_bad_dates_negative_quantities_duplicate_ids_and_formulas(tmp_path):
    header = ["订单编号", "买家实付金额", "订单状态", "订单创建时间", "宝贝总数量", "商品标题"]
    rows = [
        ['="3801"', "10.00", "交易成功", "2026-11-11 00:00:00", "1", "=cmd|' /C calc'!A0"],
        ['="3802"', "10.00", "交易成功", "2026-02-30 10:00:00", "1", "@SUM(A1:A9)"],
        ['="3803"', "10.00", "交易成功", "明天", "-1", "羊毛衫"],
        ['="3801"', "-10.00", "交易成功", "2026-11-11 24:00:00", "2", "羊毛衫"],
        ["3.8E+18", "10.00", "-", "2026-11-11 00:00:00", "1", "羊毛衫"],
    ]
    errors, records = check_file(write_csv(tmp_path / "orders.csv", header, rows))
    assert [(e.row, e.field) for e in errors] == [
        (3, "订单创建时间"),
        (4, "订单创建时间"), (4, "宝贝总数量"),
        (5, "订单编号"), (5, "买家实际支付金额"), (5, "订单创建时间"),
        (6, "订单编号"), (6, "订单状态"),
    ]
    by_cell = {(e.row, e.field): zh(e.message) for e in errors}
    assert by_cell[(3, "订单创建时间")] == "“2026-02-30 10:00:00” 不是有效的日期时间"
    assert by_cell[(4, "宝贝总数量")] == "不能小于 0（实际为 -1）"
    assert by_cell[(5, "订单编号")] == "“3801”与第 2 行重复"
    assert by_cell[(6, "订单编号")].startswith("编号 “3.8E+18” 被 Excel 改成了科学计数法")
    assert [r["_row"] for r in records] == [2]
    assert records[0]["宝贝标题"] == "'=cmd|' /C calc'!A0"


def test_the_same_column_under_old_and_new_names_is_ambiguous(tmp_path):
    header = [*TAOBAO_HEADER, "买家实付金额"]
    path = write_csv(tmp_path / "orders.csv", header, [[*row, "1.00"] for row in TAOBAO_ROWS])
    errors, _ = check_file(path)
    assert [(e.field, e.row) for e in errors] == [("买家实际支付金额", 1)]


def test_ragged_rows_refuse_the_file(tmp_path):
    text = csv_text(TAOBAO_HEADER, [TAOBAO_ROWS[0], TAOBAO_ROWS[1][:4], TAOBAO_ROWS[2]])
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(ReadError) as caught:
        check_file(path)
    assert [e.row for e in caught.value.errors] == [3]


def test_an_xlsx_with_ids_stored_as_numbers(tmp_path):
    header = ["订单编号", "买家实际支付金额", "订单状态", "订单创建时间"]
    path = write_xlsx(tmp_path / "orders.xlsx", header, [
        ["3801234567890123456", 10, "交易成功", "2026-11-11 00:00:00"],
        [3.801234567890123e18, 10.5, "交易成功", "2026-11-11 00:00:00"],
    ])
    errors, records = check_file(path)
    assert [(e.row, e.field) for e in errors] == [(3, "订单编号")]
    assert "lost digits" in errors[0].message
    assert records[0]["买家实际支付金额"] == 1000
