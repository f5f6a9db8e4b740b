"""Vectorised fast paths (pyarrow.compute) for the common shapes of CSV cells.

Why: a 1,000,000-line order import must stay well under its 33 µs-per-line budget (≥ 30,000 lines/s end
to end), and per-cell Python parsing of a dozen columns costs about 1 µs a cell. Here the usual shapes
(``123.45``, ``2026-11-11 00:05:03``, ``="3800…"``, plain text, empty) are parsed in C, whole columns at
a time. Every other cell is handed back as a *fallback* for the Python parsers of ``normalize.py``, which
stay the reference: for any cell the fast path either returns exactly what the Python parser returns or
falls back (tests/imports/test_fastpaths.py checks this with hypothesis).

Only non-null string arrays are handled (CSV columns); anything else returns ``None`` (no fast path).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from shopops.imports.normalize import INVISIBLE_CHARS, NULL_TOKENS, PLAUSIBLE_YEARS

FastResult = tuple[list[object], list[int]]

# Exactly the characters for which str.isspace() is true (what str.strip() removes), as code point
# ranges; RE2's \s is ASCII-only, so the class is spelled out. A test compares it with str.isspace().
WHITESPACE_RANGES = ((0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
                     (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000))


def _re2_class(ranges: tuple[tuple[int, int], ...], extra: str = "") -> str:
    parts = [f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges]
    return "".join(parts) + "".join(f"\\x{{{ord(c):x}}}" for c in extra)


_WS = _re2_class(WHITESPACE_RANGES)
_INV = _re2_class((), INVISIBLE_CHARS)
# A text clean_text() returns unchanged: no blank at either end, no invisible character, and a first
# character that is neither a formula trigger nor a text marker (= ' + - @).
_PLAIN_TEXT = f"^[^{_WS}{_INV}='+\\-@](?:[^{_INV}]*[^{_WS}{_INV}])?$"
_PLAIN_MONEY = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
_GROUPED_MONEY = r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?$"
_PLAIN_INT = r"^-?[0-9]{1,18}$"
_PLAIN_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
_PLAIN_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ID_BODY = r"[0-9A-Za-z][0-9A-Za-z_\-./:#]*"
_PLAIN_ID = f"^{_ID_BODY}$"
_WRAPPED_ID = f'^="({_ID_BODY})"$'
_SCIENTIFIC_ID = r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$"
_MIN_YEAR, _MAX_YEAR = PLAUSIBLE_YEARS
_NULL_SET = pa.array(sorted(NULL_TOKENS))
_YUAN = pa.decimal128(14, 2)
_HUNDRED = pa.scalar(100, pa.decimal128(3, 0))


def fast_cells(kind: str, array: pa.Array, tz: str) -> FastResult | None:
    """``(values, fallback)``: ``values[i]`` is final unless ``i`` is in ``fallback``; None if no fast path."""
    if array.null_count or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    handler = _HANDLERS.get(kind)
    return handler(array, tz) if handler else None


def _nullish(array: pa.Array) -> pa.Array:
    """Cells every parser reads as empty: ``""``, ``-``, ``null`` in any case… (normalize.NULL_TOKENS)."""
    return pc.or_(pc.is_in(array, value_set=_NULL_SET), pc.match_substring_regex(array, "^null$", ignore_case=True))


def _finish(values: list[object], handled: pa.Array) -> FastResult:
    fallback = pc.indices_nonzero(pc.invert(handled)).to_pylist()
    return values, fallback


def _text(array: pa.Array, tz: str) -> FastResult:
    empty = _nullish(array)
    plain = pc.match_substring_regex(array, _PLAIN_TEXT)
    values = pc.if_else(empty, pa.scalar(None, array.type), array).to_pylist()
    return _finish(values, pc.or_(empty, plain))


def _money(array: pa.Array, tz: str) -> FastResult:
    empty = _nullish(array)
    grouped = pc.match_substring_regex(array, _GROUPED_MONEY)  # "1,234.50": western groups of three
    array = pc.if_else(grouped, pc.replace_substring(array, ",", ""), array)
    plain = pc.match_substring_regex(array, _PLAIN_MONEY)
    yuan = pc.cast(pc.if_else(plain, array, "0"), _YUAN)  # exact: at most 12 + 2 digits
    fen = pc.cast(pc.multiply(yuan, _HUNDRED), pa.int64())
    return _finish(pc.if_else(plain, fen, pa.scalar(None, pa.int64())).to_pylist(), pc.or_(empty, plain))


def _int(array: pa.Array, tz: str) -> FastResult:
    empty = _nullish(array)
    plain = pc.match_substring_regex(array, _PLAIN_INT)
    numbers = pc.if_else(plain, pc.cast(pc.if_else(plain, array, "0"), pa.int64()), pa.scalar(None, pa.int64()))
    return _finish(numbers.to_pylist(), pc.or_(empty, plain))


def _parsed_wall_time(array: pa.Array, pattern: str, fmt: str) -> tuple[pa.Array, pa.Array]:
    """(timestamps, ok): ok where the shape matches and the text is a real, plausible date.

    strptime rejects a bad month, hour or minute but rolls a day or second over (02-30 → 03-02,
    23:59:60 → next day), so the parsed day and second must equal the digits in the text (cheaper than
    formatting every value back).
    """
    shaped = pc.match_substring_regex(array, pattern)
    has_time = " " in fmt
    text = pc.if_else(shaped, array, "2000-01-01 00:00:00" if has_time else "2000-01-01")
    stamps = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    same = pc.equal(pc.day(stamps), pc.cast(pc.utf8_slice_codeunits(text, 8, 10), pa.int64()))
    if has_time:
        same = pc.and_(same, pc.equal(pc.second(stamps), pc.cast(pc.utf8_slice_codeunits(text, 17, 19), pa.int64())))
    years = pc.year(stamps)
    plausible = pc.and_(pc.greater_equal(years, _MIN_YEAR), pc.less_equal(years, _MAX_YEAR))
    ok = pc.fill_null(pc.and_(pc.and_(shaped, same), plausible), False)
    return stamps, ok


def _day_offsets(days: pa.Array, tz: str) -> pa.Array:
    """Seconds east of UTC for each wall-clock day, from Python's zoneinfo (the reference), or null for a
    day on which the offset changes (a DST switch): those cells go the Python way.

    Computed once per distinct day, not per cell, and not with pyarrow's own time zone database, which
    may differ from zoneinfo's (pyarrow drops DST after 2037, for one).
    """
    distinct = pc.unique(days)
    zone = ZoneInfo(tz)
    offsets = []
    for day in distinct.to_pylist():
        if day is None:
            offsets.append(None)
            continue
        start = dt.datetime(day.year, day.month, day.day, tzinfo=zone).utcoffset()
        end = dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=zone).utcoffset()
        offsets.append(int(start.total_seconds()) if start == end else None)
    return pc.take(pa.array(offsets, pa.int64()), pc.index_in(days, value_set=distinct))


def _datetime(array: pa.Array, tz: str) -> FastResult | None:
    empty = _nullish(array)
    stamps, ok = _parsed_wall_time(array, _PLAIN_DATETIME, "%Y-%m-%d %H:%M:%S")
    stamps = pc.if_else(ok, stamps, pa.scalar(None, stamps.type))
    offsets = _day_offsets(stamps.cast(pa.date32()), tz)
    ok = pc.and_(ok, pc.is_valid(offsets))
    seconds = pc.subtract(stamps.cast(pa.int64()), offsets)
    from_ts = dt.datetime.fromtimestamp
    utc = dt.UTC
    values: list[object] = [None if s is None else from_ts(s, utc) for s in seconds.to_pylist()]
    return _finish(values, pc.or_(empty, ok))


def _date(array: pa.Array, tz: str) -> FastResult:
    empty = _nullish(array)
    days, day_ok = _parsed_wall_time(array, _PLAIN_DATE, "%Y-%m-%d")
    stamps, stamp_ok = _parsed_wall_time(array, _PLAIN_DATETIME, "%Y-%m-%d %H:%M:%S")
    chosen = pc.if_else(day_ok, days, stamps).cast(pa.date32())
    ok = pc.or_(day_ok, stamp_ok)
    values = pc.if_else(ok, chosen, pa.scalar(None, pa.date32())).to_pylist()
    return _finish(values, pc.or_(empty, ok))


def _id(array: pa.Array, tz: str) -> FastResult:
    # ="…" is unwrapped only around a plain id body, so anything else keeps its "=" and falls back
    unwrapped = pc.replace_substring_regex(array, _WRAPPED_ID, r"\1")
    empty = _nullish(unwrapped)
    plain = pc.and_(pc.match_substring_regex(unwrapped, _PLAIN_ID),
                    pc.invert(pc.match_substring_regex(unwrapped, _SCIENTIFIC_ID)))
    values = pc.if_else(empty, pa.scalar(None, array.type), unwrapped).to_pylist()
    return _finish(values, pc.or_(empty, plain))


_HANDLERS: dict[str, Callable[[pa.Array, str], FastResult | None]] = {
    "text": _text,
    "money": _money,
    "int": _int,
    "datetime": _datetime,
    "date": _date,
    "id": _id,
}
