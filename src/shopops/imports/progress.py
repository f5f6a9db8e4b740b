"""Where a job's files live and how its progress is told: a small file, readable while the import runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from shopops.core.progress import progress_file_writer, read_progress_file
from shopops.imports.models import ImportJob


def job_dir() -> Path:
    """The folder of the jobs' progress and heartbeat files (and of the uploads)."""
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_writer(job: ImportJob) -> Callable[[float, str], None]:
    """Progress goes to a small file, not the DB: the import's transaction holds SQLite's write lock, and a
    progress bar must be readable by another process while it runs."""
    return progress_file_writer(job_dir() / f"{job.pk}.progress")


def import_progress(*, job: ImportJob) -> dict[str, object]:
    """Status and progress of a job (a running one reports from its progress file)."""
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        data = read_progress_file(job_dir() / f"{job.pk}.progress") or {"progress": 0.0, "phase": job.status}
        return {"status": job.status, "progress": data.get("progress", 0.0), "phase": data.get("phase", "")}
    return {"status": job.status, "progress": 1.0, "phase": job.status}
