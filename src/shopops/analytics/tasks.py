"""Periodic analytics work run by `shopops worker` (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.analytics.services.alerts import analytics_alerts_run_all

MORNING_HOUR = 7  # local time of each shop: yesterday's numbers are in by then (imports run overnight)


@db_periodic_task(crontab(minute="10"))
def morning_metric_alerts() -> dict[str, dict]:
    """Every hour at :10, the shops where it is now 07:xx get yesterday's metric alerts in their to-do list.
    Hourly so that each shop's own time zone decides its morning."""
    return analytics_alerts_run_all(local_hour=MORNING_HOUR)
