"""Time: store UTC, show the shop's time zone; business dates are local dates (docs/architecture.md#data)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"


def now() -> dt.datetime:
    """The current instant, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def local_date(instant: dt.datetime, tz_name: str = DEFAULT_TZ) -> dt.date:
    """The business date of an instant in the shop's time zone."""
    return instant.astimezone(ZoneInfo(tz_name)).date()


def today(tz_name: str = DEFAULT_TZ) -> dt.date:
    return local_date(now(), tz_name)


def day_bounds(day: dt.date, tz_name: str = DEFAULT_TZ) -> tuple[dt.datetime, dt.datetime]:
    """The UTC half-open interval [start, end) covering a local business date."""
    tz = ZoneInfo(tz_name)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def days_last_24_hours(date_from: dt.date, date_to: dt.date, tz_name: str = DEFAULT_TZ) -> bool:
    """Every date of ``date_from..date_to`` lasts exactly 24 hours in ``tz_name`` (no daylight-saving change
    in between, as in China): then a window of one day spans at most two consecutive dates."""
    zone = ZoneInfo(tz_name)
    offsets = {dt.datetime.combine(date_from + dt.timedelta(days=i), dt.time(), zone).utcoffset()
               for i in range((date_to - date_from).days + 2)}
    return len(offsets) == 1
