"""Smoke test of benchmarks/service.py at a tiny scale: both phases run end to end and print the documented
JSON; the SLA batch path agrees with the per-ticket path on its sample and the DSR core with the SQL.

No timing is asserted (shared, noisy machines): only shapes and equal results.
"""

from __future__ import annotations

import pytest

from tests.benchmarks.runner import run_benchmark

TICKETS, SAMPLE, REVIEWS = 3_000, 400, 20_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> dict:
    return run_benchmark("service.py", "--tickets", str(TICKETS), "--sla-sample", str(SAMPLE),
                         "--reviews", str(REVIEWS), timeout=600)


def phases(report: dict) -> dict[str, dict]:
    return {phase["phase"]: phase for phase in report["phases"]}


def test_both_phases_run(report):
    assert set(phases(report)) == {"sla", "dsr"}
    assert report["cpus"] >= 1 and report["python"]


def test_the_sla_phase_shape_and_agreement(report):
    sla = phases(report)["sla"]
    assert sla["tickets"] == TICKETS and sla["compared"] == SAMPLE and sla["agree"] is True
    assert set(sla["goal"]) == {"met", "value", "limit"} and sla["goal"]["limit"] == 10.0
    assert isinstance(sla["goal"]["met"], bool) and sla["goal"]["value"] == sla["ours_seconds"] >= 0
    assert sla["baseline"]["sample"] == SAMPLE and "extrapolated" in sla["baseline"]["kind"]
    assert sla["baseline"]["extrapolated_seconds"] >= sla["baseline"]["sample_seconds"] >= 0
    mix = sla["mix"]
    assert 0 < mix["resolved"] < mix["answered"] < TICKETS and 0 < mix["still_paused"] < mix["paused"]
    for target, counts in sla["states"].items():
        assert set(counts) == {"ok", "warning", "breached", "met"}, target
    assert sum(sla["states"]["first_response"].values()) == TICKETS  # every policy has a first response
    assert sla["states"]["resolution"]["met"] > 0 and sla["states"]["next_response"]["breached"] > 0


def test_the_dsr_phase_is_printed_as_before(report):
    dsr = phases(report)["dsr"]
    assert dsr["reviews"] == REVIEWS and dsr["agree"] is True
    assert set(dsr) >= {"counted", "scores", "ours_seconds", "duckdb_sql_seconds", "goal_seconds", "goal_met"}
