"""Reads of the daily report: the report of one business day (the dashboard's KPI cards of that day and the
shop's open to-do items), the shop's report setting, robots and sent log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from shopops.analytics.selectors.alerts import kpi_cards
from shopops.briefing.models import BriefingSend, BriefingSetting, RobotTarget
from shopops.core.clock import today
from shopops.reports.selectors import todo_summary

if TYPE_CHECKING:
    from shopops.core.models import Shop

TOP_ITEMS = 5
MAX_ATTEMPTS = 3  # automatic tries per robot and day: a broken webhook is not called every few minutes


def report_day(shop: Shop) -> dt.date:
    """The default report date: yesterday in the shop's time zone."""
    return today(shop.timezone) - dt.timedelta(days=1)


def briefing_report(*, shop: Shop, day: dt.date, top: int = TOP_ITEMS) -> dict:
    """The report of ``day``: the dashboard's one-day KPI cards (vs the day before and the same weekday last
    week, ``analytics.selectors.alerts.kpi_cards``) and the open alerts and to-dos (``reports.selectors``)."""
    return {"shop": shop.name, "date": day, "kpis": kpi_cards(shop=shop, end=day, days=1),
            "todos": todo_summary(shop=shop, top=top)}


def briefing_setting(*, shop: Shop) -> BriefingSetting:
    """The shop's setting, or the defaults (enabled, 09:00) when nobody saved one yet (not written)."""
    return BriefingSetting.objects.filter(shop=shop).first() or BriefingSetting(shop=shop)


def robot_targets(*, shop: Shop, active: bool | None = None) -> QuerySet[RobotTarget]:
    qs = RobotTarget.objects.filter(shop=shop)
    return qs if active is None else qs.filter(active=active)


def robot_target(*, shop: Shop, pk: int) -> RobotTarget | None:
    return RobotTarget.objects.filter(shop=shop, pk=pk).first()


def recent_sends(*, shop: Shop, limit: int = 30) -> QuerySet[BriefingSend]:
    return BriefingSend.objects.filter(shop=shop).select_related("target")[:limit]


def targets_due(*, shop: Shop, day: dt.date) -> list[RobotTarget]:
    """The active robots the automatic push still owes the report of ``day``: not delivered yet (by hand or
    not), and fewer than ``MAX_ATTEMPTS`` automatic tries that day."""
    out = []
    for target in robot_targets(shop=shop, active=True):
        sends = BriefingSend.objects.filter(target=target, date=day)
        if not sends.filter(ok=True).exists() and sends.filter(manual=False).count() < MAX_ATTEMPTS:
            out.append(target)
    return out
