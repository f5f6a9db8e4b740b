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

import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopops.core.errors import FieldError
from shopops.imports.columns import ColumnConverter, resolve_columns
from shopops.imports.fastpaths import _PLAIN_TEXT
from shopops.imports.formats.base import Format, say
from shopops.imports.formats.lake_formats import (
    _AD_REQUIRED,
    AD_PLATFORMS,
    BEHAVIOR_ALIASES,
    BEHAVIORS,
    EVENTS_COLUMNS,
    USERBEHAVIOR_NAMES,
    USERBEHAVIOR_WINDOW,
    LakeFormat,
    Layout,
    parse_report_date,
)
from shopops.imports.normalize import DEFAULT_TZ, ValueProblem, clean_text, parse_datetime, parse_money_fen
from shopops.imports.readers import ReadError, read_raw_arrow_batches, read_table
from shopops.lake import services as lake
from shopops.lake.services import TABLES, FeedResult, FeedWriter, feed_id

if TYPE_CHECKING:
    from shopops.lake.tables import LakeTable

MAX_ERRORS = 1000
Progress = Callable[[float], None]


@dataclass
class LakeImportResult:
    """The import summary in rows (see the module docstring for the outcome rules).

    ``deleted``: rows of the feed's date range that the new file no longer has (replaced away);
    ``version``: the table's Delta version after the import; ``feed``: the source id the rows belong to.
    """

    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    skipped: int
    errors: list[FieldError]
    written: bool
    deleted: int = 0
    version: int | None = None
    feed: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class _Context:
    shop_id: int
    channel: str
    account: int | None
    language: str
    skip_invalid: bool
    dry_run: bool
    tz: str
    options: dict[str, str]
    date: dt.date | None = None
    platform: str = ""
    currency: str = ""
    progress: Progress | None = None
    errors: list[FieldError] = field(default_factory=list)
    rejected: int = 0
    skipped: int = 0

    def say(self, zh: str, en: str) -> str:
        return say(self.language, zh, en)

    def fail(self, rows: Sequence[int], column: str, message: str) -> None:
        """Row errors (one per row) for one column, kept up to MAX_ERRORS."""
        room = MAX_ERRORS - len(self.errors)
        for row in rows[:max(room, 0)]:
            self.errors.append(FieldError(column, message, int(row)))

    @property
    def staging(self) -> bool:
        """Rows are staged while the import can still succeed (no bad row yet, or skip_invalid)."""
        return self.skip_invalid or self.rejected == 0

    def tick(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress(max(0.0, min(fraction, 0.99)))


def import_lake_file(*, shop_id: int, fmt: Format, path: str, channel_account_id: int | None, channel: str,
                     skip_invalid: bool, dry_run: bool, language: str, options: dict[str, str],
                     progress: Progress | None = None) -> LakeImportResult:
    """Import one file of a lake format for one shop (and channel account); see the module docstring."""
    if not isinstance(fmt, LakeFormat):
        raise ValueError(f"{fmt.name} is not a lake format")
    ctx = _context(fmt, shop_id=shop_id, channel=channel, account=channel_account_id, language=language,
                   skip_invalid=skip_invalid, dry_run=dry_run, options=dict(options or {}), progress=progress)
    table = TABLES[fmt.table]
    engine = {"records": _import_records, "events": _import_events, "userbehavior": _import_userbehavior}[fmt.engine]
    feed, rows, outcome = engine(fmt, path, table, ctx)
    ctx.errors.sort(key=lambda e: (e.row or 0))
    if progress is not None:
        progress(1.0)
    return LakeImportResult(
        rows=rows, inserted=outcome.inserted, updated=outcome.updated, unchanged=outcome.unchanged,
        rejected=ctx.rejected, skipped=ctx.skipped, errors=ctx.errors[:MAX_ERRORS], written=outcome.written,
        deleted=outcome.deleted, version=outcome.version, feed=feed, date_from=outcome.date_from,
        date_to=outcome.date_to)


# ------------------------------------------------------------------------------------------- options


def _context(fmt: LakeFormat, *, options: dict[str, str], language: str, **kwargs: Any) -> _Context:
    def refuse(zh: str, en: str) -> ReadError:
        return ReadError(zh, en, [FieldError("options", say(language, zh, en))], language=language)

    tz = options.get("tz") or DEFAULT_TZ
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise refuse(f"未知的时区“{tz}”", f"unknown time zone “{tz}”") from None
    ctx = _Context(tz=tz, options=options, language=language, **kwargs)
    for name in ("date", "date_from", "date_to"):
        text = options.get(name)
        if text:
            try:
                day = dt.date.fromisoformat(text.strip())
            except ValueError:
                raise refuse(f"选项 {name} 必须是 YYYY-MM-DD 格式的日期（实际为“{text}”）",
                             f"option {name} must be a date as YYYY-MM-DD (got “{text}”)") from None
            if name == "date":
                ctx.date = day
    if fmt.layouts:
        platform = (options.get("platform") or "").strip().lower()
        if platform not in fmt.layouts:
            listed = " | ".join(AD_PLATFORMS)
            shown = f"“{platform}”" if platform else "（未指定）"
            raise refuse(f"广告报表需要选项 platform={listed}；{shown} 不是其中之一",
                         f"an ad report needs the option platform={listed}; "
                         f"{'“' + platform + '”' if platform else 'none was given'} is not one of them")
        ctx.platform = platform
    else:
        ctx.platform = (options.get("platform") or "").strip().lower() or fmt.platform
    currency = (options.get("currency") or "").strip().upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise refuse(f"选项 currency 必须是三位货币代码（如 USD）：“{currency}”",
                     f"option currency must be a 3-letter code such as USD: “{currency}”")
    layout = fmt.layout_for(ctx.platform) if (fmt.layout or fmt.layouts) else None
    ctx.currency = currency or (layout.currency if layout else "CNY")
    return ctx


def _variant(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


# ------------------------------------------------------------------------------------------- records


def _level(layout: Layout, present: set[str]) -> tuple[str, str | None]:
    """(level, the field holding the target) from the columns present in the file."""
    for name, level in layout.targets:
        if name in present:
            return level, name
    for name, level in layout.fallback_levels:
        if name in present:
            return level, None
    return layout.default_level, None


def _import_records(fmt: LakeFormat, path: str, table: LakeTable,
                    ctx: _Context) -> tuple[str, int, FeedResult]:
    layout = fmt.layout_for(ctx.platform)
    spec = layout.columns
    with read_table(path, language=ctx.language) as stream:
        resolution = resolve_columns(stream.headers, spec, language=ctx.language)
        present = {name for name, column in layout.fields.items() if column.name in resolution.mapping}
        problems = list(resolution.errors)
        date_column = layout.fields["date"].name
        if "date" not in present and ctx.date is None:
            problems.append(FieldError(date_column, ctx.say(
                f"缺少日期列“{date_column}”：请导出按天的数据，或用选项 date=YYYY-MM-DD 指明这一天",
                f"no date column “{date_column}”: export daily data, or give the day as option date=YYYY-MM-DD"), 1))
        if fmt.layouts:
            for name in _AD_REQUIRED:
                if name not in present:
                    column = layout.fields[name]
                    problems.append(FieldError(column.name, ctx.say(
                        f"缺少必需的列“{column.name}”（{ctx.platform}）",
                        f"required column “{column.name}” is missing ({ctx.platform})"), 1))
        if problems:
            raise ReadError("文件缺少必需的列，未导入任何数据", "the file lacks required columns; nothing was imported",
                            problems, language=ctx.language)
        level, target_field = _level(layout, present)
        variant = _variant(f"{ctx.platform}-{level}" if fmt.layouts else level)
        feed = feed_id(shop_id=ctx.shop_id, source=fmt.name, channel_account_id=ctx.account, variant=variant)
        converter = ColumnConverter(spec, resolution, language=ctx.language, tz=ctx.tz)
        seen: dict[tuple, int] = {}
        rows = 0
        size = max(stream.size, 1)
        with FeedWriter(table, feed) as writer:
            for batch in stream:
                converted = converter.convert(batch)
                rows += len(converted)
                data = _records_table(layout, table, ctx, converted, level, target_field, seen, present)
                if data is not None and ctx.staging:
                    writer.add(data)
                ctx.tick(0.8 * min(1.0, rows * 100 / size))
            if ctx.rejected and not ctx.skip_invalid:
                writer.discard()
                return feed, rows, FeedResult(rows=rows, version=lake.table_version(table))
            ctx.tick(0.9)
            return feed, rows, writer.finish(commit=not ctx.dry_run, metadata={"shopops.format": fmt.name})


def _records_table(layout: Layout, table: LakeTable, ctx: _Context, converted: Any, level: str,
                   target_field: str | None, seen: dict[tuple, int], present: set[str]) -> pa.Table | None:
    values: dict[str, list[object]] = converted.values
    numbers = list(converted.row_numbers)
    bad = set(converted.bad_rows)
    for error in converted.errors:
        if len(ctx.errors) < MAX_ERRORS:
            ctx.errors.append(error)
    fields = layout.fields
    count = len(numbers)

    def column(name: str) -> list[object]:
        spec = fields.get(name)
        return values[spec.name] if spec is not None else [None] * count

    # dates: the report's date column (Amazon's US formats too), or the day given as an option
    date_spec = fields["date"]
    raw_dates = values.get(date_spec.name) or [None] * count
    dates: list[dt.date | None] = []
    for i, raw in enumerate(raw_dates):
        day = None
        if raw is None:
            day = ctx.date
            if day is None and numbers[i] not in bad:
                _row_error(ctx, bad, numbers[i], date_spec.name, ctx.say("日期不能为空", "the date must not be empty"))
        else:
            try:
                day = parse_report_date(raw, ctx.tz)
            except ValueProblem as problem:
                _row_error(ctx, bad, numbers[i], date_spec.name, problem.message(ctx.language))
        dates.append(day)

    out: dict[str, list[object]] = {}
    for name in table.data_columns:
        if name in ("shop_id", "channel", "channel_account_id", "level", "platform", "currency"):
            continue
        if name == "target":
            out[name] = column(target_field) if target_field else [None] * count
        elif name == "source" and "source_detail" in fields:
            detail = column("source_detail")
            out[name] = [f"{s}/{d}" if s and d else (s or d) for s, d in zip(column("source"), detail, strict=True)]
        else:
            out[name] = column(name)
    row_currency = column("currency") if "currency" in fields else [None] * count
    key = table.key
    for name in key:
        if name in out:
            out[name] = ["" if v is None else str(v) for v in out[name]]
    out["level"] = [level] * count
    # duplicate keys (date × key) within the file
    for i in range(count):
        if numbers[i] in bad or dates[i] is None:
            continue
        identity = (dates[i], *(out[name][i] for name in key if name != "level"))
        first = seen.setdefault(identity, numbers[i])
        if first != numbers[i]:
            shown = " / ".join(str(v) for v in identity[1:] if v) or dates[i].isoformat()
            _row_error(ctx, bad, numbers[i], fields[_key_field(key, present, target_field)].name, ctx.say(
                f"与第 {first} 行重复（同一日期和“{shown}”）", f"duplicates row {first} (same date and “{shown}”)"))
    keep = [i for i in range(count) if numbers[i] not in bad]
    ctx.rejected += count - len(keep)
    if not keep:
        return None
    n = len(keep)
    columns: dict[str, pa.Array] = {}
    for field_ in table.schema:
        name = field_.name
        if name == "shop_id":
            array = pa.array([ctx.shop_id] * n, pa.int64())
        elif name == "channel":
            array = pa.array([ctx.channel] * n, pa.string())
        elif name == "channel_account_id":
            array = pa.array([ctx.account] * n, pa.int64())
        elif name == "platform":
            array = pa.array([ctx.platform or ctx.channel] * n, pa.string())
        elif name == "currency":
            array = pa.array([str(row_currency[i] or ctx.currency).upper() for i in keep], pa.string())
        elif name == "date":
            array = pa.array([dates[i] for i in keep], pa.date32())
        elif name == "feed":
            continue
        else:
            source = out[name]
            array = pa.array([source[i] for i in keep], field_.type)
        columns[name] = array
    return pa.table(columns).cast(pa.schema([table.schema.field(n) for n in columns]))


def _key_field(key: tuple[str, ...], present: set[str], target_field: str | None) -> str:
    """The file column to name for a repeated key: the most specific key column the file has."""
    for name in reversed(key):
        if name == "target" and target_field:
            return target_field
        if name in present:
            return name
    return "date"


def _row_error(ctx: _Context, bad: set[int], row: int, column: str, message: str) -> None:
    bad.add(row)
    if len(ctx.errors) < MAX_ERRORS:
        ctx.errors.append(FieldError(column, message, row))


# -------------------------------------------------------------------------------------------- events

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


def _local_dates(stamps: pa.Array, tz: str) -> pa.Array:
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


def _import_events(fmt: LakeFormat, path: str, table: LakeTable, ctx: _Context) -> tuple[str, int, FeedResult]:
    feed = feed_id(shop_id=ctx.shop_id, source=fmt.name, channel_account_id=ctx.account)
    with read_table(path, language=ctx.language) as stream:
        resolution = resolve_columns(stream.headers, EVENTS_COLUMNS, language=ctx.language)
        if resolution.errors:
            raise ReadError("文件缺少必需的列，未导入任何数据", "the file lacks required columns; nothing was imported",
                            resolution.errors, language=ctx.language)
        where = resolution.mapping
        rows = 0
        size = max(stream.size, 1)
        with FeedWriter(table, feed) as writer:
            for batch in stream:
                numbers = np.asarray(batch.row_numbers)
                n = len(numbers)
                rows += n
                bad = np.zeros(n, bool)

                def flag(mask: np.ndarray, column: str, zh: str, en: str, bad: np.ndarray = bad,
                         numbers: np.ndarray = numbers) -> None:
                    mask = mask & ~bad
                    if mask.any():
                        ctx.fail(numbers[mask].tolist(), column, ctx.say(zh, en))
                        bad |= mask

                raw_ts = batch.arrow_column(where["ts"]) if batch.arrow is not None else None
                ts, ts_bad = _parse_ts(raw_ts if raw_ts is not None and not pa.types.is_string(raw_ts.type)
                                       else _as_strings(batch, where["ts"]), ctx.tz)
                flag(ts_bad, "ts", "无法识别的时间", "not a valid timestamp")
                texts = {}
                for name in ("user_id", "item_id", "category_id"):
                    texts[name] = _clean_strings(_as_strings(batch, where[name]))
                    flag(pc.is_null(texts[name]).to_numpy(zero_copy_only=False), name, "不能为空", "must not be empty")
                behavior, behavior_bad = _parse_behavior(_as_strings(batch, where["behavior"]))
                flag(behavior_bad, "behavior", "行为必须是 pv、fav、cart、buy 或小写英文单词",
                     "behavior must be pv, fav, cart, buy or a lower-case word")
                for name in ("sku_id", "channel", "source", "session_id"):
                    texts[name] = _clean_strings(_as_strings(batch, where[name])) if name in where \
                        else pa.nulls(n, pa.string())
                if "price" in where:
                    price, price_bad = _parse_price(_as_strings(batch, where["price"]))
                    flag(price_bad, "price", "价格必须是不小于 0 的金额", "price must be an amount of at least 0")
                else:
                    price = pa.nulls(n, pa.int64())
                ctx.rejected += int(bad.sum())
                if not ctx.staging:
                    continue
                keep = pa.array(~bad)
                ts = pc.filter(ts, keep)
                channel = pc.fill_null(pc.filter(texts["channel"], keep), ctx.channel)
                m = len(ts)
                data = pa.table({
                    "shop_id": pa.array(np.full(m, ctx.shop_id, np.int64)), "channel": channel,
                    "channel_account_id": pa.nulls(m, pa.int64()) if ctx.account is None
                    else pa.array(np.full(m, ctx.account, np.int64)),
                    "ts": ts,
                    **{name: pc.filter(texts[name], keep) for name in ("user_id", "item_id", "category_id", "sku_id")},
                    "behavior": pc.filter(behavior, keep), "source": pc.filter(texts["source"], keep),
                    "session_id": pc.filter(texts["session_id"], keep), "price_fen": pc.filter(price, keep),
                    "date": _local_dates(ts, ctx.tz),
                })
                writer.add(data.cast(pa.schema([table.schema.field(c) for c in data.column_names])))
                ctx.tick(0.8 * min(1.0, rows * 60 / size))
            if ctx.rejected and not ctx.skip_invalid:
                writer.discard()
                return feed, rows, FeedResult(rows=rows, version=lake.table_version(table))
            return feed, rows, writer.finish(commit=not ctx.dry_run, metadata={"shopops.format": fmt.name})


# -------------------------------------------------------------------------------------- userbehavior

_UB_INT = ("user_id", "item_id", "category_id", "timestamp")
_UB_VOCABULARY = pa.array(list(BEHAVIORS))


class _NotIntegers(Exception):
    pass


def _window(ctx: _Context) -> tuple[dt.date, dt.date]:
    start, end = USERBEHAVIOR_WINDOW
    if ctx.options.get("date_from"):
        start = dt.date.fromisoformat(ctx.options["date_from"].strip())
    if ctx.options.get("date_to"):
        end = dt.date.fromisoformat(ctx.options["date_to"].strip())
    return start, end


def _fixed_offset(tz: str, start: dt.date, end: dt.date) -> int | None:
    """The zone's UTC offset in seconds when it is the same over the window (then dates are integer
    arithmetic), else None."""
    zone = ZoneInfo(tz)
    offsets = {dt.datetime.combine(start + dt.timedelta(days=i), dt.time(12), zone).utcoffset()
               for i in range((end - start).days + 2)}
    return int(offsets.pop().total_seconds()) if len(offsets) == 1 else None


def _import_userbehavior(fmt: LakeFormat, path: str, table: LakeTable,
                         ctx: _Context) -> tuple[str, int, FeedResult]:
    feed = feed_id(shop_id=ctx.shop_id, source=fmt.name, channel_account_id=ctx.account)
    try:
        return feed, *_userbehavior_pass(path, table, feed, ctx, typed=True)
    except _NotIntegers:
        ctx.errors.clear()
        ctx.rejected = ctx.skipped = 0
        return feed, *_userbehavior_pass(path, table, feed, ctx, typed=False)


def _userbehavior_pass(path: str, table: LakeTable, feed: str, ctx: _Context,
                       typed: bool) -> tuple[int, FeedResult]:
    """One streaming pass. ``typed``: pyarrow parses the integers (fast); else every cell is text and
    checked here, so each bad row is named."""
    start, end = _window(ctx)
    offset = _fixed_offset(ctx.tz, start, end)
    first_day = (start - dt.date(1970, 1, 1)).days
    last_day = (end - dt.date(1970, 1, 1)).days
    size = max(os.path.getsize(path), 1)
    line_bytes = _average_line_bytes(path)
    types = {name: pa.int64() for name in _UB_INT} if typed else None
    batches = read_raw_arrow_batches(path, header=False, column_names=USERBEHAVIOR_NAMES, column_types=types,
                                     language=ctx.language)
    constants = _constant_hashes(table, ctx)
    behavior_hashes = lake.column_hash(_UB_VOCABULARY)
    names = table.data_columns
    rows = 0
    with FeedWriter(table, feed) as writer:
        try:
            for batch in batches:
                n = batch.num_rows
                numbers_start = rows + 1
                rows += n
                columns = [batch.column(i) for i in range(5)]
                bad = np.zeros(n, bool)
                if typed:
                    users, items, categories, stamps = (columns[0], columns[1], columns[2], columns[4])
                else:
                    users, items, categories, stamps = (
                        _text_integers(columns[i], USERBEHAVIOR_NAMES[i], bad, numbers_start, ctx) for i in (0, 1, 2, 4))
                for name, array in (("user_id", users), ("item_id", items), ("category_id", categories)):
                    negative = pc.fill_null(pc.less(array, 0), True).to_numpy(zero_copy_only=False) & ~bad
                    if negative.any():
                        ctx.fail((np.flatnonzero(negative) + numbers_start).tolist(), name,
                                 ctx.say("必须是不小于 0 的整数", "must be a whole number of at least 0"))
                        bad |= negative
                code = pc.index_in(columns[3], value_set=_UB_VOCABULARY)
                unknown = pc.is_null(code).to_numpy(zero_copy_only=False) & ~bad
                if unknown.any():
                    ctx.fail((np.flatnonzero(unknown) + numbers_start).tolist(), "behavior_type",
                             ctx.say("behavior_type 必须是 pv、buy、cart 或 fav", "behavior_type must be pv, buy, cart or fav"))
                    bad |= unknown
                ctx.rejected += int(bad.sum())
                seconds = stamps.fill_null(0).to_numpy(zero_copy_only=False)
                sane = (seconds > -10**11) & (seconds < 10**11)
                if offset is not None:
                    days = np.where(sane, (seconds + offset) // 86400, -10**9)
                else:
                    local = _local_dates(pa.array(np.where(sane, seconds, 0) * 1_000_000, pa.timestamp("us", tz="UTC")),
                                         ctx.tz)
                    days = np.where(sane, local.cast(pa.int32()).to_numpy(zero_copy_only=False), -10**9)
                inside = (days >= first_day) & (days <= last_day)
                ctx.skipped += int((~inside & ~bad).sum())
                keep = inside & ~bad
                ctx.tick(min(0.9, rows * line_bytes / size * 0.9))
                if not ctx.staging or not keep.any():
                    continue
                kept_days = days[keep]
                # days relative to the window fit 16 bits, where numpy's stable sort is a radix sort: O(n)
                relative = kept_days - first_day
                order = np.argsort(relative.astype(np.int16) if last_day - first_day < 32_000 else relative,
                                   kind="stable")
                take = np.flatnonzero(keep)[order]
                take_array = pa.array(take)
                user = users.take(take_array)
                item = items.take(take_array)
                category = categories.take(take_array)
                moment = pc.multiply(stamps.take(take_array), 1_000_000).cast(pa.timestamp("us", tz="UTC"))
                behavior_code = code.take(take_array)
                m = len(take)
                data = pa.table({
                    "shop_id": pa.repeat(pa.scalar(ctx.shop_id, pa.int64()), m),
                    "channel": pa.repeat(pa.scalar(ctx.channel, pa.string()), m),
                    "channel_account_id": pa.repeat(pa.scalar(ctx.account, pa.int64()), m),
                    "ts": moment,
                    "user_id": pc.cast(user, pa.string()), "item_id": pc.cast(item, pa.string()),
                    "category_id": pc.cast(category, pa.string()), "sku_id": pa.nulls(m, pa.string()),
                    "behavior": _UB_VOCABULARY.take(behavior_code), "source": pa.nulls(m, pa.string()),
                    "session_id": pa.nulls(m, pa.string()), "price_fen": pa.nulls(m, pa.int64()),
                    "date": pa.array(kept_days[order].astype(np.int32), pa.int32()).cast(pa.date32()),
                })
                precomputed: dict[str, Any] = dict(constants)  # scalars: the same on every row
                precomputed["user_id"] = lake.integer_text_hash(user.to_numpy(zero_copy_only=False))
                precomputed["item_id"] = lake.integer_text_hash(item.to_numpy(zero_copy_only=False))
                precomputed["category_id"] = lake.integer_text_hash(category.to_numpy(zero_copy_only=False))
                precomputed["behavior"] = behavior_hashes[behavior_code.to_numpy(zero_copy_only=False)]
                hashes = lake.row_hashes(data, names, precomputed=precomputed)
                writer.add(data, hashes=hashes, sorted_by_date=True)
        except ReadError as error:
            if typed and "conversion error" in error.message_en.lower():
                raise _NotIntegers from error
            raise
        if ctx.rejected and not ctx.skip_invalid:
            writer.discard()
            return rows, FeedResult(rows=rows, version=lake.table_version(table))
        ctx.tick(0.92)
        return rows, writer.finish(commit=not ctx.dry_run, metadata={"shopops.format": "taobao-userbehavior"})


def _constant_hashes(table: LakeTable, ctx: _Context) -> dict[str, np.uint64]:
    """Hashes of the columns that are the same on every row of this import (computed once)."""
    values = {"shop_id": pa.array([ctx.shop_id], pa.int64()), "channel": pa.array([ctx.channel], pa.string()),
              "channel_account_id": pa.array([ctx.account], pa.int64()), "sku_id": pa.nulls(1, pa.string()),
              "source": pa.nulls(1, pa.string()), "session_id": pa.nulls(1, pa.string()),
              "price_fen": pa.nulls(1, pa.int64())}
    return {name: lake.column_hash(array.cast(table.schema.field(name).type))[0] for name, array in values.items()}


def _text_integers(array: pa.Array, name: str, bad: np.ndarray, first_row: int, ctx: _Context) -> pa.Array:
    """A text column of the slow pass as int64; cells that are not whole numbers are row errors."""
    text = pc.utf8_trim_whitespace(array)
    ok = pc.fill_null(pc.match_substring_regex(text, r"^-?[0-9]{1,18}$"), False).to_numpy(zero_copy_only=False)
    wrong = ~ok & ~bad
    if wrong.any():
        ctx.fail((np.flatnonzero(wrong) + first_row).tolist(), name, ctx.say("必须是整数", "must be a whole number"))
        bad |= wrong
    return pc.cast(pc.if_else(pa.array(ok), text, "0"), pa.int64())


def _average_line_bytes(path: str) -> float:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    lines = head.count(b"\n")
    return len(head) / lines if lines else float(len(head) or 1)
