"""Reads of tickets: lists with filters, a ticket with its history, its SLA at a moment, SLA attainment per
agent and per channel over a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from shopops.core.clock import day_bounds
from shopops.core.models import Shop
from shopops.service import sla
from shopops.service.models import SlaPolicy, Ticket, TicketEvent
from shopops.service.selectors.calendars import calendar_of, targets_of

OPEN_STATUSES = (Ticket.Status.OPEN, Ticket.Status.PENDING)


def sla_events(ticket: Ticket, events: Iterable[TicketEvent]) -> list[sla.Event]:
    """A ticket's history as the SLA clocks see it: replies, customer messages and the status changes that
    stop (pending, resolved, closed) or restart them."""
    out = [sla.Event(sla.CREATED, ticket.created_at)]
    for event in events:
        if event.kind == TicketEvent.Kind.AGENT_REPLY:
            out.append(sla.Event(sla.AGENT_REPLY, event.at))
        elif event.kind == TicketEvent.Kind.CUSTOMER_MESSAGE:
            out.append(sla.Event(sla.CUSTOMER_MESSAGE, event.at))
        elif event.kind == TicketEvent.Kind.STATUS:
            before, after = event.data.get("from"), event.data.get("to")
            if after == Ticket.Status.PENDING:
                out.append(sla.Event(sla.PAUSE, event.at))
            elif after in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) and before in OPEN_STATUSES:
                out.append(sla.Event(sla.RESOLVED, event.at))
            elif after == Ticket.Status.OPEN and before == Ticket.Status.PENDING:
                out.append(sla.Event(sla.RESUME, event.at))
            elif after == Ticket.Status.OPEN:
                out.append(sla.Event(sla.REOPENED, event.at))
    return out


def ticket_sla(ticket: Ticket, now: dt.datetime, events: Iterable[TicketEvent] | None = None,
               ) -> dict[str, sla.TargetState]:
    """Each SLA target of the ticket's policy at ``now`` (empty without a policy)."""
    policy = ticket.policy
    if policy is None:
        return {}
    history = ticket.events.all() if events is None else events
    return sla.sla_states(sla_events(ticket, history), targets_of(policy), calendar_of(policy.calendar), now)


def tickets_sla(tickets: Sequence[Ticket], now: dt.datetime) -> list[dict[str, sla.TargetState]]:
    """``ticket_sla`` of many tickets (their policies, calendars and events loaded), one batch per calendar
    (service.sla_batch): the same states, computed in columns."""
    out: list[dict[str, sla.TargetState]] = [{} for _ in tickets]
    by_calendar: dict[int, list[tuple[int, SlaPolicy]]] = {}
    for i, ticket in enumerate(tickets):
        if ticket.policy is not None:
            by_calendar.setdefault(ticket.policy.calendar_id, []).append((i, ticket.policy))
    for members in by_calendar.values():
        histories = [(sla_events(tickets[i], tickets[i].events.all()), targets_of(policy)) for i, policy in members]
        calendar = calendar_of(members[0][1].calendar)
        for (i, _policy), states in zip(members, sla.sla_states_many(histories, calendar, now), strict=True):
            out[i] = states
    return out

DUE_FIELDS = ("first_response_due", "next_response_due", "resolution_due")


def _overdue(now: dt.datetime) -> Q:
    return Q(**{f"{DUE_FIELDS[0]}__lte": now}) | Q(**{f"{DUE_FIELDS[1]}__lte": now}) | Q(
        **{f"{DUE_FIELDS[2]}__lte": now})


def sla_state_now(ticket: Ticket, now: dt.datetime) -> str:
    """The state a list shows: the stored one (refreshed on every event and by the sweep), or breached as soon
    as a running target's stored due time has passed — without recomputing the history."""
    if any(due is not None and due <= now for due in (getattr(ticket, f) for f in DUE_FIELDS)):
        return sla.BREACHED
    return ticket.sla_state


def ticket_list(*, shop: Shop, status: str = "", kind: str = "", assignee_id: int | None = None,
                channel: str = "", sla_state: str = "", unassigned: bool = False, q: str = "",
                now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """The shop's tickets, newest first; merged tickets are left out (their history lives on). ``q`` finds
    a ticket number, a word of the subject, an order number or a customer's nickname or code. Given ``now``,
    ``sla_state`` filters as ``sla_state_now`` shows (a passed due time is a breach)."""
    qs = (Ticket.objects.filter(shop=shop, merged_into__isnull=True)
          .select_related("assignee", "customer", "order"))
    if q := q.strip():
        matches = (Q(subject__icontains=q) | Q(order__order_no__icontains=q) | Q(customer__name__icontains=q)
                   | Q(customer__code=q))
        number = q.lstrip("#")
        qs = qs.filter(matches | Q(pk=int(number)) if number.isdigit() and len(number) < 19 else matches)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    if unassigned:
        qs = qs.filter(assignee__isnull=True)
    if channel:
        qs = qs.filter(channel=channel)
    if sla_state and now is not None and sla_state == sla.BREACHED:
        qs = qs.filter(Q(sla_state=sla_state) | _overdue(now))
    elif sla_state and now is not None:
        qs = qs.filter(Q(sla_state=sla_state) & ~_overdue(now))
    elif sla_state:
        qs = qs.filter(sla_state=sla_state)
    return qs.order_by("-created_at", "-id")


def ticket_detail(*, shop: Shop, pk: int) -> Ticket | None:
    return (Ticket.objects.filter(shop=shop, pk=pk)
            .select_related("assignee", "customer", "order", "policy", "policy__calendar", "merged_into")
            .prefetch_related(Prefetch("events", queryset=TicketEvent.objects.select_related("actor")))
            .first())


def ticket_exists(*, shop: Shop, pk: int) -> bool:
    return Ticket.objects.filter(shop=shop, pk=pk).exists()


def open_ticket_of(*, shop: Shop, customer_id: int, order_id: int) -> Ticket | None:
    """The open (or pending) ticket of a customer about an order, which a new request joins."""
    return (Ticket.objects.filter(shop=shop, customer_id=customer_id, order_id=order_id,
                                  status__in=OPEN_STATUSES, merged_into__isnull=True)
            .order_by("created_at", "id").first())


def ticket_refs(*, shop: Shop, key: str, values: Iterable[int]) -> set[int]:
    """Which of ``values`` a ticket was opened (or joined) for already, by the ``ref`` its event keeps
    (``services.tickets.ticket_open``): what makes opening tickets from reviews and returns idempotent."""
    wanted = sorted(set(values))
    found: set[int] = set()
    for start in range(0, len(wanted), 900):
        found.update(TicketEvent.objects.filter(shop=shop, **{f"data__{key}__in": wanted[start : start + 900]})
                     .values_list(f"data__{key}", flat=True))
    return found


def open_tickets_of_customers(*, shop: Shop, customer_ids: Iterable[int]) -> dict[int, list[Ticket]]:
    """customer id → their open or pending tickets about an order, oldest first (where a chat joins)."""
    ids = sorted(set(customer_ids))
    out: dict[int, list[Ticket]] = {}
    for start in range(0, len(ids), 900):
        for ticket in (Ticket.objects.filter(shop=shop, customer_id__in=ids[start : start + 900],
                                             order__isnull=False, status__in=OPEN_STATUSES,
                                             merged_into__isnull=True).order_by("created_at", "id")):
            out.setdefault(ticket.customer_id, []).append(ticket)  # type: ignore[arg-type]
    return out


def ticket_event_keys(*, ticket_id: int) -> set[tuple[str, dt.datetime, str]]:
    """(kind, at, text) of a ticket's events: a message copied from a chat is there once, whatever re-imports."""
    return set(TicketEvent.objects.filter(ticket_id=ticket_id).values_list("kind", "at", "text"))


def _tally() -> dict[str, dict[str, int]]:
    return {target: {"met": 0, "breached": 0, "running": 0} for target in sla.TARGETS}


def _rows(groups: dict[Any, dict[str, Any]], key_name: str) -> list[dict[str, Any]]:
    rows = []
    for key, group in groups.items():
        row: dict[str, Any] = {key_name: key, "tickets": group["tickets"]}
        for target, counts in group["targets"].items():
            ended = counts["met"] + counts["breached"]
            row[target] = {**counts, "rate": round(counts["met"] / ended, 4) if ended else None}
        rows.append(row)
    return sorted(rows, key=lambda r: (-r["tickets"], str(r[key_name] or "")))


def sla_attainment(*, shop: Shop, date_from: dt.date, date_to: dt.date, now: dt.datetime) -> dict[str, Any]:
    """SLA attainment of the tickets created in [date_from, date_to] (local dates) per agent and per channel:
    per target, how many were met, breached or are still running, and the rate met / (met + breached); and
    every breach. A breached target counts as breached even while it still runs."""
    start = day_bounds(date_from, shop.timezone)[0]
    end = day_bounds(date_to, shop.timezone)[1]
    tickets = (Ticket.objects.filter(shop=shop, merged_into__isnull=True, policy__isnull=False,
                                     created_at__gte=start, created_at__lt=end)
               .select_related("assignee", "policy", "policy__calendar")
               .prefetch_related("events").order_by("created_at", "id"))
    by_agent: dict[Any, dict[str, Any]] = {}
    by_channel: dict[Any, dict[str, Any]] = {}
    breaches: list[dict[str, Any]] = []
    listed = list(tickets)
    for ticket, states in zip(listed, tickets_sla(listed, now), strict=True):
        agent = ticket.assignee.get_username() if ticket.assignee is not None else None
        for groups, key in ((by_agent, agent), (by_channel, ticket.channel or None)):
            group = groups.setdefault(key, {"tickets": 0, "targets": _tally()})
            group["tickets"] += 1
            for target, state in states.items():
                bucket = {sla.MET: "met", sla.BREACHED: "breached"}.get(state.state, "running")
                group["targets"][target][bucket] += 1
        breaches.extend({"ticket": ticket.pk, "subject": ticket.subject, "target": target, "due": state.due,
                         "assignee": agent, "channel": ticket.channel, "status": ticket.status}
                        for target, state in states.items() if state.state == sla.BREACHED)
    return {"from": date_from, "to": date_to, "by_agent": _rows(by_agent, "assignee"),
            "by_channel": _rows(by_channel, "channel"), "breaches": breaches}
