"""Benchmark: the analytics suite (daily metrics, pv→cart→buy funnel, daily retention, top items) on the lake.

A behaviour log shaped like the public Taobao UserBehavior data
(docs/rules/platforms.md#tianchi-userbehavior-dataset; 100,150,807 rows, 987,994 users, 4,162,024 items, 9,439
categories, 9 days 2017-11-25..12-03, pv/cart/fav/buy ≈ 89.6/5.5/2.9/2.0 %) is generated (numpy, vectorised,
not timed: users with a heavy-tailed activity, their events grouped into sessions, Zipf-like item popularity,
items in categories), written as the headerless Tianchi CSV and imported into the lake ``events`` table
through ``imports.lake_import.import_lake_file`` (the code path of ``shopops import taobao-userbehavior``) in
a temp ``SHOPOPS_DATA_DIR``/``SHOPOPS_LAKE_URI``.

Then, each phase in a fresh process (its own peak RSS), the same four queries are timed:

* ``ours``: the analytics app — Ibis expressions over ``LakeTables(get_engine("duckdb"), shop_id)``
  (the query modules where they exist; ``implementation`` in the JSON names what ran);
* ``duckdb_sql``: hand-written DuckDB SQL on the same Delta table's parquet files (``read_parquet`` with
  hive partitions, same thread count and memory limit);
* ``ours_parquet`` (diagnostic, ``--scans``): our queries with the lake opened by DuckDB's own
  ``read_parquet`` instead of the engine's Arrow dataset, to tell the scan's cost from the queries' (``arrow``:
  a hive-partitioned pyarrow dataset, what ``Engine.lake_table`` does since 30628f9);
* ``ours_rollups``: the analytics app again once the lake has the rollups of ``events`` (``user_day``,
  ``item_day``, ``funnel_day``: docs/architecture.md#rollups) — kept at import time, or, for a bulk import that
  deferred them, built by ``lake.services.rollups_settle`` as the worker would (``rollups.built_by`` says which);
  ``speedup_vs_duckdb_sql`` is the goal's figure: ≥ 10× hand-written SQL over the raw events, results equal
  (``goals.rollups_10x_sql``; it replaces the earlier "10× pandas on a 10M slice", still reported under
  ``earlier_goals``);
* on a ``--pandas-rows`` slice (the first rows of the CSV: whole users, all 9 days) imported into a second
  lake: ``pandas`` (read the lake's parquet with pyarrow → pandas, then the same work), ``ours`` and
  ``duckdb_sql`` on that slice, for a like-for-like comparison.

Definitions shared by all implementations (results must be equal, and the JSON says whether they are):

* daily: per ``date`` — uv = distinct users with any event, pv = pv events, buyers/cart_users/fav_users =
  distinct users with a buy/cart/fav event that day;
* funnel pv→cart→buy, sequential, 1-day window measured from the entry (step 1) timestamp, each person
  counted at the furthest step reached over all attempts (PostHog semantics, docs/rules/analytics.md#funnels;
  events with equal timestamps are taken in step order): reached cart ⇔ some cart c has a pv p ≤ c with
  c − p ≤ 1 day; reached buy ⇔ some buy b has a cart c ≤ b and a pv p ≤ c with b − p ≤ 1 day;
* retention: cohort = a user's first active date; users of each cohort active on cohort + k days;
* top items: the 100 items with the most pv events, and the 100 with the most buy events (ties by item_id).

    .venv/bin/python benchmarks/analytics.py [--rows 100150807] [--pandas-rows 10000000] [--skip-pandas] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
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

# The public file (docs/rules/platforms.md#tianchi-userbehavior-dataset; Tianchi UserBehavior).
FULL_ROWS = 100_150_807
FULL_USERS = 987_994
FULL_ITEMS = 4_162_024
FULL_CATEGORIES = 9_439
DAYS = 9
START = 1_511_539_200  # 2017-11-25 00:00 Asia/Shanghai, unix seconds
FIRST_DATE = dt.date(2017, 11, 25)
MIX = {"pv": 0.896, "cart": 0.055, "fav": 0.029, "buy": 0.020}
SHOP_ID = 1
WINDOW_SECONDS = 86_400
TOP_N = 100
QUERIES = ("daily", "funnel", "retention", "top_items")
GOALS = {"suite_seconds": 60.0, "peak_gib": 6.0, "ratio_sql": 1.5, "speedup_rollups": 10.0,
         "speedup_pandas": 10.0}  # speedup_pandas: the earlier goal, reported under earlier_goals


# ------------------------------------------------------------------------------------------------ generation

def generate(path: Path, rows: int, *, slice_path: Path | None = None, slice_rows: int = 0, seed: int = 4,
             start: int = START) -> dict:
    """Write ``rows`` headerless UserBehavior lines to ``path`` (and the first ``slice_rows`` to ``slice_path``).

    Users get a lognormal activity (≥ 1 event each) and 1 + Poisson(events/12) sessions; a session starts at a
    day-weighted, hour-weighted moment in the 9 days and its events fall within 40 minutes of it. Items are
    drawn from a continuous power law over popularity ranks (exponent 0.9, offset 50: the top item has ≈ 0.1 %
    of events), each item in one category (categories are power-law sized too). Lines are sorted by user, then
    time, like the published file. Everything scales with ``rows / 100,150,807``. ``start``: the first day's
    midnight in Asia/Shanghai, unix seconds (default 2017-11-25, the published window).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    scale = rows / FULL_ROWS
    n_users = max(20, min(rows, round(FULL_USERS * scale)))
    n_items = max(50, round(FULL_ITEMS * scale))
    n_categories = max(10, round(FULL_CATEGORIES * scale))
    user_ids = np.sort(rng.choice(np.arange(1, 1_018_012), n_users, replace=False)) if n_users <= 1_018_011 \
        else np.arange(1, n_users + 1)
    item_ids = rng.choice(np.arange(1, 5_163_071), n_items, replace=False) if n_items <= 5_163_070 \
        else rng.permutation(n_items) + 1
    category_ids = rng.choice(np.arange(1, 5_162_430), n_categories, replace=False)
    item_category = category_ids[_power_law_ranks(rng, n_items, n_categories, exponent=1.0, offset=5)]

    activity = rng.lognormal(0.0, 1.1, n_users)
    counts = 1 + rng.multinomial(rows - n_users, activity / activity.sum())
    sessions = np.minimum(counts, 1 + rng.poisson((counts - 1) / 12))
    day_weights = np.array([1.0, 1.0, 0.95, 0.95, 0.95, 0.97, 1.0, 1.25, 1.3])  # the last weekend is busier
    hour_weights = np.array([3, 1.5, 1, .6, .5, .6, 1, 2, 3, 4, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 5,
                             6, 7, 7, 5.5])
    codes_p = np.array(list(MIX.values()))
    codes_p = codes_p / codes_p.sum()
    behaviours = pa.array(list(MIX))
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    written = 0
    mix = np.zeros(4, np.int64)
    chunk_rows = 4_000_000
    ends = np.searchsorted(np.cumsum(counts), np.arange(chunk_rows, rows + chunk_rows, chunk_rows), side="right")
    sinks = [pa.OSFile(str(path), "wb")]
    if slice_path is not None:
        sinks.append(pa.OSFile(str(slice_path), "wb"))
    try:
        first = 0
        for end in [*np.unique(np.clip(ends, 1, n_users)).tolist()]:
            if end <= first:
                continue
            c = counts[first:end]
            s = sessions[first:end]
            n = int(c.sum())
            user_of_event = np.repeat(np.arange(first, end), c)
            session_base = np.repeat(np.concatenate([[0], np.cumsum(s)[:-1]]), c)
            session_of_event = session_base + (rng.random(n) * np.repeat(s, c)).astype(np.int64)
            m = int(s.sum())
            day = rng.choice(DAYS, m, p=day_weights / day_weights.sum())
            hour = rng.choice(24, m, p=hour_weights / hour_weights.sum())
            session_start = start + day * 86_400 + hour * 3_600 + rng.integers(0, 3_600, m)
            stamps = session_start[session_of_event] + rng.integers(0, 2_400, n)
            stamps = np.minimum(stamps, start + DAYS * 86_400 - 1)
            order = np.lexsort((stamps, user_of_event))
            user_of_event = user_of_event[order]
            stamps = stamps[order]
            ranks = _power_law_ranks(rng, n, n_items, exponent=0.9, offset=50)
            code = np.searchsorted(np.cumsum(codes_p), rng.random(n), side="right").clip(0, 3)
            mix += np.bincount(code, minlength=4)
            table = pa.table({
                "user_id": user_ids[user_of_event], "item_id": item_ids[ranks], "category_id": item_category[ranks],
                "behavior_type": behaviours.take(pa.array(code)), "timestamp": stamps,
            })
            pacsv.write_csv(table, sinks[0], write_options=options)
            if len(sinks) > 1 and written < slice_rows:
                pacsv.write_csv(table.slice(0, slice_rows - written), sinks[1], write_options=options)
            written += n
            first = end
    finally:
        for sink in sinks:
            sink.close()
    return {"rows": written, "users": n_users, "items": n_items, "categories": n_categories,
            "behaviour_mix": {b: round(int(k) / written, 4) for b, k in zip(MIX, mix, strict=True)}}


def _power_law_ranks(rng, n: int, size: int, *, exponent: float, offset: float):
    """``n`` ranks in [0, size) with density ∝ (rank + offset)^-exponent (inverse CDF of the continuous law)."""
    import numpy as np

    a = 1.0 - exponent
    lo, hi = offset ** a, (size + offset) ** a if a else None
    u = rng.random(n)
    if a:
        x = (lo + u * (hi - lo)) ** (1.0 / a)
    else:
        x = offset * np.exp(u * np.log((size + offset) / offset))
    return np.clip((x - offset).astype(np.int64), 0, size - 1)


# ------------------------------------------------------------------------------------------------ our suite

LAST_DATE = FIRST_DATE + dt.timedelta(days=DAYS - 1)
PERIOD = {"date_from": FIRST_DATE, "date_to": LAST_DATE}


def ours_queries(period: dict | None = None, channel: str | None = None) -> dict:
    """Query name → (implementation, run(engine, tables) → canonical rows), through the analytics modules.

    ``period`` (``date_from``/``date_to``; default the log's 9 days) and ``channel`` (daily metrics only) let
    benchmarks/pages.py ask the same questions of another shop."""
    from shopops.analytics import metrics
    from shopops.analytics.queries import funnels, retention

    period = period or PERIOD

    def daily(engine, tables):
        out = metrics.compute(tables, by="day", channel=channel, **period)
        rows = [[r["day"], r["uv"], r["pv"], r["cart_rate"], r["fav_rate"], r["bounce_rate"]] for r in out["rows"]]
        t = out["totals"]
        return sorted(rows) + [["total", t["uv"], t["pv"], t["cart_rate"], t["fav_rate"], t["bounce_rate"]]]

    def funnel(engine, tables):
        # the log's dates are Asia/Shanghai's: every date lasts 24 hours, so the funnel_day rollup may answer
        rows = engine.rows(funnels.funnel(tables, steps=["pv", "cart", "buy"], window_seconds=WINDOW_SECONDS,
                                          mode="sequential", days_last_24_hours=True, **period))
        return [r["people"] for r in sorted(rows, key=lambda r: r["step"])]

    def cohorts(engine, tables):
        rows = engine.rows(retention.retention(tables, cohort="first_event", period="day", active="any", **period))
        return sorted([_iso(r["cohort"]), r["period"], r["users"], r["cohort_users"]] for r in rows)

    def top_items(engine, tables):
        return _top_rows([engine.to_pyarrow(x) for x in _ibis_top_items(tables, **period)])

    return {
        "daily": ("shopops.analytics.metrics.compute(by='day')", daily),
        "funnel": ("shopops.analytics.queries.funnels.funnel(mode='sequential', window_seconds=86400)", funnel),
        "retention": ("shopops.analytics.queries.retention.retention(cohort='first_event', period='day')", cohorts),
        "top_items": ("shopops.analytics.queries.items.item_ranking(behavior='pv'|'buy', limit=100)", top_items),
    }


def _ibis_top_items(tables, date_from: dt.date = FIRST_DATE, date_to: dt.date = LAST_DATE):
    """Top items by pv and by buys: ``analytics.queries.items.item_ranking`` (item_day with rollups, else events)."""
    from shopops.analytics.queries.items import item_ranking

    return [item_ranking(tables, behavior=b, date_from=date_from, date_to=date_to, limit=TOP_N) for b in ("pv", "buy")]


def _patch_scan(scan: str) -> None:
    """Diagnostics: open lake tables another way than ``Engine.lake_table`` does (see the module docstring).

    ``arrow``: a pyarrow dataset over the Delta table's current files with hive partitions and no Delta-log
    statistics; ``parquet``: a DuckDB view over ``read_parquet`` of the same files (DuckDB's own scan).
    """
    import pyarrow as pa
    import pyarrow.dataset as ds
    from deltalake import DeltaTable

    from shopops.analytics import engine as engine_module
    from shopops.lake.storage import table_uri
    from shopops.lake.tables import TABLES

    def lake_table(self, name):
        table = TABLES[name]
        uri = table_uri(name)
        if not DeltaTable.is_deltatable(uri) or not DeltaTable(uri).file_uris():
            return self.memtable(table.schema.empty_table())
        delta = DeltaTable(uri)
        view = f"lake_{name}_{scan}_v{delta.version()}"
        if view not in self._registered.values():
            files = delta.file_uris()
            if scan == "arrow":
                parts = pa.schema([table.schema.field(p) for p in table.partition_by])
                dataset = ds.dataset(files, schema=table.schema, format="parquet", partition_base_dir=uri,
                                     partitioning=ds.partitioning(parts, flavor="hive"))
                self.backend.con.register(view, dataset)
            else:
                listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
                types = ", ".join(f"'{p}': {'DATE' if p == 'date' else 'VARCHAR'}" for p in table.partition_by)
                self.backend.raw_sql(
                    f"CREATE OR REPLACE VIEW {view} AS SELECT {', '.join(table.schema.names)} FROM read_parquet("
                    f"[{listing}], hive_partitioning = true, hive_types = {{{types}}})")
            self._registered[f"{uri}@{delta.version()}/{scan}"] = view
        return self.backend.table(view)

    engine_module.Engine.lake_table = lake_table


def phase_ours(lake: Path, scan: str = "engine") -> dict:
    import django

    django.setup()
    from shopops.analytics.engine import LakeTables, get_engine

    if scan != "engine":
        _patch_scan(scan)
    engine = get_engine("duckdb")
    tables = LakeTables(engine, SHOP_ID)
    out = {"seconds": {}, "results": {}, "implementation": {}}
    for name, (implementation, run) in ours_queries().items():
        started = time.perf_counter()
        out["results"][name] = run(engine, tables)
        out["seconds"][name] = time.perf_counter() - started
        out["implementation"][name] = implementation
    return out


def phase_ours_arrow(lake: Path) -> dict:
    return phase_ours(lake, "arrow")


def phase_ours_parquet(lake: Path) -> dict:
    return phase_ours(lake, "parquet")


# ------------------------------------------------------------------------------------------------ SQL baseline

W_US = WINDOW_SECONDS * 1_000_000
_FUNNEL_NOTE = """Why the bucketed funnel is exact (W = window, k = t // W, events of one user; p pv, c cart, b buy):
cart is reached iff some c has a pv p with c - W <= p <= c. p lies in c's bucket k or in k-1: in k iff
maxcart_k >= minpv_k; in k-1 iff mincart_k <= maxpv_(k-1) + W (the latest pv of k-1 is the best).
buy is reached iff some p <= c <= b with b - p <= W; then p is in b's bucket k or in k-1:
(a) p, c, b in k: iff maxbuy_k >= fc_k, fc_k = first cart of k at or after k's first pv;
(b1) p in k-1, c and b in k: iff fb_k <= maxpv_(k-1) + W, fb_k = first buy of k at or after k's first cart;
(b2) p and c in k-1, b in k: iff minbuy_k <= lpc_(k-1) + W, lpc = latest pv of the bucket not after its last
cart (= maxpv when maxpv <= maxcart, else looked up for the few buckets where it can matter)."""
def sql_suite(date_from: dt.date = FIRST_DATE, date_to: dt.date = LAST_DATE) -> dict[str, list[str]]:
    """The hand-written SQL of the four queries over a view ``events`` for the period (also benchmarks/pages.py)."""
    _D0, _D1 = date_from.isoformat(), date_to.isoformat()
    return {
    # what metrics.compute(by="day") computes from events: per day and for the period, visitors (≥ 1 pv), pv,
    # cart and fav people, and per day the one-page visitors (bounce); totals are distinct over the period
    "daily": [f"""
        WITH per AS MATERIALIZED (
            SELECT date, user_id, count(*) FILTER (WHERE behavior = 'pv') AS pv,
                   bool_or(behavior = 'cart') AS cart, bool_or(behavior = 'fav') AS fav
            FROM events WHERE date BETWEEN DATE '{_D0}' AND DATE '{_D1}' GROUP BY date, user_id
        )
        SELECT CAST(date AS VARCHAR) AS day, count(*) FILTER (WHERE pv > 0) AS uv, sum(pv) AS pv,
               count(*) FILTER (WHERE cart) AS cart_users, count(*) FILTER (WHERE fav) AS fav_users,
               count(*) FILTER (WHERE pv = 1) AS one_page
        FROM per GROUP BY date
        UNION ALL
        SELECT 'total', count(DISTINCT user_id) FILTER (WHERE pv > 0), sum(pv),
               count(DISTINCT user_id) FILTER (WHERE cart), count(DISTINCT user_id) FILTER (WHERE fav), NULL
        FROM per"""],
    # exact, without a window pass: with 1-day buckets k = ts // W, a pv that can start an attempt ending at an
    # event of bucket k lies in bucket k or k-1, so per (user, bucket) minima/maxima plus three small
    # conditional aggregates decide each step (see _FUNNEL_NOTE)
    "funnel": [f"""
        WITH f AS (
            SELECT user_id, epoch_us(ts) AS t, behavior FROM events
            WHERE date BETWEEN DATE '{_D0}' AND DATE '{_D1}' AND behavior IN ('pv', 'cart', 'buy')
        ), g AS MATERIALIZED (
            SELECT user_id, t // {W_US} AS k,
                   min(t) FILTER (WHERE behavior = 'pv') AS minpv, max(t) FILTER (WHERE behavior = 'pv') AS maxpv,
                   min(t) FILTER (WHERE behavior = 'cart') AS mincart,
                   max(t) FILTER (WHERE behavior = 'cart') AS maxcart,
                   min(t) FILTER (WHERE behavior = 'buy') AS minbuy, max(t) FILTER (WHERE behavior = 'buy') AS maxbuy
            FROM f GROUP BY ALL
        ), x AS (
            SELECT g.user_id, g.k,
                   min(f.t) FILTER (WHERE f.behavior = 'cart' AND f.t >= g.minpv) AS fc,
                   min(f.t) FILTER (WHERE f.behavior = 'buy' AND f.t >= g.mincart) AS fb
            FROM f JOIN g ON f.user_id = g.user_id AND f.t // {W_US} = g.k
            WHERE f.behavior IN ('cart', 'buy') AND (g.minpv IS NOT NULL OR g.mincart IS NOT NULL) GROUP BY ALL
        ), need AS (
            SELECT g.user_id, g.k, g.maxcart FROM g JOIN g AS n ON n.user_id = g.user_id AND n.k = g.k + 1
            WHERE g.maxpv > g.maxcart AND g.minpv <= g.maxcart AND n.minbuy <= g.maxcart + {W_US}
        ), l AS (
            SELECT need.user_id, need.k, max(f.t) AS lpc
            FROM f JOIN need ON f.user_id = need.user_id AND f.t // {W_US} = need.k
            WHERE f.behavior = 'pv' AND f.t <= need.maxcart GROUP BY ALL
        ), b AS (
            SELECT g.*, x.fc, x.fb, p.maxpv AS prev_maxpv,
                   CASE WHEN p.maxpv <= p.maxcart THEN p.maxpv ELSE l.lpc END AS prev_lpc
            FROM g LEFT JOIN x USING (user_id, k) LEFT JOIN g AS p ON p.user_id = g.user_id AND p.k = g.k - 1
            LEFT JOIN l ON l.user_id = g.user_id AND l.k = g.k - 1
        ), u AS (
            SELECT user_id, bool_or(minpv IS NOT NULL) AS s1,
                   bool_or(maxcart >= minpv OR mincart <= prev_maxpv + {W_US}) AS s2,
                   bool_or(maxbuy >= fc OR fb <= prev_maxpv + {W_US} OR minbuy <= prev_lpc + {W_US}) AS s3
            FROM b GROUP BY user_id
        )
        SELECT count(*) FILTER (WHERE s1) AS pv, count(*) FILTER (WHERE s2) AS cart,
               count(*) FILTER (WHERE s3) AS buy FROM u"""],
    "retention": [f"""
        WITH active AS (SELECT DISTINCT user_id, date FROM events WHERE date <= DATE '{_D1}'),
             first AS (SELECT user_id, min(date) AS cohort FROM active GROUP BY user_id
                       HAVING min(date) >= DATE '{_D0}')
        SELECT CAST(cohort AS VARCHAR) AS cohort, period, users,
               max(users) FILTER (WHERE period = 0) OVER (PARTITION BY cohort) AS cohort_users
        FROM (SELECT cohort, date - cohort AS period, count(*) AS users
              FROM active JOIN first USING (user_id) GROUP BY cohort, period)"""],
    "top_items": [f"""
        SELECT item_id, count(*) AS n FROM events
        WHERE date BETWEEN DATE '{_D0}' AND DATE '{_D1}' AND behavior = '{b}'
        GROUP BY item_id ORDER BY n DESC, item_id LIMIT {TOP_N}""" for b in ("pv", "buy")],
    }


SQL = sql_suite()


def _rate(num, den):
    """As metrics._rate: a fraction rounded to 6 places, None for a zero denominator."""
    return round(num / den, 6) if den else None


def _daily_rows(per_day: list[dict], total: dict) -> list:
    """Canonical daily rows from counts: [day, uv, pv, cart_rate, fav_rate, bounce_rate] + the period's row."""
    rows, rates = [], []
    for r in sorted(per_day, key=lambda r: r["day"]):
        bounce = _rate(r["one_page"], r["uv"])
        if r["uv"]:
            rates.append(r["one_page"] / r["uv"])
        rows.append([r["day"], int(r["uv"]), int(r["pv"]), _rate(r["cart_users"], r["uv"]),
                     _rate(r["fav_users"], r["uv"]), bounce])
    bounce = round(sum(rates) / len(rates), 6) if rates else None
    rows.append(["total", int(total["uv"]), int(total["pv"]), _rate(total["cart_users"], total["uv"]),
                 _rate(total["fav_users"], total["uv"]), bounce])
    return rows


def _top_rows(tables: list) -> list:
    return [[part, r["item_id"], int(r["n"])] for part, t in enumerate(tables) for r in t.to_pylist()]


def _iso(value) -> str:
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def _sql_canonical(name: str, tables: list) -> list:
    if name == "daily":
        rows = tables[0].to_pylist()
        return _daily_rows([r for r in rows if r["day"] != "total"], next(r for r in rows if r["day"] == "total"))
    if name == "funnel":
        r = tables[0].to_pylist()[0]
        return [r["pv"], r["cart"], r["buy"]]
    if name == "retention":
        return sorted([r["cohort"], r["period"], r["users"], r["cohort_users"]] for r in tables[0].to_pylist())
    return _top_rows(tables)


def _duckdb_connection():
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {int(os.environ.get('SHOPOPS_DUCKDB_THREADS', os.cpu_count() or 2))}")
    if os.environ.get("SHOPOPS_DUCKDB_MEMORY_LIMIT"):
        con.execute(f"SET memory_limit = '{os.environ['SHOPOPS_DUCKDB_MEMORY_LIMIT']}'")
    return con


def phase_sql(lake: Path) -> dict:
    from deltalake import DeltaTable

    delta = DeltaTable(str(lake / "events"))
    con = _duckdb_connection()
    files = ", ".join(f"'{f}'" for f in delta.file_uris())
    con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet([{files}], hive_partitioning = true, "
                f"hive_types = {{'date': DATE, 'feed': VARCHAR}}) WHERE shop_id = {SHOP_ID}")
    out = {"seconds": {}, "results": {}}
    for name, statements in SQL.items():
        started = time.perf_counter()
        out["results"][name] = _sql_canonical(name, [con.execute(sql).to_arrow_table() for sql in statements])
        out["seconds"][name] = time.perf_counter() - started
    return out


# ------------------------------------------------------------------------------------------------ pandas

def phase_pandas(lake: Path) -> dict:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.dataset as ds
    from deltalake import DeltaTable

    out = {"seconds": {}, "results": {}}
    started = time.perf_counter()
    uri = str(lake / "events")
    dataset = ds.dataset(DeltaTable(uri).file_uris(), format="parquet", partition_base_dir=uri,
                         partitioning=ds.partitioning(pa.schema([("date", pa.date32()), ("feed", pa.string())]),
                                                      flavor="hive"))
    df = dataset.to_table(columns=["shop_id", "date", "ts", "user_id", "item_id", "behavior"]).to_pandas()
    df = df[(df.shop_id == SHOP_ID) & (df.date >= FIRST_DATE) & (df.date <= LAST_DATE)]
    out["load_seconds"] = time.perf_counter() - started

    started = time.perf_counter()
    per = df.assign(is_pv=df.behavior == "pv", cart=df.behavior == "cart", fav=df.behavior == "fav")
    per = per.groupby(["date", "user_id"], sort=False).agg(pv=("is_pv", "sum"), cart=("cart", "any"), fav=("fav", "any"))
    per = per.reset_index()
    visitors = per[per.pv > 0]
    day = pd.DataFrame({"uv": visitors.groupby("date").size(), "pv": per.groupby("date").pv.sum(),
                        "cart_users": per[per.cart].groupby("date").size(),
                        "fav_users": per[per.fav].groupby("date").size(),
                        "one_page": per[per.pv == 1].groupby("date").size()}).fillna(0).astype("int64")
    per_day = [{"day": _iso(d), **{k: int(v) for k, v in r.items()}} for d, r in day.iterrows()]
    total = {"uv": visitors.user_id.nunique(), "pv": int(per.pv.sum()), "cart_users": per[per.cart].user_id.nunique(),
             "fav_users": per[per.fav].user_id.nunique()}
    out["results"]["daily"] = _daily_rows(per_day, total)
    out["seconds"]["daily"] = time.perf_counter() - started
    del per, visitors

    started = time.perf_counter()
    f = df.loc[df.behavior.isin(["pv", "cart", "buy"]), ["user_id", "ts", "behavior"]]
    f = f.assign(step=f.behavior.map({"pv": 0, "cart": 1, "buy": 2}).astype("int8"),
                 t=f.ts.astype("int64"))
    unit = 10 ** {"s": 0, "ms": 3, "us": 6, "ns": 9}[np.datetime_data(f.ts.dtype.base if hasattr(f.ts.dtype, "base")
                                                                    else f.ts.dtype)[0]]
    f = f.sort_values(["user_id", "t", "step"], kind="stable")
    low = np.iinfo(np.int64).min
    f["last_pv"] = f.t.where(f.step == 0, low).groupby(f.user_id, sort=False).cummax()
    f["cart_pv"] = f.last_pv.where(f.step == 1, low).groupby(f.user_id, sort=False).cummax()
    window = WINDOW_SECONDS * unit
    s2 = (f.step == 1) & (f.last_pv != low) & (f.t - f.last_pv <= window)
    s3 = (f.step == 2) & (f.cart_pv != low) & (f.t - f.cart_pv <= window)
    out["results"]["funnel"] = [int(f.loc[f.step == 0, "user_id"].nunique()), int(f.loc[s2, "user_id"].nunique()),
                                int(f.loc[s3, "user_id"].nunique())]
    del f, s2, s3
    out["seconds"]["funnel"] = time.perf_counter() - started

    started = time.perf_counter()
    active = df[["user_id", "date"]].drop_duplicates()
    active = active.assign(cohort=active.groupby("user_id").date.transform("min"))
    active["period"] = (pd.to_datetime(active.date) - pd.to_datetime(active.cohort)).dt.days
    cells = active.groupby(["cohort", "period"]).size().rename("users").reset_index()
    sizes = active[active.period == 0].groupby("cohort").size().rename("cohort_users").reset_index()
    cells = cells.merge(sizes, on="cohort")
    out["results"]["retention"] = sorted([_iso(r.cohort), int(r.period), int(r.users), int(r.cohort_users)]
                                         for r in cells.itertuples())
    out["seconds"]["retention"] = time.perf_counter() - started

    started = time.perf_counter()
    tops = []
    for part, behaviour in enumerate(("pv", "buy")):
        counts = df.loc[df.behavior == behaviour, "item_id"].value_counts().rename("n").reset_index()
        counts = counts.sort_values(["n", "item_id"], ascending=[False, True]).head(TOP_N)
        tops.extend([part, r.item_id, int(r.n)] for r in counts.itertuples())
    out["results"]["top_items"] = tops
    out["seconds"]["top_items"] = time.perf_counter() - started
    return out


# ------------------------------------------------------------------------------------------------ plumbing

def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_import(path: Path) -> dict:
    import django

    django.setup()
    from shopops.imports.formats import FORMATS
    from shopops.imports.lake_import import import_lake_file

    started = time.perf_counter()
    result = import_lake_file(shop_id=SHOP_ID, fmt=FORMATS["taobao-userbehavior"], path=str(path),
                              channel_account_id=None, channel="taobao", skip_invalid=False, dry_run=False,
                              options={})
    return {"rows": result.rows, "inserted": result.inserted, "skipped": result.skipped,
            "seconds": time.perf_counter() - started}


EVENT_ROLLUPS = ("user_day", "item_day", "funnel_day")


def phase_rollups(lake: Path) -> dict:
    """Pay the rollup debts the import left (a bulk UserBehavior import defers them to the worker) the product's
    way, ``lake.services.rollups_settle`` (what the worker task and ``shopops lake settle`` run), so the next
    phase reads a lake whose rollups are ready; ``built_by`` says whether the import had already built them."""
    import django

    django.setup()
    import pyarrow.dataset as ds
    from deltalake import DeltaTable

    from shopops.lake.services import rollups_settle
    from shopops.lake.storage import table_uri

    started = time.perf_counter()
    settled = {row["table"]: row for row in rollups_settle()}
    seconds = time.perf_counter() - started
    out: dict = {"built_by": {}, "rows": {}, "seconds": {"settle_all": seconds}}
    for name in EVENT_ROLLUPS:
        uri = table_uri(name)
        out["built_by"][name] = ("worker (lake.services.rollups_settle paid the import's deferred debt)"
                                 if name in settled else "import (rollups kept by the lake at import time)")
        out["rows"][name] = ds.dataset(DeltaTable(uri).file_uris(), format="parquet").count_rows()
    return out


def phase_ours_rollups(lake: Path) -> dict:
    """The analytics app on the lake once it has rollups: what it answers from them is the app's choice."""
    return phase_ours(lake)


PHASES = {"import": phase_import, "rollups": phase_rollups, "ours_rollups": phase_ours_rollups, "ours": phase_ours, "ours_arrow": phase_ours_arrow,
          "ours_parquet": phase_ours_parquet, "duckdb_sql": phase_sql, "pandas": phase_pandas}
SCANS = {"engine": "ours", "arrow": "ours_arrow", "parquet": "ours_parquet"}


def run_phase(name: str, target: Path, workdir: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shopops.settings", "SHOPOPS_DATA_DIR": str(workdir / "data"),
           "SHOPOPS_LAKE_URI": str(workdir / target.stem if name == "import" else target),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, __file__, "--phase", name, "--target", str(target)],
                            capture_output=True, text=True, check=False, env=env)
    if result.returncode:
        raise SystemExit(f"phase {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def summarise(phase: dict, rows: int) -> dict:
    seconds = {k: round(v, 3) for k, v in phase["seconds"].items()}
    total = sum(phase["seconds"].values())
    out = {"seconds": seconds, "total_seconds": round(total, 3), "rows_per_s": round(rows / total) if total else None,
           "peak_rss_mib": phase["peak_rss_mib"]}
    if "load_seconds" in phase:
        out["load_seconds"] = round(phase["load_seconds"], 3)
        out["total_with_load_seconds"] = round(total + phase["load_seconds"], 3)
    if "implementation" in phase:
        out["implementation"] = phase["implementation"]
    return out


def agree(a: dict, b: dict) -> dict:
    return {name: a["results"][name] == b["results"][name] for name in QUERIES}


def digest(phase: dict) -> dict:
    """Small, human-checkable parts of the results."""
    r = phase["results"]
    return {"funnel_people": r["funnel"], "period_row": r["daily"][-1] if r["daily"] else None,
            "retention_cells": len(r["retention"]), "top_pv_item": r["top_items"][0][1:] if r["top_items"] else None}


def ratio(a: dict, b: dict, *, load: bool = False) -> dict:
    out = {q: round(a["seconds"][q] / b["seconds"][q], 2) if b["seconds"][q] else None for q in QUERIES}
    total_b = sum(b["seconds"].values()) + (b.get("load_seconds", 0) if load else 0)
    out["total"] = round(sum(a["seconds"].values()) / total_b, 2)
    return out


def suite(phases: dict, rows: int, *, reference: str = "duckdb_sql") -> dict:
    """Figures of each phase, the ratios to the reference and whether each result equals the reference's."""
    ref = phases[reference]
    out = {name: summarise(p, rows) | ({"agrees_with_" + reference: agree(p, ref)} if name != reference else {})
           for name, p in phases.items()}
    for name, p in phases.items():
        if name.startswith("ours"):
            out[name]["ratio_to_" + reference] = ratio(p, ref)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--pandas-rows", type=int, default=10_000_000)
    parser.add_argument("--skip-pandas", action="store_true", help="no slice: no pandas and no like-for-like pair")
    parser.add_argument("--scans", default="engine,parquet",
                        help="how 'ours' opens the lake: engine (as shipped) and the diagnostics arrow, parquet")
    parser.add_argument("--json", action="store_true", help="print compact JSON (default: indented)")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = PHASES[args.phase](args.target)
        result["peak_rss_mib"] = round(peak_rss_mib(), 1)
        print(json.dumps(result, default=str))
        return
    scans = [s for s in args.scans.split(",") if s]
    if "engine" not in scans or any(s not in SCANS for s in scans):
        parser.error("--scans: engine plus any of arrow, parquet")
    os.environ.setdefault("SHOPOPS_DUCKDB_MEMORY_LIMIT", "4GB")
    load_before = [round(x, 1) for x in os.getloadavg()]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="shopops-analytics-"))
    workdir.mkdir(parents=True, exist_ok=True)
    slice_rows = 0 if args.skip_pandas else min(args.pandas_rows, args.rows)
    try:
        data, slice_data = workdir / "lake.csv", workdir / "slice.csv"
        started = time.perf_counter()
        shape = generate(data, args.rows, slice_path=slice_data if slice_rows else None, slice_rows=slice_rows)
        generated = time.perf_counter() - started
        imported = run_phase("import", data, workdir)
        data.unlink()
        lake = workdir / "lake"
        phases = {SCANS[s]: run_phase(SCANS[s], lake, workdir) for s in scans}
        phases["duckdb_sql"] = run_phase("duckdb_sql", lake, workdir)
        rollups = run_phase("rollups", lake, workdir)
        phases["ours_rollups"] = run_phase("ours_rollups", lake, workdir)
        rows = imported["rows"] - imported["skipped"]
        full = suite(phases, rows)
        full["ours_rollups"]["speedup_vs_duckdb_sql"] = {
            q: round(1 / v, 1) if v else None for q, v in full["ours_rollups"]["ratio_to_duckdb_sql"].items()}
        full["ours_rollups"]["rollups"] = {"built_by": rollups["built_by"], "rows": rollups["rows"],
                                           "build_seconds": {k: round(v, 2) for k, v in rollups["seconds"].items()},
                                           "build_peak_rss_mib": rollups["peak_rss_mib"]}
        report = {
            "rows": rows, "load_average_1_5_15min": {"start": load_before, "after_full_scale_phases": [round(x, 1) for x in os.getloadavg()]}, **{k: shape[k] for k in ("users", "items", "categories", "behaviour_mix")}, "days": DAYS,
            "cpus": os.cpu_count(), "duckdb_memory_limit": os.environ["SHOPOPS_DUCKDB_MEMORY_LIMIT"],
            "generate_seconds": round(generated, 1), "import_seconds": round(imported["seconds"], 1),
            "import_peak_rss_mib": imported["peak_rss_mib"], **full,
            "digest": {"ours": digest(phases["ours"]), "duckdb_sql": digest(phases["duckdb_sql"])},
        }
        sliced = None
        if slice_rows:
            s_import = run_phase("import", slice_data, workdir)
            slice_data.unlink()
            slice_lake = workdir / "slice"
            s_phases = {SCANS[s]: run_phase(SCANS[s], slice_lake, workdir) for s in scans}
            s_phases["duckdb_sql"] = run_phase("duckdb_sql", slice_lake, workdir)
            s_phases["pandas"] = run_phase("pandas", slice_lake, workdir)
            s_rows = s_import["rows"] - s_import["skipped"]
            sliced = suite(s_phases, s_rows)
            for name, p in s_phases.items():  # the reference SQL too: what one engine doing this work reaches
                if name.startswith("ours") or name == "duckdb_sql":
                    sliced[name]["speedup_vs_pandas"] = {
                        q: round(1 / v, 1) if v else None for q, v in ratio(p, s_phases["pandas"]).items()}
                    sliced[name]["speedup_vs_pandas"]["total_with_pandas_load"] = round(
                        1 / ratio(p, s_phases["pandas"], load=True)["total"], 1)
            sliced["pandas"]["agrees_with_duckdb_sql"] = agree(s_phases["pandas"], s_phases["duckdb_sql"])
            report["slice"] = {"rows": s_rows, **sliced, "digest": {"ours": digest(s_phases["ours"])}}

        def goals(name: str) -> dict:
            g = {"suite_under_60s": full[name]["total_seconds"] < GOALS["suite_seconds"],
                 "peak_under_6gib": full[name]["peak_rss_mib"] < GOALS["peak_gib"] * 1024,
                 "within_1_5x_sql": full[name]["ratio_to_duckdb_sql"]["total"] <= GOALS["ratio_sql"]}
            g["results_equal_sql"] = all(full[name]["agrees_with_duckdb_sql"].values())
            return g

        report["goals"] = goals("ours")
        # the speed goal: the app on a lake with rollups ≥ 10× hand-written SQL over the raw events, equal results
        report["goals"]["rollups_10x_sql"] = (
            full["ours_rollups"]["speedup_vs_duckdb_sql"]["total"] >= GOALS["speedup_rollups"]
            and all(full["ours_rollups"]["agrees_with_duckdb_sql"].values()))
        # replaced by rollups_10x_sql (no engine doing the raw work reaches it on two cores); figure kept
        report["earlier_goals"] = {"10x_pandas_on_the_slice": (
            sliced["ours"]["speedup_vs_pandas"]["total_with_pandas_load"] >= GOALS["speedup_pandas"]
            if sliced else None)}
        for s in scans[1:]:
            report[f"goals_with_{s}_scan"] = goals(SCANS[s])
        report["all_agree"] = all(all(v["agrees_with_duckdb_sql"].values()) for k, v in full.items() if k != "duckdb_sql")
        if sliced:
            report["slice_all_agree"] = all(all(v["agrees_with_duckdb_sql"].values()) for k, v in sliced.items()
                                            if k != "duckdb_sql")
        print(json.dumps(report, separators=(",", ":")) if args.json else json.dumps(report, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
