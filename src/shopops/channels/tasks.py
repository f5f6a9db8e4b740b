"""Imports run as tasks (`shopops worker`), so a web upload returns at once and shows a progress bar."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from shopops.channels.services import import_job_run


@db_task()
def import_job_task(job_id: int) -> int:
    return import_job_run(job_id=job_id).pk
