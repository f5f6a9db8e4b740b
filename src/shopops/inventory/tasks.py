"""Periodic inventory work run by `shopops worker` (huey; settings.HUEY: SQLite store by default, Redis with
REDIS_URL). huey evaluates crontabs in UTC (its default ``utc=True``)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.inventory.services import inventory_alerts_all, reservations_expire

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def expire_reservations() -> int:
    """Every minute: held reservations past their expiry free their units."""
    return reservations_expire()


@db_periodic_task(crontab(hour="22", minute="5"))
def run_stock_alerts() -> dict[str, dict[str, int]]:
    """Every day at 22:05 UTC (06:05 in Asia/Shanghai, before the operator's day starts): the stock alerts of
    the to-do list (stockout risk, overstock, slow movers, channel out of sync) for every shop, on
    each shop's local business date. One shop failing does not stop the others (see services)."""
    return inventory_alerts_all()
