"""A small lake table version is read once into the DuckDB connection's memory, a big one stays a scan of its
parquet files (analytics.engine: hundreds of small daily files made every query pay for opening them); both
answer the same, and a new version replaces the in-memory copy."""

from __future__ import annotations

import ibis
import pytest

from shopops.analytics import engine
from shopops.analytics.engine import Engine, LakeTables
from shopops.analytics.queries import coverage
from tests.analytics.behaviour_data import FUNNEL_ROWS, at
from tests.analytics.test_result_cache import write_events

pytestmark = pytest.mark.django_db
PARAMS = {"date_from": at(0).date(), "date_to": at(0, day=2).date()}


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")


def visitors(shop_id: int, fresh: Engine) -> dict:
    tables = LakeTables(fresh, shop_id, rollups=False)
    return {r["channel"]: r["people"] for r in fresh.rows(coverage.log_visitors_by_channel(tables, **PARAMS))}


def stored_as(fresh: Engine, view: str) -> set[str]:
    rows = fresh.backend.raw_sql(f"SELECT table_type FROM information_schema.tables WHERE table_name = '{view}_data'")
    return {row[0] for row in rows.fetchall()}


def new_engine() -> Engine:
    return Engine("duckdb", ibis.duckdb.connect())


def test_small_and_big_versions_answer_the_same(shop, monkeypatch):
    write_events(shop.pk, FUNNEL_ROWS)
    small = new_engine()
    in_memory = visitors(shop.pk, small)
    assert stored_as(small, "lake_events") == {"BASE TABLE"}
    monkeypatch.setattr(engine, "MATERIALIZE_BYTES", 0)
    big = new_engine()
    assert visitors(shop.pk, big) == in_memory == {"web": 8, "app": 1}
    assert stored_as(big, "lake_events") == set()  # a scan of the files


def test_a_new_version_replaces_the_in_memory_copy(shop):
    write_events(shop.pk, FUNNEL_ROWS)
    fresh = new_engine()
    assert visitors(shop.pk, fresh)["web"] == 8
    write_events(shop.pk, [("newcomer", at(1), "pv")], source="more")
    assert visitors(shop.pk, fresh)["web"] == 9
