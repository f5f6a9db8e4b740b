"""Where a job's files live and how its progress is told: a small file, readable while the import runs."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from shopops.imports.models import ImportJob


def job_dir() -> Path:
    """The folder of the jobs' progress and heartbeat files (and of the uploads)."""
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_writer(job: ImportJob) -> Callable[[float, str], None]:
    """Progress goes to a small file, not the DB: the import's transaction holds SQLite's write lock, and a
    progress bar must be readable by another process while it runs."""
    target = job_dir() / f"{job.pk}.progress"
    last = [-1.0]

    def report(fraction: float, phase: str) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if fraction - last[0] < 0.01 and fraction < 1.0:
            return
        last[0] = fraction
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps({"progress": round(fraction, 3), "phase": phase}))
        os.replace(tmp, target)

    return report


def import_progress(*, job: ImportJob) -> dict[str, object]:
    """Status and progress of a job (a running one reports from its progress file)."""
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        try:
            data = json.loads((job_dir() / f"{job.pk}.progress").read_text())
        except (OSError, ValueError):
            data = {"progress": 0.0, "phase": job.status}
        return {"status": job.status, "progress": data.get("progress", 0.0), "phase": data.get("phase", "")}
    return {"status": job.status, "progress": 1.0, "phase": job.status}
