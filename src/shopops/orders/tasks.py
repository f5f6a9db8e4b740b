"""Periodic work of the orders app run by `shopops worker` (huey): the order facts left owed."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.orders.services.facts import facts_refresh_settle

# an import pays its own debt seconds after its commit; the worker takes only what was left behind
_LEFT_BEHIND = dt.timedelta(minutes=2)


@db_periodic_task(crontab(minute="*"))
def settle_facts_refreshes() -> int:
    """Refresh the order facts an interrupted import left owed (orders.models.FactsRefreshDue)."""
    return len(facts_refresh_settle(older_than=_LEFT_BEHIND))
