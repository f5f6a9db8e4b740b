"""Smoke test of benchmarks/listings.py at a tiny size: both phases run end to end and print the documented JSON;
the engine agrees with the per-listing baseline. No timing is asserted (shared, noisy machines)."""

from __future__ import annotations

import pytest

from tests.benchmarks.runner import run_benchmark

LISTINGS, DB_LISTINGS = 600, 200

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> dict:
    return run_benchmark("listings.py", "--listings", str(LISTINGS), "--db-listings", str(DB_LISTINGS), timeout=600)


def test_both_phases_run_and_agree(report):
    phases = {phase["phase"]: phase for phase in report["phases"]}
    assert set(phases) == {"audit", "audit_db"}
    audit = phases["audit"]
    assert audit["listings"] == LISTINGS and audit["agree"] is True
    assert audit["goal"]["limit"] == 10.0 and isinstance(audit["goal"]["met"], bool)
    assert audit["baseline"]["seconds"] >= 0 and audit["ours_seconds"] >= 0
    assert {"ad_law", "title_length", "repeated_word", "rival_brand"} <= set(audit["problems_by_rule"])
    assert audit["distinct_titles"] < LISTINGS  # titles shared between 天猫 and 淘宝 are read once
    db = phases["audit_db"]
    assert db["first_run"]["audited"] == DB_LISTINGS == db["reaudit"]["audited"]
    assert db["first_run"]["todos_raised"] == db["first_run"]["with_errors"] > 0
    assert db["reaudit"]["todos_raised"] == 0
