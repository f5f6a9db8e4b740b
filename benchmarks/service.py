"""Customer service at scale; phase ``dsr``: the DSR of 10M reviews in under 10 s (goal), ours vs hand-written SQL.

Ours: ``shopops.service.dsr``'s column core, the code the selector and ``shopops service dsr`` run — the reviews
as numpy columns (buyer code, local day, a total order by time and key, three int8 scores, the default flag),
ranked once per buyer and natural month for the monthly cap (one sort for the three dimensions), then the
180-day window's sums and counts. Baseline: the same rules as one DuckDB query over the same columns in an Arrow
table (one window per buyer and natural month whose running count of each dimension's real ratings is their
rank, ``<= 3``, the 180-day filter);
DuckDB uses every core. The two must give equal sums and counts per dimension (``agree``).

Where the 10M come from: synthetic, seeded columns (1.25M buyers; 5 % of the reviews from 1,000 buyers of many orders, so
the cap bites; 8 % default reviews; some dimensions left empty), built in memory before timing. The selector reads a
period's reviews from the database (``Review``: the rows from the first day of the period's first month) and
scores them with this same core; at 10M the database read, not the scoring, would dominate (about 1 µs a field
through the ORM), so a shop of that size would keep its reviews as a lake table (one Delta table partitioned
by month, written by the import like ``traffic_daily``) and hand its Arrow columns to this core. A Taobao
shop has that many reviews in 180 days only at the very top; the database path covers the rest, and this phase
times the part that is ours.

Run: ``.venv/bin/python benchmarks/service.py [--phase dsr] [--reviews 10000000] [--json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shopops.service.dsr import DIMENSIONS, Columns, day_number, shown, totals, window_start

AS_OF = dt.date(2026, 11, 20)
GOAL_SECONDS = 10.0


def synth_reviews(n: int, seed: int = 20261120) -> dict[str, np.ndarray]:
    """Raw review columns as a store would hold them: buyer id, local day, second of the day, key, scores."""
    rng = np.random.default_rng(seed)
    buyers = max(n // 8, 1)
    buyer = rng.integers(0, buyers, n, dtype=np.int64)  # most buyers review a few orders
    heavy = rng.random(n) < 0.05  # 5 % of the reviews from 1,000 buyers of many orders: the cap bites
    buyer[heavy] = rng.integers(0, min(1_000, buyers), int(heavy.sum()), dtype=np.int64) * 7 % buyers
    first = day_number(window_start(AS_OF)) - 60  # some reviews before the window
    day = rng.integers(first, day_number(AS_OF) + 1, n).astype(np.int64)
    second = rng.integers(0, 86_400, n).astype(np.int64)
    out = {"buyer": buyer, "day": day, "second": second, "key": np.arange(n, dtype=np.int64),
           "default": rng.random(n) < 0.08}
    for dimension, empty in zip(DIMENSIONS, (0.01, 0.03, 0.05), strict=True):
        score = rng.choice(np.array([5, 4, 3, 2, 1], dtype=np.int8), n, p=[0.82, 0.10, 0.04, 0.02, 0.02])
        score[rng.random(n) < empty] = 0
        out[dimension] = score
    return out


def ours(raw: dict[str, np.ndarray]) -> dict[str, tuple[int, int]]:
    """Columns (the total order by time, then key) → the window's sums and counts per dimension."""
    n = len(raw["key"])
    by_time = np.argsort((raw["day"] * 86_400 + raw["second"]) * n + raw["key"])  # keys < n: one int64 key
    order = np.empty(n, dtype=np.int64)
    order[by_time] = np.arange(n)
    columns = Columns(buyer=raw["buyer"], day=raw["day"], order=order,
                      scores={d: raw[d] for d in DIMENSIONS}, default=raw["default"])
    result = totals(columns, window_start(AS_OF), AS_OF)
    return {d: (result.sums[d], result.counts[d]) for d in DIMENSIONS}


def baseline_sql(first: int, last: int) -> str:
    """The rules as one hand-written DuckDB query: one window (buyer, natural month, by time and key) whose
    running count of each dimension's real ratings is the rating's rank; the month from the local day."""
    ranks = ",\n".join(
        f"CASE WHEN {d} > 0 AND NOT is_default THEN sum(CAST({d} > 0 AND NOT is_default AS INTEGER)) OVER w END "
        f"AS rank_{d}" for d in DIMENSIONS)
    sums = ",\n".join(
        f"sum({d}) FILTER (WHERE rank_{d} <= 3 AND day BETWEEN {first} AND {last}) AS sum_{d}, "
        f"count(*) FILTER (WHERE rank_{d} <= 3 AND day BETWEEN {first} AND {last}) AS count_{d}"
        for d in DIMENSIONS)
    return (f"WITH ranked AS (SELECT day, {', '.join(DIMENSIONS)}, {ranks} FROM ("
            f"SELECT *, date_trunc('month', DATE '1970-01-01' + CAST(day AS INTEGER)) AS month FROM reviews) "
            f"WINDOW w AS (PARTITION BY buyer, month ORDER BY day, second, key ROWS UNBOUNDED PRECEDING)) "
            f"SELECT {sums} FROM ranked")


def duckdb_baseline(raw: dict[str, np.ndarray]) -> Callable[[], dict[str, tuple[int, int]]]:
    import duckdb
    import pyarrow as pa

    table = pa.table(dict(raw)).rename_columns(
        [("is_default" if k == "default" else k) for k in raw])
    connection = duckdb.connect()
    connection.register("reviews", table)
    query = baseline_sql(day_number(window_start(AS_OF)), day_number(AS_OF))

    def run() -> dict[str, tuple[int, int]]:
        row = connection.execute(query).fetchone()
        assert row is not None
        return {d: (int(row[2 * i] or 0), int(row[2 * i + 1])) for i, d in enumerate(DIMENSIONS)}

    return run


def timed(fn: Callable[[], dict[str, tuple[int, int]]]) -> tuple[float, dict[str, tuple[int, int]]]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def phase_dsr(args: argparse.Namespace) -> dict[str, object]:
    raw = synth_reviews(args.reviews)
    seconds, result = timed(lambda: ours(raw))
    base_seconds, base = timed(duckdb_baseline(raw))
    scores = {d: (str(score) if (score := shown(s, c)) is not None else None) for d, (s, c) in result.items()}
    return {"phase": "dsr", "reviews": args.reviews, "as_of": AS_OF.isoformat(),
            "counted": {d: c for d, (_s, c) in result.items()}, "scores": scores,
            "ours_seconds": round(seconds, 3), "duckdb_sql_seconds": round(base_seconds, 3),
            "agree": result == base, "goal_seconds": GOAL_SECONDS, "goal_met": seconds < GOAL_SECONDS}


PHASES: dict[str, Callable[[argparse.Namespace], dict[str, object]]] = {"dsr": phase_dsr}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--phase", choices=sorted(PHASES), action="append", help="run only these phases")
    parser.add_argument("--reviews", type=int, default=10_000_000, help="dsr: how many reviews")
    parser.add_argument("--json", action="store_true", help="print only the JSON (the default output too)")
    args = parser.parse_args()
    results = [PHASES[name](args) for name in (args.phase or sorted(PHASES))]
    print(json.dumps({"phases": results, "python": sys.version.split()[0], "machine": platform.machine(),
                      "cpus": os.cpu_count()}, indent=2))


if __name__ == "__main__":
    main()
