"""/api/v1/analytics/ routes: metric alerts.

``GET /alerts?date=`` computes the anomalies of a business day without writing (VIEW_ANALYTICS);
``POST /alerts/run {"date"}`` computes them and raises/closes the to-do items (RUN_ALERTS), like
``shopops alerts run --date D --json``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema

from shopops.analytics.schemas import alerts_json
from shopops.analytics.selectors.alerts import alerts_check
from shopops.analytics.services.alerts import analytics_alerts_run
from shopops.core.api_auth import current_shop, needs
from shopops.core.clock import today
from shopops.core.roles import RUN_ALERTS, VIEW_ANALYTICS
from shopops.core.schemas import ERRORS

router = Router()


class AlertOut(Schema):
    metric: str
    channel: str
    value: str | int | float | None
    baseline: str | int | float | None
    change: float | None
    z: float
    direction: str
    severity: str
    promotion: list[str]
    baseline_days: list[str]
    baseline_kind: str


class BaselineOut(Schema):
    kind: str
    role: str = ""
    days: list[str]


class TodoCounts(Schema):
    raised: int
    closed: int


class AlertsOut(Schema):
    date: str
    status: str
    promotion: list[str]
    baseline: BaselineOut
    alerts: list[AlertOut]
    checked: int


class AlertsRunOut(AlertsOut):
    todos: TodoCounts


class AlertsQuery(Schema):
    date: dt.date | None = None


class AlertsRunIn(Schema):
    date: dt.date


@router.get("/alerts", response={200: AlertsOut, **ERRORS}, auth=needs(VIEW_ANALYTICS))
def list_alerts(request: HttpRequest, query: Query[AlertsQuery]) -> dict:
    """The anomalies of ``date`` (default: yesterday in the shop's time zone); nothing is written."""
    shop = current_shop(request)
    day = query.date or today(shop.timezone) - dt.timedelta(days=1)
    return alerts_json(alerts_check(shop=shop, date=day))


@router.post("/alerts/run", response={200: AlertsRunOut, **ERRORS}, auth=needs(RUN_ALERTS))
def run_alerts(request: HttpRequest, payload: AlertsRunIn) -> dict:
    """Check ``date`` and put each anomaly in the operator's to-do list (closing the date's cleared items)."""
    return alerts_json(analytics_alerts_run(shop=current_shop(request), date=payload.date,
                                            language=get_language()))
