"""Conformance: every analytics query runs on DuckDB and on Spark (local mode) and must give equal results.

Use ``both(build, data)``: it builds the query on each engine over the same hand-made tables and returns
the two results as sorted plain rows, e.g. ``duck, spark = both(lambda t: funnel(t, ...), data)``.
"""

from __future__ import annotations

import math
import shutil

import pytest

from shopops.analytics.engine import MemoryTables, get_engine

ENGINES = ("duckdb", "pyspark")


def _java_missing() -> bool:
    return shutil.which("java") is None


def normalise(rows: list[dict]) -> list[tuple]:
    """Rows as sorted tuples; floats rounded to 9 places (engines may sum in a different order)."""
    def cell(value):
        if isinstance(value, float):
            return None if math.isnan(value) else round(value, 9)
        return value
    return sorted((tuple(sorted((k, cell(v)) for k, v in row.items())) for row in rows), key=repr)


@pytest.fixture(scope="session")
def engines():
    if _java_missing():
        pytest.fail("Java is required for the Spark conformance tests (scripts/system-packages.sh installs it)")
    return {name: get_engine(name) for name in ENGINES}


@pytest.fixture
def both(engines):
    def run(build, data: dict, *, shop_id: int = 1):
        out = []
        for name in ENGINES:
            engine = engines[name]
            result = build(MemoryTables(engine, data, shop_id=shop_id))
            rows = engine.rows(result) if hasattr(result, "to_pyarrow") else result
            out.append(normalise(rows))
        return out
    return run
