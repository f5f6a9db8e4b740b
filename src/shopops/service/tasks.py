"""Periodic customer-service work run by `shopops worker` (huey; crontabs in UTC)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.service.services.sla import sla_sweep_all


@db_periodic_task(crontab(minute="*/5"))
def sweep_sla() -> dict[str, dict[str, int]]:
    """Every five minutes: each open ticket's SLA refreshed, warnings and breaches raised as to-dos (and
    closed once met), for every shop."""
    return sla_sweep_all()
