"""The ``events`` engine (own-site behaviour log): batches converted column-wise with pyarrow.compute; only odd
cells (formulas, ISO timestamps with offsets, "1,234.50" prices) go through the Python parsers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopops.core.text import Text, gettext_noop
from shopops.imports.columns import resolve_columns
from shopops.imports.fastpaths import _PLAIN_TEXT
from shopops.imports.formats.lake_formats import (
    BEHAVIOR_ALIASES,
    EVENTS_COLUMNS,
    LakeFormat,
)
from shopops.imports.lake_context import LakeContext
from shopops.imports.normalize import ValueProblem, clean_text, parse_datetime, parse_money_fen
from shopops.imports.readers import ReadError, read_table
from shopops.lake import services as lake
from shopops.lake.services import FeedResult, FeedWriter, feed_id

if TYPE_CHECKING:
    from shopops.lake.tables import LakeTable

_TS_PLAIN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}$"
_BEHAVIOR_OK = r"^[a-z][a-z0-9_]{0,31}$"
_MONEY_PLAIN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def _as_strings(batch: Any, index: int) -> pa.Array:
    """A column as a pyarrow string array (CSV: already; python-engine CSV/xlsx cells: converted)."""
    array = batch.arrow_column(index)
    if array is None:
        array = pa.array([None if v is None else (v if isinstance(v, str) else str(v)) for v in batch.column(index)],
                         pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


def _clean_strings(array: pa.Array) -> pa.Array:
    """``normalize.clean_text`` over a column: plain cells pass through (vectorised), only odd cells (formulas,
    ="…" wrappers, blanks, '-') go through Python; empty → null."""
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = pc.cast(array, pa.string())
    plain = pc.fill_null(pc.match_substring_regex(array, _PLAIN_TEXT), True)
    empty = pc.fill_null(pc.equal(array, ""), False)
    array = pc.if_else(empty, pa.scalar(None, array.type), array)
    odd = pc.and_(pc.invert(plain), pc.invert(empty))
    if pc.any(odd).as_py():
        fixed = [clean_text(v) for v in array.filter(odd).to_pylist()]
        array = pc.replace_with_mask(array, odd, pa.array(fixed, array.type))
    return array


def _utc_micros_from_local(stamps: pa.Array, tz: str) -> pa.Array:
    """Naive wall-clock timestamps in ``tz`` → UTC microseconds."""
    aware = pc.assume_timezone(stamps.cast(pa.timestamp("us")), tz, ambiguous="earliest", nonexistent="earliest")
    return aware.cast(pa.timestamp("us", tz="UTC"))


def _parse_ts(array: pa.Array, tz: str) -> tuple[pa.Array, np.ndarray]:
    """(timestamps in UTC µs, bad mask) for a ts column of any accepted shape."""
    utc = pa.timestamp("us", tz="UTC")
    if pa.types.is_timestamp(array.type):
        result = array.cast(utc) if array.type.tz else _utc_micros_from_local(array, tz)
        return result, pc.is_null(result).to_numpy(zero_copy_only=False)
    if pa.types.is_integer(array.type):
        numbers = array.cast(pa.int64())
        micros = pc.if_else(pc.less(pc.abs(numbers), 10**11), pc.multiply(numbers, 1_000_000),
                            pc.multiply(numbers, 1_000))
        result = micros.cast(utc)
        return result, pc.is_null(result).to_numpy(zero_copy_only=False)
    text = pc.utf8_trim_whitespace(array.cast(pa.string()))
    seconds = pc.fill_null(pc.match_substring_regex(text, r"^[0-9]{9,10}$"), False)
    millis = pc.fill_null(pc.match_substring_regex(text, r"^[0-9]{13}$"), False)
    plain = pc.fill_null(pc.match_substring_regex(text, _TS_PLAIN), False)
    numbers = pc.cast(pc.if_else(pc.or_(seconds, millis), text, "0"), pa.int64())
    epoch = pc.if_else(seconds, pc.multiply(numbers, 1_000_000), pc.multiply(numbers, 1_000)).cast(utc)
    wall_text = pc.replace_substring(pc.if_else(plain, text, "2000-01-01 00:00:00"), "T", " ")
    wall = pc.strptime(wall_text, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)
    same_day = pc.equal(pc.day(wall), pc.cast(pc.utf8_slice_codeunits(wall_text, 8, 10), pa.int64()))
    plain = pc.and_(plain, pc.fill_null(same_day, False))
    local = _utc_micros_from_local(wall, tz)
    result = pc.if_else(plain, local, epoch)
    other = pc.invert(pc.or_(pc.or_(seconds, millis), plain)).to_numpy(zero_copy_only=False).copy()
    bad = np.zeros(len(array), bool)
    if other.any():
        indexes = np.flatnonzero(other)
        parsed: list[object] = []
        for index, value in zip(indexes, text.take(pa.array(indexes)).to_pylist(), strict=True):
            try:
                moment = parse_datetime(value, tz)
            except ValueProblem:
                moment = None
            if moment is None:
                bad[index] = True
            parsed.append(moment)
        mask = pa.array(other)
        result = pc.replace_with_mask(result, mask, pa.array(parsed, utc))
    return result, bad


def local_dates(stamps: pa.Array, tz: str) -> pa.Array:
    return pc.local_timestamp(stamps.cast(pa.timestamp("us", tz=tz))).cast(pa.date32())


def _parse_price(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Money in fen: plain decimals vectorised, anything else through parse_money_fen; negative → bad."""
    if not pa.types.is_string(array.type):
        array = pc.cast(array, pa.string())
    text = pc.utf8_trim_whitespace(array)
    empty = pc.fill_null(pc.equal(text, ""), True)
    plain = pc.fill_null(pc.match_substring_regex(text, _MONEY_PLAIN), False)
    yuan = pc.cast(pc.if_else(plain, text, "0"), pa.decimal128(14, 2))
    fen = pc.cast(pc.multiply(yuan, pa.scalar(100, pa.decimal128(3, 0))), pa.int64())
    result = pc.if_else(plain, fen, pa.scalar(None, pa.int64()))
    other = pc.invert(pc.or_(plain, empty)).to_numpy(zero_copy_only=False)
    bad = np.zeros(len(array), bool)
    if other.any():
        indexes = np.flatnonzero(other)
        values: list[int | None] = []
        for index, value in zip(indexes, text.take(pa.array(indexes)).to_pylist(), strict=True):
            try:
                fen_value = parse_money_fen(value)
            except ValueProblem:
                fen_value = None
                bad[index] = True
            if fen_value is not None and fen_value < 0:
                bad[index] = True
                fen_value = None
            values.append(fen_value)
        result = pc.replace_with_mask(result, pa.array(other), pa.array(values, pa.int64()))
    return result, bad


def _parse_behavior(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    text = pc.utf8_lower(pc.utf8_trim_whitespace(array.cast(pa.string())))
    keys = pa.array(list(BEHAVIOR_ALIASES))
    where = pc.index_in(text, value_set=keys)
    mapped = pc.take(pa.array(list(BEHAVIOR_ALIASES.values())), where)
    text = pc.if_else(pc.is_valid(where), mapped, text)
    ok = pc.fill_null(pc.match_substring_regex(text, _BEHAVIOR_OK), False)
    return text, pc.invert(ok).to_numpy(zero_copy_only=False)


def import_events(fmt: LakeFormat, path: str, table: LakeTable, ctx: LakeContext) -> tuple[str, int, FeedResult]:
    feed = feed_id(shop_id=ctx.shop_id, source=fmt.name, channel_account_id=ctx.account)
    with read_table(path) as stream:
        resolution = resolve_columns(stream.headers, EVENTS_COLUMNS)
        if resolution.errors:
            raise ReadError(gettext_noop("the file lacks required columns; nothing was imported"), resolution.errors)
        rows = 0
        size = max(stream.size, 1)
        with FeedWriter(table, feed) as writer:
            for batch in stream:
                rows += len(batch.row_numbers)
                data = _events_table(batch, resolution.mapping, ctx)
                if data is None:
                    continue
                writer.add(data.cast(pa.schema([table.schema.field(c) for c in data.column_names])))
                ctx.tick(0.8 * min(1.0, rows * 60 / size))
            if ctx.rejected and not ctx.skip_invalid:
                writer.discard()
                return feed, rows, FeedResult(rows=rows, version=lake.table_version(table))
            return feed, rows, writer.finish(commit=not ctx.dry_run, metadata={"shopops.format": fmt.name})


def _events_table(batch: Any, where: dict[str, int], ctx: LakeContext) -> pa.Table | None:
    """One batch checked column-wise (bad rows are row errors) and, while the import can still succeed, its
    good rows as events (None otherwise)."""
    numbers = np.asarray(batch.row_numbers)
    n = len(numbers)
    bad = np.zeros(n, bool)

    def flag(mask: np.ndarray, column: str, message: Text) -> None:
        mask = mask & ~bad
        if mask.any():
            ctx.fail(numbers[mask].tolist(), column, message)
            bad[mask] = True

    raw_ts = batch.arrow_column(where["ts"]) if batch.arrow is not None else None
    ts, ts_bad = _parse_ts(raw_ts if raw_ts is not None and not pa.types.is_string(raw_ts.type)
                           else _as_strings(batch, where["ts"]), ctx.tz)
    flag(ts_bad, "ts", gettext_noop("not a valid timestamp"))
    texts = {}
    for name in ("user_id", "item_id", "category_id"):
        texts[name] = _clean_strings(_as_strings(batch, where[name]))
        flag(pc.is_null(texts[name]).to_numpy(zero_copy_only=False), name, gettext_noop("must not be empty"))
    behavior, behavior_bad = _parse_behavior(_as_strings(batch, where["behavior"]))
    flag(behavior_bad, "behavior", gettext_noop("behavior must be pv, fav, cart, buy or a lower-case word"))
    for name in ("sku_id", "channel", "source", "session_id"):
        texts[name] = _clean_strings(_as_strings(batch, where[name])) if name in where else pa.nulls(n, pa.string())
    if "price" in where:
        price, price_bad = _parse_price(_as_strings(batch, where["price"]))
        flag(price_bad, "price", gettext_noop("price must be an amount of at least 0"))
    else:
        price = pa.nulls(n, pa.int64())
    ctx.rejected += int(bad.sum())
    if not ctx.staging:
        return None
    keep = pa.array(~bad)
    ts = pc.filter(ts, keep)
    m = len(ts)
    return pa.table({
        "shop_id": pa.array(np.full(m, ctx.shop_id, np.int64)),
        "channel": pc.fill_null(pc.filter(texts["channel"], keep), ctx.channel),
        "channel_account_id": pa.nulls(m, pa.int64()) if ctx.account is None
        else pa.array(np.full(m, ctx.account, np.int64)),
        "ts": ts,
        **{name: pc.filter(texts[name], keep) for name in ("user_id", "item_id", "category_id", "sku_id")},
        "behavior": pc.filter(behavior, keep), "source": pc.filter(texts["source"], keep),
        "session_id": pc.filter(texts["session_id"], keep), "price_fen": pc.filter(price, keep),
        "date": local_dates(ts, ctx.tz),
    })
