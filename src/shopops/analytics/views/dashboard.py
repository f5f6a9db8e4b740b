"""The home dashboard: KPI cards for a chosen period, then the last 30 days, the GMV trend and the channels —
all from the analytics metric layer (one GMV, refunds by payment date: docs/metrics.md#refunds). The cards'
names are the metric layer's (``METRICS`` labels, gettext). A shop without orders sees its setup checklist
instead (``views.setup``), until an administrator dismisses it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shopops.analytics.selectors.alerts import PERIODS, kpi_cards
from shopops.analytics.selectors.dashboard import dashboard_data
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


@page_requires(roles.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    if not shop.setup_dismissed and not shop_has_orders(shop=shop):
        # A new shop has no numbers yet: the setup checklist instead of a wall of zeros and empty charts.
        setup = checklist(request, setup_state(shop=shop))
        return render(request, "analytics/dashboard_setup.html", {"setup": setup})
    default_day = last_full_day(shop.timezone)
    day = parse_business_date(request.GET.get("date"), default=default_day)
    problem = business_date_problem(request.GET.get("date"), default=default_day)
    if problem:
        tell_bad_query(request, _("Date"), problem)
    days = _period(request.GET.get("days"))
    data = dashboard_data(shop=shop, day=day)
    kpis = kpi_cards(shop=shop, end=day, days=days)  # three metric-layer computations, whatever the cards
    periods = [{"days": 1, "label": _("Yesterday") if day == default_day else _("1 day")},
               {"days": 7, "label": _("7 days")}, {"days": 30, "label": _("30 days")}]
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
    return render(request, "analytics/dashboard.html", {
        **data, "chart": chart, "channel_rows": channels, "kpis": kpis, "periods": periods,
        "days": days,
    })
