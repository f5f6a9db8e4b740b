"""The import's speed knob (core.tuning): the collector is put back after its block, also when the block
raises; an import runs under it and leaves a sound database, SQLite's page cache untouched."""

from __future__ import annotations

import gc

import pytest
from django.db import connection

from shopops.core.tuning import no_cyclic_gc
from shopops.imports import jobs
from tests.lake.test_inserted_facts import _import, _write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_in_the_block_and_as_before_after_it(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError), no_cyclic_gc():
            assert not gc.isenabled()
            raise RuntimeError("the import failed")
        assert gc.isenabled() is enabled
        with no_cyclic_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA main.cache_size")
        return cursor.fetchone()[0]


def test_an_order_import_runs_without_the_collector_and_leaves_a_sound_database(shop, tmp_path, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's integrity check and page cache")
    seen = []
    real = jobs.no_cyclic_gc

    def watched():
        seen.append(True)
        return real()

    monkeypatch.setattr(jobs, "no_cyclic_gc", watched)
    cache = _cache_size()
    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 300, prefix="83", buyers="tuned_buyer"))
    assert summary["status"] == "done" and summary["inserted"] > 0 and seen
    assert gc.isenabled() and _cache_size() == cache
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchall() == [("ok",)]
