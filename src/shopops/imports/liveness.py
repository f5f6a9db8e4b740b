"""Dead jobs: a job whose process died without a word is marked failed, a job in a live process never.

A job's process may die without a word (SIGKILL, out of memory, a reboot): its job would say "running"
forever. The job records its runner ("host|boot id|pid|process start") and beats a heartbeat file while it
runs. On the runner's own machine the process is looked up (gone, a zombie, or its pid reused by another
process: dead); from another machine only a heartbeat that stopped beating counts, and a job whose heartbeat
this machine cannot see is left alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from shopops.core.clock import now
from shopops.imports.models import ImportJob
from shopops.imports.progress import job_dir
from shopops.imports.uploads import upload_remove

HEARTBEAT_EVERY = 30.0  # seconds
HEARTBEAT_STALE = dt.timedelta(minutes=10)


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _process_stat(pid: int) -> tuple[str, str]:
    """(state, start time in clock ticks since boot) from /proc, ("", "") where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "", ""
    fields = stat.rpartition(")")[2].split()  # the command name may hold spaces and parentheses
    return (fields[0], fields[19]) if len(fields) > 19 else ("", "")


def runner_identity() -> str:
    pid = os.getpid()
    return "|".join((socket.gethostname(), _boot_id(), str(pid), _process_stat(pid)[1]))[:300]


def _runner_alive(runner: str) -> bool | None:
    """Whether the recorded process still runs, when this machine can tell (None: another machine)."""
    host, boot, pid_text, start = [*runner.split("|"), "", "", "", ""][:4]
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    here = _boot_id()
    if boot and here and boot != here:
        return False  # the machine restarted since
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    except OSError:
        return None
    state, started = _process_stat(pid)
    # dead when it exited and was not reaped yet, or when the pid now belongs to another process
    return not (state == "Z" or (start and started and started != start))


def _heartbeat_path(job_id: int) -> Path:
    return job_dir() / f"{job_id}.heartbeat"


@contextlib.contextmanager
def heartbeat(job_id: int) -> Iterator[None]:
    """Touch the job's heartbeat file every HEARTBEAT_EVERY seconds while the block runs (a daemon thread)."""
    path = _heartbeat_path(job_id)
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_EVERY):
            with contextlib.suppress(OSError):
                path.touch()

    with contextlib.suppress(OSError):
        path.touch()
    thread = threading.Thread(target=beat, name=f"import-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        with contextlib.suppress(OSError):
            path.unlink()


def _job_alive(job: ImportJob, moment: dt.datetime) -> bool:
    verdict = _runner_alive(job.runner) if job.runner else None
    if verdict is not None:
        return verdict
    beats = []
    for path in (_heartbeat_path(job.pk), job_dir() / f"{job.pk}.progress"):
        with contextlib.suppress(OSError):
            beats.append(dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC))
    if beats:
        return max(beats) > moment - HEARTBEAT_STALE
    if job.runner:
        return True  # another machine whose files this one cannot see: it cannot tell, so leaves it alone
    return (job.started_at or job.created_at) > moment - HEARTBEAT_STALE  # from before runners were recorded


def import_jobs_settle_dead(*, at: dt.datetime | None = None) -> list[int]:
    """Mark failed the running jobs whose process ended without finishing them (killed, crashed, the machine
    restarted), remove their uploads, and return their ids. Called when a worker starts, by `shopops lake
    settle` and by imports_clean."""
    moment = at or now()
    failed = []
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING):
        if _job_alive(job, moment):
            continue
        with translation.override(str(job.options.get("language") or "zh-hans")):
            message = _("The import stopped before it finished: its process ended (killed or crashed). Check the "
                        "data and import the file again; a re-import never counts an order twice.")
        started = job.started_at or job.created_at
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, runner=job.runner).update(
            status=ImportJob.Status.FAILED, finished_at=moment, progress=1.0,
            seconds=max((moment - started).total_seconds(), 0.0),
            errors=[{"row": None, "column": "file", "message": message}])
        if updated:
            failed.append(job.pk)
            upload_remove(job)
            for suffix in (".progress", ".heartbeat"):
                with contextlib.suppress(OSError):
                    (job_dir() / f"{job.pk}{suffix}").unlink()
    return failed
