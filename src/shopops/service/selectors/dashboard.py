"""Reads of the service dashboard: open tickets by age and SLA state, the ticket figures per agent, and the
refund figures of a period. A figure with nothing to measure is None (the page says "no data"), never 0.

Chat figures (询单转化率…) come from ``selectors.chats.chat_kpis_report``, returns by reason and SKU from
``selectors.returns``: the dashboard reads them there, this module only adds what no other selector gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from shopops.core.clock import day_bounds
from shopops.core.models import Shop
from shopops.orders import selectors as order_selectors
from shopops.service import return_rules as rules
from shopops.service import sla
from shopops.service.conversations import p50
from shopops.service.models import ReturnRequest, Ticket
from shopops.service.selectors.returns import refund_waits
from shopops.service.selectors.tickets import OPEN_STATUSES

# an open ticket's age (hours since it was created): the buckets' upper bounds, the last one open-ended
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (("lt4h", 4), ("lt24h", 24), ("lt72h", 72), ("ge72h", None))
NO_STATE = "none"  # tickets without an SLA policy
SLA_COLUMNS = (sla.BREACHED, sla.WARNING, sla.OK, NO_STATE)


def age_bucket(created_at: dt.datetime, now: dt.datetime) -> str:
    hours = (now - created_at).total_seconds() / 3600
    for key, bound in AGE_BUCKETS:
        if bound is None or hours < bound:
            return key
    return AGE_BUCKETS[-1][0]


def open_tickets_by_age(*, shop: Shop, now: dt.datetime) -> dict[str, Any]:
    """Open and pending tickets (merged ones aside) counted per age bucket and per stored SLA state:
    ``{"rows": [{"age", "counts": {state: n}, "total"}], "totals": {state: n}, "total": n}``."""
    rows = {key: dict.fromkeys(SLA_COLUMNS, 0) for key, _bound in AGE_BUCKETS}
    tickets = (Ticket.objects.filter(shop=shop, status__in=OPEN_STATUSES, merged_into__isnull=True)
               .values_list("created_at", "sla_state"))
    for created_at, state in tickets.iterator(chunk_size=5000):
        column = state if state in SLA_COLUMNS else NO_STATE
        rows[age_bucket(created_at, now)][column] += 1
    totals = {state: sum(row[state] for row in rows.values()) for state in SLA_COLUMNS}
    return {"rows": [{"age": key, "counts": counts, "total": sum(counts.values())} for key, counts in rows.items()],
            "totals": totals, "total": sum(totals.values())}


def agent_ticket_figures(*, shop: Shop, date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """Per assignee (None: unassigned), of the tickets created in the period: how many, the median first
    response and resolution times in seconds (None when no ticket was answered or resolved), how many open."""
    start, end = day_bounds(date_from, shop.timezone)[0], day_bounds(date_to, shop.timezone)[1]
    groups: dict[str | None, dict[str, Any]] = {}
    for username, created, first, resolved, status in (
            Ticket.objects.filter(shop=shop, merged_into__isnull=True, created_at__gte=start, created_at__lt=end)
            .values_list("assignee__username", "created_at", "first_response_at", "resolved_at", "status")
            .iterator(chunk_size=5000)):
        group = groups.setdefault(username, {"tickets": 0, "open": 0, "firsts": [], "resolutions": []})
        group["tickets"] += 1
        group["open"] += status in OPEN_STATUSES
        if first is not None:
            group["firsts"].append(int((first - created).total_seconds()))
        if resolved is not None:
            group["resolutions"].append(int((resolved - created).total_seconds()))
    rows = [{"agent": agent, "tickets": g["tickets"], "open": g["open"], "first_response_p50_seconds": p50(g["firsts"]),
             "resolution_p50_seconds": p50(g["resolutions"])} for agent, g in groups.items()]
    return sorted(rows, key=lambda r: (-r["tickets"], r["agent"] is None, r["agent"] or ""))


def refund_figures(*, shop: Shop, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """The period's refund rate (money refunded on the orders paid in it ÷ their GMV, None without orders),
    its returns (requested in it) and the median time from request to refund of those refunded, in seconds
    (None when none was refunded). Disputes (平台介入) are not imported: ``dispute_rate`` is None."""
    totals = order_selectors.period_order_totals(shop=shop, start=date_from, end=date_to)
    returns = ReturnRequest.objects.filter(shop=shop, requested_date__range=(date_from, date_to))
    durations = [seconds for _order, seconds in refund_waits(shop=shop, requested_date__range=(date_from, date_to))]
    counted = returns.exclude(status=rules.REJECTED).aggregate(n=Count("id"))["n"]
    return {"orders": totals["orders"], "gmv_fen": totals["gmv"], "refunded_fen": totals["refunded"],
            "refund_rate": round(totals["refunded"] / totals["gmv"], 4) if totals["gmv"] else None,
            "returns": counted, "refunded_returns": len(durations), "refund_p50_seconds": p50(durations),
            "dispute_rate": None}
