"""Uploads are written only for valid requests, under a temporary name until the job is accepted, and removed
when the job is rejected, failed or past the retention period (`shopops imports clean`, nightly task); a job left
"running" by a dead process is marked failed (worker start, `shopops lake settle`), one in a live process is not.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from huey.contrib.djhuey import HUEY

from shopops.core.clock import now
from shopops.core.errors import InvalidInput
from shopops.imports import jobs, liveness, progress, services
from shopops.imports import uploads as uploads_module
from shopops.imports.models import ImportJob
from shopops.imports.outcome import Outcome
from shopops.imports.services import export_sample

BIG = 3 * 1024 * 1024  # bigger than Django keeps in memory: the upload goes through a temporary file


def uploads() -> set[Path]:
    root = uploads_module.uploads_dir()
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def jd_sample(shop, tmp_path) -> bytes:
    path = tmp_path / "jd.csv"
    export_sample(shop=shop, format_name="jd-orders", path=str(path), limit=20)
    return path.read_bytes()


def forget_files(job_id: int) -> None:
    """Test databases reuse ids: files another test left for the same id must not speak for this job."""
    for suffix in (".progress", ".heartbeat", ".tmp"):
        (progress.job_dir() / f"{job_id}{suffix}").unlink(missing_ok=True)


# ----------------------------------------------------------------------------------------- refused requests

@pytest.mark.parametrize(("fields", "status"), [
    ({"format": "nope"}, 422),
    ({"format": "jd-orders", "channel_account": "no such account"}, 422),
    ({"format": "jd-orders", "items": True}, 422),
])
def test_a_refused_api_request_writes_no_file(api_as, fields, status):
    before = uploads()
    data = {**fields, "file": SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * (BIG // 4))}
    if data.pop("items", None):
        data["items"] = SimpleUploadedFile("items.csv", b"a,b\n1,2\n")
    response = api_as("operator").post("/api/v1/imports", data)
    assert response.status_code == status, response.content
    assert uploads() == before


def test_an_import_the_role_may_not_run_writes_no_file(api_as, shop, tmp_path):
    before = uploads()
    response = api_as("ads").post("/api/v1/imports", {"format": "jd-orders",
                                                      "file": SimpleUploadedFile("jd.csv", jd_sample(shop, tmp_path))})
    assert response.status_code == 403
    assert uploads() == before


def test_a_refused_web_upload_writes_no_file(client_as):
    before = uploads()
    response = client_as("operator").post("/imports/new/", {
        "format": "nope", "file": SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * (BIG // 4))})
    assert response.status_code == 422
    assert uploads() == before


def test_an_upload_keeps_a_temporary_name_until_its_job_is_accepted(api_as, shop, tmp_path,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_as("operator").post("/api/v1/imports", {
            "format": "jd-orders", "file": SimpleUploadedFile("jd.csv", jd_sample(shop, tmp_path))})
    assert response.status_code == 202
    job = ImportJob.objects.get(pk=response.json()["job"])
    final = Path(job.file_path)
    assert not final.exists() and Path(f"{final}{services.UPLOAD_PART}").exists()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == "done" and final.exists() and not Path(f"{final}{services.UPLOAD_PART}").exists()


# --------------------------------------------------------------------------------------- rejected and failed

def test_the_upload_of_a_rejected_job_is_removed(api_as, shop, tmp_path, django_capture_on_commit_callbacks):
    lines = jd_sample(shop, tmp_path).decode("gbk").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "", 1)  # no order number: a row error
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("operator").post("/api/v1/imports", {
            "format": "jd-orders", "file": SimpleUploadedFile("jd.csv", "\r\n".join(lines).encode("gbk"))})
    job = ImportJob.objects.get(pk=response.json()["job"])
    assert job.status == "rejected"
    assert not Path(job.file_path).exists() and not Path(job.file_path).parent.exists()


def test_the_upload_of_a_failed_job_is_removed(shop, tmp_path, monkeypatch):
    path = services.import_upload_store(uploaded=SimpleUploadedFile("jd.csv", jd_sample(shop, tmp_path)),
                                        file_name="jd.csv")
    services.import_upload_accept(path=path)
    job = services.import_job_create(shop=shop, format_name="jd-orders", path=path)

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(jobs, "_run", broken)
    with pytest.raises(RuntimeError):
        services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not Path(path).parent.exists()


def test_a_file_named_on_the_command_line_is_never_removed(shop, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_bytes(b"not,an,export\n1,2,3\n")
    job = services.import_job_run(job_id=services.import_job_create(shop=shop, format_name="jd-orders",
                                                                     path=str(path)).pk)
    assert job.status == "rejected" and path.exists()
    ImportJob.objects.filter(pk=job.pk).update(finished_at=now() - dt.timedelta(days=400))
    services.imports_clean(older_than_days=0)
    assert path.exists()


# ------------------------------------------------------------------------------------------------- clean

def _job_with_upload(shop, status: str, *, finished_days_ago: float | None = None, runner: str = "") -> ImportJob:
    path = services.import_upload_store(uploaded=SimpleUploadedFile("a.csv", b"a,b\n1,2\n"), file_name="a.csv")
    services.import_upload_accept(path=path)
    job = services.import_job_create(shop=shop, format_name="jd-orders", path=path)
    finished = now() - dt.timedelta(days=finished_days_ago) if finished_days_ago is not None else None
    ImportJob.objects.filter(pk=job.pk).update(status=status, finished_at=finished, runner=runner,
                                               started_at=now() - dt.timedelta(days=60))
    ImportJob.objects.filter(pk=job.pk).update(created_at=now() - dt.timedelta(days=60))
    forget_files(job.pk)
    job.refresh_from_db()
    return job


def _orphan(name: str, *, hours_ago: float, part: bool = False) -> Path:
    folder = uploads_module.uploads_dir() / name
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / ("upload.csv" + (services.UPLOAD_PART if part else ""))
    file.write_bytes(b"x" * 1000)
    old = time.time() - hours_ago * 3600
    os.utime(file, (old, old))
    os.utime(folder, (old, old))
    return folder


def test_clean_removes_old_uploads_and_keeps_recent_and_running_ones(shop, monkeypatch):
    monkeypatch.delenv("SHOPOPS_IMPORT_RETENTION_DAYS", raising=False)
    old_done = _job_with_upload(shop, "done", finished_days_ago=31)
    recent_done = _job_with_upload(shop, "done", finished_days_ago=29)
    rejected = _job_with_upload(shop, "rejected", finished_days_ago=0)
    running = _job_with_upload(shop, "running", runner=liveness.runner_identity())
    queued = _job_with_upload(shop, "queued")
    stale_orphan = _orphan("0" * 32, hours_ago=2, part=True)
    fresh_orphan = _orphan("1" * 32, hours_ago=0)
    being_written = _orphan("2" * 32, hours_ago=2, part=True)  # a slow upload: its folder is old, its file not
    os.utime(being_written / f"upload.csv{services.UPLOAD_PART}")

    result = services.imports_clean()

    assert result["retention_days"] == 30
    assert set(result["removed_jobs"]) >= {old_done.pk, rejected.pk}
    assert not {recent_done.pk, running.pk, queued.pk} & set(result["removed_jobs"])
    for gone in (old_done, rejected):
        assert not Path(gone.file_path).exists()
    for kept in (recent_done, running, queued):
        assert Path(kept.file_path).exists()
    assert not stale_orphan.exists() and fresh_orphan.exists() and being_written.exists()
    assert ImportJob.objects.get(pk=running.pk).status == "running"
    services.remove_folder(fresh_orphan)
    services.remove_folder(being_written)


def test_the_retention_comes_from_the_environment(shop, monkeypatch):
    job = _job_with_upload(shop, "done", finished_days_ago=6)
    monkeypatch.setenv("SHOPOPS_IMPORT_RETENTION_DAYS", "7")
    assert job.pk not in services.imports_clean()["removed_jobs"]
    monkeypatch.setenv("SHOPOPS_IMPORT_RETENTION_DAYS", "5")
    assert job.pk in services.imports_clean()["removed_jobs"]
    monkeypatch.setenv("SHOPOPS_IMPORT_RETENTION_DAYS", "a month")
    with pytest.raises(InvalidInput, match="SHOPOPS_IMPORT_RETENTION_DAYS"):
        services.imports_clean()


def test_the_clean_command(shop, monkeypatch):
    monkeypatch.delenv("SHOPOPS_IMPORT_RETENTION_DAYS", raising=False)
    job = _job_with_upload(shop, "done", finished_days_ago=2)
    out = StringIO()
    call_command("imports", "clean", "--json", stdout=out)
    assert job.pk not in json.loads(out.getvalue())["removed_jobs"]
    out = StringIO()
    call_command("imports", "clean", "--older-than", "1", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert job.pk in result["removed_jobs"] and result["retention_days"] == 1
    assert not Path(job.file_path).exists()
    out = StringIO()
    call_command("imports", "clean", stdout=out)
    assert "removed the uploads of" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("imports", "clean", "--older-than", "-3")


def test_the_nightly_task_cleans(shop, monkeypatch):
    from shopops.imports.tasks import clean_imports

    monkeypatch.delenv("SHOPOPS_IMPORT_RETENTION_DAYS", raising=False)
    job = _job_with_upload(shop, "rejected", finished_days_ago=0)
    assert job.pk in clean_imports.call_local()["removed_jobs"]
    schedule = clean_imports.task_class()  # huey's crontab: UTC, naive datetimes
    assert schedule.validate_datetime(dt.datetime(2026, 11, 20, 3, 41))
    assert not schedule.validate_datetime(dt.datetime(2026, 11, 20, 3, 42))


# --------------------------------------------------------------------------------------------- dead jobs

def _dead_identity() -> str:
    """The runner string of a process that existed and ended."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        start = liveness._process_stat(child.pid)[1]
    finally:
        child.kill()
        child.wait()
    host, boot, _pid, _start = liveness.runner_identity().split("|")
    return "|".join((host, boot, str(child.pid), start))


def _running(shop, runner: str, *, started_minutes_ago: float = 1) -> ImportJob:
    job = _job_with_upload(shop, "running", runner=runner)
    ImportJob.objects.filter(pk=job.pk).update(started_at=now() - dt.timedelta(minutes=started_minutes_ago),
                                               created_at=now() - dt.timedelta(minutes=started_minutes_ago))
    job.refresh_from_db()
    return job


def test_a_job_of_a_dead_process_is_failed_and_a_live_one_untouched(shop):
    host, boot, pid, start = liveness.runner_identity().split("|")
    dead = _running(shop, _dead_identity())
    live = _running(shop, liveness.runner_identity())
    reused = _running(shop, "|".join((host, boot, pid, "1")))  # our pid, but another process's start
    rebooted = _running(shop, "|".join((host, "another-boot", pid, start)))

    failed = services.import_jobs_settle_dead()

    assert set(failed) == {dead.pk, reused.pk, rebooted.pk}
    assert ImportJob.objects.get(pk=live.pk).status == "running" and Path(live.file_path).exists()
    job = ImportJob.objects.get(pk=dead.pk)
    assert job.status == "failed" and job.finished_at is not None and not Path(dead.file_path).exists()
    assert [error["column"] for error in job.errors] == ["file"] and job.errors[0]["message"]
    assert services.import_jobs_settle_dead() == []


def test_a_zombie_process_is_dead(shop):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    host, boot, _pid, _start = liveness.runner_identity().split("|")
    job = _running(shop, "|".join((host, boot, str(child.pid), liveness._process_stat(child.pid)[1])))
    try:
        assert services.import_jobs_settle_dead() == []
        child.send_signal(signal.SIGKILL)
        for _ in range(200):  # not reaped: a zombie until wait()
            if liveness._process_stat(child.pid)[0] == "Z":
                break
            time.sleep(0.01)
        assert services.import_jobs_settle_dead() == [job.pk]
    finally:
        child.kill()
        child.wait()


def test_a_job_on_another_machine_is_judged_by_its_heartbeat(shop):
    unseen = _running(shop, "elsewhere|boot|4242|99")
    beating = _running(shop, "elsewhere|boot|4243|99")
    stopped = _running(shop, "elsewhere|boot|4244|99")
    liveness._heartbeat_path(beating.pk).touch()
    liveness._heartbeat_path(stopped.pk).touch()
    old = time.time() - 20 * 60
    os.utime(liveness._heartbeat_path(stopped.pk), (old, old))
    assert services.import_jobs_settle_dead() == [stopped.pk]
    assert ImportJob.objects.get(pk=unseen.pk).status == "running"
    assert ImportJob.objects.get(pk=beating.pk).status == "running"
    liveness._heartbeat_path(beating.pk).unlink()


def test_a_job_from_before_runners_were_recorded(shop):
    old = _running(shop, "", started_minutes_ago=30)
    recent = _running(shop, "", started_minutes_ago=1)
    assert services.import_jobs_settle_dead() == [old.pk]
    assert ImportJob.objects.get(pk=recent.pk).status == "running"


def test_worker_start_and_lake_settle_fail_dead_jobs(shop):
    first = _running(shop, _dead_identity())
    HUEY._startup["settle_dead_import_jobs"]()
    assert ImportJob.objects.get(pk=first.pk).status == "failed"
    second = _running(shop, _dead_identity())
    live = _running(shop, liveness.runner_identity())
    out = StringIO()
    call_command("lake", "settle", "--json", stdout=out)
    assert json.loads(out.getvalue())["failed_import_jobs"] == [second.pk]
    assert ImportJob.objects.get(pk=second.pk).status == "failed"
    assert ImportJob.objects.get(pk=live.pk).status == "running"


def test_a_running_job_records_its_runner_and_beats(shop, tmp_path, monkeypatch):
    seen: dict[str, object] = {}

    def look(job, *_args: object) -> Outcome:
        row = ImportJob.objects.get(pk=job.pk)
        seen.update(runner=row.runner, started=row.started_at, beating=liveness._heartbeat_path(job.pk).exists(),
                    alive=liveness._job_alive(row, now()))
        return Outcome()

    monkeypatch.setattr(jobs, "_run", look)
    job = services.import_job_create(shop=shop, format_name="jd-orders", path=str(tmp_path / "x.csv"))
    job = services.import_job_run(job_id=job.pk)
    assert seen == {"runner": liveness.runner_identity(), "started": job.started_at, "beating": True,
                    "alive": True}
    assert not liveness._heartbeat_path(job.pk).exists()  # removed when the job ends
