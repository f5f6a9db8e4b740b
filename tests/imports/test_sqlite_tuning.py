"""The import's SQLite tuning (imports.sqlite_tuning): each knob is put back after its block, also when the block
raises; nothing happens on PostgreSQL; and an import under the tuning leaves a sound database."""

from __future__ import annotations

import gc

import pytest
from django.db import connection

from shopops.imports import sqlite_tuning
from shopops.imports.sqlite_tuning import no_cyclic_gc, sqlite_cache
from tests.lake.test_inserted_facts import _import, _write

pytestmark = pytest.mark.django_db


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA main.cache_size")
        return cursor.fetchone()[0]


@pytest.fixture
def sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")


def test_the_cache_is_resized_in_the_block_and_restored_after_it(sqlite):
    before = _cache_size()
    with sqlite_cache(kib=4096):
        assert _cache_size() == -4096
    assert _cache_size() == before


def test_the_cache_is_restored_when_the_block_raises(sqlite):
    before = _cache_size()
    with pytest.raises(RuntimeError), sqlite_cache(kib=4096):
        assert _cache_size() == -4096
        raise RuntimeError("the import failed")
    assert _cache_size() == before


def test_nothing_happens_on_postgresql(monkeypatch):
    def no_query() -> None:
        raise AssertionError("no PRAGMA may run on PostgreSQL")

    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setattr(connection, "cursor", no_query)
    with sqlite_cache():
        pass


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


def test_an_import_under_the_tuning_leaves_a_sound_database(shop, tmp_path, monkeypatch, sqlite):
    used = []
    real = sqlite_tuning.sqlite_cache

    def watched(*args: object, **kwargs: object):
        used.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr("shopops.imports.order_writer.sqlite_cache", watched)
    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 300, prefix="83", buyers="tuned_buyer"))
    assert summary["status"] == "done" and summary["inserted"] > 0 and used
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchall() == [("ok",)]
