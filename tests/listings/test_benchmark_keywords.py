"""Smoke test of benchmarks/keywords.py at a tiny scale: it runs end to end and prints the documented JSON, and
our keyword mining agrees with the hand-written DuckDB SQL per term and per root. No timing is asserted."""

from __future__ import annotations

import pytest

from tests.benchmarks.runner import run_benchmark

pytestmark = pytest.mark.slow

ROWS, TERMS = 20_000, 500


def test_keyword_mining_agrees_with_the_sql_baseline():
    report = run_benchmark("keywords.py", "--rows", str(ROWS), "--terms", str(TERMS), timeout=600)
    assert report["benchmark"] == "keywords" and report["rows"] == ROWS
    assert report["agree"] is True
    assert 0 < report["terms"] <= TERMS and report["roots"] > 0 and report["total_orders"] > 0
    assert set(report["goal"]) == {"met", "value", "limit"} and report["goal"]["limit"] == 20.0
    assert report["goal"]["value"] == report["ours_seconds"] >= 0 and report["duckdb_sql_seconds"] >= 0
