"""Benchmark: import N rows of the Taobao UserBehavior dataset into the lake, end to end.

Generates a headerless ``user_id,item_id,category_id,behavior_type,timestamp`` CSV shaped like the Tianchi
file (docs/rules/platforms.md#tianchi-userbehavior-dataset: ids up to ~1M users / 5M items, behaviour mix pv
89.6 % / cart 5.5 % / fav 2.9 % / buy 2.0 %, unix seconds in 2017-11-25..12-03, plus 0.01 % dirty timestamps
in 1901/2037) in a temp dir (not timed), then, each phase in a fresh process so its peak RSS is its own:

* ``import``: ``imports.lake_import.import_lake_file`` — the code path of ``shopops import
  taobao-userbehavior`` (only the shop id is needed) — into an empty lake in the temp dir;
* ``reimport``: the same file again (idempotent: nothing committed, unchanged = rows);
* ``baseline``: a bare ``pyarrow.csv.open_csv`` streaming read of the same file with the same types.

Prints JSON ``{rows, seconds, rows_per_s, peak_rss_mib, baseline_seconds, baseline_rows_per_s, …}``.

    .venv/bin/python benchmarks/import_userbehavior.py [--rows 100000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["user_id", "item_id", "category_id", "behavior_type", "timestamp"]


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def generate(path: Path, rows: int, seed: int = 5) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    start = 1_511_539_200  # 2017-11-25 00:00 Asia/Shanghai
    behaviours = np.array(["pv", "cart", "fav", "buy"])
    chunk = 5_000_000
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with pa.OSFile(str(path), "wb") as sink:
        for offset in range(0, rows, chunk):
            n = min(chunk, rows - offset)
            stamps = rng.integers(start, start + 9 * 86400, n)
            dirty = rng.random(n) < 0.0001
            stamps[dirty] = rng.choice(np.array([-2_158_000_000, 2_145_000_000]), int(dirty.sum()))
            table = pa.table({
                "user_id": rng.integers(1, 1_018_011, n), "item_id": rng.integers(1, 5_163_070, n),
                "category_id": rng.integers(1, 5_162_429, n),
                "behavior_type": pa.array(behaviours[rng.choice(4, n, p=[0.896, 0.055, 0.029, 0.020])]),
                "timestamp": stamps,
            })
            pacsv.write_csv(table, sink, write_options=options)


def phase_import(path: Path) -> dict:
    import django

    django.setup()
    from shopops.imports.formats import FORMATS
    from shopops.imports.lake_import import import_lake_file

    started = time.perf_counter()
    result = import_lake_file(shop_id=1, fmt=FORMATS["taobao-userbehavior"], path=str(path), channel_account_id=None,
                              channel="taobao", skip_invalid=False, dry_run=False, options={})
    seconds = time.perf_counter() - started
    return {"rows": result.rows, "seconds": round(seconds, 2), "rows_per_s": round(result.rows / seconds),
            "inserted": result.inserted, "unchanged": result.unchanged, "skipped": result.skipped,
            "rejected": result.rejected, "written": result.written, "version": result.version}


def phase_baseline(path: Path) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = {"user_id": pa.int64(), "item_id": pa.int64(), "category_id": pa.int64(), "behavior_type": pa.string(),
             "timestamp": pa.int64()}
    started = time.perf_counter()
    rows = 0
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(column_names=NAMES),
                            convert_options=pacsv.ConvertOptions(column_types=types))
    for batch in reader:
        rows += batch.num_rows
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


PHASES = {"import": phase_import, "reimport": phase_import, "baseline": phase_baseline}


def run_phase(name: str, path: Path, workdir: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shopops.settings", "SHOPOPS_DATA_DIR": str(workdir / "data"),
           "SHOPOPS_LAKE_URI": str(workdir / "lake"), "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, __file__, "--phase", name, "--file", str(path)], capture_output=True,
                            text=True, check=False, env=env)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout)


def lake_bytes(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--no-reimport", action="store_true")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = PHASES[args.phase](args.file)
        result["peak_rss_mib"] = round(peak_rss_mib(), 1)
        print(json.dumps(result))
        return
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="shopops-ub-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        data = workdir / "UserBehavior.csv"
        started = time.perf_counter()
        generate(data, args.rows)
        generated = time.perf_counter() - started
        imported = run_phase("import", data, workdir)
        again = None if args.no_reimport else run_phase("reimport", data, workdir)
        baseline = run_phase("baseline", data, workdir)
        report = {
            "rows": imported["rows"], "seconds": imported["seconds"], "rows_per_s": imported["rows_per_s"],
            "peak_rss_mib": imported["peak_rss_mib"], "baseline_seconds": baseline["seconds"],
            "baseline_rows_per_s": baseline["rows_per_s"], "baseline_peak_rss_mib": baseline["peak_rss_mib"],
            "inserted": imported["inserted"], "skipped": imported["skipped"], "rejected": imported["rejected"],
            "csv_bytes": data.stat().st_size, "lake_bytes": lake_bytes(workdir / "lake"),
            "generate_seconds": round(generated, 1), "cpus": os.cpu_count(),
        }
        if again is not None:
            report["reimport"] = {k: again[k] for k in ("seconds", "rows_per_s", "unchanged", "written", "version",
                                                         "peak_rss_mib")}
        print(json.dumps(report, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
