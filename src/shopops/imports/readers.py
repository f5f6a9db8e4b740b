"""Streaming reads of channel exports (CSV, xlsx, parquet) in batches with source row numbers.

What a file is and how it is encoded is decided first, by ``filetypes`` (re-exported here: ``sniff``,
``detect_encoding``, ``FileKind``, ``ReadError``). Then:

* **Stream, never load whole** (:func:`read_table`): CSV and parquet are read in batches with 1-based
  source row numbers (the header is row 1, as the operator sees it in Excel). Large CSV goes through
  pyarrow's streaming reader (faster than the csv module on a 44-column Taobao export, see
  ``benchmarks/read_orders_csv.py``, and its columns feed the vectorised ``fastpaths``); small files and
  files with blank lines go through the csv module, which numbers blank lines as Excel does. xlsx is
  read by ``xlsx.XlsxSheet``, a streaming reader whose memory is bounded by its limits whatever the
  file (zip sizes and ratios, inflated bytes, cells, shared strings: checked before and while reading).
* **Guards**: a size limit before anything is read; a line-length limit and a NUL-byte check while
  reading, so a binary file that starts like text is never read into memory as one giant line; rows
  with the wrong number of cells and undecodable bytes are reported with their row numbers.
* **The lake path** (:func:`read_raw_arrow_batches`) yields pyarrow RecordBatches with no Python object
  per row, for the 100M-row behaviour datasets.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from shopops.core.text import gettext_noop
from shopops.imports.batches import (
    DEFAULT_LIMITS,
    Batch,
    ReadLimits,
    TableStream,
    arrow_encoding,
    once,
    unique_keys,
)
from shopops.imports.csv_reader import check_names, open_csv, read_csv_head
from shopops.imports.filetypes import (
    FileKind,
    ReadError,
    Sniffed,
    detect_encoding,
    human_size,
    sniff,
    sniff_detail,
)
from shopops.imports.normalize import normalize_header
from shopops.imports.xlsx import XlsxSheet

__all__ = [
    "DEFAULT_LIMITS", "Batch", "FileKind", "ReadError", "ReadLimits", "Sniffed", "TableStream",
    "detect_encoding", "read_raw_arrow_batches", "read_table", "sniff", "sniff_detail", "unique_keys",
]


# ----------------------------------------------------------------------------------------- read_table


def read_table(path: str | os.PathLike[str], *, header: bool = True, column_names: Sequence[str] | None = None,
               batch_rows: int = 50_000, sheet: str | int | None = None, encoding: str | None = None,
               delimiter: str | None = None, engine: str = "auto", limits: ReadLimits = DEFAULT_LIMITS) -> TableStream:
    """Open a CSV, xlsx or parquet file as a stream of :class:`Batch` es with normalised headers.

    Everything that can be refused up front is refused here, before any row is read: unknown content,
    a file over the size limits, an undetectable encoding, a missing header row. ``column_names``
    replaces the header (with ``header=False``: the file has none). ``engine``: ``auto``, or for CSV
    ``python``/``arrow``, for xlsx ``stream``.
    """
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    path = os.fspath(path)
    sniffed = _recognise(path, limits)
    if sniffed.kind is FileKind.CSV:
        return open_csv(path, sniffed, header=header, column_names=column_names, batch_rows=batch_rows,
                         encoding=encoding, delimiter=delimiter, engine=engine, limits=limits)
    if sniffed.kind is FileKind.XLSX:
        return _open_xlsx(path, sniffed, header=header, column_names=column_names, batch_rows=batch_rows,
                          sheet=sheet, engine=engine, limits=limits)
    return _open_parquet(path, sniffed, column_names=column_names, batch_rows=batch_rows)


def _recognise(path: str, limits: ReadLimits, kinds: tuple[FileKind, ...] = (
        FileKind.CSV, FileKind.XLSX, FileKind.PARQUET)) -> Sniffed:
    """Sniff and apply the size limits: the refusals that need no more than 64 KiB of reading."""
    sniffed = sniff_detail(path)
    size_text = human_size(sniffed.size)
    if sniffed.kind not in kinds:
        if sniffed.kind is FileKind.UNKNOWN:
            raise ReadError(gettext_noop("cannot read this file (%(size)s): %(reason)s. Supported: CSV, xlsx, parquet.",
                                         size=size_text, reason=sniffed.reason))
        raise ReadError(gettext_noop("%(kind)s files are not accepted here", kind=str(sniffed.kind)))
    if sniffed.size > limits.max_file_bytes:
        raise ReadError(gettext_noop("file too large (%(size)s; limit %(limit)s)",
                                     size=size_text, limit=human_size(limits.max_file_bytes)))
    return sniffed


# ------------------------------------------------------------------------------------------------- xlsx


def _open_xlsx(path: str, sniffed: Sniffed, *, header: bool, column_names: Sequence[str] | None,
               batch_rows: int, sheet: str | int | None, engine: str, limits: ReadLimits) -> TableStream:
    """An xlsx through the bounded streaming reader (``xlsx.XlsxSheet``): rows come with their own Excel row
    numbers, and the limits are enforced before and while reading."""
    if engine not in ("auto", "stream"):
        raise ValueError(f"unknown xlsx engine {engine!r}")
    if sniffed.size > limits.max_xlsx_bytes:
        raise ReadError(gettext_noop("xlsx file too large (%(size)s; limit %(limit)s): export it as CSV",
                                     size=human_size(sniffed.size), limit=human_size(limits.max_xlsx_bytes)))
    reader = XlsxSheet(path, sheet=sheet, limits=limits.xlsx)
    close = once(reader.close)
    rows = reader.rows()
    try:
        layout = _xlsx_layout(rows, header, column_names)
    except BaseException:
        close()
        raise
    reader.keep_columns = layout.lead + layout.width  # cells right of the table are counted, not kept
    headers = tuple(normalize_header(h) for h in layout.names)
    keys = unique_keys(headers)

    def batches() -> Iterator[Batch]:
        block: list[list[object]] = []
        numbers: list[int] = []
        try:
            for number, cells in layout.pending:
                _add_xlsx_row(block, numbers, number, cells, 0, layout.width)
            for number, cells in rows:
                _add_xlsx_row(block, numbers, number, cells, layout.lead, layout.width)
                if len(block) >= batch_rows:
                    yield Batch(headers, keys, numbers, rows=block)
                    block, numbers = [], []
            if block:
                yield Batch(headers, keys, numbers, rows=block)
        finally:
            close()

    return TableStream(path=path, kind=FileKind.XLSX, size=sniffed.size, raw_headers=layout.raw_headers,
                       headers=headers, header_row=layout.header_row, engine="stream", batches=batches(),
                       close=close, sheet=reader.name)


class _XlsxLayout(NamedTuple):
    """Where a sheet's table lies: its first column (``lead``), its width, its column names and header row,
    and the rows already read that are data (the first row, when the sheet has no header)."""

    lead: int
    width: int
    names: list[object]
    raw_headers: list[object]
    header_row: int | None
    pending: list[tuple[int, list[object]]]


def _xlsx_layout(rows: Iterator[tuple[int, list[object]]], header: bool,
                 column_names: Sequence[str] | None) -> _XlsxLayout:
    """Read up to the first row holding a value: the header (or the first data row) and the table's place."""
    row = 0
    first: list[object] | None = None
    for number, cells in rows:
        if any(not _blank(c) for c in cells):
            row, first = number, list(cells)
            break
    if first is None:
        raise ReadError(gettext_noop("the sheet is empty"))
    lead = 0  # rows start at column A; a table may start further right (the header's first cell)
    while header and _blank(first[lead]):
        lead += 1
    first = first[lead:]
    while _blank(first[-1]):
        first.pop()
    width = len(first)
    if header:
        names = list(column_names) if column_names is not None else first
        check_names(names, width)
        return _XlsxLayout(lead, width, names, first, row, [])
    names = list(column_names) if column_names is not None else [f"column_{i + 1}" for i in range(width)]
    return _XlsxLayout(lead, len(names), names, [], None, [(row, first)])


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _add_xlsx_row(block: list[list[object]], numbers: list[int], number: int, cells: Sequence[object],
                  lead: int, width: int) -> None:
    values = list(cells[lead : lead + width])
    if len(values) < width:
        values.extend([""] * (width - len(values)))
    if all(_blank(v) for v in values):
        return
    block.append(values)
    numbers.append(number)


# ---------------------------------------------------------------------------------------------- parquet


def _open_parquet(path: str, sniffed: Sniffed, *, column_names: Sequence[str] | None, batch_rows: int) -> TableStream:
    """Parquet has no header row: record ``i`` (from 1) is row ``i``."""
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:
        raise ReadError(gettext_noop("the parquet file is damaged: %(error)s", error=str(exc))) from exc
    raw = list(parquet.schema_arrow.names)
    headers = tuple(normalize_header(h) for h in (column_names if column_names is not None else raw))
    keys = unique_keys(headers)
    close = once(parquet.close)

    def batches() -> Iterator[Batch]:
        row = 1
        try:
            for record_batch in parquet.iter_batches(batch_size=batch_rows):
                yield Batch(headers, keys, range(row, row + record_batch.num_rows), arrow=record_batch)
                row += record_batch.num_rows
        finally:
            close()

    return TableStream(path=path, kind=FileKind.PARQUET, size=sniffed.size, raw_headers=raw, headers=headers,
                       header_row=None, engine="parquet", batches=batches(), close=close)


# -------------------------------------------------------------------------------------------- lake path


def read_raw_arrow_batches(path: str | os.PathLike[str], *, header: bool = True,
                           column_names: Sequence[str] | None = None,
                           column_types: Mapping[str, pa.DataType] | None = None,
                           include_columns: Sequence[str] | None = None, delimiter: str | None = None,
                           encoding: str | None = None, block_bytes: int | None = None, use_threads: bool = True,
                           limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[pa.RecordBatch]:
    """RecordBatches straight from pyarrow, no Python object per row: the lake's bulk path.

    CSV columns are named by the (normalised) header or ``column_names`` (required names for a headerless
    file, e.g. UserBehavior's ``user_id,item_id,category_id,behavior,ts``); columns not in
    ``column_types`` stay strings, so a stray value never flips a column's type between blocks. Refusals
    (unknown file, size, encoding) happen at call time; parse errors surface as ReadError while iterating.
    """
    path = os.fspath(path)
    sniffed = _recognise(path, limits, (FileKind.CSV, FileKind.PARQUET))
    if sniffed.kind is FileKind.PARQUET:
            return _guard_arrow(lambda: _ParquetBatches(pq.ParquetFile(path), include_columns))
    encoding = encoding or detect_encoding(path)
    delimiter = delimiter or ","
    head = read_csv_head(path, encoding, delimiter, header, column_names, limits)
    names = head.headers
    if len(set(names)) != len(names):
        raise ReadError(gettext_noop("the header repeats a column name"))
    types = {name: pa.string() for name in names}
    types.update(column_types or {})
    unknown = set(types) - set(names)
    if unknown:
        raise ValueError(f"column_types names columns the file does not have: {sorted(unknown)}")

    def open_reader() -> Any:
        return pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows_after_names=1 if header else 0,
                                           encoding=arrow_encoding(encoding), use_threads=use_threads,
                                           block_size=block_bytes or limits.lake_block_bytes),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(column_types=types, include_columns=include_columns),
        )

    return _guard_arrow(open_reader)


def _guard_arrow(open_reader: Callable[[], Any]) -> Iterator[pa.RecordBatch]:
    """Iterate a pyarrow reader, turning its parse errors into ReadError and always closing it."""
    reader = None
    try:
        reader = open_reader()
        yield from reader
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReadError(gettext_noop("invalid file: %(error)s", error=str(exc))) from exc
    finally:
        if reader is not None:
            reader.close()


class _ParquetBatches:
    """A parquet file's batches with the ``close`` that :func:`_guard_arrow` expects of a reader."""

    def __init__(self, parquet: Any, columns: Sequence[str] | None) -> None:
        self._parquet = parquet
        self._columns = list(columns) if columns is not None else None

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        return iter(self._parquet.iter_batches(columns=self._columns))

    def close(self) -> None:
        self._parquet.close()
