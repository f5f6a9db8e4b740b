"""The home dashboard: KPI cards for a chosen period, then the last 30 days, the GMV trend and the channels —
all from the analytics metric layer (one GMV, refunds by payment date: docs/metrics.md#refunds). The cards'
names are the metric layer's (``METRICS`` labels, gettext). A shop without orders sees its setup checklist
instead (``views.setup``), until an administrator dismisses it.

The page itself is only its filters and headings; the two computed panels (the period's cards, the last 30
days) are fragments of their own loaded after it (``ui/_lazy.html``), or drawn inline with ``?inline=1``."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from shopops.analytics.selectors.alerts import PERIODS, kpi_cards
from shopops.analytics.selectors.dashboard import MONTH_DAYS, dashboard_data
from shopops.analytics.selectors.metrics import last_full_day
from shopops.analytics.selectors.setup import setup_state, shop_has_orders
from shopops.analytics.views.setup import checklist
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.money import format_fen
from shopops.ui.params import business_date_problem, parse_business_date, tell_bad_query
from shopops.ui.permissions import page_requires


def _period(value: str | None) -> int:
    try:
        days = int(value or 1)
    except ValueError:
        return 1
    return days if days in PERIODS else 1


def _filters(request: HttpRequest) -> dict:
    """The business date and period the page asks for (a bad date falls back to the last full day)."""
    default_day = last_full_day(request.shop.timezone)
    day = parse_business_date(request.GET.get("date"), default=default_day)
    days = _period(request.GET.get("days"))
    periods = [{"days": 1, "label": _("Yesterday") if day == default_day else _("1 day")},
               {"days": 7, "label": _("7 days")}, {"days": 30, "label": _("30 days")}]
    return {"day": day, "days": days, "periods": periods, "default_day": default_day,
            "period_start": day - dt.timedelta(days=days - 1), "start30": day - dt.timedelta(days=MONTH_DAYS - 1)}


def _kpi_panel(request: HttpRequest, filters: dict) -> dict:
    """The period's cards: three metric-layer computations, whatever the cards."""
    return {"kpis": kpi_cards(shop=request.shop, end=filters["day"], days=filters["days"])}


def _month_panel(request: HttpRequest, filters: dict) -> dict:
    """The last 30 days: cards, the 90-day GMV trend and the channels."""
    data = dashboard_data(shop=request.shop, day=filters["day"])
    chart = {
        "x": [row["date"].isoformat() for row in data["trend"]],
        "gmv": [str(format_fen(row["gmv_fen"])) for row in data["trend"]],
        "orders": [row["orders"] for row in data["trend"]],
        "labels": {"gmv": _("GMV (¥)"), "orders": _("Paid orders")},
    }
    channels = [
        {**row, "label": channel_label(row["channel"]),
         "share": (row["gmv_fen"] / data["gmv30_fen"]) if data["gmv30_fen"] else None}
        for row in data["channels"]
    ]
    return {**data, "chart": chart, "channel_rows": channels}


@page_requires(roles.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    if not shop.setup_dismissed and not shop_has_orders(shop=shop):
        # A new shop has no numbers yet: the setup checklist instead of a wall of zeros and empty charts.
        setup = checklist(request, setup_state(shop=shop))
        return render(request, "analytics/dashboard_setup.html", {"setup": setup})
    filters = _filters(request)
    problem = business_date_problem(request.GET.get("date"), default=filters["default_day"])
    if problem:
        tell_bad_query(request, _("Date"), problem)
    context = {**filters, "inline": request.GET.get("inline") == "1"}
    if context["inline"]:
        context |= _kpi_panel(request, filters) | _month_panel(request, filters)
    return render(request, "analytics/dashboard.html", context)


@page_requires(roles.VIEW_DASHBOARD)
def dashboard_kpis(request: HttpRequest) -> HttpResponse:
    """The period's KPI cards, a fragment of the dashboard (same filters, same permission)."""
    filters = _filters(request)
    return render(request, "analytics/_dashboard_kpis.html", {**filters, **_kpi_panel(request, filters)})


@page_requires(roles.VIEW_DASHBOARD)
def dashboard_month(request: HttpRequest) -> HttpResponse:
    """The last 30 days (cards, trend, channels), a fragment of the dashboard."""
    filters = _filters(request)
    return render(request, "analytics/_dashboard_month.html", {**filters, **_month_panel(request, filters)})


urlpatterns: list = [
    path("", dashboard, name="dashboard"),
    path("dashboard/panels/kpis/", dashboard_kpis, name="dashboard_kpis"),
    path("dashboard/panels/month/", dashboard_month, name="dashboard_month"),
]
