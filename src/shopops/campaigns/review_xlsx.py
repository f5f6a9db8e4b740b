"""The post-mortem as an xlsx workbook (one sheet per table), for the page and the CLI."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Money strings become numbers; text that a spreadsheet would read as a formula is quoted."""
    if isinstance(value, str):
        try:
            if value and value.replace("-", "", 1).replace(".", "", 1).isdigit() and "." in value:
                return Decimal(value)
        except ArithmeticError:
            pass
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    if isinstance(value, list | dict):
        return str(value)
    return value


def review_workbook(report: dict) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "summary"
    summary.append(["metric", "campaign", "baseline"])
    for key, value in report["kpis"].items():
        summary.append([key, _cell(value), _cell(report["baseline"].get(key))])
    summary.append(["incremental_gmv", _cell(report["incremental_gmv"]["gross"]), None])
    summary.append(["incremental_gmv_net", _cell(report["incremental_gmv"]["net"]), None])
    summary.append(["period", *report["period"]])
    summary.append(["baseline_period", *report["baseline_period"]])
    for name in ("ads", "traffic"):
        if not report[name]["available"]:
            summary.append([name, report[name]["note"]])
    for goal, row in report["goals"].items():
        summary.append([f"goal_{goal}", _cell(row["goal"]), _cell(row["actual"]), row["attainment"]])
    for sheet in ("daily", "channels", "skus", "mechanics", "lessons"):
        rows = report[sheet]
        ws = workbook.create_sheet(sheet)
        keys = list(dict.fromkeys(k for row in rows for k in row))
        ws.append(keys)
        for row in rows:
            ws.append([_cell(row.get(k)) for k in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
