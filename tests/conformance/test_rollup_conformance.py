"""Conformance of the rollup path: the metric layer and the queries that read the rollups give the same rows on
DuckDB and on Spark (docs/architecture.md#scale-out, docs/architecture.md#rollups), and on Spark the same as
the raw path. Few cases: Spark is slow."""

from __future__ import annotations

import json

import pytest

from shopops.analytics.engine import MemoryTables
from shopops.analytics.metrics import compute
from shopops.analytics.queries.coverage import log_visitors_by_channel
from shopops.analytics.queries.retention import retention
from tests.analytics.rollup_data import START, fixed_shop
from tests.conformance.conftest import ENGINES, normalise

END = START.replace(day=30)
DATA = fixed_shop(7)


def _as_rows(result: dict) -> list[dict]:
    return [{"key": k, "value": json.dumps(v, sort_keys=True, default=str)} for k, v in result.items()]


def _run(engines, build, *, rollups: bool = True) -> list[list[tuple]]:
    out = []
    for name in ENGINES:
        tables = MemoryTables(engines[name], DATA, rollups=rollups)
        assert tables.rollups is rollups
        result = build(tables)
        out.append(normalise(tables.engine.rows(result) if hasattr(result, "to_pyarrow") else result))
    return out


@pytest.mark.parametrize("by", [None, ("day", "channel"), "week"])
def test_metrics_from_rollups_equal_on_both_engines(engines, by):
    duck, spark = _run(engines, lambda t: _as_rows(compute(t, date_from=START, date_to=END, by=by)))
    assert duck == spark
    totals = next(json.loads(dict(r)["value"]) for r in duck if dict(r)["key"] == "totals")
    assert totals["uv"] and totals["orders"]  # not vacuous


def test_metrics_from_rollups_equal_raw_on_spark(engines):
    rolled = normalise(_as_rows(compute(MemoryTables(engines["pyspark"], DATA), date_from=START, date_to=END,
                                        by="channel", channel="site")))
    raw = normalise(_as_rows(compute(MemoryTables(engines["pyspark"], DATA, rollups=False), date_from=START,
                                     date_to=END, by="channel", channel="site")))
    assert rolled == raw


def test_retention_and_coverage_from_rollups_equal_on_both_engines(engines):
    for build in (lambda t: retention(t, date_from=START, date_to=END, cohort="first_buy", period="week"),
                  lambda t: log_visitors_by_channel(t, date_from=START, date_to=END)):
        duck, spark = _run(engines, build)
        assert duck == spark and duck
