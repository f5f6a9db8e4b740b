"""Keyword mining over 10M search-term rows in under 20 s (goal), ours vs hand-written DuckDB SQL.

Ours: the code ``shopops keywords`` and the keywords page run — ``listings.mining.term_figures_query`` (one Ibis
aggregation of the period and the previous period per term, compiled to DuckDB SQL and run over the parquet
file, as the analytics engine runs it over the lake's files), then ``listings.mining.mine``: every distinct
term segmented once with the shop tokenizer (jieba with the shop dictionary winning) and its figures credited to
its roots (词根). Baseline: the same sums as hand-written DuckDB SQL over the same file, and the roots as a second
SQL query joining a term → root table (the segmentation is not SQL's to do: the baseline is given our
term → root pairs, built before its clock starts, so it times only the aggregation). Both must give equal figures
per term and per root (``agree``).

Where the 10M come from: synthetic, seeded rows written to one parquet file before timing — 56 days (a 28-day
period and the 28 days before it) plus 14 earlier days, 50,000 distinct terms made of 1–3 of 80 Chinese and
Latin roots with a Zipf-like popularity, 2,000 items, two channels; visitors 0–60, clicks up to visitors (a
tenth of the rows are ad rows with clicks and no visitors), orders a few percent of the traffic, GMV 39–199
yuan an order. DuckDB uses every core.

Run: ``.venv/bin/python benchmarks/keywords.py [--rows 10000000] [--terms 50000] [--json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shopops.listings.mining import Mined, mine, previous_period, term_figures_query
from shopops.listings.tokens import ShopTokenizer

T = TypeVar("T")
GOAL_SECONDS = 20.0
START, END = dt.date(2026, 10, 17), dt.date(2026, 11, 13)  # 28 days; the previous 28 days before
ROOTS = ["保温杯", "大容量", "316", "不锈钢", "男士", "女士", "儿童", "水杯", "便携", "学生", "办公室", "车载",
         "咖啡杯", "焖烧杯", "吸管", "tritan", "运动", "水壶", "户外", "茶杯", "泡茶", "过滤", "带盖", "陶瓷",
         "玻璃", "双层", "隔热", "防摔", "高颜值", "ins", "简约", "日式", "礼盒", "定制", "刻字", "情侣",
         "冬季", "夏季", "大号", "小号", "迷你", "口袋", "500ml", "1000ml", "2L", "宝宝", "幼儿园", "小学生",
         "网红", "新款", "2024", "品牌", "正品", "包邮", "特价", "家用", "壶", "杯子", "杯套", "背带",
         "防漏", "弹盖", "直饮", "温度显示", "智能", "保冷", "冰霸杯", "吨吨桶", "健身", "骑行", "登山",
         "露营", "野餐", "钓鱼", "车用", "老人", "孕妇", "月子", "送礼", "BZ-YQ1722"]
DICTIONARY = ["BZ-YQ1722", "吨吨桶", "冰霸杯"]


def synth_terms(n: int, rng: np.random.Generator) -> list[str]:
    terms: dict[str, None] = {}
    while len(terms) < n:
        size = int(rng.integers(1, 4))
        picked = rng.choice(len(ROOTS), size, replace=False)
        separator = " " if rng.random() < 0.3 else ""
        terms[separator.join(ROOTS[i] for i in picked)] = None
    return list(terms)


def synth_file(path: str, rows: int, n_terms: int, seed: int = 20261113) -> None:
    rng = np.random.default_rng(seed)
    terms = synth_terms(n_terms, rng)
    chunk = 2_000_000
    first = previous_period(START, END)[0] - dt.timedelta(days=14)
    days = (END - first).days + 1
    writer = None
    try:
        for offset in range(0, rows, chunk):
            n = min(chunk, rows - offset)
            term = np.minimum((rng.pareto(1.2, n) * n_terms / 50).astype(np.int64), n_terms - 1)
            visitors = rng.integers(0, 61, n)
            ad = rng.random(n) < 0.1
            clicks = np.where(ad, rng.integers(1, 80, n), (visitors * rng.random(n)).astype(np.int64))
            traffic = np.where(ad, clicks, visitors)
            orders = rng.binomial(traffic, 0.03)
            table = pa.table({
                "shop_id": pa.array(np.ones(n, dtype=np.int64)),
                "channel": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 2, n).astype(np.int32)),
                                                          pa.array(["tmall", "jd"])),
                "term": pa.DictionaryArray.from_arrays(pa.array(term.astype(np.int32)), pa.array(terms)),
                "item_id": pa.array((rng.integers(0, 2_000, n) + 600_000).astype(str)),
                "visitors": pa.array(np.where(ad, 0, visitors)), "clicks": pa.array(clicks),
                "orders": pa.array(orders), "sales_fen": pa.array(orders * rng.integers(3_900, 19_901, n)),
                "date": pa.array(np.datetime64(first, "D") + rng.integers(0, days, n).astype("timedelta64[D]")),
            })
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def ours(path: str, tokenizer: ShopTokenizer) -> Callable[[], Mined]:
    import ibis

    connection = ibis.duckdb.connect(threads=os.cpu_count() or 2)
    table = connection.read_parquet(path, table_name="search_terms")

    def run() -> Mined:
        query = term_figures_query(table, start=START, end=END)
        return mine(connection.to_pyarrow(query).to_pylist(), tokenizer)

    return run


FIGURES = ("visitors", "clicks", "orders", "sales_fen")


def baseline_sql(path: str) -> str:
    first = previous_period(START, END)[0]
    sums = ", ".join(f"sum(CASE WHEN date >= DATE '{START}' THEN {f} ELSE 0 END) AS {f}, "
                     f"sum(CASE WHEN date < DATE '{START}' THEN {f} ELSE 0 END) AS prev_{f}" for f in FIGURES)
    return (f"SELECT term, {sums} FROM read_parquet('{path}') WHERE date BETWEEN DATE '{first}' AND DATE '{END}' "
            f"AND term <> '' GROUP BY term")


def baseline(path: str, pairs: pa.Table) -> Callable[[], tuple[dict, dict]]:
    import duckdb

    connection = duckdb.connect()
    connection.register("term_roots", pairs)

    def run() -> tuple[dict, dict]:
        connection.execute(f"CREATE OR REPLACE TEMP TABLE by_term AS {baseline_sql(path)}")
        columns = ", ".join(f"sum({f}) AS {f}" for f in FIGURES)
        terms = {r[0]: tuple(int(v) for v in r[1:5]) for r in connection.execute(
            f"SELECT term, {', '.join(FIGURES)} FROM by_term WHERE {' + '.join(FIGURES)} + "
            f"{' + '.join('prev_' + f for f in FIGURES)} > 0").fetchall()}
        roots = {r[0]: tuple(int(v) for v in r[1:]) for r in connection.execute(
            f"SELECT r.key, {columns} FROM by_term t JOIN term_roots r USING (term) "
            f"WHERE {' + '.join('t.' + f for f in FIGURES)} + {' + '.join('t.prev_' + f for f in FIGURES)} > 0 "
            f"GROUP BY r.key").fetchall()}
        return terms, roots

    return run


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="search-term rows")
    parser.add_argument("--terms", type=int, default=50_000, help="distinct search terms")
    parser.add_argument("--json", action="store_true", help="print only the JSON (the default output too)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shopops-keywords-") as folder:
        path = str(Path(folder) / "search_terms.parquet")
        made, _ = timed(lambda: synth_file(path, args.rows, args.terms))
        tokenizer = ShopTokenizer(DICTIONARY)
        tokenizer.words("预热")  # jieba's model loads once per process (about half a second), not timed
        seconds, mined = timed(ours(path, tokenizer))
        pairs = pa.table({"term": [t.term for t in mined.terms for _ in t.roots],
                          "key": [r.casefold() for t in mined.terms for r in t.roots]})
        base_seconds, (base_terms, base_roots) = timed(baseline(path, pairs))
    our_terms = {t.term: (t.current.visitors, t.current.clicks, t.current.orders, t.current.sales_fen)
                 for t in mined.terms}
    our_roots = {r.root.casefold(): (r.current.visitors, r.current.clicks, r.current.orders, r.current.sales_fen)
                 for r in mined.roots}
    result = {
        "benchmark": "keywords", "rows": args.rows, "terms": len(mined.terms), "roots": len(mined.roots),
        "from": START.isoformat(), "to": END.isoformat(), "data_seconds": round(made, 3),
        "ours_seconds": round(seconds, 3), "duckdb_sql_seconds": round(base_seconds, 3),
        "agree": our_terms == base_terms and our_roots == base_roots,
        "total_orders": mined.total.orders,
        "goal": {"met": seconds < GOAL_SECONDS, "value": round(seconds, 3), "limit": GOAL_SECONDS},
        "python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
