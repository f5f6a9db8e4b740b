"""The real importer against xlsx bombs: `shopops import jd-orders bomb.xlsx --dry-run` in a child process stays
under 500 MB resident and rejects the file (exit 2) with the limit and the numbers; an xlsx of 100,000 real rows
still imports.

The first bomb is the audit's: a valid 9 MB workbook whose sheet XML inflates to 1.9 GB of repeated cells (it
took 5.97 GB and 8.5 minutes before the reader streamed). The others stay under the declared-size and ratio
limits and are refused while reading: millions of empty cells, a zip directory that understates the sheet, a
shared-strings table of millions of entries.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from shopops.imports.formats.samples import JD_HEADER, SampleLine, SampleOrder, jd_rows
from shopops.imports.xlsx import XlsxLimits
from tests.imports.xlsx_bombs import bomb_xlsx, strings_bomb_xlsx, table_xlsx

pytestmark = pytest.mark.slow

SHOPOPS = str(Path(sys.executable).parent / "shopops")
MEMORY_LIMIT_MB = 500
# Runs the command as its only child and prints the child's peak resident memory (ru_maxrss, KiB on Linux).
PEAK = ("import json, resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(json.dumps({'code': done.returncode, 'stdout': done.stdout, 'stderr': done.stderr[-3000:],\n"
        "                  'peak_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n")


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SHOPOPS_LAKE_URI")}
    env["SHOPOPS_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx-bombs")
    done = subprocess.run([SHOPOPS, "init", "--shop", "炸弹测试店", "--admin-password", "Bomb-test-2026!", "--json"],
                          capture_output=True, text=True, env=_env(folder), timeout=600)
    assert done.returncode == 0, done.stderr
    return folder


def import_measured(data_dir: Path, path: Path) -> tuple[int, dict, int]:
    """Exit code, the JSON summary and the peak resident memory in MB of one real import."""
    done = subprocess.run([sys.executable, "-c", PEAK, SHOPOPS, "import", "jd-orders", str(path), "--dry-run",
                           "--json", "--language", "en"], capture_output=True, text=True, env=_env(data_dir),
                          timeout=900)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    summary = json.loads(result["stdout"]) if result["stdout"].strip() else {}
    return result["code"], summary, result["peak_kib"] // 1024


def _rejected_with(summary: dict, text: str) -> None:
    assert summary["status"] == "rejected" and summary["rows"] == 0 and summary["inserted"] == 0
    assert [e["column"] for e in summary["errors"]] == ["file"]
    assert text in summary["errors"][0]["message"], summary["errors"]


def test_the_audit_bomb_is_refused_before_reading(data_dir, tmp_path):
    path = bomb_xlsx(tmp_path / "bomb.xlsx", JD_HEADER, unpacked=1_900_000_000, block_bytes=65536)
    assert path.stat().st_size < 10 * 1024**2
    code, summary, peak_mb = import_measured(data_dir, path)
    assert code == 2
    _rejected_with(summary, "the xlsx unpacks to 1.8 GiB, more than the limit of 1.0 GiB: export it as CSV")
    assert peak_mb < MEMORY_LIMIT_MB


def test_millions_of_empty_cells_are_refused_while_reading(data_dir, tmp_path):
    path = bomb_xlsx(tmp_path / "empty.xlsx", JD_HEADER, unpacked=400_000_000, block_bytes=4096,
                     cell=b'<c s="1"/>')  # 400 MB of XML: under the 1 GiB limit, compressed less than 100:1
    code, summary, peak_mb = import_measured(data_dir, path)
    assert code == 2
    cells = XlsxLimits().max_cells
    _rejected_with(summary, f"the sheet has more than {cells} cells ({cells + 1} by row")
    assert peak_mb < MEMORY_LIMIT_MB


def test_a_zip_directory_understating_the_sheet_is_refused(data_dir, tmp_path):
    path = bomb_xlsx(tmp_path / "liar.xlsx", JD_HEADER, unpacked=1_900_000_000, block_bytes=65536,
                     declared_size=1024**2)
    code, summary, peak_mb = import_measured(data_dir, path)
    assert code == 2
    _rejected_with(summary, "the xlsx file is damaged: xl/worksheets/sheet1.xml")
    assert peak_mb < MEMORY_LIMIT_MB


def test_a_huge_shared_strings_table_is_refused_while_reading(data_dir, tmp_path):
    path = strings_bomb_xlsx(tmp_path / "strings.xlsx", JD_HEADER, entries=5_000_000)
    code, summary, peak_mb = import_measured(data_dir, path)
    assert code == 2
    _rejected_with(summary, "shared-strings table has 2000001 or more entries, more than the limit of 2000000")
    assert peak_mb < MEMORY_LIMIT_MB


def test_an_xlsx_of_100k_real_rows_still_imports(shop, tmp_path):
    from shopops.catalog import selectors as catalog_selectors
    from shopops.imports import services

    codes = sorted(catalog_selectors.skus_by_code(shop=shop))[:50]
    rnd = random.Random(5)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    rows: list[list[str]] = []
    number = 0
    while len(rows) < 100_000:
        number += 1
        lines = tuple(SampleLine(code, f"商品 {code}", 9900, rnd.choice((1, 2)))
                      for code in rnd.sample(codes, rnd.choice((1, 1, 2))))
        goods = sum(line.unit_price_fen * line.qty for line in lines)
        placed = start + dt.timedelta(seconds=number * 7)
        rows.extend(jd_rows(SampleOrder(f"77{number:010d}", f"jd_xlsx_{number % 30_000}", placed,
                                        placed + dt.timedelta(minutes=1), "completed", goods, 0, lines, "北京",
                                        "北京市", "京东App")))
    path = table_xlsx(tmp_path / "jd-100k.xlsx", JD_HEADER, rows)
    job = services.import_job_create(shop=shop, format_name="jd-orders", path=str(path), dry_run=True)
    job = services.import_job_run(job_id=job.pk)
    summary = services.import_summary(job)
    assert summary["status"] == "done", summary["errors"][:3]
    assert summary["rows"] == len(rows) >= 100_000 and summary["inserted"] == len(rows)
    assert summary["errors"] == []
