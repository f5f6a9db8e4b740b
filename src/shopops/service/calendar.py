"""Business calendars: when the shop's customer service works, and how far a number of business hours reaches.

Pure (no Django). A calendar is a time zone, the working periods of each weekday (several per day: a lunch
break is the gap between two), a holiday source (China's public holidays and make-up workdays, 调休, from the
``holidays`` package, or none), and the shop's own closed and working dates. The rules and their sources:
docs/rules/business-calendar.md#calendar-rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from shopops.core.errors import FieldError, InvalidInput
from shopops.core.text import gettext_noop

HOLIDAYS_CN = "cn"
HOLIDAYS_NONE = ""
HOLIDAY_SOURCES = (HOLIDAYS_CN, HOLIDAYS_NONE)
WEEKDAYS = 7  # Monday first, as dt.date.weekday()
MAX_SEARCH_DAYS = 3 * 366  # a due time further than this is refused: the calendar barely opens
ZERO = dt.timedelta(0)
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


def _intervals_from(calendar: BusinessCalendar, start: dt.datetime,
                    days: int | None = None) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The working intervals (UTC, half-open) that end after ``start``, in order, ``start`` clipped in: those
    of ``days`` days, or else up to MAX_SEARCH_DAYS and then InvalidInput (a due time that far away means the
    calendar barely opens)."""
    zone = calendar.zone
    start = start.astimezone(dt.UTC)
    day = start.astimezone(zone).date()
    for offset in range((MAX_SEARCH_DAYS if days is None else days) + 1):
        current = day + dt.timedelta(days=offset)
        for period in _day_periods(calendar, current):
            opens = dt.datetime.combine(current, period.start, tzinfo=zone).astimezone(dt.UTC)
            closes = dt.datetime.combine(current, period.end, tzinfo=zone).astimezone(dt.UTC)
            if closes > start:
                yield max(opens, start), closes
    if days is not None:
        return
    raise InvalidInput(gettext_noop("The calendar has no working time within %(days)s days.", days=MAX_SEARCH_DAYS))


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
    remaining = _as_delta(hours)
    for opens, closes in _intervals_from(calendar, start):
        if remaining <= closes - opens:
            return (opens + remaining).astimezone(calendar.zone)
        remaining -= closes - opens
    raise AssertionError("unreachable: _intervals_from raises when it runs out")


def business_time_between(a: dt.datetime, b: dt.datetime, calendar: BusinessCalendar) -> dt.timedelta:
    """Working time in [a, b); zero when ``b`` is not after ``a``."""
    _aware(a)
    _aware(b)
    if b <= a:
        return ZERO
    b = b.astimezone(dt.UTC)
    total = ZERO
    for opens, closes in _intervals_from(calendar, a, days=(b - a).days + 2):
        if opens >= b:
            break
        total += min(closes, b) - opens
    return total
