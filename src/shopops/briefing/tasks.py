"""Periodic daily-report work run by `shopops worker` (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from shopops.briefing.services import briefing_push_due


@db_periodic_task(crontab(minute="*/5"))
def push_daily_reports() -> dict[str, list[dict]]:
    """Every five minutes: each shop whose send time has passed today gets yesterday's report on the group
    robots that do not have it yet (the sent log keeps it to once a day per robot). One run at a time: a slow
    run still going when the next one is due makes the next one skip, so no robot is sent the report twice."""
    with lock_task("briefing-push-daily-reports"):
        return briefing_push_due()
