"""Metric alerts into the operator's to-do list (``shopops alerts run``, the daily check).

One item per anomalous (date, metric, channel): source ``analytics``, key ``<date>:<metric>:<channel>``
(``all`` for the shop total), assigned to the operator role, with the numbers behind it in the item's
``data`` and a detail line in the user's language. Re-running for the same date updates the items in place;
items of that date which are no longer anomalous are closed; items of other dates are left alone.
Modelled on ``inventory.services.inventory_alerts_run``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.analytics.metrics import METRICS
from shopops.analytics.selectors.alerts import ALL_CHANNELS, alerts_check
from shopops.channels.labels import channel_label
from shopops.core.clock import now, today
from shopops.core.money import format_fen, format_yuan_fen
from shopops.core.selectors import all_shops
from shopops.reports.selectors import todos_of_source
from shopops.reports.services import todo_close_missing, todo_upsert

if TYPE_CHECKING:
    from shopops.analytics.engine import Tables
    from shopops.core.models import Shop

ALERT_SOURCE = "analytics"


def alert_key(date: dt.date, metric: str, channel: str) -> str:
    return f"{date.isoformat()}:{metric}:{channel or ALL_CHANNELS}"


def _stored(metric: str, value: int | float | None) -> object:
    """A judged number as the to-do item's JSON data keeps it: money in yuan text (``"123.45"``), as the API."""
    if value is not None and METRICS[metric].kind == "money":
        return format_fen(int(value))
    return value


def _shown(metric: str, value: int | float | None) -> str:
    if value is None:
        return "—"
    kind = METRICS[metric].kind
    if kind == "money":
        return format_yuan_fen(int(value))
    if kind == "rate":
        return f"{float(value) * 100:.2f}%"
    return f"{value}"


def alert_texts(alert: dict, *, date: dt.date, language: str) -> tuple[str, str]:
    """Title and detail of an alert's to-do item, in ``language``."""
    metric, channel = alert["metric"], alert["channel"]
    with translation.override(language):
        name = str(METRICS[metric].label)
        where = _("whole shop") if channel == ALL_CHANNELS else channel_label(channel)
        change = "—" if alert["change"] is None else f"{abs(alert['change']) * 100:.1f}%"
        params = {"metric": name, "channel": where, "change": change, "date": date.isoformat()}
        if alert["direction"] == "up":
            title = _("%(metric)s up %(change)s (%(channel)s, %(date)s)") % params
        else:
            title = _("%(metric)s down %(change)s (%(channel)s, %(date)s)") % params
        if alert["baseline_kind"] == "weekday":
            basis = _("median of the same weekday in the %(n)s previous ordinary weeks") % {
                "n": len(alert["baseline_days"])}
        else:
            basis = _("median of %(n)s earlier promotion days") % {"n": len(alert["baseline_days"])}
        detail = _("%(metric)s on %(date)s (%(channel)s): %(value)s against a baseline of %(baseline)s "
                   "(%(basis)s: %(days)s); change %(change)s, robust z-score %(z)s.") % {
            **params, "value": _shown(metric, alert["value"]), "baseline": _shown(metric, alert["baseline"]),
            "basis": basis, "days": ", ".join(alert["baseline_days"]),
            "change": "—" if alert["change"] is None else f"{alert['change'] * 100:+.1f}%",
            "z": f"{alert['z']:+.2f}"}
        if alert["promotion"]:
            detail += " " + _("Promotion day: %(names)s.") % {"names": "、".join(alert["promotion"])}
    return title, detail


def analytics_alerts_run(*, shop: Shop, date: dt.date, tables: Tables | None = None,
                         language: str | None = None) -> dict:
    """Check ``date``, raise or refresh one to-do item per anomaly and close the date's items that cleared.

    Returns the check's JSON (see ``selectors.alerts.alerts_check``) plus ``"todos": {"raised", "closed"}``.
    Idempotent: the same data gives the same open items.
    """
    result = alerts_check(shop=shop, date=date, tables=tables)
    return alerts_todos_apply(shop=shop, date=date, result=result, language=language)


def alerts_todos_apply(*, shop: Shop, date: dt.date, result: dict, language: str | None = None) -> dict:
    """The to-do half of ``analytics_alerts_run``, for a check of ``date`` already made (``shopops alerts run``
    reports the two halves as steps): ``result`` plus ``"todos": {"raised", "closed"}``."""
    language = language or settings.LANGUAGE_CODE
    # The dashboard is the site's home, where a sign-in lands (analytics/urls.py: path ""): named by the
    # setting, since reverse() would import every page and the API (~1 s) into ``shopops alerts run``.
    url = f"{settings.LOGIN_REDIRECT_URL}?date={date.isoformat()}&days=1"
    prefix = f"{date.isoformat()}:"
    with transaction.atomic():
        keep: set[str] = set()
        for alert in result["alerts"]:
            key = alert_key(date, alert["metric"], alert["channel"])
            keep.add(key)
            title, detail = alert_texts(alert, date=date, language=language)
            todo_upsert(shop=shop, source=ALERT_SOURCE, key=key, title=title, detail=detail,
                        severity=alert["severity"], role="operator", due_date=date, url=url,
                        data={**{k: alert[k] for k in ("metric", "channel", "change", "z", "direction", "promotion",
                                                       "baseline_days", "baseline_kind")},
                              "value": _stored(alert["metric"], alert["value"]),
                              "baseline": _stored(alert["metric"], alert["baseline"])},
                        reopen=False)
        # todo_close_missing closes every open item of the source not kept: keep the other dates' items.
        others = {k for k in todos_of_source(shop=shop, source=ALERT_SOURCE, status="open").values_list(
            "key", flat=True) if not k.startswith(prefix)}
        closed = todo_close_missing(shop=shop, source=ALERT_SOURCE, keep_keys=keep | others)
    return {**result, "todos": {"raised": len(keep), "closed": closed}}


def analytics_alerts_run_all(*, date: dt.date | None = None, local_hour: int | None = None) -> dict[str, dict]:
    """The morning run: every shop, for ``date`` (default: yesterday in the shop's time zone); with
    ``local_hour`` only the shops whose local time is in that hour now. One shop's failure does not stop the
    others."""
    out: dict[str, dict] = {}
    for shop in all_shops():
        if local_hour is not None and now().astimezone(ZoneInfo(shop.timezone)).hour != local_hour:
            continue
        try:
            day = date or today(shop.timezone) - dt.timedelta(days=1)
            result = analytics_alerts_run(shop=shop, date=day)
            out[shop.code] = {"alerts": len(result["alerts"]), "status": result["status"]}
        except Exception as exc:
            logging.getLogger(__name__).exception("analytics alerts failed for shop %s", shop.code)
            out[shop.code] = {"error": str(exc)}
    return out
