"""Imports run as tasks (`shopops worker`), so a web upload returns at once and shows a progress bar.

When a worker starts, the import jobs a dead process left "running" are marked failed (a job running in a live
process is left alone); every night the uploads past their retention are removed."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from shopops.imports.services import import_job_run, import_jobs_settle_dead, imports_clean


@db_task()
def import_job_task(job_id: int) -> int:
    return import_job_run(job_id=job_id).pk


@on_startup(name="settle_dead_import_jobs")
def settle_dead_import_jobs() -> list[int]:
    """Each worker thread, as it starts: a job left "running" by a process that died is failed, not kept.

    The thread keeps its connection for its tasks (each db_task closes stale connections around itself)."""
    return import_jobs_settle_dead()


@db_periodic_task(crontab(hour="3", minute="41"))
def clean_imports() -> dict[str, object]:
    """Nightly: remove the uploads of rejected/failed jobs and of jobs older than SHOPOPS_IMPORT_RETENTION_DAYS."""
    return imports_clean()
