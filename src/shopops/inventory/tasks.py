"""Periodic inventory work run by `shopops worker` (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.inventory.services import reservations_expire


@db_periodic_task(crontab(minute="*"))
def expire_reservations() -> int:
    """Every minute: held reservations past their expiry free their units (issue 6 §2)."""
    return reservations_expire()
