"""Reservations on one hot SKU: 8 concurrent workers through the service layer vs a bare conditional UPDATE.

Target: the service layer reaches at least half the throughput of a bare
``UPDATE … SET reserved = reserved + 1 WHERE … AND on_hand - reserved - pooled >= 1`` on the same database,
with zero oversell; on SQLite and PostgreSQL (the bare statement's measurements:
docs/rules/inventory.md#conditional-decrement).

Like with like: both sides run 8 worker processes (real concurrency, no shared GIL), each with one persistent
Django connection in autocommit mode, started together by a barrier, each making the same number of attempts
of one unit on one hot SKU. The service side calls ``inventory.services.reservation_create`` (validation, the
hot path: one statement on PostgreSQL / one short BEGIN IMMEDIATE transaction on SQLite that takes the units
and writes the reservation row, idempotency by ref through the unique constraint, the Reservation returned);
the baseline runs the bare UPDATE through the same Django connection on another SKU of the same database.
Rounds alternate service and bare (so load drift on a shared machine hits both) and the median round counts.
On SQLite a third side, ``raw_row``, is the floor of any design that records a reservation as a row: the
same worker processes run only BEGIN IMMEDIATE, the conditional UPDATE by primary key, one INSERT into
``inventory_reservation`` and COMMIT on the driver's connection (no Python around them, no lookups); its ratio
to the bare UPDATE bounds what the service can reach (the commit writes the balance page, the reservation's
table page and its index pages, against the bare UPDATE's one page).
After the run: oversell = units reserved beyond on hand + mismatch between the balance's reserved and the
held reservations (service), units beyond on hand (bare).

Usage: python benchmarks/reservations.py [--attempts N] [--postgres]
  SQLite always (a fresh WAL file); PostgreSQL when DATABASE_URL is set, or with --postgres (a throw-away server
  via scripts/with-postgres.sh). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.inventory import race  # noqa: E402  (fresh database + spawn helpers shared with the race test)

WORKERS = 8


def _setup(stock: int) -> None:
    race.setup_stock(stock, 0, 1)
    from shopops.catalog.domain import ProductInput, SkuInput
    from shopops.catalog.services import product_create
    from shopops.core.selectors import all_shops
    from shopops.inventory import services

    shop = all_shops().get(code="race")
    product_create(shop=shop, data=ProductInput(spu_code="B", title="B", category="c",
                                                skus=(SkuInput("BARE", "10.00", "5.00"),
                                                      SkuInput("RAW", "10.00", "5.00"))), audit=False)
    services.stock_move(shop=shop, sku_code="BARE", qty=stock, type="receipt", ref="initial-bare")
    services.stock_move(shop=shop, sku_code="RAW", qty=stock, type="receipt", ref="initial-raw")


def _worker(env: dict, mode: str, attempts: int, worker: int, start, results, rnd: int = 0) -> None:
    race.init_django(env)
    from django.db import connection

    from shopops.core.selectors import all_shops
    from shopops.inventory import services
    from shopops.inventory.models import Balance

    shop = all_shops().get(code="race")
    bare_id = Balance.objects.get(sku__sku_code="BARE").pk
    raw_row = Balance.objects.get(sku__sku_code="RAW")  # looked up before the clock starts, like bare_id
    connection.ensure_connection()
    ok = 0
    start.wait()
    t0 = time.perf_counter()
    if mode == "service":
        for n in range(attempts):
            try:
                services.reservation_create(shop=shop, sku_code="HOT", qty=1, ref=f"b{rnd}-{worker}-{n}",
                                            channel="tmall")
                ok += 1
            except services.StockConflict:
                pass
    elif mode == "raw_row":  # the floor of any design that writes a reservation row (SQLite only)
        raw, hot = connection.connection, raw_row
        created = "2026-11-25 09:00:00.000000"
        for n in range(attempts):
            raw.execute("BEGIN IMMEDIATE")
            if raw.execute("UPDATE inventory_balance SET reserved = reserved + 1 "
                           "WHERE id = ? AND on_hand - reserved - pooled >= 1", [hot.pk]).rowcount:
                raw.execute("INSERT INTO inventory_reservation (shop_id, sku_id, location_id, pool_id, qty, ref, "
                            "channel, customer, status, expires_at, created_at, closed_at) "
                            "VALUES (?, ?, ?, NULL, 1, ?, 'tmall', '', 'held', ?, ?, NULL)",
                            [shop.pk, hot.sku_id, hot.location_id, f"r{rnd}-{worker}-{n}", created, created])
                ok += 1
            raw.execute("COMMIT")
    else:
        with connection.cursor() as cursor:
            for _n in range(attempts):
                cursor.execute("UPDATE inventory_balance SET reserved = reserved + 1 "
                               "WHERE id = %s AND on_hand - reserved - pooled >= 1", [bare_id])
                ok += cursor.rowcount
    t1 = time.perf_counter()
    results.put((ok, t0, t1))


def _run(env: dict, mode: str, attempts: int, rnd: int = 0) -> dict:
    start = race.CTX.Barrier(WORKERS)
    results = race.CTX.Queue()
    procs = [race.CTX.Process(target=_worker, args=(env, mode, attempts, w, start, results, rnd))
             for w in range(WORKERS)]
    for p in procs:
        p.start()
    rows = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    elapsed = max(r[2] for r in rows) - min(r[1] for r in rows)
    return {"attempts": WORKERS * attempts, "succeeded": sum(r[0] for r in rows), "seconds": round(elapsed, 3),
            "per_second": round(WORKERS * attempts / elapsed, 1)}


def _check() -> dict:
    from shopops.inventory.models import Balance, Reservation

    hot = Balance.objects.get(sku__sku_code="HOT")
    bare = Balance.objects.get(sku__sku_code="BARE")
    held = Reservation.objects.filter(sku__sku_code="HOT", status="held").count()
    return {"service_oversold": max(0, hot.reserved - hot.on_hand) + abs(hot.reserved - held),
            "bare_oversold": max(0, bare.reserved - bare.on_hand)}


def measure(database: str, attempts: int, rounds: int = 3) -> dict:
    settings_dict = None
    if database == "postgresql":
        import dj_database_url

        parsed = dj_database_url.parse(os.environ["DATABASE_URL"])
        settings_dict = {**parsed, "ENGINE": "django.db.backends.postgresql"}
    stock = WORKERS * attempts * rounds + 1  # every attempt can succeed: we measure throughput, then oversell
    modes = ["service", "bare"] + (["raw_row"] if database == "sqlite" else [])
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    with race.race_database(settings_dict) as env:
        race._in_child(env, _setup, stock)
        for rnd in range(rounds):
            for mode in modes[rnd % len(modes):] + modes[:rnd % len(modes)]:  # rotate who goes first
                runs[mode].append(_run(env, mode, attempts, rnd))
        check = race._in_child(env, _check)

    def median(rows: list[dict]) -> dict:
        return sorted(rows, key=lambda r: r["per_second"])[len(rows) // 2]

    service, bare = median(runs["service"]), median(runs["bare"])
    ratio = round(service["per_second"] / bare["per_second"], 3)
    oversell = check["service_oversold"] + check["bare_oversold"]
    return {"database": database, "workers": WORKERS, "rounds": rounds,
            "connections": "one persistent Django connection per worker process, autocommit, both sides",
            "service": service, "bare_update": bare, "ratio": ratio,
            "ratio_per_round": [round(a["per_second"] / b["per_second"], 3)
                                for a, b in zip(runs["service"], runs["bare"], strict=True)],
            **check, "oversell": oversell, "target_met": ratio >= 0.5 and oversell == 0,
            **({"raw_reservation_row": median(runs["raw_row"]),
                "raw_row_ratio": round(median(runs["raw_row"])["per_second"] / bare["per_second"], 3),
                "raw_row_ratio_per_round": [round(a["per_second"] / b["per_second"], 3)
                                            for a, b in zip(runs["raw_row"], runs["bare"], strict=True)]}
               if "raw_row" in runs else {})}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=300, help="attempts per worker")
    parser.add_argument("--rounds", type=int, default=3, help="alternating service/bare rounds (median counts)")
    parser.add_argument("--postgres", action="store_true", help="also run on a throw-away PostgreSQL")
    parser.add_argument("--pg-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = []
    if args.pg_only:
        print(json.dumps(measure("postgresql", args.attempts, args.rounds)))
        return
    saved = os.environ.pop("DATABASE_URL", None)
    out.append(measure("sqlite", args.attempts, args.rounds))
    if saved:
        os.environ["DATABASE_URL"] = saved
        out.append(measure("postgresql", args.attempts, args.rounds))
    elif args.postgres:
        done = subprocess.run([str(ROOT / "scripts/with-postgres.sh"), sys.executable, __file__, "--pg-only",
                               "--attempts", str(args.attempts), "--rounds", str(args.rounds)], capture_output=True, text=True, check=True)
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(json.dumps({"benchmark": "reservations", "results": out,
                      "target": "service per_second >= 0.5 x bare_update per_second, oversell 0"}, indent=2))


if __name__ == "__main__":
    main()
