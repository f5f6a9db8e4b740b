"""Column definitions shared by a list page's HTML table and its xlsx export, plus safe xlsx writing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from shopops.core.domain import neutralize_formula
from shopops.core.money import fen_to_decimal

# An export runs inside the request: beyond this many rows, narrow the filters (the file says so).
XLSX_MAX_ROWS = 50_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    value: Callable[[Any], Any]
    sort: str | None = None  # public sort key, when the column is sortable
    money: bool = False
    link: Callable[[Any], str] | None = None
    numeric: bool = False


def cell_value(column: Column, row: Any) -> Any:
    value = column.value(row)
    if column.money and value is not None:
        return fen_to_decimal(value)
    return value


def _xlsx_safe(value: Any) -> Any:
    if isinstance(value, str):
        return neutralize_formula(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, list | tuple | dict):
        return ", ".join(map(str, value)) if not isinstance(value, dict) else str(value)
    return value


def xlsx_response(*, filename: str, sheet: str, columns: list[Column], rows: Iterable[Any]) -> HttpResponse:
    """Stream-build an xlsx (write-only mode keeps memory flat for large lists)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append([str(c.label) for c in columns])
    for count, row in enumerate(rows):
        if count >= XLSX_MAX_ROWS:
            worksheet.append([str(_("Only the first %(n)s rows were exported: narrow the filters to export the rest.")
                                  % {"n": XLSX_MAX_ROWS})])
            break
        cells = []
        for column in columns:
            cell = WriteOnlyCell(worksheet, value=_xlsx_safe(cell_value(column, row)))
            if column.money:
                cell.number_format = "#,##0.00"
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
