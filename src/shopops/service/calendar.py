"""Business calendars: when the shop's customer service works, and how far a number of business hours reaches.

Pure (no Django). A calendar is a time zone, the working periods of each weekday (several per day: a lunch
break is the gap between two), a holiday source (China's public holidays and make-up workdays, 调休, from the
``holidays`` package, or none), and the shop's own closed and working dates. The rules and their sources:
docs/rules/business-calendar.md#calendar-rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import numpy as np

from shopops.core.errors import FieldError, InvalidInput
from shopops.core.text import gettext_noop

HOLIDAYS_CN = "cn"
HOLIDAYS_NONE = ""
HOLIDAY_SOURCES = (HOLIDAYS_CN, HOLIDAYS_NONE)
WEEKDAYS = 7  # Monday first, as dt.date.weekday()
MAX_SEARCH_DAYS = 3 * 366  # a due time further than this is refused: the calendar barely opens
ZERO = dt.timedelta(0)
T = TypeVar("T")
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One working span of a day, local wall-clock times, ``start < end`` (a period ends by midnight)."""

    start: dt.time
    end: dt.time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


Day = tuple[Period, ...]


@dataclass(frozen=True)
class BusinessCalendar:
    """When service works. ``week[i]`` holds weekday i's periods (Monday = 0); ``closed`` and ``working``
    are the shop's own exceptions (a closed date wins over everything, a working date opens with the standard
    periods). Hashable, so the days it opens are cached per calendar."""

    tz: str
    week: tuple[Day, ...]
    holidays: str = HOLIDAYS_CN
    closed: frozenset[dt.date] = field(default_factory=frozenset)
    working: frozenset[dt.date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def standard(self) -> Day:
        """The periods of a make-up workday or an extra working date: those of the first weekday that works
        (Monday in a Monday–Friday week), whatever weekday the date falls on."""
        return next((day for day in self.week if day), ())


def parse_day(text: str) -> Day:
    """``"09:00-12:00, 13:30-18:00"`` → the day's periods, sorted; ``""`` → a closed day. ValueError with an
    English reason when a period is malformed, empty or overlaps another."""
    periods: list[Period] = []
    for part in (p for p in re.split(r"[,，;；\s]+(?=\d)", text.strip()) if p.strip()):
        match = _PERIOD.match(part)
        if match is None:
            raise ValueError(gettext_noop("“%(text)s” is not a period like 09:00-12:00.", text=part))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(gettext_noop("“%(text)s” is not a time of day.", text=part))
        start, end = dt.time(h1, m1), dt.time(h2, m2)
        if start >= end:
            raise ValueError(gettext_noop("“%(text)s” ends before it starts.", text=part))
        periods.append(Period(start, end))
    periods.sort()
    for before, after in zip(periods, periods[1:], strict=False):
        if after.start < before.end:
            raise ValueError(gettext_noop("%(a)s and %(b)s overlap.", a=str(before), b=str(after)))
    return tuple(periods)


def format_day(day: Day) -> str:
    return ", ".join(str(p) for p in day)


def calendar_build(*, tz: str, week: Sequence[str] | Mapping[int, str], holidays: str = HOLIDAYS_CN,
                   closed: Sequence[dt.date] = (), working: Sequence[dt.date] = ()) -> BusinessCalendar:
    """A checked calendar from text: ``week`` gives each weekday's periods (a sequence of 7, Monday first, or a
    mapping weekday → text, missing days closed). InvalidInput names every bad field at once."""
    errors: list[FieldError] = []
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError("timezone", gettext_noop("Unknown time zone: %(tz)s", tz=tz)))
    texts = dict(week) if isinstance(week, Mapping) else dict(enumerate(week))
    days: list[Day] = []
    for index in range(WEEKDAYS):
        try:
            days.append(parse_day(texts.get(index, "") or ""))
        except ValueError as exc:
            errors.append(FieldError(f"week[{index}]", exc.args[0]))
            days.append(())
    if not errors and not any(days):
        errors.append(FieldError("week", gettext_noop("Give at least one working period.")))
    if holidays not in HOLIDAY_SOURCES:
        errors.append(FieldError("holidays", gettext_noop("Unknown holiday source: %(value)s", value=holidays)))
    clash = sorted(set(closed) & set(working))
    if clash:
        errors.append(FieldError("working", gettext_noop("%(date)s is both closed and working.",
                                                         date=clash[0].isoformat())))
    if errors:
        raise InvalidInput(gettext_noop("The business calendar is not valid."), errors)
    return BusinessCalendar(tz=tz, week=tuple(days), holidays=holidays, closed=frozenset(closed),
                            working=frozenset(working))


def default_calendar(tz: str) -> BusinessCalendar:
    """A shop's default: Monday–Friday 9:00–18:00 in its time zone, China's holidays and make-up workdays."""
    nine_to_six = "09:00-18:00"
    return calendar_build(tz=tz, week=[nine_to_six] * 5 + ["", ""], holidays=HOLIDAYS_CN)


@lru_cache(maxsize=4)
def _holiday_table(source: str) -> holidays.HolidayBase:
    """China's public holidays (days off, including 调休 days off) and make-up workdays; years load lazily."""
    return holidays.country_holidays("CN")


def day_periods(calendar: BusinessCalendar, day: dt.date) -> Day:
    """The periods the calendar works on ``day`` (docs/rules/business-calendar.md#calendar-rules)."""
    return _day_periods(calendar, day)


@lru_cache(maxsize=65536)
def _day_periods(calendar: BusinessCalendar, day: dt.date) -> Day:
    if day in calendar.closed:
        return ()
    if day in calendar.working:
        return calendar.week[day.weekday()] or calendar.standard
    if calendar.holidays == HOLIDAYS_CN:
        table = _holiday_table(calendar.holidays)
        if day in table:  # a public holiday or a day off moved by 调休
            return ()
        if day.weekday() in table.weekend and table.is_working_day(day):  # a make-up workday (补班)
            return calendar.week[day.weekday()] or calendar.standard
    return calendar.week[day.weekday()]


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
NAT = int(np.iinfo(np.int64).min)  # "no instant" in an int64 column of microseconds (numpy's NaT)
_CHUNK_DAYS = 64  # clocks start and end on chunk boundaries, so nearby instants share a cached clock


def to_micros(instant: dt.datetime) -> int:
    """An aware instant as integer microseconds since 1970-01-01 UTC (exact, unlike a float timestamp)."""
    return (instant - EPOCH) // MICROSECOND


def from_micros(micros: int, zone: ZoneInfo) -> dt.datetime:
    return (EPOCH + dt.timedelta(microseconds=int(micros))).astimezone(zone)


class BeyondClock(Exception):
    """An instant or an addition falls after the clock's last day (build a longer clock)."""


@dataclass(frozen=True, eq=False)
class BusinessClock:
    """A calendar's working periods over the local dates [first, last] as one index: each period's opening
    and closing (UTC microseconds) and the working time before it. Working time between two instants is the
    difference of their positions, and adding working time is a search back from a position, so one
    ``np.searchsorted`` does for a million instants what a walk over the days does for one
    (docs/rules/business-calendar.md#business-clock)."""

    first: dt.date
    last: dt.date
    opens: np.ndarray
    closes: np.ndarray
    before: np.ndarray  # working microseconds from the first day up to each period's opening

    def position(self, instants: np.ndarray) -> np.ndarray:
        """Working microseconds from the clock's first day up to each instant (int64 microseconds)."""
        if not len(self.opens):
            return np.zeros(len(instants), dtype=np.int64)
        index = np.searchsorted(self.opens, instants, side="right") - 1
        safe = np.maximum(index, 0)
        inside = np.minimum(instants - self.opens[safe], self.closes[safe] - self.opens[safe])
        return np.where(index >= 0, self.before[safe] + inside, 0)

    def advance(self, starts: np.ndarray, amounts: np.ndarray) -> np.ndarray:
        """The instant ``amounts`` of working time after each start; a start outside working time starts at
        the next opening (zero gives the next opening, or the start itself inside a period). BeyondClock
        when one would fall after the clock's last period."""
        target = self.position(starts) + amounts
        ends = self.before + (self.closes - self.opens)
        index = np.maximum(np.searchsorted(ends, target, side="left"),
                           np.searchsorted(self.closes, starts, side="right"))
        if len(index) and int(index.max()) >= len(self.opens):
            raise BeyondClock
        return self.opens[index] + (target - self.before[index])


def business_clock(calendar: BusinessCalendar, first: dt.date, last: dt.date) -> BusinessClock:
    """The clock of the calendar over at least [first, last] (widened to whole chunks and cached)."""
    low = first.toordinal() // _CHUNK_DAYS * _CHUNK_DAYS
    high = -(-(last.toordinal() + 1) // _CHUNK_DAYS) * _CHUNK_DAYS - 1
    return _clock(calendar, dt.date.fromordinal(max(low, 1)), dt.date.fromordinal(high))


@lru_cache(maxsize=64)
def _clock(calendar: BusinessCalendar, first: dt.date, last: dt.date) -> BusinessClock:
    zone = calendar.zone
    opens: list[int] = []
    closes: list[int] = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        for period in _day_periods(calendar, day):
            opens.append(to_micros(dt.datetime.combine(day, period.start, tzinfo=zone)))
            closes.append(to_micros(dt.datetime.combine(day, period.end, tzinfo=zone)))
    open_at, close_at = np.array(opens, dtype=np.int64), np.array(closes, dtype=np.int64)
    before = np.concatenate(([0], np.cumsum(close_at - open_at)[:-1])).astype(np.int64) if opens else open_at
    return BusinessClock(first, last, open_at, close_at, before)


def local_day(micros: int, calendar: BusinessCalendar) -> dt.date:
    return from_micros(micros, calendar.zone).date()


def clock_reaching(calendar: BusinessCalendar, earliest: int, latest: int,
                   attempt: Callable[[BusinessClock], T]) -> T:
    """``attempt`` on a clock from ``earliest``'s local date that covers ``latest``, lengthened while it
    raises BeyondClock, at most MAX_SEARCH_DAYS past ``latest``; then InvalidInput (a due time that far
    away means the calendar barely opens)."""
    first, last = local_day(earliest, calendar), local_day(latest, calendar)
    days = _CHUNK_DAYS
    while True:
        clock = business_clock(calendar, first - dt.timedelta(days=1),
                               last + dt.timedelta(days=min(days, MAX_SEARCH_DAYS)))
        try:
            return attempt(clock)
        except BeyondClock:
            if days >= MAX_SEARCH_DAYS:
                raise InvalidInput(gettext_noop("The calendar has no working time within %(days)s days.",
                                                days=MAX_SEARCH_DAYS)) from None
            days *= 4


def _as_delta(hours: float | int | dt.timedelta) -> dt.timedelta:
    delta = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)
    if delta < ZERO:
        raise InvalidInput(gettext_noop("The number of hours cannot be negative."),
                           [FieldError("hours", gettext_noop("The number of hours cannot be negative."))])
    return delta


def _aware(instant: dt.datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a business calendar needs aware datetimes")


def add_business_hours(start: dt.datetime, hours: float | int | dt.timedelta,
                       calendar: BusinessCalendar) -> dt.datetime:
    """The instant ``hours`` of working time after ``start``, in the calendar's time zone. A start outside
    working time starts at the next opening (so zero hours gives the next opening, or ``start`` itself when
    it is inside a period)."""
    _aware(start)
    at = np.array([to_micros(start)], dtype=np.int64)
    amount = np.array([_as_delta(hours) // MICROSECOND], dtype=np.int64)
    due = clock_reaching(calendar, int(at[0]), int(at[0]), lambda clock: clock.advance(at, amount))
    return from_micros(int(due[0]), calendar.zone)


def business_time_between(a: dt.datetime, b: dt.datetime, calendar: BusinessCalendar) -> dt.timedelta:
    """Working time in [a, b); zero when ``b`` is not after ``a``."""
    _aware(a)
    _aware(b)
    if b <= a:
        return ZERO
    ends = np.array([to_micros(a), to_micros(b)], dtype=np.int64)
    clock = business_clock(calendar, local_day(int(ends[0]), calendar) - dt.timedelta(days=1),
                           local_day(int(ends[1]), calendar) + dt.timedelta(days=1))
    low, high = clock.position(ends)
    return dt.timedelta(microseconds=int(high - low))
