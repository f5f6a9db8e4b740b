"""Imports run as tasks (`shopops worker`), so a web upload returns at once and shows a progress bar.

When a worker starts, the import jobs a dead process left "running" are marked failed (a job running in a live
process is left alone); every night the uploads past their retention are removed. A job that changed data is
followed by the analytics warm-up (``warm_up_after_import``): the pages' default panels computed in the worker,
so the operator's next page view does not wait for them. A catalog import is followed by the listings' audit
(scores, problems, to-dos) and a ``competitor-snapshot`` import by the rivals' change detection (to-dos and timeline
events, each change once): ``listings.services.after_import``."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from shopops.analytics.services.warmup import analytics_warm_up
from shopops.imports.formats import FORMATS
from shopops.imports.services import (
    import_changed_data,
    import_job_run,
    import_jobs_settle_dead,
    imports_clean,
)
from shopops.listings.services.after_import import listings_after_import, listings_import_follows

log = logging.getLogger(__name__)


@db_task()
def import_job_task(job_id: int) -> int:
    job = import_job_run(job_id=job_id)
    if import_changed_data(job):
        try:
            warm_up_after_import(job.shop_id)
        except Exception:  # the queue could not take it: the pages compute their panels themselves, as before
            log.exception("could not queue the analytics warm-up after import job %s", job.pk)
        target = FORMATS[job.format].target if job.format in FORMATS else ""
        if listings_import_follows(format_name=job.format, target=target):
            try:
                listings_after_import_task(job.shop_id, job.format, target)
            except Exception:  # the queue could not take it: `shopops listings audit` / `competitors --refresh` do it
                log.exception("could not queue the listings' work after import job %s", job.pk)
    return job.pk


@db_task()
def warm_up_after_import(shop_id: int) -> dict[str, str]:
    """The shop's default analytics panels, computed after an import (each failure logged, never raised)."""
    return analytics_warm_up(shop_id=shop_id)


@db_task()
def listings_after_import_task(shop_id: int, format_name: str, target: str) -> dict[str, object]:
    """The listings' audit after a catalog import, the rivals' change detection after a competitor-snapshot import
    (listings.services.after_import)."""
    return listings_after_import(shop_id=shop_id, format_name=format_name, target=target)


@on_startup(name="settle_dead_import_jobs")
def settle_dead_import_jobs() -> list[int]:
    """Each worker thread, as it starts: a job left "running" by a process that died is failed, not kept.

    The thread keeps its connection for its tasks (each db_task closes stale connections around itself)."""
    return import_jobs_settle_dead()


@db_periodic_task(crontab(hour="3", minute="41"))
def clean_imports() -> dict[str, object]:
    """Nightly: remove the uploads of rejected/failed jobs and of jobs older than SHOPOPS_IMPORT_RETENTION_DAYS."""
    return imports_clean()
