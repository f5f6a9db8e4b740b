"""The import pages say when an import is queued and no worker runs (no fresh heartbeat), and stop saying it
once a worker beats."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from shopops.core.clock import now
from shopops.core.worker import HEARTBEAT_FRESH, HEARTBEAT_KEY, heartbeat_record
from shopops.imports import services
from shopops.imports.models import ImportJob

SAID = "shopops worker"  # the notice names the command in every language


@pytest.fixture
def no_worker():
    """No heartbeat in the app's task store (the tests run tasks inline: a memory store shared by tests)."""
    HUEY.get(HEARTBEAT_KEY)  # a get without peek takes the key away
    yield
    HUEY.get(HEARTBEAT_KEY)


def _pages(job: ImportJob) -> dict[str, str]:
    return {"new": reverse("web:import_new"), "list": reverse("web:import_list"),
            "detail": reverse("web:import_detail", args=[job.pk])}


def _noticed(client, urls: dict[str, str]) -> dict[str, bool]:
    said = {name: SAID in client.get(url).content.decode() for name, url in urls.items()}
    said["progress"] = SAID in client.get(urls["detail"], HTTP_HX_REQUEST="true").content.decode()
    return said


def test_a_queued_import_without_a_worker_is_said_until_a_worker_beats(client_as, shop, tmp_path, no_worker):
    job = services.import_job_create(shop=shop, format_name="jd-orders", path=str(tmp_path / "x.csv"))
    assert job.status == ImportJob.Status.QUEUED
    client = client_as("operator")
    urls = _pages(job)
    assert _noticed(client, urls) == {"new": True, "list": True, "detail": True, "progress": True}
    assert 'id="worker-notice"' in client.get(urls["detail"]).content.decode()

    heartbeat_record(at=now() - HEARTBEAT_FRESH - dt.timedelta(seconds=1))  # a worker that stopped long ago
    assert _noticed(client, urls) == {"new": True, "list": True, "detail": True, "progress": True}

    heartbeat_record()  # a worker runs: the job will be taken
    assert _noticed(client, urls) == {"new": False, "list": False, "detail": False, "progress": False}


def test_nothing_is_said_when_nothing_is_queued(client_as, shop, tmp_path, no_worker):
    job = services.import_job_create(shop=shop, format_name="jd-orders", path=str(tmp_path / "x.csv"))
    ImportJob.objects.filter(shop=shop, status=ImportJob.Status.QUEUED).update(status=ImportJob.Status.DONE)
    assert _noticed(client_as("operator"), _pages(job)) == {"new": False, "list": False, "detail": False,
                                                            "progress": False}
