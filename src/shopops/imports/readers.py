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

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shopops.core.errors import FieldError

from .filetypes import (
    SNIFF_BYTES,
    FileKind,
    ReadError,
    Sniffed,
    detect_encoding,
    human_size,
    sniff,
    sniff_detail,
)
from .normalize import normalize_header
from .xlsx import XlsxLimits, XlsxSheet

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_LIMITS", "Batch", "FileKind", "ReadError", "ReadLimits", "Sniffed", "TableStream", "detect_encoding",
    "read_raw_arrow_batches", "read_table", "sniff", "sniff_detail", "unique_keys",
]

MAX_LISTED_ROW_ERRORS = 100
_ARROW_UTF8 = {"utf-8", "utf-8-sig"}  # pyarrow reads UTF-8 natively (and skips a BOM)


def _arrow_encoding(encoding: str) -> str:
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


def _once(close: Callable[[], None]) -> Callable[[], None]:
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


# ----------------------------------------------------------------------------------------- read_table


def read_table(path: str | os.PathLike[str], *, header: bool = True, column_names: Sequence[str] | None = None,
               batch_rows: int = 50_000, sheet: str | int | None = None, encoding: str | None = None,
               delimiter: str | None = None, engine: str = "auto", limits: ReadLimits = DEFAULT_LIMITS,
               language: str = "zh") -> TableStream:
    """Open a CSV, xlsx or parquet file as a stream of :class:`Batch` es with normalised headers.

    Everything that can be refused up front is refused here, before any row is read: unknown content,
    a file over the size limits, an undetectable encoding, a missing header row. ``column_names``
    replaces the header (with ``header=False``: the file has none). ``engine``: ``auto``, or for CSV
    ``python``/``arrow``, for xlsx ``stream``.
    """
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    path = os.fspath(path)
    sniffed = _recognise(path, limits, language)
    if sniffed.kind is FileKind.CSV:
        return _open_csv(path, sniffed, header=header, column_names=column_names, batch_rows=batch_rows,
                         encoding=encoding, delimiter=delimiter, engine=engine, limits=limits, language=language)
    if sniffed.kind is FileKind.XLSX:
        return _open_xlsx(path, sniffed, header=header, column_names=column_names, batch_rows=batch_rows,
                          sheet=sheet, engine=engine, limits=limits, language=language)
    return _open_parquet(path, sniffed, column_names=column_names, batch_rows=batch_rows, language=language)


def _recognise(path: str, limits: ReadLimits, language: str, kinds: tuple[FileKind, ...] = (
        FileKind.CSV, FileKind.XLSX, FileKind.PARQUET)) -> Sniffed:
    """Sniff and apply the size limits: the refusals that need no more than 64 KiB of reading."""
    sniffed = sniff_detail(path)
    size_text = human_size(sniffed.size)
    if sniffed.kind not in kinds:
        if sniffed.kind is FileKind.UNKNOWN:
            raise ReadError(f"无法读取（{size_text}）：{sniffed.reason_zh}。支持 CSV、xlsx、parquet。",
                            f"cannot read this file ({size_text}): {sniffed.reason_en}. "
                            "Supported: CSV, xlsx, parquet.", language=language)
        raise ReadError(f"这里不接受 {sniffed.kind} 文件", f"{sniffed.kind} files are not accepted here",
                        language=language)
    if sniffed.size > limits.max_file_bytes:
        raise ReadError(f"文件过大（{size_text}，上限 {human_size(limits.max_file_bytes)}）",
                        f"file too large ({size_text}; limit {human_size(limits.max_file_bytes)})",
                        language=language)
    return sniffed


# ------------------------------------------------------------------------------------------------- CSV


class _LineTooLong(Exception):
    pass


class _BinaryLine(Exception):
    pass


def _guarded_lines(text: io.TextIOBase, max_chars: int) -> Iterator[str]:
    """Lines for the csv module, never longer than ``max_chars`` and never containing NUL: a binary
    file that starts like text must not be read into memory as one giant line."""
    readline = text.readline
    while True:
        line = readline(max_chars)
        if not line:
            return
        if len(line) >= max_chars and line[-1] not in "\r\n":
            raise _LineTooLong
        if "\x00" in line:
            raise _BinaryLine
        yield line


def _detect_delimiter(first_line: str) -> str:
    """Comma unless the header line clearly uses tabs, semicolons or pipes (Excel "text" exports)."""
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _scan_csv_bytes(path: str, language: str) -> bool:
    """One fast pass over the raw bytes: refuse NUL bytes; report a blank line before the end.

    Blank lines matter for row numbers: pyarrow skips them, Excel (and the csv module) count them.
    """
    blank_at = content_at = -1
    offset = 0
    carry = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise ReadError(f"第 {offset + nul} 字节处出现二进制数据（NUL），不是 CSV",
                                f"binary data (NUL) at byte {offset + nul}: not a CSV", language=language)
            window = carry + chunk
            base = offset - len(carry)
            found = max(window.rfind(b"\n\n"), window.rfind(b"\n\r\n"))
            if found >= 0:
                blank_at = base + found
            trimmed = len(chunk.rstrip(b"\r\n"))
            if trimmed:
                content_at = offset + trimmed
            carry = chunk[-2:]
            offset += len(chunk)
    return 0 <= blank_at < content_at - 1


def _open_text(path: str, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(open(path, "rb"), encoding=encoding, errors="strict", newline="")


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _undecodable_row(path: str, encoding: str, delimiter: str, limits: ReadLimits) -> int | None:
    """The exact row holding bytes that do not decode: TextIOWrapper fails a whole 8 KiB chunk early.

    Decoding with ``surrogateescape`` never fails; the first record with an escaped byte is the row.
    """
    with io.TextIOWrapper(open(path, "rb"), encoding=encoding, errors="surrogateescape", newline="") as text:
        try:
            reader = csv.reader(_guarded_lines(text, limits.max_line_chars), delimiter=delimiter)
            for index, record in enumerate(reader):
                if any(_ESCAPED_BYTE.search(cell) for cell in record):
                    return index + 1
        except (_LineTooLong, _BinaryLine, csv.Error):
            return None
    return None


def _decode_error(encoding: str, row: int, language: str) -> ReadError:
    return ReadError(f"第 {row} 行无法按 {encoding} 解码：文件可能混用了多种编码",
                     f"row {row} cannot be decoded as {encoding}: the file may mix encodings", language=language)


def _csv_failure(exc: Exception, row: int, encoding: str, limits: ReadLimits, language: str,
                 located: int | None = None) -> ReadError:
    """Translate a low-level CSV failure at ``row`` into a ReadError the operator can act on."""
    if isinstance(exc, UnicodeDecodeError):
        return _decode_error(encoding, located or row, language)
    if isinstance(exc, _BinaryLine):
        return ReadError(f"第 {row} 行含二进制数据（NUL），不是 CSV", f"row {row} holds binary data (NUL): not a CSV",
                         language=language)
    if isinstance(exc, _LineTooLong):
        return ReadError(f"第 {row} 行超过 {limits.max_line_chars} 个字符：不是正常的导出文件（或引号没有闭合）",
                         f"row {row} is longer than {limits.max_line_chars} characters: not an export "
                         "(or a quote is not closed)", language=language)
    return ReadError(f"第 {row} 行 CSV 格式错误：{exc}", f"row {row} is not valid CSV: {exc}", language=language)


def _ragged_error(problems: list[FieldError], total: int, expected: int, language: str) -> ReadError:
    listed = ", ".join(str(p.row) for p in problems[:10])
    return ReadError(f"{total} 行的列数与表头（{expected} 列）不一致，例如第 {listed} 行",
                     f"{total} rows do not have the header's {expected} columns, e.g. rows {listed}",
                     problems[:MAX_LISTED_ROW_ERRORS], language=language)


def _ragged_problem(row: int, got: int, expected: int, language: str) -> FieldError:
    message = (f"this row has {got} cells, the header has {expected}" if language.startswith("en")
               else f"该行有 {got} 个单元格，表头有 {expected} 列")
    return FieldError("", message, row)


@dataclass(slots=True)
class _CsvHead:
    raw_headers: list[str]
    headers: list[str]
    header_row: int | None
    first_data_row: int
    n_fields: int


def _read_csv_head(path: str, encoding: str, delimiter: str, header: bool, column_names: Sequence[str] | None,
                   limits: ReadLimits, language: str) -> _CsvHead:
    """The header record (via the csv module, so quoted headers work) or the first record's width."""
    text = _open_text(path, encoding)
    try:
        first: list[str] | None = None
        for record in csv.reader(_guarded_lines(text, limits.max_line_chars), delimiter=delimiter):
            first = record
            break
    except (UnicodeDecodeError, _BinaryLine, _LineTooLong, csv.Error) as exc:
        raise _csv_failure(exc, 1, encoding, limits, language) from exc
    finally:
        text.close()
    if not first or not any(cell.strip() for cell in first):
        raise ReadError("第 1 行是空的：找不到表头", "row 1 is empty: no header row found", language=language)
    if header:
        raw = list(first)
        names = list(column_names) if column_names is not None else raw
        _check_names(names, len(raw), language)
        return _CsvHead(raw, [normalize_header(h) for h in names], 1, 2, len(raw))
    names = list(column_names) if column_names is not None else [f"column_{i + 1}" for i in range(len(first))]
    return _CsvHead([], [normalize_header(h) for h in names], None, 1, len(names))


def _check_names(names: Sequence[object], width: int, language: str) -> None:
    if len(names) != width:
        raise ReadError(f"给定了 {len(names)} 个列名，但表头有 {width} 列",
                        f"{len(names)} column names were given but the header has {width} columns",
                        language=language)


def _open_csv(path: str, sniffed: Sniffed, *, header: bool, column_names: Sequence[str] | None,
              batch_rows: int, encoding: str | None, delimiter: str | None, engine: str,
              limits: ReadLimits, language: str) -> TableStream:
    encoding = codecs.lookup(encoding).name if encoding else detect_encoding(path, language=language)
    if delimiter is None:
        with open(path, "rb") as handle:
            sample = handle.read(SNIFF_BYTES)
        delimiter = _detect_delimiter(sample.decode(encoding, errors="ignore").splitlines()[0] if sample else "")
    head = _read_csv_head(path, encoding, delimiter, header, column_names, limits, language)
    if engine == "auto":
        engine = "python"
        if sniffed.size >= limits.arrow_min_bytes and not _scan_csv_bytes(path, language):
            engine = "arrow"
    if engine not in ("python", "arrow"):
        raise ValueError(f"unknown CSV engine {engine!r}")
    keys = unique_keys(head.headers)
    headers = tuple(head.headers)
    if engine == "arrow":
        batches, close = _arrow_csv_batches(path, encoding, delimiter, head, headers, keys, batch_rows, limits,
                                            language)
    else:
        batches, close = _python_csv_batches(path, encoding, delimiter, head, headers, keys, batch_rows, limits,
                                             language)
    return TableStream(path=path, kind=FileKind.CSV, size=sniffed.size, raw_headers=head.raw_headers,
                       headers=headers, header_row=head.header_row, engine=engine, batches=batches, close=close,
                       encoding=encoding, delimiter=delimiter)


def _python_csv_batches(path: str, encoding: str, delimiter: str, head: _CsvHead, headers: tuple[str, ...],
                        keys: tuple[str, ...], batch_rows: int, limits: ReadLimits,
                        language: str) -> tuple[Iterator[Batch], Callable[[], None]]:
    text = _open_text(path, encoding)
    close = _once(text.close)

    def batches() -> Iterator[Batch]:
        reader = csv.reader(_guarded_lines(text, limits.max_line_chars), delimiter=delimiter)
        width = head.n_fields
        row = head.first_data_row - 1
        ragged: list[FieldError] = []
        ragged_total = 0
        rows: list[list[object]] = []
        numbers: list[int] = []
        try:
            if head.header_row is not None:
                next(reader)
            for record in reader:
                row += 1
                if len(record) != width:
                    if not any(record):
                        continue  # a blank line: counted, skipped
                    ragged_total += 1
                    if len(ragged) < MAX_LISTED_ROW_ERRORS:
                        ragged.append(_ragged_problem(row, len(record), width, language))
                    continue
                if not any(record):
                    continue  # ",,,," rows left behind by spreadsheets
                rows.append(record)  # type: ignore[arg-type]
                numbers.append(row)
                if len(rows) >= batch_rows:
                    yield Batch(headers, keys, numbers, rows=rows)
                    rows, numbers = [], []
        except (UnicodeDecodeError, _BinaryLine, _LineTooLong, csv.Error) as exc:
            located = _undecodable_row(path, encoding, delimiter, limits) if isinstance(
                exc, UnicodeDecodeError) else None
            raise _csv_failure(exc, row + 1, encoding, limits, language, located) from exc
        finally:
            close()
        if rows:
            yield Batch(headers, keys, numbers, rows=rows)
        if ragged:
            raise _ragged_error(ragged, ragged_total, width, language)

    return batches(), close


def _locate_problem(path: str, encoding: str, delimiter: str, head: _CsvHead, limits: ReadLimits,
                    language: str, fallback: ReadError) -> ReadError:
    """After pyarrow failed (wrong row width, undecodable bytes), which gives no row number: rescan with
    the csv module, whose error names the exact rows. Only on the error path, so its speed is no concern."""
    batches, close = _python_csv_batches(path, encoding, delimiter, head, (), (), 1 << 16, limits, language)
    try:
        for _ in batches:
            pass
    except ReadError as error:
        return error
    finally:
        close()
    return fallback


def _arrow_csv_batches(path: str, encoding: str, delimiter: str, head: _CsvHead, headers: tuple[str, ...],
                       keys: tuple[str, ...], batch_rows: int, limits: ReadLimits,
                       language: str) -> tuple[Iterator[Batch], Callable[[], None]]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    names = [f"f{i}" for i in range(head.n_fields)]
    holder: dict[str, Any] = {}

    def close() -> None:
        active = holder.pop("reader", None)
        if active is not None:
            active.close()

    def batches() -> Iterator[Batch]:
        row = head.first_data_row
        try:
            holder["reader"] = reader = pacsv.open_csv(  # opened lazily: its first block is parsed at once
                path,
                read_options=pacsv.ReadOptions(
                    column_names=names, skip_rows_after_names=1 if head.header_row else 0,
                    encoding=_arrow_encoding(encoding), block_size=limits.arrow_block_bytes, use_threads=True),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            for record_batch in reader:
                keep = _non_empty_mask(record_batch, pc)
                for start in range(0, record_batch.num_rows, batch_rows):
                    piece = record_batch.slice(start, batch_rows)
                    numbers: Sequence[int] = range(row, row + piece.num_rows)
                    row += piece.num_rows
                    if keep is not None:
                        mask = keep.slice(start, batch_rows)
                        numbers = [n for n, k in zip(numbers, mask.to_pylist(), strict=True) if k]
                        piece = piece.filter(mask)
                    if piece.num_rows:
                        yield Batch(headers, keys, numbers, arrow=piece)
        except (UnicodeDecodeError, pa.ArrowInvalid) as exc:
            message = str(exc)
            if "straddle" in message:
                raise _csv_failure(_LineTooLong(), row, encoding, limits, language) from exc
            fallback = ReadError(f"CSV 格式错误（第 {row} 行之后）：{message}",
                                 f"invalid CSV (after row {row}): {message}", language=language)
            raise _locate_problem(path, encoding, delimiter, head, limits, language, fallback) from exc
        finally:
            close()

    return batches(), close


def _non_empty_mask(record_batch: pa.RecordBatch, pc: Any) -> pa.Array | None:
    """Rows with at least one non-empty cell, or None when every row has one (checked on the first
    column, then on the few candidates only: the common case costs one comparison per row)."""
    if record_batch.num_columns == 0 or record_batch.num_rows == 0:
        return None
    empty_first = pc.equal(record_batch.column(0), "")
    if not pc.any(empty_first).as_py():
        return None
    keep = pc.invert(empty_first)
    for index in range(1, record_batch.num_columns):
        keep = pc.or_(keep, pc.not_equal(record_batch.column(index), ""))
    return None if pc.all(keep).as_py() else keep


# ------------------------------------------------------------------------------------------------- xlsx


def _open_xlsx(path: str, sniffed: Sniffed, *, header: bool, column_names: Sequence[str] | None,
               batch_rows: int, sheet: str | int | None, engine: str, limits: ReadLimits,
               language: str) -> TableStream:
    """An xlsx through the bounded streaming reader (``xlsx.XlsxSheet``): rows come with their own Excel row
    numbers, and the limits are enforced before and while reading."""
    if engine not in ("auto", "stream"):
        raise ValueError(f"unknown xlsx engine {engine!r}")
    if sniffed.size > limits.max_xlsx_bytes:
        raise ReadError(f"xlsx 文件过大（{human_size(sniffed.size)}，上限 {human_size(limits.max_xlsx_bytes)}）："
                        "请导出为 CSV", f"xlsx file too large ({human_size(sniffed.size)}; limit "
                        f"{human_size(limits.max_xlsx_bytes)}): export it as CSV", language=language)
    reader = XlsxSheet(path, sheet=sheet, limits=limits.xlsx, language=language)
    close = _once(reader.close)
    rows = reader.rows()
    row = 0
    first: list[object] | None = None
    try:
        for number, cells in rows:
            if any(not _blank(c) for c in cells):
                row, first = number, list(cells)
                break
    except BaseException:
        close()
        raise
    if first is None:
        close()
        raise ReadError("工作表是空的", "the sheet is empty", language=language)
    lead = 0  # rows start at column A; a table may start further right (the header's first cell)
    while header and _blank(first[lead]):
        lead += 1
    first = first[lead:]
    while _blank(first[-1]):
        first.pop()
    width = len(first)
    if header:
        raw_headers: list[object] = first
        names = list(column_names) if column_names is not None else first
        try:
            _check_names(names, width, language)
        except ReadError:
            close()
            raise
        header_row: int | None = row
        pending: list[tuple[int, list[object]]] = []
    else:
        raw_headers = []
        names = list(column_names) if column_names is not None else [f"column_{i + 1}" for i in range(width)]
        width = len(names)
        header_row = None
        pending = [(row, first)]
    reader.keep_columns = lead + width  # cells right of the table are counted, not kept
    headers = tuple(normalize_header(h) for h in names)
    keys = unique_keys(headers)

    def batches() -> Iterator[Batch]:
        block: list[list[object]] = []
        numbers: list[int] = []
        try:
            for number, cells in pending:
                _add_xlsx_row(block, numbers, number, cells, 0, width)
            for number, cells in rows:
                _add_xlsx_row(block, numbers, number, cells, lead, width)
                if len(block) >= batch_rows:
                    yield Batch(headers, keys, numbers, rows=block)
                    block, numbers = [], []
            if block:
                yield Batch(headers, keys, numbers, rows=block)
        finally:
            close()

    return TableStream(path=path, kind=FileKind.XLSX, size=sniffed.size, raw_headers=raw_headers, headers=headers,
                       header_row=header_row, engine="stream", batches=batches(), close=close, sheet=reader.name)


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


def _open_parquet(path: str, sniffed: Sniffed, *, column_names: Sequence[str] | None, batch_rows: int,
                  language: str) -> TableStream:
    """Parquet has no header row: record ``i`` (from 1) is row ``i``."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:
        raise ReadError(f"parquet 文件损坏：{exc}", f"the parquet file is damaged: {exc}", language=language) from exc
    raw = list(parquet.schema_arrow.names)
    headers = tuple(normalize_header(h) for h in (column_names if column_names is not None else raw))
    keys = unique_keys(headers)
    close = _once(parquet.close)

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
                           limits: ReadLimits = DEFAULT_LIMITS, language: str = "zh") -> Iterator[pa.RecordBatch]:
    """RecordBatches straight from pyarrow, no Python object per row: the lake's bulk path.

    CSV columns are named by the (normalised) header or ``column_names`` (required names for a headerless
    file, e.g. UserBehavior's ``user_id,item_id,category_id,behavior,ts``); columns not in
    ``column_types`` stay strings, so a stray value never flips a column's type between blocks. Refusals
    (unknown file, size, encoding) happen at call time; parse errors surface as ReadError while iterating.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = os.fspath(path)
    sniffed = _recognise(path, limits, language, (FileKind.CSV, FileKind.PARQUET))
    if sniffed.kind is FileKind.PARQUET:
        import pyarrow.parquet as pq

        return _guard_arrow(lambda: _ParquetBatches(pq.ParquetFile(path), include_columns), language)
    encoding = encoding or detect_encoding(path, language=language)
    delimiter = delimiter or ","
    head = _read_csv_head(path, encoding, delimiter, header, column_names, limits, language)
    names = head.headers
    if len(set(names)) != len(names):
        raise ReadError("表头有重复列名", "the header repeats a column name", language=language)
    types = {name: pa.string() for name in names}
    types.update(column_types or {})
    unknown = set(types) - set(names)
    if unknown:
        raise ValueError(f"column_types names columns the file does not have: {sorted(unknown)}")

    def open_reader() -> Any:
        return pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows_after_names=1 if header else 0,
                                           encoding=_arrow_encoding(encoding), use_threads=use_threads,
                                           block_size=block_bytes or limits.lake_block_bytes),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(column_types=types, include_columns=include_columns),
        )

    return _guard_arrow(open_reader, language)


def _guard_arrow(open_reader: Callable[[], Any], language: str) -> Iterator[pa.RecordBatch]:
    """Iterate a pyarrow reader, turning its parse errors into ReadError and always closing it."""
    import pyarrow as pa

    reader = None
    try:
        reader = open_reader()
        yield from reader
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReadError(f"文件格式错误：{exc}", f"invalid file: {exc}", language=language) from exc
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
