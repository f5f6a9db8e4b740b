"""What the service pages share: the period a page shows (from/to in the query, 30 days up to today by
default), durations said in minutes, hours or days, and the names of SLA states and ticket ages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.core.clock import today
from shopops.service import sla
from shopops.service.selectors.dashboard import NO_STATE
from shopops.ui.params import business_date_problem, parse_date, tell_bad_query

DEFAULT_DAYS = 30
FROM, TO = gettext_lazy("From"), gettext_lazy("To")

SLA_STATE_NAMES = {
    sla.BREACHED: gettext_lazy("Breached"), sla.WARNING: gettext_lazy("Close to breach"),
    sla.OK: gettext_lazy("On time"), sla.MET: gettext_lazy("Met"), NO_STATE: gettext_lazy("No SLA"),
}
AGE_NAMES = {"lt4h": gettext_lazy("Under 4 hours"), "lt24h": gettext_lazy("4 to 24 hours"),
             "lt72h": gettext_lazy("1 to 3 days"), "ge72h": gettext_lazy("Over 3 days")}


def _asked_day(request: HttpRequest, name: str, label: object, default: dt.date) -> dt.date | None:
    """A date of the query kept to the sane range (``ui.params``): one outside it, or not a date, is said."""
    text = request.GET.get(name, "").strip()
    problem = business_date_problem(text, default=default)
    if problem:
        tell_bad_query(request, label, problem)
        return None
    return parse_date(text) if text else None


def page_period(request: HttpRequest, *, default_days: int = DEFAULT_DAYS) -> tuple[dt.date, dt.date]:
    """The ``from``/``to`` dates asked; a date not understood (or a period running backwards) is said on the
    page and the default used instead: the ``default_days`` days up to today in the shop's time zone."""
    now = today(request.shop.timezone)
    end = _asked_day(request, "to", TO, now) or now
    start = _asked_day(request, "from", FROM, end) or end - dt.timedelta(days=default_days - 1)
    if start > end:
        tell_bad_query(request, TO, _("The end date is before the start date."))
        start = end - dt.timedelta(days=default_days - 1)
    return start, end


def duration_text(seconds: float | int | None) -> str:
    """30 → "30 秒", 330 → "5.5 分钟", 7200 → "2.0 小时", 3 days → "3.0 天"; None → "—"."""
    if seconds is None:
        return "—"
    value = float(seconds)
    if value < 60:
        return _("%(n)s s") % {"n": f"{value:.0f}"}
    if value < 3600:
        return _("%(n)s min") % {"n": f"{value / 60:.1f}"}
    if value < 86400:
        return _("%(n)s h") % {"n": f"{value / 3600:.1f}"}
    return _("%(n)s days") % {"n": f"{value / 86400:.1f}"}


def render_with_panel(request: HttpRequest, template: str, context: dict[str, Any],
                      panel: Callable[[HttpRequest], dict[str, Any]]) -> HttpResponse:
    """A page whose slow part is a panel loaded after it (ui/_lazy.html); ``?inline=1`` (a browser without
    JavaScript) draws the panel inline instead."""
    inline = request.GET.get("inline") == "1"
    return render(request, template, {**context, "inline": inline, **(panel(request) if inline else {})})
