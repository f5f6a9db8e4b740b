"""SLA clocks (docs/rules/business-calendar.md#sla-rules): due times on the business calendar, pauses that
recompute the resolution due on resume (paused time never counts), and the states ok/warning/breached/met."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shopops.service import sla
from shopops.service.calendar import calendar_build, default_calendar
from shopops.service.sla import Event, SlaTargets, sla_states, worst_state

SH = ZoneInfo("Asia/Shanghai")
CAL = default_calendar("Asia/Shanghai")  # Mon–Fri 9–18, China's holidays
PLAIN = calendar_build(tz="Asia/Shanghai", week=["09:00-18:00"] * 5, holidays="")
TARGETS = SlaTargets(first_response=60, next_response=120, resolution=8 * 60)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


def ev(kind: str, text: str) -> Event:
    return Event(kind, at(text))


def test_first_response_due_and_states_over_time():
    events = [ev(sla.CREATED, "2024-03-04 09:00")]
    ok = sla_states(events, TARGETS, PLAIN, at("2024-03-04 09:30"))[sla.FIRST_RESPONSE]
    assert (ok.due, ok.state, ok.used_minutes) == (at("2024-03-04 10:00"), sla.OK, 30)
    assert sla_states(events, TARGETS, PLAIN, at("2024-03-04 09:45"))[sla.FIRST_RESPONSE].state == sla.WARNING
    assert sla_states(events, TARGETS, PLAIN, at("2024-03-04 10:00"))[sla.FIRST_RESPONSE].state == sla.WARNING
    assert sla_states(events, TARGETS, PLAIN, at("2024-03-04 10:01"))[sla.FIRST_RESPONSE].state == sla.BREACHED
    replied = [*events, ev(sla.AGENT_REPLY, "2024-03-04 09:50")]
    met = sla_states(replied, TARGETS, PLAIN, at("2024-03-05 12:00"))[sla.FIRST_RESPONSE]
    assert (met.state, met.met_at, met.used_minutes) == (sla.MET, at("2024-03-04 09:50"), 50)
    late = [*events, ev(sla.AGENT_REPLY, "2024-03-04 10:30")]
    assert sla_states(late, TARGETS, PLAIN, at("2024-03-05 12:00"))[sla.FIRST_RESPONSE].state == sla.BREACHED


def test_the_warning_threshold_is_configurable():
    events = [ev(sla.CREATED, "2024-03-04 09:00")]
    targets = SlaTargets(first_response=60, warn_percent=50)
    assert sla_states(events, targets, PLAIN, at("2024-03-04 09:29"))[sla.FIRST_RESPONSE].state == sla.OK
    assert sla_states(events, targets, PLAIN, at("2024-03-04 09:30"))[sla.FIRST_RESPONSE].state == sla.WARNING


def test_a_ticket_opened_before_a_holiday_is_due_after_it():
    events = [ev(sla.CREATED, "2024-02-09 17:30")]
    state = sla_states(events, SlaTargets(first_response=60), CAL, at("2024-02-12 10:00"))[sla.FIRST_RESPONSE]
    assert state.due == at("2024-02-18 09:30")  # the Sunday make-up workday after 春节
    assert state.state == sla.OK  # 春节 does not count: 30 minutes used


def test_pause_stops_the_resolution_clock_and_resume_recomputes_the_due():
    """Frappe Helpdesk #1675: a pause must move the resolution due by the paused business time."""
    created = ev(sla.CREATED, "2024-03-04 09:00")  # Monday; 8 h → due Monday 17:00
    paused = [created, ev(sla.AGENT_REPLY, "2024-03-04 10:00"), ev(sla.PAUSE, "2024-03-04 11:00")]
    during = sla_states(paused, TARGETS, PLAIN, at("2024-03-05 15:00"))[sla.RESOLUTION]
    assert during.due is None and during.used_minutes == 120 and during.state == sla.OK
    resumed = [*paused, ev(sla.RESUME, "2024-03-05 14:00")]  # 6 h left → Tuesday 14:00 + 4 h, Wed 11:00
    after = sla_states(resumed, TARGETS, PLAIN, at("2024-03-05 15:00"))[sla.RESOLUTION]
    assert after.due == at("2024-03-06 11:00")
    assert after.used_minutes == 180
    resolved = [*resumed, ev(sla.RESOLVED, "2024-03-06 10:30")]
    assert sla_states(resolved, TARGETS, PLAIN, at("2024-03-08 09:00"))[sla.RESOLUTION].state == sla.MET
    without_pause = [created, ev(sla.RESOLVED, "2024-03-06 10:30")]
    assert sla_states(without_pause, TARGETS, PLAIN, at("2024-03-08 09:00"))[sla.RESOLUTION].state == sla.BREACHED


def test_a_customer_message_ends_a_pause_and_starts_the_next_response_clock():
    events = [ev(sla.CREATED, "2024-03-04 09:00"), ev(sla.AGENT_REPLY, "2024-03-04 09:10"),
              ev(sla.PAUSE, "2024-03-04 09:20"), ev(sla.CUSTOMER_MESSAGE, "2024-03-04 16:00")]
    states = sla_states(events, TARGETS, PLAIN, at("2024-03-04 17:00"))
    assert states[sla.NEXT_RESPONSE].due == at("2024-03-04 18:00")  # 2 h from 16:00, closing time
    assert states[sla.NEXT_RESPONSE].state == sla.OK
    assert states[sla.RESOLUTION].used_minutes == 20 + 60  # 09:00–09:20 and 16:00–17:00
    answered = [*events, ev(sla.AGENT_REPLY, "2024-03-04 17:30")]
    assert sla_states(answered, TARGETS, PLAIN, at("2024-03-05 12:00"))[sla.NEXT_RESPONSE].state == sla.MET


def test_a_late_next_response_stays_breached_after_later_ones_are_met():
    events = [ev(sla.CREATED, "2024-03-04 09:00"), ev(sla.AGENT_REPLY, "2024-03-04 09:10"),
              ev(sla.CUSTOMER_MESSAGE, "2024-03-04 10:00"), ev(sla.AGENT_REPLY, "2024-03-04 15:00"),
              ev(sla.CUSTOMER_MESSAGE, "2024-03-04 15:10"), ev(sla.AGENT_REPLY, "2024-03-04 15:20")]
    assert sla_states(events, TARGETS, PLAIN, at("2024-03-04 16:00"))[sla.NEXT_RESPONSE].state == sla.BREACHED


def test_no_next_response_before_the_customer_waits_after_a_reply():
    events = [ev(sla.CREATED, "2024-03-04 09:00"), ev(sla.CUSTOMER_MESSAGE, "2024-03-04 09:05")]
    assert sla.NEXT_RESPONSE not in sla_states(events, TARGETS, PLAIN, at("2024-03-04 09:30"))


def test_a_reopened_ticket_runs_its_resolution_clock_again():
    events = [ev(sla.CREATED, "2024-03-04 09:00"), ev(sla.RESOLVED, "2024-03-04 10:00"),
              ev(sla.REOPENED, "2024-03-05 09:00")]
    state = sla_states(events, SlaTargets(resolution=120), PLAIN, at("2024-03-05 09:30"))[sla.RESOLUTION]
    assert (state.state, state.used_minutes, state.due) == (sla.WARNING, 90, at("2024-03-05 10:00"))


def test_events_after_the_moment_are_not_seen_and_worst_state_orders():
    events = [ev(sla.CREATED, "2024-03-04 09:00"), ev(sla.AGENT_REPLY, "2024-03-04 12:00")]
    early = sla_states(events, TARGETS, PLAIN, at("2024-03-04 09:30"))
    assert early[sla.FIRST_RESPONSE].state == sla.OK
    assert worst_state(sla_states(events, TARGETS, PLAIN, at("2024-03-04 12:30")).values()) == sla.BREACHED
    assert worst_state([]) is None

