"""The ``userbehavior`` engine (Tianchi UserBehavior, 100M rows): integer columns read by pyarrow, pure
pyarrow/numpy per batch, no Python object per row. If a cell is not an integer the fast read stops and the file
is re-read as text to name every bad row."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopops.core.text import gettext_noop
from shopops.imports.formats.lake_formats import (
    BEHAVIORS,
    USERBEHAVIOR_NAMES,
    USERBEHAVIOR_WINDOW,
    LakeFormat,
)
from shopops.imports.lake_context import LakeContext
from shopops.imports.lake_events import local_dates
from shopops.imports.readers import ReadError, read_raw_arrow_batches
from shopops.lake import services as lake
from shopops.lake.services import FeedResult, FeedWriter, feed_id

if TYPE_CHECKING:
    from shopops.lake.tables import LakeTable

_UB_INT = ("user_id", "item_id", "category_id", "timestamp")
_UB_VOCABULARY = pa.array(list(BEHAVIORS))


class _NotIntegers(Exception):
    pass


def _window(ctx: LakeContext) -> tuple[dt.date, dt.date]:
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


def import_userbehavior(fmt: LakeFormat, path: str, table: LakeTable,
                         ctx: LakeContext) -> tuple[str, int, FeedResult]:
    feed = feed_id(shop_id=ctx.shop_id, source=fmt.name, channel_account_id=ctx.account)
    try:
        return feed, *_userbehavior_pass(path, table, feed, ctx, typed=True)
    except _NotIntegers:
        ctx.errors.clear()
        ctx.rejected = ctx.skipped = 0
        return feed, *_userbehavior_pass(path, table, feed, ctx, typed=False)


def _userbehavior_pass(path: str, table: LakeTable, feed: str, ctx: LakeContext,
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
    batches = read_raw_arrow_batches(path, header=False, column_names=USERBEHAVIOR_NAMES, column_types=types)
    hashes = _constant_hashes(table, ctx), lake.column_hash(_UB_VOCABULARY)
    rows = kept = 0
    seen = _DaysSeen()
    # the bulk path leaves the events' rollups to the worker: building them here would double its time
    with FeedWriter(table, feed, defer_rollups=True) as writer:
        try:
            for batch in batches:
                numbers_start = rows + 1
                rows += batch.num_rows
                checked = _checked(batch, typed, numbers_start, ctx)
                stamps, bad = checked[3], checked[5]
                ctx.rejected += int(bad.sum())
                days = _local_days(stamps, offset, ctx.tz)
                inside = (days >= first_day) & (days <= last_day)
                ctx.skipped += int((~inside & ~bad).sum())
                keep = inside & ~bad
                kept += int(keep.sum())
                if not kept:  # the dates of the file are only told when nothing is kept
                    seen.add(days[~bad])
                ctx.tick(min(0.9, rows * line_bytes / size * 0.9))
                if not ctx.staging or not keep.any():
                    continue
                data, row_hashes = _behavior_rows(table, ctx, checked, days, keep, first_day, last_day, hashes)
                writer.add(data, hashes=row_hashes, sorted_by_date=True)
        except ReadError as error:
            if typed and "conversion error" in error.text.lower():
                raise _NotIntegers from error
            raise
        if ctx.rejected and not ctx.skip_invalid:
            writer.discard()
            return rows, FeedResult(rows=rows, version=lake.table_version(table))
        if ctx.skipped and not kept:  # leaving the writer by an exception discards what it staged
            raise _all_outside(ctx, rows, (start, end), seen)
        ctx.tick(0.92)
        return rows, writer.finish(commit=not ctx.dry_run, metadata={"shopops.format": "taobao-userbehavior"})


class _DaysSeen:
    """The first and last local day of the valid rows read so far (absurd stamps left out)."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.last: int | None = None

    def add(self, days: np.ndarray) -> None:
        days = days[days > -10**9]
        if days.size:
            low, high = int(days.min()), int(days.max())
            self.first = low if self.first is None else min(self.first, low)
            self.last = high if self.last is None else max(self.last, high)

    def span(self) -> tuple[dt.date, dt.date] | None:
        if self.first is None or self.last is None:
            return None
        epoch = dt.date(1970, 1, 1)
        try:
            return epoch + dt.timedelta(days=self.first), epoch + dt.timedelta(days=self.last)
        except OverflowError:  # a stamp beyond year 9999
            return None


def _all_outside(ctx: LakeContext, rows: int, window: tuple[dt.date, dt.date], seen: _DaysSeen) -> ReadError:
    """Every valid row lies outside the window: nothing would be imported, which is never what was meant."""
    params = {"skipped": ctx.skipped, "rows": rows, "start": window[0].isoformat(), "end": window[1].isoformat()}
    span = seen.span()
    if span is None:
        message = gettext_noop(
            "Every row is outside the UserBehavior window %(start)s..%(end)s (%(skipped)s of %(rows)s rows): "
            "nothing was imported. Widen the window with --date-from and --date-to (date_from and "
            "date_to in the API).", **params)
    else:
        message = gettext_noop(
            "Every row is outside the UserBehavior window %(start)s..%(end)s (%(skipped)s of %(rows)s rows, "
            "dated %(first)s..%(last)s): nothing was imported. Widen the window with --date-from and --date-to "
            "(date_from and date_to in the API).",
            first=span[0].isoformat(), last=span[1].isoformat(), **params)
    return ReadError(message)


_Checked = tuple[pa.Array, pa.Array, pa.Array, pa.Array, pa.Array, np.ndarray]


def _checked(batch: pa.RecordBatch, typed: bool, numbers_start: int, ctx: LakeContext) -> _Checked:
    """(users, items, categories, stamps as integers, behavior codes, bad-row mask) of one batch; negative ids
    and unknown behaviors (and, in the text pass, cells that are no whole number) are row errors."""
    columns = [batch.column(i) for i in range(5)]
    bad = np.zeros(batch.num_rows, bool)
    if typed:
        users, items, categories, stamps = (columns[0], columns[1], columns[2], columns[4])
    else:
        users, items, categories, stamps = (
            _text_integers(columns[i], USERBEHAVIOR_NAMES[i], bad, numbers_start, ctx) for i in (0, 1, 2, 4))
    for name, array in (("user_id", users), ("item_id", items), ("category_id", categories)):
        negative = pc.fill_null(pc.less(array, 0), True).to_numpy(zero_copy_only=False) & ~bad
        if negative.any():
            ctx.fail((np.flatnonzero(negative) + numbers_start).tolist(), name,
                     gettext_noop("must be a whole number of at least 0"))
            bad |= negative
    code = pc.index_in(columns[3], value_set=_UB_VOCABULARY)
    unknown = pc.is_null(code).to_numpy(zero_copy_only=False) & ~bad
    if unknown.any():
        ctx.fail((np.flatnonzero(unknown) + numbers_start).tolist(), "behavior_type",
                 gettext_noop("behavior_type must be pv, buy, cart or fav"))
        bad |= unknown
    return users, items, categories, stamps, code, bad


def _local_days(stamps: pa.Array, offset: int | None, tz: str) -> np.ndarray:
    """Each epoch-seconds stamp's local day (days since 1970-01-01); an absurd stamp gets a day far outside."""
    seconds = stamps.fill_null(0).to_numpy(zero_copy_only=False)
    sane = (seconds > -10**11) & (seconds < 10**11)
    if offset is not None:
        return np.where(sane, (seconds + offset) // 86400, -10**9)
    local = local_dates(pa.array(np.where(sane, seconds, 0) * 1_000_000, pa.timestamp("us", tz="UTC")), tz)
    return np.where(sane, local.cast(pa.int32()).to_numpy(zero_copy_only=False), -10**9)


def _behavior_rows(table: LakeTable, ctx: LakeContext, checked: _Checked, days: np.ndarray, keep: np.ndarray,
                   first_day: int, last_day: int,
                   hashes: tuple[dict[str, np.uint64], np.ndarray]) -> tuple[pa.Table, Any]:
    """The kept rows sorted by day, as events, with their row hashes (the constant and vocabulary columns
    hashed once per import, the integer ids hashed as numbers)."""
    users, items, categories, stamps, code, _bad = checked
    kept_days = days[keep]
    # days relative to the window fit 16 bits, where numpy's stable sort is a radix sort: O(n)
    relative = kept_days - first_day
    order = np.argsort(relative.astype(np.int16) if last_day - first_day < 32_000 else relative, kind="stable")
    take = np.flatnonzero(keep)[order]
    take_array = pa.array(take)
    user = users.take(take_array)
    item = items.take(take_array)
    category = categories.take(take_array)
    behavior_code = code.take(take_array)
    m = len(take)
    data = pa.table({
        "shop_id": pa.repeat(pa.scalar(ctx.shop_id, pa.int64()), m),
        "channel": pa.repeat(pa.scalar(ctx.channel, pa.string()), m),
        "channel_account_id": pa.repeat(pa.scalar(ctx.account, pa.int64()), m),
        "ts": pc.multiply(stamps.take(take_array), 1_000_000).cast(pa.timestamp("us", tz="UTC")),
        "user_id": pc.cast(user, pa.string()), "item_id": pc.cast(item, pa.string()),
        "category_id": pc.cast(category, pa.string()), "sku_id": pa.nulls(m, pa.string()),
        "behavior": _UB_VOCABULARY.take(behavior_code), "source": pa.nulls(m, pa.string()),
        "session_id": pa.nulls(m, pa.string()), "price_fen": pa.nulls(m, pa.int64()),
        "date": pa.array(kept_days[order].astype(np.int32), pa.int32()).cast(pa.date32()),
    })
    constants, behavior_hashes = hashes
    precomputed: dict[str, Any] = dict(constants)  # scalars: the same on every row
    precomputed["user_id"] = lake.integer_text_hash(user.to_numpy(zero_copy_only=False))
    precomputed["item_id"] = lake.integer_text_hash(item.to_numpy(zero_copy_only=False))
    precomputed["category_id"] = lake.integer_text_hash(category.to_numpy(zero_copy_only=False))
    precomputed["behavior"] = behavior_hashes[behavior_code.to_numpy(zero_copy_only=False)]
    return data, lake.row_hashes(data, table.data_columns, precomputed=precomputed)


def _constant_hashes(table: LakeTable, ctx: LakeContext) -> dict[str, np.uint64]:
    """Hashes of the columns that are the same on every row of this import (computed once)."""
    values = {"shop_id": pa.array([ctx.shop_id], pa.int64()), "channel": pa.array([ctx.channel], pa.string()),
              "channel_account_id": pa.array([ctx.account], pa.int64()), "sku_id": pa.nulls(1, pa.string()),
              "source": pa.nulls(1, pa.string()), "session_id": pa.nulls(1, pa.string()),
              "price_fen": pa.nulls(1, pa.int64())}
    return {name: lake.column_hash(array.cast(table.schema.field(name).type))[0] for name, array in values.items()}


def _text_integers(array: pa.Array, name: str, bad: np.ndarray, first_row: int, ctx: LakeContext) -> pa.Array:
    """A text column of the slow pass as int64; cells that are not whole numbers are row errors."""
    text = pc.utf8_trim_whitespace(array)
    ok = pc.fill_null(pc.match_substring_regex(text, r"^-?[0-9]{1,18}$"), False).to_numpy(zero_copy_only=False)
    wrong = ~ok & ~bad
    if wrong.any():
        ctx.fail((np.flatnonzero(wrong) + first_row).tolist(), name, gettext_noop("must be a whole number"))
        bad |= wrong
    return pc.cast(pc.if_else(pa.array(ok), text, "0"), pa.int64())


def _average_line_bytes(path: str) -> float:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    lines = head.count(b"\n")
    return len(head) / lines if lines else float(len(head) or 1)

