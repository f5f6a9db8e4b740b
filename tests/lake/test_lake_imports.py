"""Import-fed lake tables: one Delta commit per import that replaces exactly its feed's date range, nothing
committed when nothing changed, and a crash (an exception or a killed process) leaves the previous version
(docs/architecture.md#data)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable

from shopops.imports.formats import FORMATS
from shopops.imports.formats.lake_samples import write_sample
from shopops.imports.lake_import import import_lake_file
from shopops.lake import storage
from shopops.lake.services import FeedWriter, _multiset_common, feed_id, feed_rows
from shopops.lake.storage import Digest, row_hashes, table_info, table_uri, table_version
from shopops.lake.tables import EVENTS, TABLES, TRAFFIC_DAILY
from shopops.orders.services import facts_rebuild

END = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    return tmp_path / "lake"


def run(name: str, path: Path, *, shop: int = 1, account: int | None = 3, **options: str):
    return import_lake_file(shop_id=shop, fmt=FORMATS[name], path=str(path), channel_account_id=account,
                            channel="tmall", skip_invalid=False, dry_run=False, options=options)


def sycm(tmp_path: Path, name: str = "sycm.csv", **kwargs) -> Path:
    path = tmp_path / name
    write_sample("sycm-traffic", str(path), end_date=END, **kwargs)
    return path


def edit(path: Path, change, encoding: str = "gbk") -> Path:
    records = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))
    header, rows = records[0], change(records[0], records[1:])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_a_corrected_report_updates_exactly_the_changed_rows(tmp_path):
    path = sycm(tmp_path)
    first = run("sycm-traffic", path)
    before = table_version(TRAFFIC_DAILY)

    def bump(header, rows):
        column = header.index("访客数")
        for row in rows[:5]:
            row[column] = str(int(row[column].replace(",", "")) + 1)
        return rows

    corrected = run("sycm-traffic", edit(path, bump))
    assert (corrected.inserted, corrected.updated, corrected.unchanged, corrected.deleted) == (0, 5, first.rows - 5, 0)
    assert corrected.written and table_version(TRAFFIC_DAILY) == before + 1  # one commit
    stored = feed_rows(table=TRAFFIC_DAILY, feed=first.feed)
    assert stored.num_rows == first.rows  # replaced, not appended


def test_a_reimport_replaces_its_date_range_only(tmp_path):
    """Rows of the feed inside the new file's date range that the file no longer has are removed; days
    outside the range and other feeds stay."""
    full = run("sycm-traffic", sycm(tmp_path, days=30))
    other_account = run("sycm-traffic", sycm(tmp_path, "other.csv", days=30), account=4)
    other_shop = run("sycm-traffic", sycm(tmp_path, "shop2.csv", days=30), shop=2)
    week = sycm(tmp_path, "week.csv", days=7, seed=99)

    def drop_one_day(header, rows):
        return [r for r in rows if r[0] != (END - dt.timedelta(days=3)).isoformat()]

    partial = run("sycm-traffic", edit(week, drop_one_day))
    per_day = 8  # sources per day in the sample
    assert partial.date_from == END - dt.timedelta(days=6) and partial.date_to == END
    assert partial.rows == 6 * per_day and partial.deleted == per_day  # the dropped day's rows are gone
    stored = feed_rows(table=TRAFFIC_DAILY, feed=full.feed)
    assert stored.num_rows == 23 * per_day + 6 * per_day
    assert END - dt.timedelta(days=3) not in set(stored["date"].to_pylist())
    assert feed_rows(table=TRAFFIC_DAILY, feed=other_account.feed).num_rows == 30 * per_day
    assert feed_rows(table=TRAFFIC_DAILY, feed=other_shop.feed).num_rows == 30 * per_day


def test_store_and_item_level_reports_are_separate_feeds(tmp_path):
    store = run("sycm-traffic", sycm(tmp_path))
    item_path = tmp_path / "items.csv"
    item_path.write_bytes("日期,商品ID,商品名称,访客数,支付买家数,支付金额\r\n2026-11-20,6512345,羊毛衫,120,3,297.00\r\n"
                          .encode("gbk"))
    item = run("sycm-traffic", item_path)
    assert store.feed.endswith(".store") and item.feed.endswith(".item") and item.written
    assert feed_rows(table=TRAFFIC_DAILY, feed=store.feed).num_rows == store.rows


def test_events_compare_as_multisets(tmp_path):
    path = tmp_path / "events.csv"
    write_sample("events", str(path), end_date=END, days=3, rows=300)
    first = run("events", path)

    def change(header, rows):
        rows.append(list(rows[0]))  # an exact duplicate is a real second event
        rows[10][header.index("behavior")] = "fav" if rows[10][header.index("behavior")] != "fav" else "pv"
        return rows

    second = run("events", edit(path, change, "utf-8"))
    assert (second.inserted, second.unchanged, second.deleted, second.updated) == (2, 299, 1, 0)
    assert feed_rows(table=EVENTS, feed=first.feed).num_rows == 301


def test_userbehavior_hashes_from_integers_equal_the_generic_row_hash(tmp_path):
    """The bulk path hashes the integers it parsed; the stored text must hash the same (else a re-import
    could never be recognised as unchanged)."""
    path = tmp_path / "ub.csv"
    write_sample("taobao-userbehavior", str(path), end_date=END, rows=5000)
    result = run("taobao-userbehavior", path)
    for file in storage.feed_files(EVENTS, result.feed):
        stored = storage.read_feed_file(EVENTS, file.path)
        digest = Digest()
        digest.add(row_hashes(stored, EVENTS.data_columns))
        assert digest == storage.file_digest(EVENTS, file.path)


def test_files_without_a_stored_digest_are_hashed_from_their_rows(tmp_path, monkeypatch):
    """Files written by another writer (compaction, Spark) carry no footer digest: the comparison falls back
    to hashing their rows, with the same outcome."""
    path = tmp_path / "ub.csv"
    write_sample("taobao-userbehavior", str(path), end_date=END, rows=3000)
    result = run("taobao-userbehavior", path)
    monkeypatch.setattr(storage, "file_digest", lambda table, path: None)
    again = run("taobao-userbehavior", path)
    assert again.unchanged == result.inserted and not again.written
    DeltaTable(table_uri("events")).optimize.compact()
    assert run("taobao-userbehavior", path).unchanged == result.inserted


def test_text_hash_is_per_value_not_per_batch():
    mixed = pa.array(["123", "abc", None, "0", "007", "", "-5", "99999999999999999999"])
    alone = np.concatenate([storage.column_hash(mixed.slice(i, 1)) for i in range(len(mixed))])
    assert (storage.column_hash(mixed) == alone).all()
    assert storage.column_hash(pa.array(["123"]))[0] == storage.integer_text_hash(np.array([123]))[0]
    assert len(set(storage.column_hash(pa.array(["007", "7", "07"])).tolist())) == 3
    assert _multiset_common(np.array([1, 1, 2, 3], np.uint64), np.array([1, 3, 3, 4], np.uint64)) == 2


def test_an_exception_before_the_commit_leaves_the_previous_version(tmp_path, monkeypatch, lake):
    path = sycm(tmp_path)
    first = run("sycm-traffic", path)
    version = table_version(TRAFFIC_DAILY)
    files_before = sorted(p.name for p in lake.rglob("*.parquet"))

    def crash(table, feed):
        raise OSError("disk gone")

    monkeypatch.setattr(storage, "_before_commit", crash)
    with pytest.raises(OSError):
        run("sycm-traffic", sycm(tmp_path, "changed.csv", seed=3))
    assert table_version(TRAFFIC_DAILY) == version
    assert feed_rows(table=TRAFFIC_DAILY, feed=first.feed).num_rows == first.rows
    assert sorted(p.name for p in lake.rglob("*.parquet")) == files_before  # staged files removed


def test_leaving_the_writer_without_finishing_discards_its_files(lake):
    feed = feed_id(shop_id=9, source="events", channel_account_id=None)
    data = pa.table({"shop_id": [9] * 3, "channel": ["own-site"] * 3, "channel_account_id": pa.nulls(3, pa.int64()),
                     "ts": pa.array([0, 1, 2], pa.timestamp("us", tz="UTC")), "user_id": ["a", "b", "c"],
                     "item_id": ["i"] * 3, "category_id": ["c"] * 3, "sku_id": pa.nulls(3, pa.string()),
                     "behavior": ["pv"] * 3, "source": pa.nulls(3, pa.string()), "session_id": pa.nulls(3, pa.string()),
                     "price_fen": pa.nulls(3, pa.int64()),
                     "date": pa.array([dt.date(2026, 1, 1)] * 3)}).cast(pa.schema(
                         [EVENTS.schema.field(n) for n in EVENTS.schema.names if n != "feed"]))
    with pytest.raises(RuntimeError), FeedWriter(EVENTS, feed, buffer_rows=1) as writer:
        writer.add(data)
        raise RuntimeError("stop")
    assert not list(lake.rglob("*.parquet")) and table_version(EVENTS) is None


KILL_SCRIPT = """
import django, sys
django.setup()
from shopops.imports.formats import FORMATS
from shopops.imports.lake_import import import_lake_file
import_lake_file(shop_id=1, fmt=FORMATS["taobao-userbehavior"], path=sys.argv[1], channel_account_id=None,
                 channel="taobao", skip_invalid=False, dry_run=False, options={})
print("finished")
"""


def test_killing_the_process_mid_import_leaves_the_previous_version(tmp_path, lake):
    """A real crash: the importer is SIGKILLed after it wrote data files but before its commit."""
    rows = 3_000_000  # one day, so the writer flushes a file every 1M rows while it keeps reading
    rng = np.random.default_rng(1)
    stamps = rng.integers(1_511_539_200, 1_511_539_200 + 86_400, rows)
    lines = pa.table({"u": rng.integers(1, 10**6, rows), "i": rng.integers(1, 10**6, rows),
                      "c": rng.integers(1, 10**4, rows), "b": pa.array(np.array(["pv", "buy"])[rng.integers(0, 2, rows)]),
                      "t": stamps})
    import pyarrow.csv as pacsv

    big = tmp_path / "big.csv"
    pacsv.write_csv(lines, big, write_options=pacsv.WriteOptions(include_header=False, quoting_style="none"))
    small = tmp_path / "small.csv"
    small.write_text("".join(f"{n},{n},{n},pv,{1_511_539_200 + n}\n" for n in range(1, 101)))
    env = {**os.environ, "SHOPOPS_LAKE_URI": str(lake), "DJANGO_SETTINGS_MODULE": "shopops.settings_test"}
    done = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(small)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    version = table_version(EVENTS)
    feed = feed_id(shop_id=1, source="taobao-userbehavior", channel_account_id=None)
    assert feed_rows(table=EVENTS, feed=feed).num_rows == 100
    existing = set(lake.rglob("*.parquet"))
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(big)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    staged = False
    while time.monotonic() < deadline and process.poll() is None:
        if set(lake.rglob("*.parquet")) - existing:
            staged = True
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert staged, "the import finished before a data file appeared"
    assert table_version(EVENTS) == version
    assert feed_rows(table=EVENTS, feed=feed).num_rows == 100
    finished = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(big)], env=env, capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert table_version(EVENTS) == version + 1
    assert feed_rows(table=EVENTS, feed=feed).num_rows == rows  # the orphans of the killed run are not data


def test_lake_info_lists_the_import_fed_tables(tmp_path):
    run("sycm-traffic", sycm(tmp_path))
    info = {t["table"]: t for t in table_info()}
    assert set(info) == set(TABLES)
    assert info["traffic_daily"]["exists"] and info["traffic_daily"]["rows"] == 240
    assert info["traffic_daily"]["partition_by"] == ["date", "feed"] and not info["events"]["exists"]


@pytest.mark.django_db
def test_lake_rebuild_never_touches_import_fed_tables(tmp_path, shop):
    result = run("sycm-traffic", sycm(tmp_path), shop=shop.pk)
    version = table_version(TRAFFIC_DAILY)
    facts_rebuild()
    assert table_version(TRAFFIC_DAILY) == version
    assert feed_rows(table=TRAFFIC_DAILY, feed=result.feed).num_rows == result.rows
    assert pc.sum(pc.equal(feed_rows(table=TRAFFIC_DAILY, feed=result.feed)["shop_id"], shop.pk)).as_py() == result.rows
