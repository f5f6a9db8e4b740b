"""What a read yields: batches of rows (or Arrow columns) with their source row numbers, and the stream of
them that ``readers.read_table`` opens; the limits a read obeys."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa

from shopops.imports.filetypes import FileKind
from shopops.imports.normalize import normalize_header
from shopops.imports.xlsx import XlsxLimits

MAX_LISTED_ROW_ERRORS = 100
_ARROW_UTF8 = {"utf-8", "utf-8-sig"}  # pyarrow reads UTF-8 natively (and skips a BOM)


def arrow_encoding(encoding: str) -> str:
    """pyarrow's name for an encoding: ``utf8`` natively, anything else through Python's codec."""
    name = codecs.lookup(encoding).name
    return "utf8" if name in _ARROW_UTF8 else name


_XLSX = XlsxLimits()


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Guards against files that would exhaust the machine; every value is configurable.

    ``max_file_bytes``: anything bigger is refused before reading. ``max_xlsx_bytes``: the workbook file.
    ``max_xlsx_unpacked_bytes``, ``max_xlsx_ratio``, ``max_xlsx_cells``, ``max_xlsx_strings`` and
    ``max_xlsx_strings_bytes``: what a workbook may unpack to and hold (:class:`xlsx.XlsxLimits`; an export of
    100,000 orders × 44 columns is about 4.4M cells and 300 MB of XML).
    ``max_line_chars``: a CSV line longer than this is not an export (binary data, a missing quote).
    ``arrow_min_bytes``: CSV from this size up goes through pyarrow. ``arrow_block_bytes`` (table path:
    big blocks, fewer vectorised calls per row) and ``lake_block_bytes`` (bulk path: small blocks keep the
    reader's read-ahead, hence peak memory, low) are pyarrow's unit of work; memory is bounded by them, not
    by the file.
    """

    max_file_bytes: int = 64 * 1024**3
    max_xlsx_bytes: int = 256 * 1024**2
    max_xlsx_unpacked_bytes: int = _XLSX.max_unpacked_bytes
    max_xlsx_ratio: int = _XLSX.max_ratio
    max_xlsx_cells: int = _XLSX.max_cells
    max_xlsx_strings: int = _XLSX.max_strings
    max_xlsx_strings_bytes: int = _XLSX.max_strings_bytes
    max_line_chars: int = 1024 * 1024
    arrow_min_bytes: int = 4 * 1024**2
    arrow_block_bytes: int = 4 * 1024**2
    lake_block_bytes: int = 2 * 1024**2

    @property
    def xlsx(self) -> XlsxLimits:
        return XlsxLimits(max_unpacked_bytes=self.max_xlsx_unpacked_bytes, max_ratio=self.max_xlsx_ratio,
                          max_cells=self.max_xlsx_cells, max_strings=self.max_xlsx_strings,
                          max_strings_bytes=self.max_xlsx_strings_bytes)


DEFAULT_LIMITS = ReadLimits()


# ---------------------------------------------------------------------------------------------- batches


def unique_keys(headers: Sequence[str]) -> tuple[str, ...]:
    """Dict keys for row views: an empty header becomes ``column_N``, a repeated one ``name (2)``."""
    seen: dict[str, int] = {}
    keys = []
    for index, header in enumerate(headers):
        key = header or f"column_{index + 1}"
        count = seen.get(key, 0) + 1
        seen[key] = count
        keys.append(key if count == 1 else f"{key} ({count})")
    return tuple(keys)


class Batch:
    """A run of rows, held column-wise; ``row_numbers[i]`` is the source row of the i-th row.

    Columns are converted to Python objects only when asked (``column``), so an importer that reads 12
    of 44 columns pays for 12. CSV cells are ``str`` (``""`` when empty); xlsx and parquet cells keep
    their types (numbers, datetimes).
    """

    __slots__ = ("headers", "keys", "row_numbers", "_rows", "_arrow", "_cache")

    def __init__(self, headers: tuple[str, ...], keys: tuple[str, ...], row_numbers: Sequence[int], *,
                 rows: list[list[object]] | None = None, arrow: pa.RecordBatch | None = None) -> None:
        self.headers = headers
        self.keys = keys
        self.row_numbers = row_numbers
        self._rows = rows
        self._arrow = arrow
        self._cache: dict[int, list[object]] = {}

    def __len__(self) -> int:
        return len(self.row_numbers)

    def _index(self, key: int | str) -> int:
        if isinstance(key, int):
            return key
        if key in self.keys:
            return self.keys.index(key)
        return self.headers.index(normalize_header(key))

    def column(self, key: int | str) -> list[object]:
        """The cells of one column (by index, key or header) for the rows of this batch."""
        index = self._index(key)
        cached = self._cache.get(index)
        if cached is None:
            if self._arrow is not None:
                cached = self._arrow.column(index).to_pylist()
            else:
                cached = [row[index] for row in self._rows or ()]
            self._cache[index] = cached
        return cached

    def arrow_column(self, key: int | str) -> pa.Array | None:
        """The column as a pyarrow array when the batch came from pyarrow (CSV, parquet), else None."""
        if self._arrow is None:
            return None
        return self._arrow.column(self._index(key))

    def rows(self) -> list[dict[str, object]]:
        """Row dicts keyed by :attr:`keys` (unique versions of the normalised headers)."""
        columns = [self.column(i) for i in range(len(self.keys))]
        return [dict(zip(self.keys, values, strict=True)) for values in zip(*columns, strict=True)]

    @property
    def arrow(self) -> pa.RecordBatch | None:
        """The underlying RecordBatch when the batch came from pyarrow (all-string columns for CSV)."""
        return self._arrow


def once(close: Callable[[], None]) -> Callable[[], None]:
    """A close function that is safe to call twice (the batch generator and the caller both close)."""
    done = False

    def close_once() -> None:
        nonlocal done
        if not done:
            done = True
            close()

    return close_once


class TableStream:
    """An open table: metadata known up front (headers, encoding, engine), batches on iteration.

    Use as a context manager or call :meth:`close`. Iterate once.
    """

    def __init__(self, *, path: str, kind: FileKind, size: int, raw_headers: Sequence[object],
                 headers: Sequence[str], header_row: int | None, engine: str,
                 batches: Iterator[Batch], close: Callable[[], None] | None = None,
                 encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None) -> None:
        self.path = path
        self.kind = kind
        self.size = size
        self.raw_headers = tuple(raw_headers)
        self.headers = tuple(headers)
        self.keys = unique_keys(self.headers)
        self.header_row = header_row
        self.engine = engine
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self._batches = batches
        self._close = close

    def __iter__(self) -> Iterator[Batch]:
        return self._batches

    def close(self) -> None:
        """Release the file (also when iteration stopped early); safe to call twice."""
        stop = getattr(self._batches, "close", None)
        if stop is not None:
            stop()  # runs the generator's own clean-up
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

