"""The ``records`` engine (sycm-traffic, amazon-business-report, ad-report, search-terms,
competitor-snapshot): the shared reader and converter, then Arrow tables; a repeated key (date × the table's
key) is a row error."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from shopops.core.errors import FieldError
from shopops.core.text import gettext_noop
from shopops.imports.columns import ColumnConverter, resolve_columns
from shopops.imports.formats.lake_formats import (
    _AD_REQUIRED,
    LakeFormat,
    Layout,
    parse_report_date,
)
from shopops.imports.lake_context import MAX_ERRORS, LakeContext, row_error
from shopops.imports.normalize import ValueProblem
from shopops.imports.readers import ReadError, read_table
from shopops.lake import services as lake
from shopops.lake.services import FeedResult, FeedWriter, feed_id

if TYPE_CHECKING:
    from shopops.lake.tables import LakeTable

def _variant(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def _level(layout: Layout, present: set[str]) -> tuple[str, str | None]:
    """(level, the field holding the target) from the columns present in the file."""
    for name, level in layout.targets:
        if name in present:
            return level, name
    for name, level in layout.fallback_levels:
        if name in present:
            return level, None
    return layout.default_level, None


def import_records(fmt: LakeFormat, path: str, table: LakeTable,
                    ctx: LakeContext) -> tuple[str, int, FeedResult]:
    layout = fmt.layout_for(ctx.platform)
    spec = layout.columns
    with read_table(path) as stream:
        resolution = resolve_columns(stream.headers, spec)
        present = {name for name, column in layout.fields.items() if column.name in resolution.mapping}
        problems = list(resolution.errors)
        date_column = layout.fields["date"].name
        if "date" not in present and ctx.date is None:
            problems.append(FieldError(date_column, gettext_noop(
                "no date column “%(column)s”: export daily data, or give the day as option date=YYYY-MM-DD",
                column=date_column), 1))
        if fmt.layouts:
            for name in _AD_REQUIRED:
                if name not in present:
                    column = layout.fields[name]
                    problems.append(FieldError(column.name, gettext_noop(
                        "required column “%(column)s” is missing (%(platform)s)",
                        column=column.name, platform=ctx.platform), 1))
        if problems:
            raise ReadError(gettext_noop("the file lacks required columns; nothing was imported"), problems)
        level, target_field = _level(layout, present)
        variant = _variant(f"{ctx.platform}-{level}" if fmt.layouts else level)
        feed = feed_id(shop_id=ctx.shop_id, source=fmt.name, channel_account_id=ctx.account, variant=variant)
        converter = ColumnConverter(spec, resolution, tz=ctx.tz)
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


def _records_table(layout: Layout, table: LakeTable, ctx: LakeContext, converted: Any, level: str,
                   target_field: str | None, seen: dict[tuple, int], present: set[str]) -> pa.Table | None:
    """A converted batch as the table's rows; bad rows (conversion, date, repeated key) are row errors."""
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

    dates = _report_dates(values.get(fields["date"].name) or [None] * count, fields["date"].name, numbers, bad,
                          ctx)
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
    for name in table.key:
        if name in out:
            out[name] = ["" if v is None else str(v) for v in out[name]]
    out["level"] = [level] * count
    repeated = fields[_key_field(table.key, present, target_field)].name
    _repeated_keys(table.key, dates, out, numbers, bad, seen, repeated, ctx)
    keep = [i for i in range(count) if numbers[i] not in bad]
    ctx.rejected += count - len(keep)
    if not keep:
        return None
    row_currency = column("currency") if "currency" in fields else [None] * count
    return _records_arrow(table, ctx, keep, dates, out, row_currency)


def _report_dates(raw_dates: list[object], date_column: str, numbers: list[int], bad: set[int],
                  ctx: LakeContext) -> list[dt.date | None]:
    """Each row's day: the report's date column (Amazon's US formats too), or the day given as an option."""
    dates: list[dt.date | None] = []
    for i, raw in enumerate(raw_dates):
        day = None
        if raw is None:
            day = ctx.date
            if day is None and numbers[i] not in bad:
                row_error(ctx, bad, numbers[i], date_column, gettext_noop("the date must not be empty"))
        else:
            try:
                day = parse_report_date(raw, ctx.tz)
            except ValueProblem as problem:
                row_error(ctx, bad, numbers[i], date_column, problem.text)
        dates.append(day)
    return dates


def _repeated_keys(key: tuple[str, ...], dates: list[dt.date | None], out: dict[str, list[object]],
                   numbers: list[int], bad: set[int], seen: dict[tuple, int], column: str,
                   ctx: LakeContext) -> None:
    """A row whose date × key an earlier row of the file already had is a row error (named by ``column``)."""
    for i in range(len(numbers)):
        if numbers[i] in bad or dates[i] is None:
            continue
        identity = (dates[i], *(out[name][i] for name in key if name != "level"))
        first = seen.setdefault(identity, numbers[i])
        if first != numbers[i]:
            shown = " / ".join(str(v) for v in identity[1:] if v) or dates[i].isoformat()
            row_error(ctx, bad, numbers[i], column, gettext_noop(
                "duplicates row %(row)s (same date and “%(shown)s”)", row=first, shown=shown))


def _records_arrow(table: LakeTable, ctx: LakeContext, keep: list[int], dates: list[dt.date | None],
                   out: dict[str, list[object]], row_currency: list[object]) -> pa.Table:
    """The kept rows as an Arrow table of the lake table's schema (the import's constants filled in)."""
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

