"""Periodic work of the orders app run by `shopops worker` (huey): the order facts left owed, then the lake's
rollups left owed (a crash between a source's commit and its rollups' commits; lake.services.rollups_settle)."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.lake.services import rollups_settle
from shopops.orders.services.facts import facts_refresh_settle

# an import pays its own debt seconds after its commit; the worker takes only what was left behind
_LEFT_BEHIND = dt.timedelta(minutes=2)


@db_periodic_task(crontab(minute="*"))
def settle_facts_refreshes() -> int:
    """Refresh the order facts an interrupted import left owed (orders.models.FactsRefreshDue)."""
    return len(facts_refresh_settle(older_than=_LEFT_BEHIND))


@db_periodic_task(crontab(minute="*"))
def settle_rollups() -> int:
    """Rebuild the lake rollups a crash left owed (after their source committed) and build missing ones."""
    return len(rollups_settle(older_than=_LEFT_BEHIND))
