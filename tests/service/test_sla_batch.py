"""The SLA batch path (service.sla_batch, through ``sla.sla_states_many``) gives exactly what the per-ticket
path (``sla.sla_states``) gives, for random tickets (replies, customer messages, pauses, resolutions and
reopens, starts outside working hours) on random calendars (lunch breaks, China's holidays and make-up
workdays, the shop's own closed and working dates, other time zones)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.core.errors import InvalidInput
from shopops.service import sla
from shopops.service.calendar import NAT, calendar_build, to_micros
from shopops.service.sla import Event, SlaTargets, sla_states, sla_states_many
from shopops.service.sla_batch import NONE, TicketColumns, sla_batch

SH = ZoneInfo("Asia/Shanghai")
BASE = dt.datetime(2024, 1, 29, tzinfo=SH)  # 春节 2024 (and its Sunday make-up workdays) lie ahead
DAYS = ["09:00-18:00", "09:00-12:00, 13:30-18:00", "08:30-11:30, 13:00-17:00, 19:00-22:00", "10:00-16:00", ""]
KINDS = [sla.AGENT_REPLY, sla.CUSTOMER_MESSAGE, sla.PAUSE, sla.RESUME, sla.RESOLVED, sla.REOPENED]


@st.composite
def calendars(draw):
    week = draw(st.lists(st.sampled_from(DAYS), min_size=7, max_size=7))
    if not any(week):
        week[0] = DAYS[0]
    dates = st.integers(0, 40).map(lambda d: BASE.date() + dt.timedelta(days=d))
    closed = draw(st.sets(dates, max_size=3))
    working = draw(st.sets(dates, max_size=3)) - closed
    return calendar_build(tz=draw(st.sampled_from(["Asia/Shanghai", "UTC", "Asia/Urumqi"])), week=week,
                          holidays=draw(st.sampled_from(["cn", ""])), closed=sorted(closed),
                          working=sorted(working))


offsets = st.integers(0, 20 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))
seconds = st.integers(0, 59).map(lambda s: dt.timedelta(seconds=s))
allowances = st.one_of(st.none(), st.integers(0, 3 * 9 * 60))


@st.composite
def tickets(draw):
    created = BASE + draw(offsets) + draw(seconds)
    events = [Event(sla.CREATED, created)]
    for _ in range(draw(st.integers(0, 8))):
        after = draw(st.integers(0, 3 * 24 * 60))
        events.append(Event(draw(st.sampled_from(KINDS)), events[-1].at + dt.timedelta(minutes=after)))
    targets = SlaTargets(first_response=draw(allowances), next_response=draw(allowances),
                         resolution=draw(allowances), warn_percent=draw(st.integers(1, 100)))
    return events, targets


@settings(max_examples=150, deadline=None)
@given(calendar=calendars(), batch=st.lists(tickets(), min_size=1, max_size=8),
       later=st.integers(0, 40 * 24 * 60))
def test_the_batch_equals_the_per_ticket_path(calendar, batch, later):
    now = BASE + dt.timedelta(minutes=later)
    try:
        one_by_one = [sla_states(events, targets, calendar, now) for events, targets in batch
                      if any(e.at <= now for e in events)]
    except InvalidInput:  # a calendar that barely opens: the batch refuses too
        with pytest.raises(InvalidInput):
            sla_states_many(batch, calendar, now)
        return
    seen = [(events, targets) for events, targets in batch if any(e.at <= now for e in events)]
    assert sla_states_many(seen, calendar, now) == one_by_one


SIX_DAY = calendar_build(tz="Asia/Shanghai", week=["09:00-12:00, 13:30-18:00"] * 6, holidays="cn")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


def test_columns_in_and_out():
    """The columns API itself: a paused ticket has no resolution due; a resumed one is due later by the
    business time paused; targets a policy lacks are NONE."""
    created = np.array([to_micros(at("2024-03-04 09:00"))] * 2, dtype=np.int64)
    none = np.full(2, NAT, dtype=np.int64)
    columns = TicketColumns(
        created=created, first_reply=none, resolved=none, first_response=np.array([NONE, NONE]),
        next_response=np.array([NONE, NONE]), resolution=np.array([480, 480]), warn_percent=np.array([75, 75]),
        stop_ticket=np.array([0, 1]), stop_start=np.array([to_micros(at("2024-03-04 10:00"))] * 2),
        stop_end=np.array([NAT, to_micros(at("2024-03-04 14:30"))]),
        wait_ticket=np.array([], dtype=np.int64), wait_start=np.array([], dtype=np.int64),
        wait_end=np.array([], dtype=np.int64))
    out = sla_batch(columns, SIX_DAY, to_micros(at("2024-03-04 15:00")))
    resolution = out[sla.RESOLUTION]
    assert resolution.due[0] == NAT and resolution.used_minutes[0] == 60
    # 1 h used before the pause, 7 h left from 14:30: 3.5 h to 18:00, Tue 09:00–12:00, 13:30 + 0.5 h
    assert resolution.due[1] == to_micros(at("2024-03-05 14:00"))
    assert resolution.used_minutes[1] == 60 + 30
    assert sla.STATES[resolution.state[1]] == sla.OK
    assert (out[sla.FIRST_RESPONSE].state == NONE).all() and (out[sla.NEXT_RESPONSE].state == NONE).all()


@pytest.mark.parametrize("events", [
    # the allowance runs out exactly when the pause begins: due then, not after the pause
    [(sla.CREATED, "2024-03-04 09:00"), (sla.PAUSE, "2024-03-04 10:00")],
    [(sla.CREATED, "2024-03-04 09:00"), (sla.PAUSE, "2024-03-04 10:00"), (sla.RESUME, "2024-03-04 14:00")],
    # created inside lunch, paused over a night, a pause that ends where the next begins
    [(sla.CREATED, "2024-03-04 12:30"), (sla.AGENT_REPLY, "2024-03-04 13:40"), (sla.PAUSE, "2024-03-04 17:00"),
     (sla.CUSTOMER_MESSAGE, "2024-03-05 09:00"), (sla.PAUSE, "2024-03-05 09:00"), (sla.RESUME, "2024-03-05 11:00")],
    # created on the eve of 春节, resolved and reopened on the Sunday make-up workday
    [(sla.CREATED, "2024-02-09 17:30"), (sla.RESOLVED, "2024-02-18 09:00"), (sla.REOPENED, "2024-02-18 10:00")],
])
def test_edge_cases_agree(events):
    history = [Event(kind, at(text)) for kind, text in events]
    targets = SlaTargets(first_response=60, next_response=60, resolution=60)
    for now in (at("2024-03-04 10:00"), at("2024-03-05 12:00"), at("2024-03-08 12:00")):
        if history[0].at <= now:
            assert sla_states_many([(history, targets)], SIX_DAY, now) == [
                sla_states(history, targets, SIX_DAY, now)]


def test_a_due_time_months_away_lengthens_the_clock_and_one_years_away_is_refused():
    rare = calendar_build(tz="Asia/Shanghai", week=["", "", "", "", "", "", "10:00-10:01"], holidays="")
    history = [Event(sla.CREATED, at("2024-03-04 09:00"))]
    now = at("2024-03-05 09:00")
    twenty_weeks = SlaTargets(resolution=20)
    (batch,) = sla_states_many([(history, twenty_weeks)], rare, now)
    assert batch == sla_states(history, twenty_weeks, rare, now)
    assert batch[sla.RESOLUTION].due == at("2024-07-21 10:01")  # the 20th Sunday
    with pytest.raises(InvalidInput):
        sla_states_many([(history, SlaTargets(resolution=200))], rare, now)  # 200 weeks: past MAX_SEARCH_DAYS
    with pytest.raises(InvalidInput):
        sla_states(history, SlaTargets(resolution=200), rare, now)
