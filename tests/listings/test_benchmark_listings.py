"""Smoke test of benchmarks/listings.py at its tiny size (``--quick``): every phase runs end to end and prints the
documented JSON; the engine agrees with the per-listing baseline and our keyword mining with the hand-written
DuckDB SQL per term and per root. No timing is asserted (shared, noisy machines)."""

from __future__ import annotations

import pytest

from tests.benchmarks.runner import run_benchmark

LISTINGS, DB_LISTINGS, ROWS, TERMS = 600, 200, 20_000, 500  # the script's --quick sizes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> dict:
    return run_benchmark("listings.py", "--quick", timeout=600)


def test_every_phase_runs_and_reports_ours_the_baseline_and_the_goal(report):
    phases = {phase["phase"]: phase for phase in report["phases"]}
    assert set(phases) == {"audit", "audit_db", "keywords"}
    for name in ("audit", "keywords"):
        phase = phases[name]
        assert phase["agree"] is True and phase["ours_seconds"] >= 0 and phase["baseline"]["seconds"] >= 0
        assert set(phase["goal"]) == {"limit", "value", "met"} and phase["goal"]["value"] == phase["ours_seconds"]
    assert phases["audit"]["goal"]["limit"] == 10.0 and phases["keywords"]["goal"]["limit"] == 20.0
    assert report["agree"] is True and isinstance(report["goals_met"], bool)
    assert len(report["load_average"]["before"]) == 3 == len(report["load_average"]["after"])
    assert all(len(phase["load_average_after"]) == 3 for phase in report["phases"])


def test_the_engine_phase_agrees_with_the_per_listing_baseline(report):
    audit = next(phase for phase in report["phases"] if phase["phase"] == "audit")
    assert audit["listings"] == LISTINGS
    assert {"ad_law", "title_length", "repeated_word", "rival_brand"} <= set(audit["problems_by_rule"])
    assert audit["distinct_titles"] < LISTINGS  # titles shared between 天猫 and 淘宝 are read once


def test_the_database_phase_raises_todos_once(report):
    db = next(phase for phase in report["phases"] if phase["phase"] == "audit_db")
    assert db["first_run"]["audited"] == DB_LISTINGS == db["reaudit"]["audited"]
    assert db["first_run"]["todos_raised"] == db["first_run"]["with_errors"] > 0
    assert db["reaudit"]["todos_raised"] == 0 and db["goal"] is None


def test_the_keyword_phase_mines_the_terms(report):
    keywords = next(phase for phase in report["phases"] if phase["phase"] == "keywords")
    assert keywords["rows"] == ROWS and 0 < keywords["terms"] <= TERMS and keywords["roots"] > 0
    assert keywords["total_orders"] > 0 and keywords["duckdb_sql_seconds"] == keywords["baseline"]["seconds"]
