"""Real-looking export samples for the reader tests (docs/rules/platforms.md), written to a temp dir."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

# The Taobao classic order report (ExportOrderList) starts like this; note the trailing spaces
# (docs/rules/platforms.md#taobao-order-report).
TAOBAO_HEADER = ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "收货地址 ", "订单创建时间", "订单付款时间 ",
                 "宝贝标题 ", "宝贝总数量"]
TAOBAO_ROWS = [
    ['="3801234567890123456"', "tb_小明2026", "1,299.00", "交易成功", "浙江省 杭州市 西湖区 文三路***号",
     "2026-11-11 00:05:03", "2026-11-11 00:05:40", "2026新款羊毛衫女 高领打底针织衫", "1"],
    ['="3801234567890123457"', "sunny_猫", "￥89.90", "等待买家付款", "江苏省 南京市 建邺区 沙洲街道****",
     "2026/11/11 0:07", "-", "有机五常大米10kg", "2"],
    ['="3801234567890123458"', "-", "0.00", "交易关闭", "广东省 深圳市 南山区 ****", "2026-11-11T00:09:00+08:00", "",
     "=HYPERLINK(\"http://evil.example\",\"点我领券\")", "1"],
]

# Douyin 抖店: tab-prefixed ids, "-" for empty (docs/rules/platforms.md#douyin-order-export).
DOUYIN_HEADER = ["主订单编号", "子订单编号", "商品数量", "商品单价", "订单应付金额", "订单提交时间", "达人昵称"]
DOUYIN_ROWS = [
    ["\t6917512345678901234", "\t6917512345678901235", "1", "59.90", "59.90", "2026-11-11 10:00:00", "-"],
    ["\t6917512345678901236", "\t6917512345678901237", "2", "1,024.00", "2,048.00", "2026-11-11 10:01:00", "小王说好物"],
]


def csv_text(header: Sequence[str] | None, rows: Sequence[Sequence[object]], *, delimiter: str = ",",
             line_end: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str] | None, rows: Sequence[Sequence[object]], *,
              encoding: str = "gbk", **options: str) -> Path:
    path.write_bytes(csv_text(header, rows, **options).encode(encoding))
    return path


def write_xlsx(path: Path, header: Sequence[object], rows: Sequence[Sequence[object]], *, start: str = "A1",
               sheet: str = "订单", text_cells: Sequence[tuple[int, int]] = ()) -> Path:
    """An xlsx with the table's top-left cell at ``start``; ``text_cells`` (row, col) are forced to text,
    so a value like ``=cmd|…`` is stored as a string, not a formula."""
    from openpyxl import Workbook
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, first_row = coordinate_from_string(start)
    first_col = column_index_from_string(letters)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for r, values in enumerate([list(header), *rows]):
        for c, value in enumerate(values):
            cell = worksheet.cell(row=first_row + r, column=first_col + c, value=value)
            if (r, c) in text_cells:
                cell.data_type = "s"
    workbook.create_sheet("说明").cell(row=1, column=1, value="导出说明")
    workbook.save(path)
    return path


def write_parquet(path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "订单编号 ": ["3801234567890123456", "3801234567890123457"],
        "买家实付金额": ["1,299.00", "89.90"],
        "订单创建时间": pa.array([dt.datetime(2026, 11, 11, 0, 5, 3), dt.datetime(2026, 11, 11, 0, 7)]),
        "宝贝总数量": pa.array([1, 2], pa.int64()),
    })
    pq.write_table(table, path, row_group_size=1)
    return path
