"""SLA states of many tickets at once, on one business calendar: the rules of ``service.sla`` over columns.

Pure (numpy, no Django). Instants are int64 microseconds since 1970 UTC (``NAT``: none); a ticket's history
is reduced to its creation, first agent reply, resolution, the spans its clocks stopped and the customer's
waits for a next response (ragged columns: one row per span or wait, naming its ticket). Every instant goes
through the calendar's ``BusinessClock`` (one searchsorted per column), and the due-time walk over stopped
spans runs once per span rank over all the tickets that have that many, so a million tickets cost a few
numpy passes. The results equal ``service.sla.sla_states`` ticket by ticket (tests/service/test_sla_batch.py);
the rules: docs/rules/business-calendar.md#sla-rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.service.calendar import NAT, BusinessCalendar, BusinessClock, clock_reaching

FIRST_RESPONSE = "first_response"
NEXT_RESPONSE = "next_response"
RESOLUTION = "resolution"
TARGETS = (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION)

OK = "ok"
WARNING = "warning"
BREACHED = "breached"
MET = "met"
STATES = (OK, WARNING, BREACHED, MET)  # a state column holds the index into STATES, -1: no such target
_OK, _WARNING, _BREACHED, _MET = range(4)
NONE = -1  # no such target (allowance columns), no state (state columns)
MINUTE = 60_000_000  # microseconds


@dataclass(frozen=True)
class TicketColumns:
    """Tickets as the SLA clocks see them (all instants at or before the moment measured). Allowances are
    business minutes per ticket, NONE where the policy has no such target. Stops and waits are sorted by
    ticket, then start; a stop or wait still open ends in NAT."""

    created: np.ndarray
    first_reply: np.ndarray
    resolved: np.ndarray  # NAT unless the ticket is resolved at the moment
    first_response: np.ndarray
    next_response: np.ndarray
    resolution: np.ndarray
    warn_percent: np.ndarray
    stop_ticket: np.ndarray
    stop_start: np.ndarray
    stop_end: np.ndarray
    wait_ticket: np.ndarray
    wait_start: np.ndarray
    wait_end: np.ndarray


@dataclass(frozen=True)
class TargetColumns:
    """One target of every ticket: state (index into STATES, NONE where absent), due (NAT while its clock is
    stopped), business minutes used, the allowance, and when it ended (NAT while running)."""

    state: np.ndarray
    due: np.ndarray
    used_minutes: np.ndarray
    allowance_minutes: np.ndarray
    met_at: np.ndarray


@dataclass(frozen=True)
class _Ragged:
    """Per-ticket spans (the stopped ones): where each ticket's begin, how many, and their positions."""

    offsets: np.ndarray
    counts: np.ndarray
    start: np.ndarray
    end: np.ndarray
    start_pos: np.ndarray
    end_pos: np.ndarray


def _group(owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(owner, minlength=n).astype(np.int64)
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64), counts


def _measure(clock: BusinessClock, owner: np.ndarray, start: np.ndarray, end: np.ndarray,
             minutes: np.ndarray, warn: np.ndarray, stops: _Ragged, now: int) -> TargetColumns:
    """``sla._state`` for rows (a target of a ticket each): active time used up to the end or now, the due
    time walked over the ticket's stopped spans, the state."""
    until = np.where(end == NAT, now, end)
    start_pos, until_pos = clock.position(start), clock.position(until)
    counted = until > start
    used = np.where(counted, until_pos - start_pos, 0)
    due = np.full(len(owner), NAT, dtype=np.int64)
    done = np.zeros(len(owner), dtype=bool)
    cursor, remaining = start.copy(), minutes * MINUTE
    spans = stops.counts[owner]
    for rank in range(int(spans.max()) if len(spans) else 0):
        rows = np.flatnonzero(spans > rank)
        k = stops.offsets[owner[rows]] + rank
        cut = np.minimum(stops.end_pos[k], until_pos[rows]) - np.maximum(stops.start_pos[k], start_pos[rows])
        used[rows] -= np.where(counted[rows], np.maximum(cut, 0), 0)
        live = ~done[rows]
        rows, k = rows[live], k[live]
        cur, rem = cursor[rows], remaining[rows]
        span_start, span_end, still = stops.start[k], stops.end[k], stops.end[k] == NAT
        go = still | (span_end > cur)
        ahead = go & (span_start > cur)
        candidate = np.full(len(rows), NAT, dtype=np.int64)
        candidate[ahead] = clock.advance(cur[ahead], rem[ahead])
        hit = ahead & (candidate <= span_start)
        due[rows[hit]] = candidate[hit]
        spent = ahead & ~hit
        rem[spent] -= stops.start_pos[k[spent]] - clock.position(cur[spent])
        stopped = go & ~hit
        done[rows[hit | (stopped & still)]] = True
        moved = stopped & ~still
        cur[moved] = np.maximum(cur[moved], span_end[moved])
        cursor[rows], remaining[rows] = cur, rem
    rest = np.flatnonzero(~done)
    due[rest] = clock.advance(cursor[rest], remaining[rest])
    allowance = minutes * MINUTE
    state = np.where(used > allowance, _BREACHED,
                     np.where(end != NAT, _MET, np.where(used * 100 >= allowance * warn, _WARNING, _OK)))
    return TargetColumns(state.astype(np.int8), due, used // MINUTE, minutes, end)


def _spread(n: int, rows: np.ndarray, part: TargetColumns) -> TargetColumns:
    """Rows of some tickets → columns of all, NONE/NAT for the others."""
    out = TargetColumns(np.full(n, NONE, dtype=np.int8), np.full(n, NAT, dtype=np.int64),
                        np.zeros(n, dtype=np.int64), np.full(n, NONE, dtype=np.int64),
                        np.full(n, NAT, dtype=np.int64))
    for name in ("state", "due", "used_minutes", "allowance_minutes", "met_at"):
        getattr(out, name)[rows] = getattr(part, name)
    return out


def _next_response(clock: BusinessClock, t: TicketColumns, stops: _Ragged, now: int) -> TargetColumns:
    """Every wait measured; a ticket shows its last wait, breached when it is met but an earlier one
    overran."""
    n = len(t.created)
    keep = t.next_response[t.wait_ticket] != NONE
    owner = t.wait_ticket[keep]
    waits = _measure(clock, owner, t.wait_start[keep], t.wait_end[keep], t.next_response[owner],
                     t.warn_percent[owner], stops, now)
    offsets, counts = _group(owner, n)
    tickets = np.flatnonzero(counts)
    last = offsets[tickets] + counts[tickets] - 1
    overran = np.bincount(owner, weights=waits.state == _BREACHED, minlength=n)[tickets] > 0
    state = np.where((waits.state[last] == _MET) & overran, _BREACHED, waits.state[last]).astype(np.int8)
    shown = TargetColumns(state, waits.due[last], waits.used_minutes[last], waits.allowance_minutes[last],
                          waits.met_at[last])
    return _spread(n, tickets, shown)


def _all_targets(clock: BusinessClock, t: TicketColumns, now: int) -> dict[str, TargetColumns]:
    n = len(t.created)
    offsets, counts = _group(t.stop_ticket, n)
    end_known = np.where(t.stop_end == NAT, now, t.stop_end)
    stops = _Ragged(offsets, counts, t.stop_start, t.stop_end, clock.position(t.stop_start),
                    clock.position(end_known))
    out: dict[str, TargetColumns] = {}
    for target, minutes, end in ((FIRST_RESPONSE, t.first_response, t.first_reply),
                                 (RESOLUTION, t.resolution, t.resolved)):
        rows = np.flatnonzero(minutes != NONE)
        out[target] = _spread(n, rows, _measure(clock, rows, t.created[rows], end[rows], minutes[rows],
                                                t.warn_percent[rows], stops, now))
    out[NEXT_RESPONSE] = _next_response(clock, t, stops, now)
    return out


def sla_batch(tickets: TicketColumns, calendar: BusinessCalendar, now: int) -> dict[str, TargetColumns]:
    """Each target of every ticket at ``now`` (microseconds), as ``sla.sla_states`` gives it one by one. The
    calendar's clock runs from the earliest instant and is lengthened until every due time falls on it
    (InvalidInput past MAX_SEARCH_DAYS, as for one ticket)."""
    instants = [c[c != NAT] for c in (tickets.created, tickets.stop_start, tickets.wait_start)]
    earliest = min((int(c.min()) for c in instants if len(c)), default=now)
    return clock_reaching(calendar, min(earliest, now), now, lambda clock: _all_targets(clock, tickets, now))
