"""Business calendars (docs/rules/business-calendar.md#calendar-rules): the issue's vectors, lunch breaks,
extra dates, bad input, and hypothesis properties (add then measure back; monotonic)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.core.errors import InvalidInput
from shopops.service.calendar import (
    HOLIDAYS_CN,
    add_business_hours,
    business_time_between,
    calendar_build,
    day_periods,
    default_calendar,
    parse_day,
)

SH = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = default_calendar("Asia/Shanghai")
NINE_TO_FIVE = calendar_build(tz="Asia/Shanghai", week=["09:00-17:00"] * 5, holidays="")
LUNCH = calendar_build(tz="Asia/Shanghai", week=["09:00-12:00, 13:30-18:00"] * 5, holidays=HOLIDAYS_CN)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.mark.parametrize(("calendar", "start", "hours", "due"), [
    (NINE_TO_SIX, "2024-02-09 17:30", 1, "2024-02-18 09:30"),  # 春节, then the Sunday make-up workday
    (NINE_TO_SIX, "2024-09-30 17:00", 4, "2024-10-08 12:00"),  # 国庆 (10-07 is a day off moved by 调休)
    (NINE_TO_FIVE, "2024-03-01 16:30", 1, "2024-03-04 09:30"),  # Fri → Mon, no holidays
])
def test_the_issue_vectors(calendar, start, hours, due):
    assert add_business_hours(at(start), hours, calendar) == at(due)
    assert business_time_between(at(start), at(due), calendar) == dt.timedelta(hours=hours)


def test_a_start_outside_working_time_starts_at_the_next_opening():
    assert add_business_hours(at("2024-03-02 10:00"), 1, NINE_TO_SIX) == at("2024-03-04 10:00")  # Saturday
    assert add_business_hours(at("2024-03-04 07:00"), 0, NINE_TO_SIX) == at("2024-03-04 09:00")
    assert add_business_hours(at("2024-03-04 18:00"), dt.timedelta(minutes=30), NINE_TO_SIX) == at(
        "2024-03-05 09:30")


def test_a_lunch_break_does_not_count():
    assert add_business_hours(at("2024-03-04 11:30"), 1, LUNCH) == at("2024-03-04 14:00")
    assert add_business_hours(at("2024-03-04 12:15"), 1, LUNCH) == at("2024-03-04 14:30")
    assert business_time_between(at("2024-03-04 09:00"), at("2024-03-04 18:00"), LUNCH) == dt.timedelta(
        hours=7, minutes=30)


def test_make_up_workdays_and_holidays():
    assert day_periods(NINE_TO_SIX, dt.date(2024, 2, 18))  # Sunday, 补班
    assert day_periods(NINE_TO_SIX, dt.date(2024, 10, 12))  # Saturday, 补班
    assert not day_periods(NINE_TO_SIX, dt.date(2024, 10, 7))  # Monday off (调休)
    assert not day_periods(NINE_TO_SIX, dt.date(2024, 2, 17))  # Saturday inside 春节
    assert not day_periods(NINE_TO_FIVE, dt.date(2024, 2, 18))  # no holiday source: a plain Sunday
    assert day_periods(NINE_TO_FIVE, dt.date(2024, 10, 1))  # …and 国庆 is a plain Tuesday


def test_extra_closed_and_working_dates():
    calendar = calendar_build(tz="Asia/Shanghai", week=["09:00-18:00"] * 5, holidays=HOLIDAYS_CN,
                              closed=[dt.date(2024, 3, 4)], working=[dt.date(2024, 3, 2)])
    assert add_business_hours(at("2024-03-01 17:30"), 1, calendar) == at("2024-03-02 09:30")  # Saturday opened
    assert add_business_hours(at("2024-03-02 17:30"), 1, calendar) == at("2024-03-05 09:30")  # Monday closed


def test_other_time_zones_keep_their_wall_clock():
    berlin = calendar_build(tz="Europe/Berlin", week=["09:00-17:00"] * 5, holidays="")
    # 2024-03-31: summer time starts on Sunday; Friday 16:00 + 2 h → Monday 10:00 local
    due = add_business_hours(dt.datetime(2024, 3, 29, 16, 0, tzinfo=ZoneInfo("Europe/Berlin")), 2, berlin)
    assert due.replace(tzinfo=None) == dt.datetime(2024, 4, 1, 10, 0)
    # an instant given in another zone is the same instant: 08:00 UTC is 16:00 in Shanghai
    assert add_business_hours(dt.datetime(2024, 3, 4, 8, 0, tzinfo=dt.UTC), 1, NINE_TO_SIX) == at(
        "2024-03-04 17:00")


def test_bad_calendars_and_hours_are_refused():
    with pytest.raises(InvalidInput) as bad:
        calendar_build(tz="Mars/Olympus", week=["9-18", "12:00-11:00", "09:00-12:00, 11:00-13:00"])
    fields = {e.field for e in bad.value.errors}
    assert fields == {"timezone", "week[0]", "week[1]", "week[2]"}
    with pytest.raises(InvalidInput):
        calendar_build(tz="Asia/Shanghai", week=[""] * 7)
    with pytest.raises(InvalidInput):
        add_business_hours(at("2024-03-04 10:00"), -1, NINE_TO_SIX)
    with pytest.raises(ValueError, match="aware"):
        add_business_hours(dt.datetime(2024, 3, 4, 10, 0), 1, NINE_TO_SIX)
    assert parse_day("13:30-18:00，09:00-12:00") == parse_day("09:00-12:00, 13:30-18:00")


starts = st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2026, 6, 30),
                      timezones=st.just(SH))
amounts = st.integers(min_value=0, max_value=300 * 60).map(lambda m: dt.timedelta(minutes=m))
calendars = st.sampled_from([NINE_TO_SIX, NINE_TO_FIVE, LUNCH])


@settings(max_examples=150, deadline=None)
@given(start=starts, amount=amounts, calendar=calendars)
def test_adding_then_measuring_back_gives_the_hours(start, amount, calendar):
    due = add_business_hours(start, amount, calendar)
    assert due >= start
    assert business_time_between(start, due, calendar) == amount


@settings(max_examples=150, deadline=None)
@given(start=starts, a=amounts, b=amounts, calendar=calendars)
def test_more_hours_never_end_earlier(start, a, b, calendar):
    small, large = sorted((a, b))
    assert add_business_hours(start, small, calendar) <= add_business_hours(start, large, calendar)


@settings(max_examples=100, deadline=None)
@given(start=starts, amount=amounts, later=amounts, calendar=calendars)
def test_working_time_adds_up_over_consecutive_spans(start, amount, later, calendar):
    middle = add_business_hours(start, amount, calendar)
    end = add_business_hours(middle, later, calendar)
    assert business_time_between(start, end, calendar) == amount + later


@settings(max_examples=100, deadline=None)
@given(points=st.lists(starts, min_size=3, max_size=3), calendar=calendars)
def test_measured_time_is_additive_and_never_more_than_the_clock(points, calendar):
    a, b, c = sorted(points)
    assert business_time_between(a, c, calendar) == (business_time_between(a, b, calendar)
                                                     + business_time_between(b, c, calendar))
    assert dt.timedelta(0) <= business_time_between(a, b, calendar) <= b - a
    assert business_time_between(b, a, calendar) == dt.timedelta(0)
