"""A ticket's SLA kept on the ticket (due times and worst state, for lists) and the sweep that turns warnings
and breaches into to-dos (reports' to-do list, source ``service_sla``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.clock import now as clock_now
from shopops.core.models import Shop
from shopops.core.selectors import all_shops
from shopops.reports.services import todo_close_missing, todo_upsert
from shopops.service import sla
from shopops.service.models import Ticket
from shopops.service.selectors.calendars import policy_matching
from shopops.service.selectors.tickets import OPEN_STATUSES, ticket_sla, tickets_sla

TODO_SOURCE = "service_sla"
log = logging.getLogger(__name__)
SLA_FIELDS = ["policy", "first_response_due", "next_response_due", "resolution_due", "sla_state"]


def _target_names() -> dict[str, str]:
    return {sla.FIRST_RESPONSE: _("first response"), sla.NEXT_RESPONSE: _("next response"),
            sla.RESOLUTION: _("resolution")}


def sla_policy_assign(ticket: Ticket) -> None:
    """Give the ticket the most specific matching policy (on open, or when its type or priority changes)."""
    ticket.policy = policy_matching(shop=ticket.shop, channel=ticket.channel, kind=ticket.kind,
                                    priority=ticket.priority)


def sla_refresh(ticket: Ticket, *, now: dt.datetime, save: bool = True,
                states: dict[str, sla.TargetState] | None = None) -> dict[str, sla.TargetState]:
    """Recompute the ticket's due times and worst state at ``now`` (a due time is None while its clock is
    stopped or when the target is met) and store them; ``states``: already computed (the sweep's batch)."""
    states = ticket_sla(ticket, now) if states is None else states

    def running_due(target: str) -> dt.datetime | None:
        state = states.get(target)
        return state.due if state is not None and state.met_at is None else None

    ticket.first_response_due = running_due(sla.FIRST_RESPONSE)
    ticket.next_response_due = running_due(sla.NEXT_RESPONSE)
    ticket.resolution_due = running_due(sla.RESOLUTION)
    ticket.sla_state = sla.worst_state(states.values()) or ""
    if save:
        ticket.save(update_fields=[*SLA_FIELDS, "updated_at"])
    return states


@transaction.atomic
def sla_sweep(*, shop: Shop, now: dt.datetime) -> dict[str, int]:
    """Refresh the SLA of every open or pending ticket and raise one to-do per target in warning or breach
    (key ``ticket:<id>:<target>:<state>``, for the assignee or else the service role); to-dos whose condition
    cleared (the target met, the ticket resolved, the warning become a breach) are closed. Returns counts."""
    names = _target_names()
    keep: set[str] = set()
    counts = {"tickets": 0, sla.WARNING: 0, sla.BREACHED: 0}
    tickets = (Ticket.objects.filter(shop=shop, status__in=OPEN_STATUSES, merged_into__isnull=True,
                                     policy__isnull=False)
               .select_related("policy", "policy__calendar", "assignee").prefetch_related("events"))
    listed = list(tickets)
    for ticket, computed in zip(listed, tickets_sla(listed, now), strict=True):
        counts["tickets"] += 1
        for target, state in sla_refresh(ticket, now=now, states=computed).items():
            if state.state not in (sla.WARNING, sla.BREACHED) or state.met_at is not None:
                continue
            key = f"ticket:{ticket.pk}:{target}:{state.state}"
            keep.add(key)
            counts[state.state] += 1
            params = {"id": ticket.pk, "subject": ticket.subject, "target": names[target]}
            title = (_("SLA breached: ticket #%(id)s %(subject)s, %(target)s overdue") if state.state == sla.BREACHED
                     else _("SLA warning: ticket #%(id)s %(subject)s, %(target)s due soon")) % params
            todo_upsert(shop=shop, source=TODO_SOURCE, key=key, title=title,
                        severity="critical" if state.state == sla.BREACHED else "warning",
                        assignee=ticket.assignee, role="service" if ticket.assignee is None else "",
                        due_date=state.due.date() if state.due is not None else None,
                        data={"ticket": ticket.pk, "target": target, "state": state.state,
                              "due": state.due.isoformat() if state.due is not None else None,
                              "used_minutes": state.used_minutes, "allowance_minutes": state.allowance_minutes})
    todo_close_missing(shop=shop, source=TODO_SOURCE, keep_keys=keep)
    return counts


def sla_sweep_all(*, now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """``sla_sweep`` for every shop (the periodic task). A shop whose sweep fails is logged and reported as
    ``{"error": 1}``; the others still run. Returns {shop code: counts}."""
    at = clock_now() if now is None else now
    out: dict[str, dict[str, int]] = {}
    for shop in all_shops():
        try:
            out[shop.code] = sla_sweep(shop=shop, now=at)
        except Exception:
            log.exception("SLA sweep failed for shop %s", shop.code)
            out[shop.code] = {"error": 1}
    return out
