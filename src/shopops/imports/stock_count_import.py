"""A stock-count file's import (``target="stock"``): read → convert → check every row → one count applied by
``inventory.services.stock_count_apply`` (one ledger adjustment per difference, in one transaction).

Nothing is written before the whole file has been checked: a bad cell, an unknown SKU or location, a SKU
counted twice or a count below the reserved units rejects the file, each problem named by row and column.
The job's id is the count's ledger ref, so a job never posts twice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from shopops.core.errors import FieldError, InvalidInput
from shopops.core.text import gettext_noop
from shopops.imports.columns import ColumnConverter, resolve_columns
from shopops.imports.filetypes import ReadError
from shopops.imports.formats.base import Format
from shopops.imports.formats.stock_formats import COUNTED_COLUMN, LOCATION_COLUMN, NOTE_COLUMN, SKU_COLUMN
from shopops.imports.models import ImportJob
from shopops.imports.outcome import Outcome, Tally
from shopops.imports.readers import read_table
from shopops.inventory import services as inventory_services

_COLUMN_OF = {"sku": SKU_COLUMN, "location": LOCATION_COLUMN, "counted": COUNTED_COLUMN}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read(path: str, fmt: Format, tally: Tally, tz: str) -> list[inventory_services.CountLine]:
    lines: list[inventory_services.CountLine] = []
    with read_table(path) as stream:
        resolution = resolve_columns(stream.headers, fmt.columns)
        if resolution.errors:
            raise ReadError(gettext_noop("the file lacks required columns; nothing was imported"),
                            list(resolution.errors))
        converter = ColumnConverter(fmt.columns, resolution, tz=tz)
        for batch in stream:
            converted = converter.convert(batch)
            tally.rows += len(converted.row_numbers)
            for error in converted.errors:
                tally.error(error)
            for view in converted.views():
                counted, row = view.get(COUNTED_COLUMN), view["_row"]
                lines.append(inventory_services.CountLine(
                    sku_code=_text(view.get(SKU_COLUMN)), location=_text(view.get(LOCATION_COLUMN)),
                    counted=counted if isinstance(counted, int) else 0, row=row if isinstance(row, int) else 0,
                    note=_text(view.get(NOTE_COLUMN))))
    return lines


def _rejected(tally: Tally, errors: list[FieldError]) -> Outcome:
    rows = {e.row for e in errors if e.row}
    return Outcome(rows=tally.rows, rejected=len(rows), errors=errors, rejected_file=True)


def run_stock_count(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    """Apply the file's count (a dry run only checks it and counts the differences)."""
    tally = Tally()
    lines = _read(job.file_path, fmt, tally, job.shop.timezone)
    progress(0.5, "check")
    if tally.errors:
        return _rejected(tally, tally.errors)
    try:
        if job.options.get("dry_run"):
            diffs = inventory_services.stock_count_check(shop=job.shop, counts=lines)
            posted = sum(1 for d in diffs if d.difference)
        else:
            reason = str(job.options.get("reason") or "") or _("Stock count import %(file)s") % {"file": job.file_name}
            result = inventory_services.stock_count_apply(shop=job.shop, counts=lines, reason=reason,
                                                          ref=f"stock-count:{job.pk}", actor=job.created_by)
            diffs, posted = result.lines, result.posted
    except InvalidInput as exc:
        return _rejected(tally, [FieldError(_COLUMN_OF.get(e.field, e.field), e.message, e.row) for e in exc.errors])
    return Outcome(rows=tally.rows, updated=sum(1 for d in diffs if d.difference),
                   unchanged=sum(1 for d in diffs if not d.difference), changes={"adjustments": posted})
