"""Reading channel exports: sniffing, encodings, CSV (both engines), xlsx (both engines), parquet, lake path."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from shopops.imports.readers import (
    FileKind,
    ReadError,
    ReadLimits,
    detect_encoding,
    read_raw_arrow_batches,
    read_table,
    sniff,
    sniff_detail,
)
from tests.imports.said import en, zh
from tests.imports.samples import (
    DOUYIN_HEADER,
    DOUYIN_ROWS,
    TAOBAO_HEADER,
    TAOBAO_ROWS,
    csv_text,
    write_csv,
    write_parquet,
    write_xlsx,
)

ARROW_ALWAYS = ReadLimits(arrow_min_bytes=0)


def read_all(path: Path, **options) -> tuple[object, list[int], list[dict]]:
    with read_table(path, **options) as stream:
        numbers: list[int] = []
        rows: list[dict] = []
        for batch in stream:
            numbers.extend(batch.row_numbers)
            rows.extend(batch.rows())
    return stream, numbers, rows


# ---------------------------------------------------------------------------------------------------- sniff

def test_sniff_recognises_tables_by_content_not_extension(tmp_path):
    assert sniff(write_csv(tmp_path / "orders.xlsx", TAOBAO_HEADER, TAOBAO_ROWS)) is FileKind.CSV
    assert sniff(write_xlsx(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS)) is FileKind.XLSX
    assert sniff(write_parquet(tmp_path / "orders.bin")) is FileKind.PARQUET


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
    (b"\x1f\x8b\x08\x00" + bytes(range(256)), "gzip"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"<html><body><table><tr><td>\xb6\xa9\xb5\xa5</td></tr></table></body></html>", "HTML"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><Workbook/>", "XML"),
    ("订单编号,金额\n1,2\n".encode("utf-16"), "UTF-16"),
    (bytes(range(256)) * 10, "binary"),
    (b"\x01\x02\x03\x04\x05abc\x06\x07\x08\x0e\x0f" * 100, "control"),
    (b"PAR1" + b"\x00" * 20 + b"XXXX", "parquet"),
])
def test_sniff_refuses_what_is_not_a_table_and_says_why(tmp_path, content, reason):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    detail = sniff_detail(path)
    assert detail.kind is FileKind.UNKNOWN
    assert reason.lower() in detail.reason.lower()
    assert zh(detail.reason) != detail.reason


def test_a_zip_is_an_xlsx_only_with_a_workbook(tmp_path):
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("orders.csv", "订单编号\n1\n")
    assert sniff_detail(path).kind is FileKind.UNKNOWN
    assert "unpack" in sniff_detail(path).reason
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in sniff_detail(docx).reason


def test_a_2gb_file_that_is_not_a_csv_is_refused_fast_without_reading_it(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"\x89\x00\x13\x37binary payload\x00\xff" * 64)
        handle.truncate(2 * 1024**3)  # sparse: 2 GiB on paper, nothing on disk
    import time

    started = time.perf_counter()
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert time.perf_counter() - started < 0.5
    assert "2.0 GiB" in caught.value.text and "NUL" in caught.value.text


def test_a_2gb_file_with_a_csv_header_then_zeros_is_refused_fast(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(csv_text(TAOBAO_HEADER, TAOBAO_ROWS).encode("gbk"))
        handle.truncate(2 * 1024**3)
    import time

    started = time.perf_counter()
    with pytest.raises(ReadError):
        read_table(path)
    assert time.perf_counter() - started < 0.5


def test_the_size_limit_is_configurable(tmp_path):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS)
    with pytest.raises(ReadError, match="file too large"):
        read_table(path, limits=ReadLimits(max_file_bytes=100))


# ------------------------------------------------------------------------------------------------- encoding

@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
])
def test_detect_encoding(tmp_path, encoding, expected):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding=encoding)
    assert detect_encoding(path) == expected


def test_gb18030_only_characters_are_read(tmp_path):
    """𠮷 has no GBK code; GB18030 encodes it in four bytes."""
    path = write_csv(tmp_path / "orders.csv", ["买家会员名"], [["𠮷野家"], ["张三"]], encoding="gb18030")
    assert detect_encoding(path) == "gb18030"
    assert [r["买家会员名"] for r in read_all(path)[2]] == ["𠮷野家", "张三"]


def test_gbk_late_in_a_big_file_is_found_by_the_samples(tmp_path):
    rows = [[str(i), "ascii only"] for i in range(20_000)] + [["20000", "浙江省 杭州市"]]
    path = write_csv(tmp_path / "orders.csv", ["id", "addr"], rows, encoding="gbk")
    assert path.stat().st_size > 3 * 64 * 1024
    assert detect_encoding(path) == "gb18030"


@pytest.mark.parametrize(("encoding", "text"), [
    ("big5", "訂單編號,收貨地址\n1,台北市信義區忠孝東路五段\n2,新北市板橋區中山路一段\n" * 20),
    ("shift_jis", "注文番号,住所\n1,東京都新宿区西新宿二丁目\n2,大阪府大阪市北区梅田\n" * 20),
])
def test_other_cjk_code_pages_are_refused_not_read_as_nonsense(tmp_path, encoding, text):
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(ReadError) as caught:
        detect_encoding(path)
    assert "UTF-8" in caught.value.text


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"name,city\ncaf\xe9,\xff\xfe\n")
    with pytest.raises(ReadError, match="UTF-8"):
        read_table(path)
    with pytest.raises(ReadError) as caught:
        detect_encoding(path)
    assert zh(caught.value.text) == "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请另存为 UTF-8 编码的 CSV"


def test_utf16_is_refused_with_a_way_out(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_text(TAOBAO_HEADER, TAOBAO_ROWS, delimiter="\t").encode("utf-16"))
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert "UTF-8" in zh(caught.value.text)


def test_mixed_encodings_are_reported_with_the_row(tmp_path):
    """UTF-8 samples everywhere but one GBK row between them: refused at that row, in both engines."""
    lines = ["id,地址"] + [f"{i},杭州市" for i in range(12_000)]  # row n holds id n - 2
    data = ("\n".join(lines[:6000]) + "\n").encode() + "6000,南京市\n".encode("gbk") + (
        "\n".join(lines[6001:]) + "\n").encode()
    path = tmp_path / "orders.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == "utf-8"
    for engine in ("python", "arrow"):
        with pytest.raises(ReadError, match="row 6001 cannot be decoded as utf-8"):
            read_all(path, engine=engine)


# ------------------------------------------------------------------------------------------------------ CSV

@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("engine", ["python", "arrow"])
def test_taobao_csv_in_every_encoding_and_engine(tmp_path, encoding, engine):
    path = write_csv(tmp_path / "ExportOrderList.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding=encoding)
    stream, numbers, rows = read_all(path, engine=engine)
    assert stream.engine == engine
    assert stream.headers[4] == "收货地址" and stream.headers[0] == "订单编号"
    assert stream.raw_headers[4] == "收货地址 "
    assert stream.header_row == 1
    assert numbers == [2, 3, 4]
    assert rows[0]["订单编号"] == '="3801234567890123456"'  # raw cells: cleaning is the converter's job
    assert rows[1]["买家实际支付金额"] == "￥89.90"
    assert rows[2]["宝贝标题"].startswith("=HYPERLINK")


MESSY_ROWS = [
    ['="1"', "多行\n留言", "1.00"],
    ["", "", ""],  # a ",," row a spreadsheet leaves behind
    ['="2"', '带"引号"的留言', "2.00"],
    ["\t3", "-", "1,024.00"],
]


def test_both_csv_engines_give_the_same_rows_and_numbers(tmp_path):
    path = write_csv(tmp_path / "orders.csv", ["订单编号", "买家留言", "金额"], MESSY_ROWS * 3, encoding="gbk")
    python = read_all(path, engine="python")
    arrow = read_all(path, engine="arrow")
    assert python[1] == arrow[1] == [2, 4, 5, 6, 8, 9, 10, 12, 13]
    assert python[2] == arrow[2]
    assert python[2][0]["买家留言"] == "多行\n留言"


def test_blank_lines_keep_excel_row_numbers(tmp_path):
    text = csv_text(["订单编号", "金额"], [["1", "1.00"]]) + "\r\n\r\n" + csv_text(None, [["2", "2.00"]])
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode("gbk"))
    stream, numbers, _ = read_all(path, limits=ARROW_ALWAYS)
    assert stream.engine == "python"  # pyarrow would skip the blank line and shift the numbers
    assert numbers == [2, 5]


def test_large_files_go_through_pyarrow(tmp_path):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS * 10)
    stream, numbers, _ = read_all(path, limits=ARROW_ALWAYS)
    assert stream.engine == "arrow"
    assert numbers == list(range(2, 32))


@pytest.mark.parametrize("engine", ["python", "arrow"])
def test_closing_early_releases_the_file(tmp_path, engine):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS * 100)
    with read_table(path, engine=engine, batch_rows=10) as stream:
        first = next(iter(stream))
    assert len(first) == 10
    assert list(stream) == []  # closed: no more batches


def test_batches_are_bounded(tmp_path):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS * 100)
    for engine in ("python", "arrow"):
        with read_table(path, engine=engine, batch_rows=7) as stream:
            sizes = [len(b) for b in stream]
        assert max(sizes) <= 7 and sum(sizes) == 300


@pytest.mark.parametrize("engine", ["python", "arrow"])
def test_rows_with_the_wrong_number_of_cells_are_listed(tmp_path, engine):
    text = csv_text(["订单编号", "金额"], [["1", "1.00"], ["2"], ["3", "3.00"], ["4", "4.00", "多余"]])
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(ReadError) as caught:
        read_all(path, engine=engine)
    assert [(e.row, zh(e.message)) for e in caught.value.errors] == [
        (3, "该行有 1 个单元格，表头有 2 列"), (5, "该行有 3 个单元格，表头有 2 列")]


def test_a_given_encoding_is_used_as_is(tmp_path):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding="gbk")
    for engine in ("python", "arrow"):
        stream, _, rows = read_all(path, encoding="GBK", engine=engine)
        assert stream.encoding == "gbk" and rows[0]["订单状态"] == "交易成功"


def test_headerless_csv_with_names(tmp_path):
    path = write_csv(tmp_path / "UserBehavior.csv", None, [["1", "2268318", "2520377", "pv", "1511544070"]],
                     encoding="utf-8")
    names = ["user_id", "item_id", "category_id", "behavior", "ts"]
    for engine in ("python", "arrow"):
        stream, numbers, rows = read_all(path, header=False, column_names=names, engine=engine)
        assert stream.header_row is None and numbers == [1]
        assert rows == [{"user_id": "1", "item_id": "2268318", "category_id": "2520377", "behavior": "pv",
                         "ts": "1511544070"}]
    _, _, rows = read_all(path, header=False)
    assert list(rows[0]) == ["column_1", "column_2", "column_3", "column_4", "column_5"]


def test_column_names_must_fit_the_header(tmp_path):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS)
    with pytest.raises(ReadError, match="2 column names"):
        read_table(path, column_names=["a", "b"])


def test_tab_separated_exports_are_detected(tmp_path):
    path = write_csv(tmp_path / "orders.txt", DOUYIN_HEADER, DOUYIN_ROWS, delimiter="\t", encoding="utf-8")
    stream, _, rows = read_all(path)
    assert stream.delimiter == "\t"
    assert rows[1]["达人昵称"] == "小王说好物"


def test_an_empty_first_line_means_no_header(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\r\n1,2\r\n")
    with pytest.raises(ReadError, match="no header"):
        read_table(path)


def test_binary_data_after_a_text_start_is_refused(tmp_path):
    text = csv_text(TAOBAO_HEADER, TAOBAO_ROWS * 400).encode("gbk")
    path = tmp_path / "orders.csv"
    path.write_bytes(text + b"\x00\x01\x02" * 1000)
    assert sniff(path) is FileKind.CSV  # the first 64 KiB look fine
    with pytest.raises(ReadError, match="NUL"):
        read_all(path, engine="python")
    with pytest.raises(ReadError, match="NUL"):
        read_table(path, limits=ARROW_ALWAYS)  # the pyarrow path scans before reading


def test_an_endless_line_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"id,note\n1,ok\n2," + b"x" * 300_000 + b"\n")
    limits = ReadLimits(max_line_chars=10_000, arrow_block_bytes=64 * 1024)
    with pytest.raises(ReadError, match="row 3"):
        read_all(path, engine="python", limits=limits)
    with pytest.raises(ReadError):
        read_all(path, engine="arrow", limits=limits)


def test_an_unclosed_quote_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b'id,note\n1,"never closed\n' + b"2,fine\n" * 50_000)
    with pytest.raises(ReadError):
        read_all(path, engine="python")


# ----------------------------------------------------------------------------------------------------- xlsx

@pytest.mark.parametrize("engine", ["auto", "stream"])
def test_xlsx_rows_carry_sheet_row_numbers(tmp_path, engine):
    import datetime as dt

    rows = [
        ["3801234567890123456", 1299, dt.datetime(2026, 11, 11, 0, 5, 3), "=cmd|' /C calc'!A0"],
        [None, None, None, None],  # an empty row in the middle
        [3.801234567890123e18, 89.9, dt.date(2026, 11, 11), "请尽快发货"],
    ]
    path = write_xlsx(tmp_path / "orders.xlsx", ["订单编号 ", "买家实付金额", "订单创建时间", "买家留言"], rows,
                      start="B3", text_cells=[(1, 3)])
    stream, numbers, got = read_all(path, engine=engine)
    assert stream.engine == "stream" and stream.sheet == "订单"
    assert stream.headers == ("订单编号", "买家实付金额", "订单创建时间", "买家留言")
    assert stream.header_row == 3
    assert numbers == [4, 6]
    assert got[0]["订单编号"] == "3801234567890123456"
    assert got[0]["买家留言"] == "=cmd|' /C calc'!A0"  # a text cell, raw (clean_text neutralises it)
    assert got[0]["订单创建时间"] == dt.datetime(2026, 11, 11, 0, 5, 3)
    assert got[1]["买家实付金额"] == 89.9


def test_xlsx_sheet_by_name_and_missing_sheet(tmp_path):
    path = write_xlsx(tmp_path / "orders.xlsx", ["订单编号"], [["1"]])
    _, _, rows = read_all(path, sheet="说明", header=False)
    assert rows == [{"column_1": "导出说明"}]
    with pytest.raises(ReadError) as caught:
        read_table(path, sheet="Sheet1")
    assert zh(caught.value.text) == "找不到工作表 'Sheet1'；文件中有：订单、说明"
    assert en(caught.value.text) == "no sheet 'Sheet1'; the file has: 订单, 说明"


def test_xlsx_size_guards(tmp_path):
    path = write_xlsx(tmp_path / "orders.xlsx", ["订单编号"], [["1"]])
    with pytest.raises(ReadError, match="xlsx file too large"):
        read_table(path, limits=ReadLimits(max_xlsx_bytes=1000))
    with pytest.raises(ReadError, match="unpacks to"):
        read_table(path, limits=ReadLimits(max_xlsx_unpacked_bytes=100))


def test_a_damaged_xlsx_is_refused(tmp_path):
    path = tmp_path / "orders.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really a workbook")
    with pytest.raises(ReadError):
        read_table(path)


def test_an_empty_sheet_is_refused(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(ReadError, match="sheet is empty"):
        read_table(path)


# -------------------------------------------------------------------------------------------------- parquet

def test_parquet_streams_with_record_numbers(tmp_path):
    path = write_parquet(tmp_path / "orders.parquet")
    stream, numbers, rows = read_all(path, batch_rows=1)
    assert stream.engine == "parquet" and stream.headers[0] == "订单编号"
    assert numbers == [1, 2]
    assert rows[1]["宝贝总数量"] == 2


# ------------------------------------------------------------------------------------------------ lake path

def test_raw_arrow_batches_for_the_lake(tmp_path):
    path = write_csv(tmp_path / "UserBehavior.csv", None, [
        ["1", "2268318", "2520377", "pv", "1511544070"],
        ["1", "2333346", "2520771", "cart", "1511561733"],
    ], encoding="utf-8", line_end="\n")
    names = ["user_id", "item_id", "category_id", "behavior", "ts"]
    types = {"user_id": pa.int64(), "item_id": pa.int64(), "category_id": pa.int64(), "ts": pa.int64()}
    batches = list(read_raw_arrow_batches(path, header=False, column_names=names, column_types=types))
    table = pa.Table.from_batches(batches)
    assert table.schema.names == names
    assert table.schema.field("behavior").type == pa.string()
    assert table.column("ts").to_pylist() == [1511544070, 1511561733]


def test_raw_arrow_batches_normalise_headers_and_read_parquet(tmp_path):
    path = write_csv(tmp_path / "orders.csv", TAOBAO_HEADER, TAOBAO_ROWS)
    batches = list(read_raw_arrow_batches(path, include_columns=["订单编号", "收货地址"]))
    assert batches[0].schema.names == ["订单编号", "收货地址"]
    parquet = list(read_raw_arrow_batches(write_parquet(tmp_path / "orders.parquet")))
    assert sum(b.num_rows for b in parquet) == 2


def test_raw_arrow_batches_refuse_early_and_report_bad_values_as_read_errors(tmp_path):
    binary = tmp_path / "blob.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ReadError):
        read_raw_arrow_batches(binary)  # at call time, before any iteration
    xlsx = write_xlsx(tmp_path / "orders.xlsx", ["订单编号"], [["1"]])
    with pytest.raises(ReadError):
        read_raw_arrow_batches(xlsx)
    bad = write_csv(tmp_path / "ub.csv", None, [["1", "x"]], encoding="utf-8")
    batches = read_raw_arrow_batches(bad, header=False, column_names=["a", "b"], column_types={"b": pa.int64()})
    with pytest.raises(ReadError):
        list(batches)
    with pytest.raises(ValueError, match="does not have"):
        read_raw_arrow_batches(bad, header=False, column_names=["a", "b"], column_types={"c": pa.int64()})


def test_utf8_bom_is_not_part_of_the_first_value(tmp_path):
    path = tmp_path / "ub.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"1,pv\n2,buy\n")
    table = pa.Table.from_batches(list(read_raw_arrow_batches(path, header=False, column_names=["u", "b"],
                                                               column_types={"u": pa.int64()})))
    assert table.column("u").to_pylist() == [1, 2]
    for engine in ("python", "arrow"):
        assert read_all(path, header=False, engine=engine)[2][0]["column_1"] == "1"
