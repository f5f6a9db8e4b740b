"""Conformance of the rollup path: the metric layer and the queries that read the rollups give the same rows on
DuckDB and on Spark (docs/architecture.md#scale-out, docs/architecture.md#rollups), and on Spark the same as
the raw path. Few cases: Spark is slow."""

from __future__ import annotations

import json

import pytest

from shopops.analytics.engine import MemoryTables
from shopops.analytics.metrics import compute
from shopops.analytics.queries.coverage import log_visitors_by_channel
from shopops.analytics.queries.funnels import funnel
from shopops.analytics.queries.retention import retention
from tests.analytics.rollup_data import START, fixed_shop
from tests.analytics.test_funnel_rollup import START as F_START
from tests.analytics.test_funnel_rollup import _events
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


def test_the_default_funnel_from_funnel_day_equals_on_both_engines_and_raw(engines):
    """pv→cart→buy in a one-day window from the funnel_day rollup (chains across midnight included)."""
    rows = [(0, 82_800, "u1", "pv"), (1, 3_600, "u1", "cart"), (1, 82_799, "u1", "buy"),
            (0, 36_000, "u2", "pv"), (0, 43_200, "u2", "cart"), (1, 36_001, "u2", "buy"),
            (1, 100, "u3", "pv"), (1, 100, "u3", "cart"), (2, 50, "u3", "buy"), (2, 10, "u4", "pv")]
    data = _events(rows)
    kw = {"steps": ["pv", "cart", "buy"], "window_seconds": 86_400, "mode": "sequential", "date_from": F_START,
          "date_to": F_START.replace(day=F_START.day + 2)}
    out = []
    for name in ENGINES:
        tables = MemoryTables(engines[name], data)
        out.append(normalise(tables.engine.rows(funnel(tables, days_last_24_hours=True, **kw))))
    raw = MemoryTables(engines["pyspark"], data, rollups=False)
    assert out[0] == out[1] == normalise(raw.engine.rows(funnel(raw, **kw)))
    assert [dict(r)["people"] for r in sorted(out[0], key=lambda r: dict(r)["step"])] == [4, 3, 2]
