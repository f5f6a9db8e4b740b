"""Benchmark: import N order lines in the taobao-orders format (GBK order report + item report) end to end.

End to end = ``shopops import taobao-orders orders.csv --items items.csv`` through the same service the CLI
uses: read and normalise both files, group, build orders (column-wise for common ones), resolve SKUs and
buyers, write customers, orders and lines in one transaction on SQLite, write their lake facts. Baselines in
the same run, on the same files: a bare ``pyarrow.csv.read_csv`` and a bare ``pandas.read_csv`` of both files
(strings only, no checks, no writes). Prints JSON. The speed goal: 30,000 lines/s or more end to end on SQLite
for 1,000,000 lines. "Lines" are order lines (rows of the item report, ``--lines``); the order report has one
row per order (about 0.6 per line here): ``orders``, ``order_rows_per_s``.
``import_cpu_seconds`` (user + system time of the import process) is printed too: on a shared, loaded machine
the wall time says more about the neighbours than about the import (``load_average_at_start``).

    .venv/bin/python benchmarks/import_taobao_orders.py [--lines 1000000] [--keep DIR] [--reimport]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOPOPS = str(ROOT / ".venv/bin/shopops")


def _shopops(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPOPS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([SHOPOPS, *args], capture_output=True, text=True, env=env, check=False)


def _write_files(data_dir: Path, lines: int, seed: int = 5) -> tuple[Path, Path, int]:
    """Orders averaging 1.6 lines over the demo shop's SKUs, written by the export-sample writer."""
    code = (
        "import os, sys, random, datetime as dt, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shopops.settings'); django.setup()\n"
        "from shopops.catalog.selectors import skus_by_code\n"
        "from shopops.core.selectors import shop_by_code\n"
        "from shopops.imports.formats.samples import SampleLine, SampleOrder, write_order_sample\n"
        "lines, path, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])\n"
        "skus = [(s.sku_code, s.product.title, s.price_fen) for s in skus_by_code(shop=shop_by_code()).values()]\n"
        "rnd = random.Random(seed); start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)\n"
        "def orders():\n"
        "    made = 0; n = 0\n"
        "    while made < lines:\n"
        "        k = min(rnd.choice((1, 1, 1, 2, 2, 3)), lines - made); made += k; n += 1\n"
        "        picked = tuple(SampleLine(c, t, p, rnd.choice((1, 1, 2))) for c, t, p in rnd.sample(skus, k))\n"
        "        goods = sum(l.unit_price_fen * l.qty for l in picked); ship = rnd.choice((0, 0, 600))\n"
        "        at = start + dt.timedelta(seconds=rnd.randint(0, 50 * 86400))\n"
        "        yield SampleOrder(f'38{n:017d}', f'tb_buyer{rnd.randint(1, lines // 4 + 1)}', at, at,\n"
        "                          rnd.choice(('completed', 'completed', 'shipped', 'paid')),\n"
        "                          goods + ship - rnd.randint(0, goods // 10), ship, picked, '浙江省', '杭州市')\n"
        "r = write_order_sample('taobao-orders', path, orders()); print(r['item_rows'])\n"
    )
    orders = data_dir / "orders.csv"
    env = {**os.environ, "SHOPOPS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code, str(lines), str(orders), str(seed)], capture_output=True,
                         text=True, env=env, check=True)
    return orders, data_dir / "orders.items.csv", int(out.stdout.strip())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _baseline(orders: Path, items: Path) -> dict[str, float]:
    code = (
        "import sys, time, resource, pyarrow.csv as pc, pandas as pd\n"
        "o, i = sys.argv[1], sys.argv[2]; t = time.perf_counter()\n"
        "opts = pc.ReadOptions(encoding='gb18030', block_size=4 << 20)\n"
        "conv = pc.ConvertOptions(strings_can_be_null=False, check_utf8=False)\n"
        "n = pc.read_csv(o, read_options=opts).num_rows + pc.read_csv(i, read_options=opts).num_rows\n"
        "a = time.perf_counter() - t; t = time.perf_counter()\n"
        "m = len(pd.read_csv(o, encoding='gb18030', dtype=str)) + len(pd.read_csv(i, encoding='gb18030', dtype=str))\n"
        "b = time.perf_counter() - t\n"
        "print(a, b, n, m)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(orders), str(items)], capture_output=True, text=True,
                         check=True).stdout.split()
    return {"pyarrow_seconds": float(out[0]), "pandas_seconds": float(out[1])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", help="keep the data dir here")
    parser.add_argument("--reimport", action="store_true",
                        help="import the same files again and check that every row is unchanged")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="shopops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        demo = _shopops(work, "demo", "--no-serve", "--days", "7", "--scale", "0.2", "--end-date", "2026-09-30",
                        "--password", "Bench-pass-2026")
        if demo.returncode:
            raise SystemExit(demo.stderr)
        orders, items, lines = _write_files(work, args.lines)
        order_rows = sum(1 for _ in orders.open(encoding="gbk")) - 1
        load_before = os.getloadavg()[0]
        cpu_before = _children_cpu()
        started = time.perf_counter()
        result = _shopops(work, "import", "taobao-orders", str(orders), "--items", str(items), "--no-warm-up", "--json")
        seconds = time.perf_counter() - started
        cpu_seconds = _children_cpu() - cpu_before
        if result.returncode:
            raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
        summary = json.loads(result.stdout)
        extra: dict[str, object] = {}
        if args.reimport:
            started = time.perf_counter()
            again = _shopops(work, "import", "taobao-orders", str(orders), "--items", str(items), "--no-warm-up", "--json")
            extra["reimport_seconds"] = round(time.perf_counter() - started, 2)
            again_summary = json.loads(again.stdout)
            extra["reimport_unchanged_rows"] = again_summary["unchanged"]
            extra["reimport_is_noop"] = again_summary["unchanged"] == again_summary["rows"] and not (
                again_summary["inserted"] or again_summary["updated"])
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        base = _baseline(orders, items)
        print(json.dumps({
            "benchmark": "import taobao-orders (order report + item report), SQLite, end to end",
            "lines": lines, "orders": order_rows, "seconds": round(seconds, 2),
            "lines_per_s": round(lines / seconds), "goal_lines_per_s": 30_000,
            "order_rows_per_s": round(order_rows / seconds),
            "inserted_rows": summary["inserted"], "import_seconds_reported": summary["seconds"],
            "import_cpu_seconds": round(cpu_seconds, 2), "cpu_lines_per_s": round(lines / cpu_seconds),
            "cpu_order_rows_per_s": round(order_rows / cpu_seconds),
            "load_average_at_start": round(load_before, 2), "machine_cores": os.cpu_count(), **extra,
            "peak_rss_mib": child_rss,
            "baseline_pyarrow_read_seconds": round(base["pyarrow_seconds"], 2),
            "baseline_pandas_read_seconds": round(base["pandas_seconds"], 2),
            "baseline_pyarrow_lines_per_s": round(lines / base["pyarrow_seconds"]),
            "baseline_pandas_lines_per_s": round(lines / base["pandas_seconds"]),
        }, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
