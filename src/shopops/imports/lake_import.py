"""Importing a lake-side export: read, validate, convert, then one Delta commit per import (or none).

:func:`import_lake_file` is the single entry point the import service calls for formats with
``target="lake"`` (formats.lake_formats). Three engines:

* ``records`` (sycm-traffic, amazon-business-report, ad-report, search-terms, competitor-snapshot): the
  shared reader (``read_table``: CSV in any supported encoding, xlsx, parquet; exact Excel row numbers),
  ``resolve_columns`` and ``ColumnConverter`` (every export quirk of ``normalize``), then Arrow tables.
  A repeated key (date × the table's key) is a row error.
* ``events`` (own-site log): ``read_table`` batches converted column-wise with pyarrow.compute; only odd
  cells (formulas, ISO timestamps with offsets, "1,234.50" prices) go through the Python parsers.
* ``userbehavior`` (Tianchi UserBehavior, 100M rows): ``read_raw_arrow_batches`` with integer columns and
  pure pyarrow/numpy per batch — no Python object per row. If a cell is not an integer the fast read stops
  and the file is re-read as text to name every bad row.

Outcome rules: by default one invalid row rejects the file and nothing is written (errors
listed, at most 1000); with ``skip_invalid`` the valid rows are imported and ``rejected`` counts the rest.
File-level refusals (not a table, encoding, missing required column, bad options) raise ``ReadError``.
Writing is ``lake.services.FeedWriter``: the feed's rows of the file's date range are replaced in ONE
commit, and nothing is committed when nothing changed (re-import: ``unchanged`` = rows, no new version).
"""

from __future__ import annotations

from shopops.imports.formats.base import Format
from shopops.imports.formats.lake_formats import LakeFormat
from shopops.imports.lake_context import MAX_ERRORS, LakeImportResult, Progress, lake_context
from shopops.imports.lake_events import import_events
from shopops.imports.lake_records import import_records
from shopops.imports.lake_userbehavior import import_userbehavior
from shopops.lake.services import TABLES

__all__ = ["MAX_ERRORS", "LakeImportResult", "import_lake_file"]


def import_lake_file(*, shop_id: int, fmt: Format, path: str, channel_account_id: int | None, channel: str,
                     skip_invalid: bool, dry_run: bool, options: dict[str, str],
                     progress: Progress | None = None) -> LakeImportResult:
    """Import one file of a lake format for one shop (and channel account); see the module docstring."""
    if not isinstance(fmt, LakeFormat):
        raise ValueError(f"{fmt.name} is not a lake format")
    ctx = lake_context(fmt, shop_id=shop_id, channel=channel, account=channel_account_id,
                   skip_invalid=skip_invalid, dry_run=dry_run, options=dict(options or {}), progress=progress)
    table = TABLES[fmt.table]
    engine = {"records": import_records, "events": import_events, "userbehavior": import_userbehavior}[fmt.engine]
    feed, rows, outcome = engine(fmt, path, table, ctx)
    ctx.errors.sort(key=lambda e: (e.row or 0))
    if progress is not None:
        progress(1.0)
    return LakeImportResult(
        rows=rows, inserted=outcome.inserted, updated=outcome.updated, unchanged=outcome.unchanged,
        rejected=ctx.rejected, skipped=ctx.skipped, errors=ctx.errors[:MAX_ERRORS], written=outcome.written,
        deleted=outcome.deleted, version=outcome.version, feed=feed, date_from=outcome.date_from,
        date_to=outcome.date_to)
