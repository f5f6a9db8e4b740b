"""Stock alerts in the operator's to-do list (reports' todo items): raised, refreshed and closed daily."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shopops.core.clock import today
from shopops.core.models import Shop
from shopops.core.selectors import all_shops
from shopops.inventory.domain import AlertInput, classify
from shopops.inventory.selectors import replenishment_plan, sync_plan
from shopops.reports.services import todo_close_missing, todo_upsert

ALERT_SOURCE = "inventory"
log = logging.getLogger(__name__)

# (kind, SKU code, severity, title parameters, data)
Alert = tuple[str, str, str, dict, dict]


def _titles() -> dict[str, str]:
    return {
        "stockout_risk": _("Stockout risk: %(sku)s covers %(days)s days, lead time %(lead)s days"),
        "overstock": _("Overstock: %(sku)s covers %(days)s days"),
        "slow_mover": _("Slow mover: %(sku)s sold nothing in 30 days"),
        "channel_sync": _("Channel stock out of sync: %(sku)s"),
    }


def _plan_alerts(shop: Shop, date: dt.date) -> Iterator[Alert]:
    """Stockout risk, overstock and slow movers from the replenishment plan (inventory.domain.classify)."""
    for row in replenishment_plan(shop=shop, end=date):
        item = AlertInput(sku=row["sku"], available=row["available"], in_transit=row["in_transit"],
                          daily_demand=float(row["forecast_daily"] or 0), lead_time_days=row["lead_time_days"],
                          sold_last_30=row["sold_last_30"])
        for alert in classify(item):
            days = "∞" if alert.days_of_cover is None else f"{alert.days_of_cover:.1f}"
            yield (alert.kind, row["sku"], alert.severity, {"days": days, "lead": f"{row['lead_time_days']:g}"},
                   {"available": row["available"], "in_transit": row["in_transit"],
                    "forecast_daily": row["forecast_daily"], "suggested_qty": row["suggested_qty"]})


def _sync_alerts(shop: Shop) -> Iterator[Alert]:
    """One alert per SKU whose quantity on some channel differs from what it should publish now."""
    out_of_sync: dict[str, list[str]] = {}
    for row in sync_plan(shop=shop):
        if row["previous"] is not None and row["change"] != 0:
            out_of_sync.setdefault(row["sku"], []).append(f"{row['channel']} {row['previous']}→{row['qty']}")
    for sku, changes in out_of_sync.items():
        yield "channel_sync", sku, "warning", {}, {"changes": changes}


def inventory_alerts_run(*, shop: Shop, date: dt.date) -> dict[str, int]:
    """Raise or refresh the stock alerts of the operator's to-do list, and close those whose condition cleared.

    Kinds: ``stockout_risk`` (days of cover of available + in transit below the lead time),
    ``overstock``, ``slow_mover`` (inventory.domain.classify) and ``channel_sync`` (what a channel shows
    differs from what it should publish now: run `shopops stock sync`). Keys are ``<kind>:<SKU code>``.
    """
    titles = _titles()
    keep: set[str] = set()
    counts: dict[str, int] = {}
    for kind, sku, severity, params, data in (*_plan_alerts(shop, date), *_sync_alerts(shop)):
        key = f"{kind}:{sku}"
        keep.add(key)
        counts[kind] = counts.get(kind, 0) + 1
        todo_upsert(shop=shop, source=ALERT_SOURCE, key=key, title=titles[kind] % {"sku": sku, **params},
                    severity=severity, role="operator", due_date=date, data=data, reopen=kind == "stockout_risk",
                    url=reverse("web:inventory_sku", args=[sku]))
    todo_close_missing(shop=shop, source=ALERT_SOURCE, keep_keys=keep)
    return counts


def inventory_alerts_all(*, date: dt.date | None = None) -> dict[str, dict[str, int]]:
    """``inventory_alerts_run`` for every shop (the daily periodic task), each on its own local date unless
    ``date`` is given. A shop whose run fails is logged and reported as ``{"error": 1}``; the others still run.
    Returns {shop code: counts by kind}."""
    out: dict[str, dict[str, int]] = {}
    for shop in all_shops():
        try:
            with transaction.atomic():
                out[shop.code] = inventory_alerts_run(shop=shop, date=date or today(shop.timezone))
        except Exception:
            log.exception("stock alerts failed for shop %s", shop.code)
            out[shop.code] = {"error": 1}
    return out
