"""The service dashboard (客服看板): open tickets by age and SLA state at once; the period's figures per agent
(tickets, chats), the refund figures and returns by reason and SKU in a panel loaded after the page
(``ui/_lazy.html``; ``?inline=1`` draws it inline). A figure with nothing to measure says so ("no data")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopops.core import roles
from shopops.core.clock import now
from shopops.service.selectors import dashboard as selectors
from shopops.service.selectors import returns_by_reason, returns_by_sku
from shopops.service.selectors.chats import agent_refund_figures, chat_kpis_report
from shopops.service.views.common import (
    AGE_NAMES,
    SLA_STATE_NAMES,
    duration_text,
    page_period,
    render_with_panel,
)
from shopops.ui.permissions import page_requires

TOP_SKUS = 10


def _tickets(request: HttpRequest) -> dict[str, Any]:
    found = selectors.open_tickets_by_age(shop=request.shop, now=now())
    return {"rows": [{**row, "name": AGE_NAMES[row["age"]],
                      "cells": [row["counts"][state] for state in selectors.SLA_COLUMNS]} for row in found["rows"]],
            "columns": [SLA_STATE_NAMES[state] for state in selectors.SLA_COLUMNS],
            "totals": [found["totals"][state] for state in selectors.SLA_COLUMNS], "total": found["total"]}


def panel_context(request: HttpRequest) -> dict[str, Any]:
    """The period's figures, as the panel shows them (tests compare them with the selectors')."""
    shop = request.shop
    start, end = page_period(request)
    agents = [{**row, "first_response": duration_text(row["first_response_p50_seconds"]),
               "resolution": duration_text(row["resolution_p50_seconds"])}
              for row in selectors.agent_ticket_figures(shop=shop, date_from=start, date_to=end)]
    chats = chat_kpis_report(shop=shop, date_from=start, date_to=end)
    refunds_of = agent_refund_figures(shop=shop, date_from=start, date_to=end)
    chat_rows = [{**row, "first_response": duration_text(row["first_response_p50_seconds"]),
                  "refunds": refunds_of.get(str(row["agent"]), {}),
                  "refund_duration": duration_text(refunds_of.get(str(row["agent"]), {}).get("refund_p50_seconds"))}
                 for row in chats["agents"]]  # type: ignore[union-attr]
    refunds = selectors.refund_figures(shop=shop, date_from=start, date_to=end)
    return {"start": start, "end": end, "agents": agents, "chat_agents": chat_rows,
            "refunds": {**refunds, "duration": duration_text(refunds["refund_p50_seconds"])},
            "by_reason": returns_by_reason(shop=shop, date_from=start, date_to=end),
            "by_sku": returns_by_sku(shop=shop, date_from=start, date_to=end, limit=TOP_SKUS)}


@page_requires(roles.VIEW_TICKETS)
def service_dashboard(request: HttpRequest) -> HttpResponse:
    start, end = page_period(request)
    return render_with_panel(request, "service/dashboard.html",
                             {"start": start, "end": end, "tickets": _tickets(request), "tab": "dashboard"},
                             panel_context)


@page_requires(roles.VIEW_TICKETS)
def service_dashboard_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "service/_dashboard_panel.html", panel_context(request))
