"""Benchmark: import a 100,000-SKU-row ``taobao-items`` catalog end to end on SQLite.

End to end = ``shopops import taobao-items items.csv`` in a fresh data dir (``shopops init`` first): read and
normalise the GBK file, group rows by 宝贝ID, build the products, check them against the (empty) catalog and
write categories, products, SKUs, listings and listing SKUs in one transaction through ``catalog_sync``.
Baseline in the same run, on the same file: a bare parse — ``read_table`` plus the columns' conversion, no
grouping, no checks, no writes. ``--reimport`` imports the same file again (every row must be unchanged).
The goal: under 20 s for 100,000 rows. Prints JSON.

    PYTHONPATH=src .venv/bin/python benchmarks/import_catalog.py [--products 20000] [--skus 5] [--keep DIR] [--reimport]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_taobao_orders import _children_cpu, _shopops  # the same process runner and CPU clock

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["宝贝名称", "宝贝类目", "价格", "数量", "商家编码", "销售属性", "SKU商家编码", "SKU ID", "SKU价格", "宝贝ID",
          "宝贝状态", "品牌"]
TOPS = ("服饰", "美妆", "家居", "食品", "数码", "母婴", "运动", "箱包")
COLORS = ("黑色", "白色", "红色", "蓝色", "灰色", "绿色")
SIZES = ("S", "M", "L", "XL", "XXL", "均码")


def write_items(path: Path, products: int, skus: int, seed: int = 7) -> int:
    """A 出售中的宝贝 export: ``products`` items × ``skus`` SKU rows, categories three levels deep (8 × 6 × 5)."""
    rnd = random.Random(seed)
    rows = 0
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for p in range(products):
            top = TOPS[p % len(TOPS)]
            category = f"{top}/{top}{rnd.randint(1, 6)}类/{top}细分{rnd.randint(1, 5)}"
            price = rnd.randint(19, 899) * 100 + 90
            title = f"山茶集{top}新款{p}号 官方正品"
            for s in range(skus):
                attrs = f"颜色:{COLORS[s % len(COLORS)]};尺码:{SIZES[(s // len(COLORS)) % len(SIZES)]}"
                writer.writerow([title, category, f"{price / 100:.2f}", str(rnd.randint(0, 500)), f"BM{p:06d}",
                                 attrs, f"BM{p:06d}-{s + 1:02d}", str(900_000_000 + p * skus + s),
                                 f"{(price + s * 500) / 100:.2f}", str(600_000_000_000 + p),
                                 "出售中" if p % 10 else "仓库中", "山茶集"])
                rows += 1
    return rows


def _baseline(data_dir: Path, path: Path) -> float:
    """Seconds for a bare parse: the shared reader and the format's column conversion, nothing else."""
    code = (
        "import sys, time\n"
        "from shopops.imports.columns import ColumnConverter, resolve_columns\n"
        "from shopops.imports.formats import FORMATS\n"
        "from shopops.imports.readers import read_table\n"
        "fmt = FORMATS['taobao-items']; t = time.perf_counter(); n = 0\n"
        "with read_table(sys.argv[1]) as stream:\n"
        "    conv = ColumnConverter(fmt.columns, resolve_columns(stream.headers, fmt.columns), tz='Asia/Shanghai')\n"
        "    for batch in stream:\n"
        "        n += len(conv.convert(batch))\n"
        "print(time.perf_counter() - t, n)\n"
    )
    env = {**os.environ, "SHOPOPS_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env,
                         check=True).stdout.split()
    return float(out[0])


def _timed_import(work: Path, items: Path) -> tuple[dict, float, float]:
    """``shopops import taobao-items`` in its own process: its summary, wall seconds and CPU seconds."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    result = _shopops(work, "import", "taobao-items", str(items), "--no-warm-up", "--json")
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
    return json.loads(result.stdout), seconds, _children_cpu() - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--skus", type=int, default=5, help="SKU rows per product")
    parser.add_argument("--keep", help="keep the data dir here")
    parser.add_argument("--reimport", action="store_true",
                        help="import the same file again and check that every row is unchanged")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="shopops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        init = _shopops(work, "init", "--shop", "基准店", "--admin-password", "Bench-pass-2026")
        if init.returncode:
            raise SystemExit(init.stderr)
        items = work / "items.csv"
        rows = write_items(items, args.products, args.skus)
        load_before = os.getloadavg()[0]
        summary, seconds, cpu_seconds = _timed_import(work, items)
        extra: dict[str, object] = {}
        if args.reimport:
            again, again_seconds, again_cpu = _timed_import(work, items)
            extra.update(reimport_seconds=round(again_seconds, 2), reimport_cpu_seconds=round(again_cpu, 2),
                         reimport_is_noop=again["unchanged"] == again["rows"] and not (
                             again["inserted"] or again["updated"]))
        base = _baseline(work, items)
        print(json.dumps({
            "benchmark": "import taobao-items (a 100,000-SKU catalog), SQLite, end to end",
            "rows": rows, "products": args.products, "seconds": round(seconds, 2), "goal_seconds": 20,
            "rows_per_s": round(rows / seconds), "inserted_rows": summary["inserted"],
            "changes": summary.get("changes"), "import_seconds_reported": summary["seconds"],
            "import_cpu_seconds": round(cpu_seconds, 2), "load_average_at_start": round(load_before, 2),
            "machine_cores": os.cpu_count(), **extra,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
            "baseline_parse_seconds": round(base, 2), "baseline_parse_rows_per_s": round(rows / base),
        }, indent=2, ensure_ascii=False))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
