"""What imports leave behind, removed after the retention period: `shopops imports clean` and the worker.

The upload of a rejected or failed job goes at once (``imports.jobs``); any other after
``SHOPOPS_IMPORT_RETENTION_DAYS`` (default 30): :func:`imports_clean`, run daily by the worker and by
`shopops imports clean`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from django.utils.translation import gettext as _

from shopops.core.clock import now
from shopops.core.errors import FieldError, InvalidInput
from shopops.imports.liveness import import_jobs_settle_dead
from shopops.imports.models import ImportJob
from shopops.imports.progress import job_dir
from shopops.imports.uploads import remove_folder, upload_folders, uploads_dir

RETENTION_DAYS_DEFAULT = 30
ORPHAN_GRACE = dt.timedelta(hours=1)  # an upload no job points to (a request that failed mid-way) waits this long


def import_retention_days() -> int:
    """How long the uploads of finished imports are kept: ``SHOPOPS_IMPORT_RETENTION_DAYS`` (default 30)."""
    raw = os.environ.get("SHOPOPS_IMPORT_RETENTION_DAYS", "").strip()
    if not raw:
        return RETENTION_DAYS_DEFAULT
    if not raw.isdigit():
        raise InvalidInput(
            _("SHOPOPS_IMPORT_RETENTION_DAYS must be a whole number of days (0 or more), not %(value)s.")
            % {"value": raw[:40]}, [FieldError("SHOPOPS_IMPORT_RETENTION_DAYS", _("A whole number of days."))])
    return int(raw)


def imports_clean(*, older_than_days: int | None = None, at: dt.datetime | None = None) -> dict[str, object]:
    """Remove what imports leave behind: the uploads of rejected and failed jobs, the uploads of jobs finished
    more than ``older_than_days`` ago (default: the retention setting), uploads no job points to (after an
    hour: a request that failed between storing and recording), and the progress files of finished jobs.
    Queued and running jobs keep their files; running jobs whose process died are marked failed first."""
    days = import_retention_days() if older_than_days is None else older_than_days
    if days < 0:
        raise InvalidInput(_("The age must be 0 days or more."), [FieldError("older_than", _("0 or more days."))])
    moment = at or now()
    dead = import_jobs_settle_dead(at=moment)
    removed_jobs, freed, kept, live_ids = _expired_uploads_remove(moment - dt.timedelta(days=days))
    orphans, orphan_bytes = _orphans_remove(kept, moment)
    return {"retention_days": days, "removed_jobs": removed_jobs, "orphans": orphans, "bytes": freed + orphan_bytes,
            "progress_files": _job_files_remove(live_ids), "kept": len(kept), "failed_dead_jobs": dead}


def _expired_uploads_remove(cutoff: dt.datetime) -> tuple[list[int], int, set[Path], set[int]]:
    """Remove the uploads of rejected and failed jobs and of jobs done before ``cutoff``: (the jobs whose
    uploads went, the bytes freed, the upload folders kept, the ids of queued and running jobs)."""
    removed_jobs: list[int] = []
    freed = 0
    kept: set[Path] = set()
    active = {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}
    live_ids: set[int] = set()
    for job in ImportJob.objects.only("id", "status", "file_path", "options", "created_at", "finished_at"):
        if job.status in active:
            live_ids.add(job.pk)
        folders = upload_folders(job)
        if not folders:
            continue
        expired = job.status in (ImportJob.Status.REJECTED, ImportJob.Status.FAILED) or (
            job.status == ImportJob.Status.DONE and (job.finished_at or job.created_at) < cutoff)
        if not expired:
            kept |= folders
            continue
        if any(folder.exists() for folder in folders):
            freed += sum(remove_folder(folder) for folder in folders)
            removed_jobs.append(job.pk)
    return removed_jobs, freed, kept, live_ids


def _orphans_remove(kept: set[Path], moment: dt.datetime) -> tuple[int, int]:
    """Remove the upload folders no job points to, untouched for ORPHAN_GRACE: (how many, the bytes freed)."""
    orphans = freed = 0
    uploads = uploads_dir()
    if not uploads.is_dir():
        return 0, 0
    for folder in uploads.iterdir():
        try:
            if folder.resolve() in kept or not folder.is_dir():
                continue
            touched = max([folder.stat().st_mtime, *(item.stat().st_mtime for item in folder.iterdir())])
            if dt.datetime.fromtimestamp(touched, tz=dt.UTC) > moment - ORPHAN_GRACE:
                continue  # still being written, or its request is still running
        except OSError:
            continue
        freed += remove_folder(folder)
        orphans += 1
    return orphans, freed


def _job_files_remove(live_ids: set[int]) -> int:
    """Remove the progress and heartbeat files of the jobs that no longer run; how many went."""
    removed = 0
    for item in job_dir().iterdir():
        stem = item.name.split(".", 1)[0]
        if item.is_file() and stem.isdigit() and int(stem) not in live_ids and item.suffix in (
                ".progress", ".heartbeat", ".tmp"):
            with contextlib.suppress(OSError):
                item.unlink()
                removed += 1
    return removed
