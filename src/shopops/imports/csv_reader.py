"""CSV reads: the csv module for small files and files with blank lines (numbered as Excel does), pyarrow's
streaming reader for large ones; line-length, NUL-byte, width and decoding guards with exact row numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from shopops.core.errors import FieldError
from shopops.core.text import gettext_noop
from shopops.imports.batches import (
    MAX_LISTED_ROW_ERRORS,
    Batch,
    ReadLimits,
    TableStream,
    arrow_encoding,
    once,
    unique_keys,
)
from shopops.imports.filetypes import SNIFF_BYTES, FileKind, ReadError, Sniffed, detect_encoding
from shopops.imports.normalize import normalize_header


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


def _scan_csv_bytes(path: str) -> bool:
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
                raise ReadError(gettext_noop("binary data (NUL) at byte %(byte)s: not a CSV", byte=offset + nul))
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


def _decode_error(encoding: str, row: int) -> ReadError:
    return ReadError(gettext_noop("row %(row)s cannot be decoded as %(encoding)s: the file may mix encodings",
                                  row=row, encoding=encoding))


def _csv_failure(exc: Exception, row: int, encoding: str, limits: ReadLimits,
                 located: int | None = None) -> ReadError:
    """Translate a low-level CSV failure at ``row`` into a ReadError the operator can act on."""
    if isinstance(exc, UnicodeDecodeError):
        return _decode_error(encoding, located or row)
    if isinstance(exc, _BinaryLine):
        return ReadError(gettext_noop("row %(row)s holds binary data (NUL): not a CSV", row=row))
    if isinstance(exc, _LineTooLong):
        return ReadError(gettext_noop("row %(row)s is longer than %(limit)s characters: not an export "
                                      "(or a quote is not closed)", row=row, limit=limits.max_line_chars))
    return ReadError(gettext_noop("row %(row)s is not valid CSV: %(error)s", row=row, error=str(exc)))


def _ragged_error(problems: list[FieldError], total: int, expected: int) -> ReadError:
    listed = ", ".join(str(p.row) for p in problems[:10])
    return ReadError(gettext_noop("%(total)s rows do not have the header's %(expected)s columns, e.g. rows %(rows)s",
                                  total=total, expected=expected, rows=listed), problems[:MAX_LISTED_ROW_ERRORS])


def _ragged_problem(row: int, got: int, expected: int) -> FieldError:
    return FieldError("", gettext_noop("this row has %(got)s cells, the header has %(expected)s",
                                       got=got, expected=expected), row)


@dataclass(slots=True)
class _CsvHead:
    raw_headers: list[str]
    headers: list[str]
    header_row: int | None
    first_data_row: int
    n_fields: int


def read_csv_head(path: str, encoding: str, delimiter: str, header: bool, column_names: Sequence[str] | None,
                   limits: ReadLimits) -> _CsvHead:
    """The header record (via the csv module, so quoted headers work) or the first record's width."""
    text = _open_text(path, encoding)
    try:
        first: list[str] | None = None
        for record in csv.reader(_guarded_lines(text, limits.max_line_chars), delimiter=delimiter):
            first = record
            break
    except (UnicodeDecodeError, _BinaryLine, _LineTooLong, csv.Error) as exc:
        raise _csv_failure(exc, 1, encoding, limits) from exc
    finally:
        text.close()
    if not first or not any(cell.strip() for cell in first):
        raise ReadError(gettext_noop("row 1 is empty: no header row found"))
    if header:
        raw = list(first)
        names = list(column_names) if column_names is not None else raw
        check_names(names, len(raw))
        return _CsvHead(raw, [normalize_header(h) for h in names], 1, 2, len(raw))
    names = list(column_names) if column_names is not None else [f"column_{i + 1}" for i in range(len(first))]
    return _CsvHead([], [normalize_header(h) for h in names], None, 1, len(names))


def check_names(names: Sequence[object], width: int) -> None:
    if len(names) != width:
        raise ReadError(gettext_noop("%(names)s column names were given but the header has %(width)s columns",
                                     names=len(names), width=width))


def open_csv(path: str, sniffed: Sniffed, *, header: bool, column_names: Sequence[str] | None,
              batch_rows: int, encoding: str | None, delimiter: str | None, engine: str,
              limits: ReadLimits) -> TableStream:
    encoding = codecs.lookup(encoding).name if encoding else detect_encoding(path)
    if delimiter is None:
        with open(path, "rb") as handle:
            sample = handle.read(SNIFF_BYTES)
        delimiter = _detect_delimiter(sample.decode(encoding, errors="ignore").splitlines()[0] if sample else "")
    head = read_csv_head(path, encoding, delimiter, header, column_names, limits)
    if engine == "auto":
        engine = "python"
        if sniffed.size >= limits.arrow_min_bytes and not _scan_csv_bytes(path):
            engine = "arrow"
    if engine not in ("python", "arrow"):
        raise ValueError(f"unknown CSV engine {engine!r}")
    keys = unique_keys(head.headers)
    headers = tuple(head.headers)
    if engine == "arrow":
        batches, close = _arrow_csv_batches(path, encoding, delimiter, head, headers, keys, batch_rows, limits)
    else:
        batches, close = _python_csv_batches(path, encoding, delimiter, head, headers, keys, batch_rows, limits)
    return TableStream(path=path, kind=FileKind.CSV, size=sniffed.size, raw_headers=head.raw_headers,
                       headers=headers, header_row=head.header_row, engine=engine, batches=batches, close=close,
                       encoding=encoding, delimiter=delimiter)


def _python_csv_batches(path: str, encoding: str, delimiter: str, head: _CsvHead, headers: tuple[str, ...],
                        keys: tuple[str, ...], batch_rows: int,
                        limits: ReadLimits) -> tuple[Iterator[Batch], Callable[[], None]]:
    text = _open_text(path, encoding)
    close = once(text.close)

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
                        ragged.append(_ragged_problem(row, len(record), width))
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
            raise _csv_failure(exc, row + 1, encoding, limits, located) from exc
        finally:
            close()
        if rows:
            yield Batch(headers, keys, numbers, rows=rows)
        if ragged:
            raise _ragged_error(ragged, ragged_total, width)

    return batches(), close


def _locate_problem(path: str, encoding: str, delimiter: str, head: _CsvHead, limits: ReadLimits,
                    fallback: ReadError) -> ReadError:
    """After pyarrow failed (wrong row width, undecodable bytes), which gives no row number: rescan with
    the csv module, whose error names the exact rows. Only on the error path, so its speed is no concern."""
    batches, close = _python_csv_batches(path, encoding, delimiter, head, (), (), 1 << 16, limits)
    try:
        for _ in batches:
            pass
    except ReadError as error:
        return error
    finally:
        close()
    return fallback


def _arrow_csv_batches(path: str, encoding: str, delimiter: str, head: _CsvHead, headers: tuple[str, ...],
                       keys: tuple[str, ...], batch_rows: int,
                       limits: ReadLimits) -> tuple[Iterator[Batch], Callable[[], None]]:
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
                    encoding=arrow_encoding(encoding), block_size=limits.arrow_block_bytes, use_threads=True),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            for record_batch in reader:
                keep = _non_empty_mask(record_batch)
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
                raise _csv_failure(_LineTooLong(), row, encoding, limits) from exc
            fallback = ReadError(gettext_noop("invalid CSV (after row %(row)s): %(error)s", row=row, error=message))
            raise _locate_problem(path, encoding, delimiter, head, limits, fallback) from exc
        finally:
            close()

    return batches(), close


def _non_empty_mask(record_batch: pa.RecordBatch) -> pa.Array | None:
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

