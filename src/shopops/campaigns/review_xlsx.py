"""The post-mortem as an xlsx workbook (one sheet per table), for the page and the CLI."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shopops.core.domain import neutralize_formula

MONEY_FORMAT = "#,##0.00"  # as every money cell of the list exports (web.tables)
# The report's money fields (JSON money strings, negative ones included); every other string is text, even when
# it looks like a number (a SKU code "1111.10", a promotion label "11.11").
MONEY_KEYS = frozenset({"gmv", "aov", "promotion_cost", "refunded", "baseline_gmv", "incremental", "discount",
                        "amount"})


def _money(value: str) -> Decimal | None:
    """A JSON money string of the report ("-23.04") as the number it states."""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _cell(value: object, *, money: bool = False) -> tuple[object, bool]:
    """(what to write, whether it is money). Money strings become numbers; text that a spreadsheet would read as
    a formula is quoted."""
    if isinstance(value, str):
        if money and (amount := _money(value)) is not None:
            return amount, True
        return neutralize_formula(value), False
    if isinstance(value, list | dict):
        return str(value), False
    return value, False


def _append(sheet: Worksheet, values: list[object], money: list[bool]) -> None:
    cells = [_cell(value, money=is_money) for value, is_money in zip(values, money, strict=True)]
    sheet.append([value for value, _is_money in cells])
    for column, (_value, is_money) in enumerate(cells, start=1):
        if is_money:
            sheet.cell(row=sheet.max_row, column=column).number_format = MONEY_FORMAT


def review_workbook(report: dict) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "summary"
    summary.append(["metric", "campaign", "baseline"])
    for key, value in report["kpis"].items():
        _append(summary, [key, value, report["baseline"].get(key)], [False, key in MONEY_KEYS, key in MONEY_KEYS])
    _append(summary, ["incremental_gmv", report["incremental_gmv"]["gross"], None], [False, True, False])
    _append(summary, ["incremental_gmv_net", report["incremental_gmv"]["net"], None], [False, True, False])
    _append(summary, ["period", *report["period"]], [False] * 3)
    _append(summary, ["baseline_period", *report["baseline_period"]], [False] * 3)
    for name in ("ads", "traffic"):
        if not report[name]["available"]:
            _append(summary, [name, report[name]["note"]], [False] * 2)
    for goal, row in report["goals"].items():
        _append(summary, [f"goal_{goal}", row["goal"], row["actual"], row["attainment"]],
                [False, goal == "gmv", goal == "gmv", False])
    for sheet in ("daily", "channels", "skus", "mechanics", "lessons"):
        rows = report[sheet]
        ws = workbook.create_sheet(sheet)
        keys = list(dict.fromkeys(k for row in rows for k in row))
        ws.append(keys)
        for row in rows:
            _append(ws, [row.get(k) for k in keys], [k in MONEY_KEYS for k in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
