"""Uploaded files: stored under a temporary name, renamed when their job is accepted, removed with it.

An upload is written only once its request is valid (format, item file, channel account, permission), under
a temporary name that is renamed when the job is accepted (its row committed). The upload of a rejected or
failed job is removed at once, any other after the retention period (``imports.retention``). Files named on
the command line are the user's own and never removed.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from shopops.imports.models import ImportJob
from shopops.imports.progress import job_dir

UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet", ".tsv")
UPLOAD_PART = ".part"  # the temporary name's suffix, until the job is accepted


def uploads_dir() -> Path:
    return job_dir() / "uploads"


def upload_folder(path: str) -> Path | None:
    """The upload's own folder (``uploads/<random>/``) when ``path`` is an upload, else None (a user's file)."""
    if not path:
        return None
    try:
        folder = Path(path).resolve().parent
        root = uploads_dir().resolve()
    except (OSError, ValueError):
        return None
    return folder if folder.parent == root else None


def remove_folder(folder: Path) -> int:
    """Delete an upload folder; the bytes freed (0 when it was already gone)."""
    freed = 0
    with contextlib.suppress(OSError):
        for item in folder.iterdir():
            with contextlib.suppress(OSError):
                freed += item.stat().st_size
                item.unlink()
        folder.rmdir()
    return freed


def upload_folders(job: ImportJob) -> set[Path]:
    """The upload folders of a job's files (none for files named on the command line)."""
    found = {upload_folder(job.file_path), upload_folder(str(job.options.get("items_path") or ""))}
    return {folder for folder in found if folder is not None}


def upload_remove(job: ImportJob) -> int:
    """Remove a job's uploaded files (never a file named on the command line); the bytes freed."""
    return sum(remove_folder(folder) for folder in upload_folders(job))


def import_upload_store(*, uploaded: object, file_name: str) -> str:
    """Copy an uploaded file under the data dir for the task to read, under a temporary name until the job is
    accepted (import_upload_accept). The stored name is ours, never the user's path; the returned path is the
    final one."""
    folder = uploads_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    suffix = Path(file_name).suffix.lower()
    target = folder / f"upload{suffix if suffix in UPLOAD_SUFFIXES else ''}"
    try:
        with target.with_name(target.name + UPLOAD_PART).open("wb") as out:
            for chunk in uploaded.chunks():  # type: ignore[attr-defined]
                out.write(chunk)
    except BaseException:
        remove_folder(folder)
        raise
    return str(target)


def import_upload_accept(*, path: str) -> None:
    """The job of an upload was accepted: its file takes its final name."""
    os.replace(path + UPLOAD_PART, path)
