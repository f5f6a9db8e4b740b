"""A cached result read from the rollups stands for their sources too (docs/architecture.md#query-caches): an
import whose rollups are still owed (a deferred rebuild) must not leave the cache serving the rollups' older
numbers, and a cached computation reads the rollups whenever the lake says they are ready."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from shopops.analytics import cache
from shopops.analytics.engine import LakeTables, get_engine
from shopops.analytics.selectors.metrics import metrics_report
from shopops.lake import services as lake_services
from shopops.lake.selectors import rollups_ready
from tests.analytics.behaviour_data import at
from tests.analytics.test_result_cache import write_events

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": "2026-11-01", "date_to": "2026-11-03"}


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    caches[cache.ALIAS].clear()


def visitors(shop) -> int:
    return metrics_report(shop=shop, metrics="uv,pv", **PERIOD)["totals"]["uv"]


def test_a_cached_computation_reads_the_rollups_and_records_their_sources(shop):
    write_events(shop.pk, [("a", at(1), "pv"), ("b", at(2), "pv")])
    assert rollups_ready(shop.pk)
    recording = cache.Recording(LakeTables(get_engine(), shop.pk))
    assert recording.rollups is True  # the wrapper passes the lake's answer on: the rollup path is taken
    recording["user_day"]
    assert {"user_day", "events"} <= set(recording.read)


def test_an_import_with_its_rollups_owed_expires_the_cached_result(shop, monkeypatch):
    write_events(shop.pk, [("a", at(1), "pv"), ("b", at(2), "pv")])
    assert visitors(shop) == 2
    monkeypatch.setattr(lake_services, "ROLLUPS_INLINE_ROWS", 0)  # this import leaves its rollups to the worker
    write_events(shop.pk, [("c", at(1), "pv")], source="more")
    assert not rollups_ready(shop.pk)
    assert visitors(shop) == 3  # not the cached 2: the raw log is read while the rollups are owed
    lake_services.rollups_settle()
    assert rollups_ready(shop.pk)
    assert visitors(shop) == 3

