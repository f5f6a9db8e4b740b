"""What a lake import knows while it runs (shop, account, options, the errors so far) and what it returns;
the options of a lake format checked before a row is read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopops.core.errors import FieldError
from shopops.core.text import Text, gettext_noop
from shopops.imports.formats.lake_formats import (
    AD_PLATFORMS,
    LakeFormat,
)
from shopops.imports.normalize import DEFAULT_TZ
from shopops.imports.readers import ReadError

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
class LakeContext:
    shop_id: int
    channel: str
    account: int | None
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


def lake_context(fmt: LakeFormat, *, options: dict[str, str], **kwargs: Any) -> LakeContext:
    def refuse(message: Text) -> ReadError:
        return ReadError(message, [FieldError("options", message)])

    tz = options.get("tz") or DEFAULT_TZ
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise refuse(gettext_noop("unknown time zone “%(tz)s”", tz=tz)) from None
    ctx = LakeContext(tz=tz, options=options, **kwargs)
    for name in ("date", "date_from", "date_to"):
        text = options.get(name)
        if text:
            try:
                day = dt.date.fromisoformat(text.strip())
            except ValueError:
                raise refuse(gettext_noop("option %(name)s must be a date as YYYY-MM-DD (got “%(text)s”)",
                                          name=name, text=text)) from None
            if name == "date":
                ctx.date = day
    if fmt.layouts:
        platform = (options.get("platform") or "").strip().lower()
        if platform not in fmt.layouts:
            listed = " | ".join(AD_PLATFORMS)
            shown = f"“{platform}”" if platform else gettext_noop("none was given")
            raise refuse(gettext_noop("an ad report needs the option platform=%(listed)s; %(shown)s is not one of them",
                                      listed=listed, shown=shown))
        ctx.platform = platform
    else:
        ctx.platform = (options.get("platform") or "").strip().lower() or fmt.platform
    currency = (options.get("currency") or "").strip().upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise refuse(gettext_noop("option currency must be a 3-letter code such as USD: “%(currency)s”",
                                  currency=currency))
    layout = fmt.layout_for(ctx.platform) if (fmt.layout or fmt.layouts) else None
    ctx.currency = currency or (layout.currency if layout else "CNY")
    return ctx



def row_error(ctx: LakeContext, bad: set[int], row: int, column: str, message: str) -> None:
    bad.add(row)
    if len(ctx.errors) < MAX_ERRORS:
        ctx.errors.append(FieldError(column, message, row))

