"""DuckDB compiles a question once (docs/architecture.md#query-caches): an equal Ibis expression reuses its SQL,
the lake's views keep their names across imports so the same question stays the same expression, and a view
re-pointed at a new version gives the new version's rows through the kept SQL."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import pytest

from shopops.analytics.engine import LakeTables, get_engine
from shopops.analytics.queries import coverage
from tests.analytics.behaviour_data import FUNNEL_ROWS, at
from tests.analytics.test_result_cache import lake, write_events  # noqa: F401 (the fixture: a lake of its own)

pytestmark = pytest.mark.django_db
PARAMS = {"date_from": dt.date(2026, 11, 1), "date_to": dt.date(2026, 11, 3)}


@pytest.fixture
def compiles(monkeypatch):
    """The expressions Ibis compiled to SQL on this thread's DuckDB connection."""
    engine = get_engine("duckdb")
    seen: list = []
    real = engine.backend.compile

    def counted(expr, *args, **kwargs):
        seen.append(expr)
        return real(expr, *args, **kwargs)

    monkeypatch.setattr(engine.backend, "compile", counted)
    monkeypatch.setattr(engine, "_compiled", OrderedDict())  # what earlier tests compiled is not this test's
    return seen


def question(shop_id: int):
    tables = LakeTables(get_engine("duckdb"), shop_id, rollups=False)  # the log itself, not its rollup
    return coverage.log_visitors_by_channel(tables, **PARAMS)


def people(shop_id: int) -> dict[str, int]:
    """Users with any event per channel of the log."""
    return {r["channel"]: r["people"] for r in get_engine("duckdb").rows(question(shop_id))}


def test_an_equal_expression_is_compiled_once(shop, compiles):
    write_events(shop.pk, FUNNEL_ROWS)
    first = question(shop.pk)
    second = question(shop.pk)  # built again from new LakeTables: equal, not the same object
    assert first is not second and first.equals(second)
    engine = get_engine("duckdb")
    assert engine._sql(first) == engine._sql(second)
    assert len(compiles) == 1
    assert people(shop.pk) == people(shop.pk) == {"web": 8, "app": 1}
    assert len(compiles) == 1


def test_another_question_compiles_its_own_sql(shop, second_shop, compiles):
    write_events(shop.pk, FUNNEL_ROWS)
    engine = get_engine("duckdb")
    assert engine._sql(question(shop.pk)) != engine._sql(question(second_shop.shop.pk))
    assert len(compiles) == 2


def test_after_an_import_the_kept_sql_reads_the_new_version(shop, compiles):
    write_events(shop.pk, FUNNEL_ROWS)
    before = question(shop.pk)
    assert people(shop.pk) == {"web": 8, "app": 1}
    write_events(shop.pk, [("z", at(1), "pv"), ("z", at(2), "cart"), ("z", at(3), "buy")], source="more")
    after = question(shop.pk)  # the view is re-pointed at the new version, under the same name
    assert after.equals(before)
    assert people(shop.pk) == {"web": 9, "app": 1}
    assert len(compiles) == 1  # the same SQL, new rows


def test_a_table_not_written_yet_is_an_empty_view_then_the_data(shop):
    tables = LakeTables(get_engine("duckdb"), shop.pk)
    assert people(shop.pk) == {}
    assert tables.engine.read_version("events") is None
    write_events(shop.pk, FUNNEL_ROWS)
    assert people(shop.pk) == {"web": 8, "app": 1}
    assert tables.engine.read_version("events") is not None
