"""SLA targets of a ticket on a business calendar: when each is due and how it stands at a moment.

Pure (no Django). Three targets, each an allowance in business minutes: first response (from the ticket's
creation to the first agent reply), next response (from a customer message that waits to the next agent
reply) and resolution (from creation to resolved). The clocks stop while the ticket waits for the customer
(pending) or is resolved: a resume recomputes every due time, so paused time never counts (Frappe Helpdesk
#1675). docs/rules/business-calendar.md#sla-rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from shopops.service.calendar import (
    NAT,
    BusinessCalendar,
    add_business_hours,
    business_time_between,
    from_micros,
    to_micros,
)
from shopops.service.sla_batch import (
    BREACHED,
    FIRST_RESPONSE,
    MET,
    NEXT_RESPONSE,
    NONE,
    OK,
    RESOLUTION,
    STATES,
    TARGETS,
    WARNING,
    TargetColumns,
    TicketColumns,
    sla_batch,
)

# What happened on a ticket, as the SLA clocks see it (the services map their history onto these).
CREATED = "created"
AGENT_REPLY = "agent_reply"
CUSTOMER_MESSAGE = "customer_message"
PAUSE = "pause"  # waiting for the customer
RESUME = "resume"
RESOLVED = "resolved"
REOPENED = "reopened"
EVENT_KINDS = (CREATED, AGENT_REPLY, CUSTOMER_MESSAGE, PAUSE, RESUME, RESOLVED, REOPENED)

DEFAULT_WARN_PERCENT = 75


@dataclass(frozen=True, slots=True)
class SlaTargets:
    """Allowances in business minutes (None: no such target) and the share of an allowance used at which a
    running target turns into a warning."""

    first_response: int | None = None
    next_response: int | None = None
    resolution: int | None = None
    warn_percent: int = DEFAULT_WARN_PERCENT

    def minutes(self, target: str) -> int | None:
        value: int | None = getattr(self, target)
        return value


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class TargetState:
    """One target at a moment: its due time (None while the clock is stopped), its state, the business
    minutes used of the allowance and when it was met (the reply or resolution that ended it)."""

    target: str
    due: dt.datetime | None
    state: str
    used_minutes: int
    allowance_minutes: int
    met_at: dt.datetime | None = None


Span = tuple[dt.datetime, dt.datetime | None]  # a stopped span; None: still stopped


@dataclass(frozen=True, slots=True)
class _Timeline:
    """A ticket's history reduced to what the clocks need."""

    created: dt.datetime
    stopped: tuple[Span, ...]
    first_reply: dt.datetime | None
    waits: tuple[tuple[dt.datetime, dt.datetime | None], ...]  # customer waits for a next response
    resolved_at: dt.datetime | None  # None unless the ticket is resolved now


def _timeline(events: Iterable[Event]) -> _Timeline:
    ordered = sorted(events, key=lambda e: e.at)
    created = next((e.at for e in ordered if e.kind == CREATED), ordered[0].at if ordered else None)
    if created is None:
        raise ValueError("a ticket's SLA needs at least its creation")
    stopped: list[Span] = []
    stop_start: dt.datetime | None = None
    first_reply: dt.datetime | None = None
    waits: list[tuple[dt.datetime, dt.datetime | None]] = []
    waiting_since: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    for event in ordered:
        if event.kind == AGENT_REPLY:
            if first_reply is None:
                first_reply = event.at
            elif waiting_since is not None:
                waits.append((waiting_since, event.at))
                waiting_since = None
        elif event.kind == CUSTOMER_MESSAGE and first_reply is not None and waiting_since is None:
            waiting_since = event.at
        if event.kind in (PAUSE, RESOLVED) and stop_start is None:
            stop_start = event.at
        elif event.kind in (RESUME, REOPENED, CUSTOMER_MESSAGE) and stop_start is not None:
            stopped.append((stop_start, event.at))  # a customer's message ends a wait for them
            stop_start = None
        if event.kind == RESOLVED:
            resolved_at = event.at
        elif event.kind in (REOPENED, CUSTOMER_MESSAGE, RESUME):
            resolved_at = None
    if stop_start is not None:
        stopped.append((stop_start, None))
    if waiting_since is not None:
        waits.append((waiting_since, None))
    return _Timeline(created, tuple(stopped), first_reply, tuple(waits), resolved_at)


def _active_time(start: dt.datetime, end: dt.datetime, stopped: Sequence[Span],
                 calendar: BusinessCalendar) -> dt.timedelta:
    """Business time in [start, end) outside the stopped spans."""
    total = business_time_between(start, end, calendar)
    for span_start, span_end in stopped:
        lo = max(span_start, start)
        hi = end if span_end is None else min(span_end, end)
        if hi > lo:
            total -= business_time_between(lo, hi, calendar)
    return total


def _due(start: dt.datetime, allowance: dt.timedelta, stopped: Sequence[Span],
         calendar: BusinessCalendar) -> dt.datetime | None:
    """When ``allowance`` of active business time after ``start`` runs out; None while a stop that begins
    before then is still open (the due time is recomputed when it ends)."""
    cursor, remaining = start, allowance
    for span_start, span_end in sorted(stopped, key=lambda s: s[0]):
        if span_end is not None and span_end <= cursor:
            continue
        if span_start > cursor:
            candidate = add_business_hours(cursor, remaining, calendar)
            if candidate <= span_start:
                return candidate
            remaining -= business_time_between(cursor, span_start, calendar)
        if span_end is None:
            return None
        cursor = max(cursor, span_end)
    return add_business_hours(cursor, remaining, calendar)


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _state(target: str, start: dt.datetime, end: dt.datetime | None, minutes: int, timeline: _Timeline,
           targets: SlaTargets, calendar: BusinessCalendar, now: dt.datetime) -> TargetState:
    allowance = dt.timedelta(minutes=minutes)
    due = _due(start, allowance, timeline.stopped, calendar)
    until = now if end is None or end > now else end
    used = _active_time(start, until, timeline.stopped, calendar) if until > start else dt.timedelta(0)
    met_at = end if end is not None and end <= now else None
    if used > allowance:
        state = BREACHED
    elif met_at is not None:
        state = MET
    elif used * 100 >= allowance * targets.warn_percent:
        state = WARNING
    else:
        state = OK
    return TargetState(target, due, state, _minutes(used), minutes, met_at)


def sla_states(events: Iterable[Event], targets: SlaTargets, calendar: BusinessCalendar,
               now: dt.datetime) -> dict[str, TargetState]:
    """Each target the policy has, as it stands at ``now``. Next response is the wait now open, else the
    last one (breached if any wait overran); it is absent before the customer ever waited after a reply."""
    timeline = _timeline(e for e in events if e.at <= now)
    out: dict[str, TargetState] = {}
    if (minutes := targets.first_response) is not None:
        out[FIRST_RESPONSE] = _state(FIRST_RESPONSE, timeline.created, timeline.first_reply, minutes, timeline,
                                     targets, calendar, now)
    if (minutes := targets.next_response) is not None and timeline.waits:
        states = [_state(NEXT_RESPONSE, start, end, minutes, timeline, targets, calendar, now)
                  for start, end in timeline.waits]
        current = states[-1]
        if current.state == MET and any(s.state == BREACHED for s in states):
            current = TargetState(NEXT_RESPONSE, current.due, BREACHED, current.used_minutes,
                                  current.allowance_minutes, current.met_at)
        out[NEXT_RESPONSE] = current
    if (minutes := targets.resolution) is not None:
        out[RESOLUTION] = _state(RESOLUTION, timeline.created, timeline.resolved_at, minutes, timeline, targets,
                                 calendar, now)
    return out


def _micros(instant: dt.datetime | None) -> int:
    return NAT if instant is None else to_micros(instant)


def _columns(timelines: Sequence[_Timeline], targets: Sequence[SlaTargets]) -> TicketColumns:
    """Timelines → the batch's columns (stops and waits ragged, in ticket order, then by time)."""
    def column(values: Iterable[int]) -> np.ndarray:
        return np.fromiter(values, dtype=np.int64)

    def allowance(name: str) -> np.ndarray:
        return column(NONE if (m := t.minutes(name)) is None else m for t in targets)

    stops = [(i, a, b) for i, line in enumerate(timelines) for a, b in line.stopped]
    waits = [(i, a, b) for i, line in enumerate(timelines) for a, b in line.waits]
    return TicketColumns(
        created=column(_micros(t.created) for t in timelines),
        first_reply=column(_micros(t.first_reply) for t in timelines),
        resolved=column(_micros(t.resolved_at) for t in timelines),
        first_response=allowance(FIRST_RESPONSE), next_response=allowance(NEXT_RESPONSE),
        resolution=allowance(RESOLUTION), warn_percent=column(t.warn_percent for t in targets),
        stop_ticket=column(i for i, _a, _b in stops), stop_start=column(_micros(a) for _i, a, _b in stops),
        stop_end=column(_micros(b) for _i, _a, b in stops),
        wait_ticket=column(i for i, _a, _b in waits), wait_start=column(_micros(a) for _i, a, _b in waits),
        wait_end=column(_micros(b) for _i, _a, b in waits))


def sla_states_many(histories: Sequence[tuple[Iterable[Event], SlaTargets]], calendar: BusinessCalendar,
                    now: dt.datetime) -> list[dict[str, TargetState]]:
    """``sla_states`` of many tickets on one calendar at once, through the batch path (service.sla_batch):
    equal results, a few numpy passes instead of a walk per ticket (the sweep, attainment)."""
    timelines = [_timeline(e for e in events if e.at <= now) for events, _targets in histories]
    columns = sla_batch(_columns(timelines, [t for _e, t in histories]), calendar, to_micros(now))
    return target_states(columns, range(len(histories)), calendar)


def target_states(columns: Mapping[str, TargetColumns], rows: Iterable[int],
                  calendar: BusinessCalendar) -> list[dict[str, TargetState]]:
    """The batch's columns → ``sla_states``'s answer for each of ``rows`` (due times in the calendar's zone)."""
    zone = calendar.zone
    out: list[dict[str, TargetState]] = []
    for i in rows:
        states: dict[str, TargetState] = {}
        for target in TARGETS:
            found = columns[target]
            if found.state[i] == NONE:
                continue
            due, met_at = int(found.due[i]), int(found.met_at[i])
            states[target] = TargetState(
                target, None if due == NAT else from_micros(due, zone), STATES[found.state[i]],
                int(found.used_minutes[i]), int(found.allowance_minutes[i]),
                None if met_at == NAT else from_micros(met_at, zone))
        out.append(states)
    return out


def worst_state(states: Iterable[TargetState]) -> str | None:
    """The state a list shows for a ticket: breached over warning over ok over met."""
    rank = {BREACHED: 0, WARNING: 1, OK: 2, MET: 3}
    found = sorted((s.state for s in states), key=rank.__getitem__)
    return found[0] if found else None
