"""A multi-process, multi-thread race harness on a real database: N processes run random operations, then
the invariants are checked — Jepsen-style, written in Python, like Odoo's test_quant_mt with 8 processes
racing decrements (docs/rules/inventory.md#concurrency-tests).

The race runs in a database of its own, so nothing leaks into the test database: a fresh SQLite file (WAL)
or a fresh PostgreSQL database next to the test one, migrated by a child process. Children are started with
"spawn" and configure Django from environment variables, exactly like `shopops` processes do. Also used by
benchmarks/reservations.py.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import tempfile
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

CTX = mp.get_context("spawn")


def init_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shopops.settings"
    import django

    django.setup()


def _in_child(env: dict[str, str], func, *args):
    with CTX.Pool(1, initializer=init_django, initargs=(env,)) as pool:
        return pool.apply(func, args)


@contextmanager
def race_database(settings_dict: dict | None = None):
    """Yield the environment of a fresh, migrated database: PostgreSQL when ``settings_dict`` is a PostgreSQL
    connection's settings (a sibling database on the same server), else a SQLite file."""
    if settings_dict and "postgresql" in settings_dict["ENGINE"]:
        import psycopg

        name = f"race_{uuid.uuid4().hex[:12]}"
        server = {"host": settings_dict["HOST"], "port": settings_dict["PORT"] or 5432,
                  "user": settings_dict["USER"], "password": settings_dict.get("PASSWORD") or None,
                  "dbname": "postgres"}
        with psycopg.connect(**server, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        password = f":{server['password']}" if server["password"] else ""
        env = {"DATABASE_URL": f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}",
               "SHOPOPS_DATA_DIR": tempfile.mkdtemp(prefix="shopops-race-")}
        try:
            _in_child(env, _migrate)
            yield env
        finally:
            with psycopg.connect(**server, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory(prefix="shopops-race-") as data_dir:
            env = {"SHOPOPS_DATA_DIR": data_dir}
            _in_child(env, _migrate)
            assert (Path(data_dir) / "shopops.sqlite3").exists()
            yield env


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def setup_stock(on_hand: int, pool_qty: int, limit: int) -> dict:
    """A shop with one SKU: ``on_hand`` units at the default location, ``pool_qty`` of them in a pool."""
    from shopops.catalog.domain import ProductInput, SkuInput
    from shopops.catalog.services import category_create, product_create
    from shopops.core.services import shop_create
    from shopops.inventory import services

    shop = shop_create(code="race", name="Race")
    category_create(shop=shop, code="c", name="C")
    product_create(shop=shop, data=ProductInput(spu_code="P", title="P", category="c",
                                                skus=(SkuInput("HOT", "10.00", "5.00"),)), audit=False)
    services.stock_move(shop=shop, sku_code="HOT", qty=on_hand, type="receipt", ref="initial")
    if pool_qty:
        services.pool_create(shop=shop, code="flash", sku_code="HOT", qty=pool_qty, per_customer_limit=limit)
    return {"shop": "race", "sku": "HOT"}


def _attempts(worker: int, thread: int, attempts: int, customers: int, commit_share: float,
              start: threading.Barrier | None) -> list[dict]:
    from django.db import connection

    from shopops.core.errors import Conflict
    from shopops.core.selectors import all_shops
    from shopops.inventory import services

    shop = all_shops().get(code="race")
    rng = random.Random(worker * 1000 + thread)
    if start is not None:
        start.wait()
    out = []
    try:
        for n in range(attempts):
            in_pool = n % 2 == 1
            customer = f"c{rng.randrange(customers)}" if in_pool else ""
            qty = rng.choice((1, 2)) if in_pool else 1
            ref = f"w{worker}-t{thread}-{n}"
            try:
                reservation, _created = services.reservation_create(
                    shop=shop, sku_code="HOT", qty=qty, ref=ref, channel="tmall", ttl_seconds=600,
                    pool_code="flash" if in_pool else None, customer=customer)
            except services.StockConflict:
                out.append({"ref": ref, "ok": False})
                continue
            committed = rng.random() < commit_share
            if committed:
                services.reservation_commit(shop=shop, reservation_id=reservation.pk)
            out.append({"ref": ref, "ok": True, "qty": qty, "pool": in_pool, "customer": customer,
                        "committed": committed})
    except Conflict as exc:  # would be a bug: record it so the test shows it
        out.append({"ref": "error", "ok": False, "error": exc.detail})
    finally:
        connection.close()
    return out


def racer(env: dict, start, results, worker: int, threads: int, attempts: int, customers: int,
          commit_share: float) -> None:
    """One process: ``threads`` threads (each its own DB connection) racing after the shared start barrier."""
    init_django(env)
    local = threading.Barrier(threads)
    collected: list[dict] = []
    lock = threading.Lock()

    def run(thread: int) -> None:
        local.wait()
        rows = _attempts(worker, thread, attempts, customers, commit_share, None)
        with lock:
            collected.extend(rows)

    start.wait()
    pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put(collected)


def run_race(env: dict, *, processes: int, threads: int, attempts: int, customers: int,
             commit_share: float = 0.5) -> list[dict]:
    start = CTX.Barrier(processes)
    results = CTX.Queue()
    procs = [CTX.Process(target=racer, args=(env, start, results, w, threads, attempts, customers, commit_share))
             for w in range(processes)]
    for p in procs:
        p.start()
    rows: list[dict] = []
    for _ in procs:
        rows.extend(results.get(timeout=120))
    for p in procs:
        p.join(timeout=60)
    return rows


def state() -> dict:
    """Everything the invariants need, read after the race."""
    from django.db.models import Sum

    from shopops.inventory.models import Balance, Pool, PoolCustomer, Reservation, StockMove

    balance = Balance.objects.get(sku__sku_code="HOT", location__is_default=True)
    pool = Pool.objects.filter(code="flash").first()
    reservations = list(Reservation.objects.filter(sku__sku_code="HOT").values(
        "ref", "qty", "status", "pool_id", "customer"))
    return {
        "on_hand": balance.on_hand, "reserved": balance.reserved, "pooled": balance.pooled,
        "ledger": StockMove.objects.filter(sku__sku_code="HOT").aggregate(s=Sum("qty"))["s"],
        "pool": {"qty": pool.qty, "held": pool.reserved, "sold": pool.sold} if pool else None,
        "pool_customers": dict(PoolCustomer.objects.values_list("customer", "qty")),
        "reservations": reservations,
    }


def read_state(env: dict) -> dict:
    return _in_child(env, state)


def prepare(env: dict, on_hand: int, pool_qty: int, limit: int) -> dict:
    return _in_child(env, setup_stock, on_hand, pool_qty, limit)
