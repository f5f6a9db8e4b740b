"""Benchmark: build the default demo shop (365 days) and time the dashboard on it.

Prints JSON: the demo build time and order count, next to the world simulation alone; the dashboard's
server time (p50/p95 over 50 requests, Django test client in-process) next to a baseline of hand-written
SQL computing the same numbers on the same database.

    .venv/bin/python benchmarks/demo_and_dashboard.py [--days 365] [--requests 50] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def build_demo(data_dir: Path, days: int) -> tuple[float, dict]:
    env = {**os.environ, "SHOPOPS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    shopops = str(Path(sys.executable).parent / "shopops")
    started = time.perf_counter()
    result = subprocess.run([shopops, "demo", "--no-serve", "--days", str(days), "--password", "Bench-pass-2026",
                             "--json"], env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, json.loads(result.stdout)


def time_dashboard(data_dir: Path, requests: int) -> tuple[list[float], str]:
    os.environ["SHOPOPS_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shopops.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="operator"))
    assert client.get("/").status_code == 200  # warm-up: templates, connections
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    from shopops.core.clock import today

    return times, (today() - dt.timedelta(days=1)).isoformat()


def time_hand_written_sql(db_path: Path, day: str, requests: int) -> list[float]:
    """The same dashboard numbers straight from SQLite: the floor our ORM/template stack is compared with."""
    con = sqlite3.connect(db_path)
    d = dt.date.fromisoformat(day)
    periods = [(d, d), (d - dt.timedelta(1), d - dt.timedelta(1)), (d - dt.timedelta(7), d - dt.timedelta(7)),
               (d - dt.timedelta(29), d), (d - dt.timedelta(59), d - dt.timedelta(30))]
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        for start, end in periods:
            con.execute("SELECT sum(paid_fen), count(*), count(DISTINCT customer_id) FROM orders_order "
                        "WHERE shop_id = 1 AND paid_date BETWEEN ? AND ?", (start.isoformat(), end.isoformat())).fetchone()
            con.execute("SELECT sum(amount_fen) FROM orders_refund WHERE shop_id = 1 AND status = 'success' "
                        "AND completed_date BETWEEN ? AND ?", (start.isoformat(), end.isoformat())).fetchone()
        con.execute("SELECT paid_date, sum(paid_fen), count(*), count(DISTINCT customer_id) FROM orders_order "
                    "WHERE shop_id = 1 AND paid_date BETWEEN ? AND ? GROUP BY paid_date",
                    ((d - dt.timedelta(89)).isoformat(), day)).fetchall()
        con.execute("SELECT channel, sum(paid_fen), count(*), count(DISTINCT customer_id) FROM orders_order "
                    "WHERE shop_id = 1 AND paid_date BETWEEN ? AND ? GROUP BY channel",
                    ((d - dt.timedelta(29)).isoformat(), day)).fetchall()
        times.append(time.perf_counter() - started)
    con.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", type=Path, default=None, help="build into this directory and keep it")
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="shopops-bench-"))
    try:
        build_seconds, summary = build_demo(data_dir, args.days)
        times, day = time_dashboard(data_dir, args.requests)
        sql_times = time_hand_written_sql(data_dir / "shopops.sqlite3", day, args.requests)
        ms = lambda seconds: round(seconds * 1000, 2)  # noqa: E731
        print(json.dumps({
            "benchmark": "demo_and_dashboard",
            "days": args.days,
            "demo": {
                "seconds": round(build_seconds, 2),
                "orders": summary["orders"],
                "order_lines": summary["order_lines"],
                "customers": summary["customers"],
                "baseline_world_simulation_only_seconds": summary["simulate_seconds"],
                "goal": "well under 120 s and >= 50,000 orders",
            },
            "dashboard_server_ms": {"p50": ms(statistics.median(times)), "p95": ms(percentile(times, 95)),
                                    "requests": len(times)},
            "baseline_hand_written_sql_ms": {"p50": ms(statistics.median(sql_times)),
                                             "p95": ms(percentile(sql_times, 95))},
        }, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
