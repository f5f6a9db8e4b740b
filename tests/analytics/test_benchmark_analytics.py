"""Smoke test of benchmarks/analytics.py at a tiny scale: it runs end to end, prints the documented JSON, and
our analytics suite gives exactly the baselines' results (hand-written DuckDB SQL, pandas).

No timing is asserted (shared, noisy machines): only shapes and equal results.
"""

from __future__ import annotations

import pytest

from tests.benchmarks.runner import run_benchmark

QUERIES = {"daily", "funnel", "retention", "top_items"}
ROWS, SLICE = 20_000, 5_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("analytics-bench")
    return run_benchmark("analytics.py", "--rows", str(ROWS), "--pandas-rows", str(SLICE), "--keep", str(workdir),
                         timeout=600)


def _check_phase(phase: dict) -> None:
    assert set(phase["seconds"]) == QUERIES
    assert all(v >= 0 for v in phase["seconds"].values())
    assert phase["total_seconds"] == pytest.approx(sum(phase["seconds"].values()), abs=0.01)
    assert phase["peak_rss_mib"] > 0 and phase["rows_per_s"] > 0


def test_json_shape(report):
    assert report["rows"] == ROWS and report["days"] == 9
    # the Taobao UserBehavior shape scaled down (docs/rules/platforms.md#tianchi-userbehavior-dataset):
    # 987,994 users per 100,150,807 rows
    assert report["users"] == round(987_994 * ROWS / 100_150_807)
    assert sum(report["behaviour_mix"].values()) == pytest.approx(1.0, abs=1e-3)
    assert report["behaviour_mix"]["pv"] == pytest.approx(0.896, abs=0.02)
    assert report["behaviour_mix"]["buy"] == pytest.approx(0.020, abs=0.01)
    for name in ("ours", "ours_parquet", "ours_rollups", "duckdb_sql"):
        _check_phase(report[name])
    assert set(report["ours"]["implementation"]) == QUERIES
    assert set(report["ours"]["ratio_to_duckdb_sql"]) == QUERIES | {"total"}
    assert report["slice"]["rows"] == SLICE
    for name in ("ours", "duckdb_sql", "pandas"):
        _check_phase(report["slice"][name])
    assert report["slice"]["pandas"]["load_seconds"] >= 0
    assert set(report["slice"]["ours"]["speedup_vs_pandas"]) == QUERIES | {"total", "total_with_pandas_load"}
    assert set(report["goals"]) == {"suite_under_60s", "peak_under_6gib", "within_1_5x_sql", "rollups_10x_sql",
                                    "results_equal_sql"}
    assert all(isinstance(v, bool) for v in report["goals"].values())
    assert set(report["earlier_goals"]) == {"10x_pandas_on_the_slice"}  # replaced by rollups_10x_sql
    rollups = report["ours_rollups"]
    assert set(rollups["speedup_vs_duckdb_sql"]) == QUERIES | {"total"}
    assert set(rollups["rollups"]["built_by"]) == {"user_day", "item_day", "funnel_day"}
    assert all(n > 0 for n in rollups["rollups"]["rows"].values())


def test_results_are_not_trivial(report):
    people = report["digest"]["duckdb_sql"]["funnel_people"]
    assert len(people) == 3 and people[0] >= people[1] >= people[2] > 0  # the funnel narrows
    period = report["digest"]["duckdb_sql"]["period_row"]
    assert period[0] == "total" and 0 < period[1] <= report["users"] and period[5] is not None  # bounce rate
    assert 9 <= report["digest"]["duckdb_sql"]["retention_cells"] <= 45  # at most 9 cohorts × their remaining days


def test_baselines_agree_with_each_other(report):
    assert all(report["slice"]["pandas"]["agrees_with_duckdb_sql"].values())


def test_our_queries_equal_the_sql_baseline(report):
    for name in ("ours", "ours_parquet", "ours_rollups"):
        assert report[name]["agrees_with_duckdb_sql"] == dict.fromkeys(QUERIES, True)
    for name in ("ours", "ours_parquet"):  # no rollups on the slice: it compares raw work with pandas
        assert report["slice"][name]["agrees_with_duckdb_sql"] == dict.fromkeys(QUERIES, True)
    assert report["all_agree"] and report["slice_all_agree"]
    assert report["goals"]["results_equal_sql"] is True
