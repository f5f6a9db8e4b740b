"""Local time of the simulation → aware UTC datetimes (docs/architecture.md#data: store UTC, business dates are local).

The generators count time as integer seconds since local midnight of the window's first day; this module turns
those into UTC instants through each local day's start (``core.clock.day_bounds``), so days with a DST
shift in other zones still map correctly at the day level.
"""

from __future__ import annotations

import datetime as dt

from shopops.core.clock import day_bounds

DAY = 86_400
_PAD_BEFORE = 2  # days before the window that timestamps may fall on (an order placed just before midnight)
_PAD_AFTER = 60  # days after the window (never used for emitted data, which ends at the window's end)


class LocalClock:
    def __init__(self, start: dt.date, days: int, tz: str) -> None:
        self.start = start
        self.days = days
        offsets = range(-_PAD_BEFORE, days + _PAD_AFTER)
        self._starts = [day_bounds(start + dt.timedelta(days=i), tz)[0] for i in offsets]
        self._lengths = [int((b - a).total_seconds()) for a, b in zip(self._starts, self._starts[1:],
                                                                          strict=False)]

    @property
    def end_seconds(self) -> int:
        """The window's end (local midnight after its last day) in local seconds."""
        return self.days * DAY

    def to_utc(self, seconds: list[int]) -> list[dt.datetime]:
        out = []
        starts, lengths, delta = self._starts, self._lengths, dt.timedelta
        for s in seconds:
            day, rest = divmod(s, DAY)
            k = day + _PAD_BEFORE
            out.append(starts[k] + delta(seconds=min(rest, lengths[k] - 1)))
        return out

    def local_dates(self, seconds: list[int]) -> list[dt.date]:
        dates = [self.start + dt.timedelta(days=d) for d in range(-_PAD_BEFORE, self.days + _PAD_AFTER)]
        return [dates[s // DAY + _PAD_BEFORE] for s in seconds]
