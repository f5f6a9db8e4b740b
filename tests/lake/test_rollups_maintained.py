"""The lake keeps its rollups at import time (docs/architecture.md#rollups): after every commit of a source the
rollups of exactly the touched partitions are rebuilt, so the stored rollups always equal the pure build of the
whole source; a crash between the two commits leaves a debt that makes the rollups unready until
``shopops lake settle`` pays it; ``lake rebuild`` recreates them and an older lake without them is backfilled."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable
from django.core.management import call_command

from shopops.imports.formats import FORMATS
from shopops.imports.formats.lake_samples import write_sample
from shopops.imports.lake_import import import_lake_file
from shopops.lake import selectors, storage
from shopops.lake.selectors import rollup_build, rollup_names, rollup_ready, rollup_source, rollups_ready
from shopops.orders.models import FactsRefreshDue
from shopops.orders.services import facts_refresh_settle, order_facts_refresh
from shopops.orders.tasks import settle_rollups
from tests.lake.test_inserted_facts import _assert_lake_is_db, _import, _write

END = dt.date(2026, 11, 20)
EVENT_ROLLUPS = ("user_day", "item_day", "funnel_day")
ORDER_ROLLUPS = ("customer_day", "sku_day")


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    return tmp_path / "lake"


def _canon(rows: pa.Table, name: str) -> pa.Table:
    schema = selectors.lake_table_schema(name)
    rows = rows.select(schema.names).cast(schema)
    return rows.sort_by([(column, "ascending") for column in schema.names])


def _stored(name: str) -> pa.Table:
    return _canon(DeltaTable(storage.table_uri(name)).to_pyarrow_table(), name)


def _expected(name: str) -> pa.Table:
    source = DeltaTable(storage.table_uri(rollup_source(name))).to_pyarrow_table()
    return _canon(rollup_build(name, source), name)


def _assert_rollups_are_the_build(names: tuple[str, ...] | None = None) -> None:
    for name in names or rollup_names():
        stored, expected = _stored(name), _expected(name)
        assert stored.num_rows == expected.num_rows > 0, name
        assert stored.equals(expected), name


def _events_file(path: Path, *, seed: int = 7, rows: int = 600) -> Path:
    write_sample("events", str(path), end_date=END, days=3, rows=rows, seed=seed)
    return path


def _import_events(shop_id: int, path: Path, account: int | None = None):
    return import_lake_file(shop_id=shop_id, fmt=FORMATS["events"], path=str(path), channel_account_id=account,
                            channel="own-site", skip_invalid=False, dry_run=False, options={})


def _one_day(path: Path, day: dt.date, out: Path) -> Path:
    """The rows of ``day`` only, some of them changed and one dropped: a corrected export of one date."""
    records = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    header, rows = records[0], [r for r in records[1:] if r[0].startswith(day.isoformat())]
    behavior = header.index("behavior")
    for row in rows[:15]:
        row[behavior] = "cart" if row[behavior] == "pv" else "pv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows[1:]])
    out.write_text(buffer.getvalue(), "utf-8")
    return out


def _adds_by_date(name: str) -> dict[str, set[str]]:
    """The rollup's data files per partition date (Delta add actions of the current version)."""
    actions = pa.table(DeltaTable(storage.table_uri(name)).get_add_actions(flatten=True))
    column = "partition.date" if "partition.date" in actions.column_names else "partition.paid_date"
    out: dict[str, set[str]] = {}
    for path, day in zip(actions["path"].to_pylist(), actions[column].to_pylist(), strict=True):
        out.setdefault(str(day), set()).add(path)
    return out


def _rows_by_date(name: str, column: str, shop_id: int) -> dict[str, list]:
    rows = _stored(name).filter(pc.equal(pc.field("shop_id"), shop_id))
    out: dict[str, list] = {}
    for row in rows.to_pylist():
        out.setdefault(str(row[column]), []).append(row)
    return out


@pytest.fixture
def filled(shop, tmp_path):
    """A lake with the shop's order facts, an order import and an events import (two feeds)."""
    order_facts_refresh(shop=shop)
    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 120, prefix="61", buyers="rollup_buyer"))
    assert summary["status"] == "done", summary["errors"]
    _import_events(shop.pk, _events_file(tmp_path / "events.csv"))
    _import_events(shop.pk, _events_file(tmp_path / "other.csv", seed=8, rows=300), account=5)
    return shop


def test_stored_rollups_equal_the_build_of_the_whole_source(filled):
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk)
    assert all(rollup_ready(name, filled.pk) for name in rollup_names())
    assert not storage.rollup_debts()
    out = io.StringIO()
    call_command("lake", "info", "--json", stdout=out)
    info = json.loads(out.getvalue())
    assert {row["table"]: row["exists"] for row in info["rollup_tables"]} == dict.fromkeys(rollup_names(), True)
    assert info["rollups_due"] == 0 and "orders_fact" in {row["table"] for row in info["tables"]}


def test_a_correction_of_one_date_rebuilds_exactly_that_dates_rollup_partitions(filled, tmp_path):
    day = END - dt.timedelta(days=1)
    before = {name: _adds_by_date(name) for name in EVENT_ROLLUPS}
    result = _import_events(filled.pk, _one_day(tmp_path / "events.csv", day, tmp_path / "fix.csv"))
    assert result.written and (result.date_from, result.date_to) == (day, day)
    for name in EVENT_ROLLUPS:
        after = _adds_by_date(name)
        assert after[day.isoformat()] != before[name][day.isoformat()], name
        assert {d: f for d, f in after.items() if d != day.isoformat()} == \
            {d: f for d, f in before[name].items() if d != day.isoformat()}, name
    _assert_rollups_are_the_build()


def test_an_order_import_of_one_day_changes_only_that_days_rollup_rows(filled, tmp_path):
    before = {name: _rows_by_date(name, "paid_date", filled.pk) for name in ORDER_ROLLUPS}
    files_before = {name: _adds_by_date(name) for name in ORDER_ROLLUPS}
    path = _write(filled, tmp_path / "one.csv", 1, prefix="62", buyers="rollup_new_buyer", seed=11)
    summary = _import(filled, path)
    assert summary["status"] == "done" and summary["inserted"] == 1, summary["errors"]
    touched = {str(d) for d in storage.read_rows(storage.ALL_TABLES["orders_fact"], shop_id=filled.pk)
               .filter(pc.starts_with(pc.field("order_no"), "62"))["paid_date"].to_pylist()}
    assert len(touched) == 1
    for name in ORDER_ROLLUPS:
        after = _rows_by_date(name, "paid_date", filled.pk)
        assert after.keys() - touched == before[name].keys() - touched
        assert all(after[d] == before[name][d] for d in after.keys() - touched), name
        assert all(after[d] != before[name].get(d) for d in touched), name
        files_after = _adds_by_date(name)
        assert {d: f for d, f in files_after.items() if d not in touched} == \
            {d: f for d, f in files_before[name].items() if d not in touched}, name
    _assert_rollups_are_the_build()


def _crash_before_rollups_of(source: str, monkeypatch) -> None:
    def crash(table):
        if table.name == source:
            raise RuntimeError("killed between the commits")
    monkeypatch.setattr(storage, "_before_rollups", crash)


def test_a_crash_between_the_events_and_rollup_commits_is_repaired_by_settle(filled, tmp_path, monkeypatch):
    version = storage.table_version(storage.ALL_TABLES["events"])
    _crash_before_rollups_of("events", monkeypatch)
    with pytest.raises(RuntimeError):
        _import_events(filled.pk, _events_file(tmp_path / "new.csv", seed=9))
    assert storage.table_version(storage.ALL_TABLES["events"]) == version + 1  # the events committed
    assert {due.table for due in storage.rollup_debts()} == set(EVENT_ROLLUPS)
    assert not rollups_ready(filled.pk) and not rollup_ready("user_day", filled.pk)
    assert rollup_ready("customer_day", filled.pk)  # per table
    assert not _stored("user_day").equals(_expected("user_day"))  # behind
    monkeypatch.undo()
    out = io.StringIO()
    call_command("lake", "settle", "--json", stdout=out)
    settled = json.loads(out.getvalue())["rollups_settled"]
    assert sorted((row["table"], row["debts"]) for row in settled) == [("funnel_day", 1), ("item_day", 1), ("user_day", 1)]
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk) and not storage.rollup_debts()


def test_a_crash_between_the_order_facts_and_rollup_commits_is_repaired_by_settle(filled, tmp_path, monkeypatch):
    _crash_before_rollups_of("orders_fact", monkeypatch)
    with pytest.raises(RuntimeError):  # the import dies after its facts committed
        _import(filled, _write(filled, tmp_path / "more.csv", 40, prefix="63", buyers="rollup_late"))
    # the orders' own debt is still on record (deleted only after the refresh) and so are the rollups'
    assert FactsRefreshDue.objects.filter(shop=filled).exists()
    assert {due.table for due in storage.rollup_debts()} == set(ORDER_ROLLUPS)
    assert not rollups_ready(filled.pk) and not rollup_ready("customer_day", filled.pk)
    monkeypatch.undo()
    call_command("lake", "settle", stdout=io.StringIO())
    assert not FactsRefreshDue.objects.filter(shop=filled).exists()
    _assert_lake_is_db(filled)
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk)


def test_the_order_facts_debt_alone_repairs_the_rollups(filled, tmp_path, monkeypatch):
    """With the rollup debts lost, the orders' FactsRefreshDue (paid by refreshing, which rebuilds the
    rollups of its dates) still brings the rollups back."""
    _crash_before_rollups_of("orders_fact", monkeypatch)
    with pytest.raises(RuntimeError):
        _import(filled, _write(filled, tmp_path / "more.csv", 40, prefix="64", buyers="rollup_lost"))
    monkeypatch.undo()
    storage.rollups_paid([due.id for due in storage.rollup_debts()])
    assert not _stored("customer_day").equals(_expected("customer_day"))
    assert facts_refresh_settle(shop=filled)
    _assert_rollups_are_the_build()


def test_lake_rebuild_recreates_every_rollup(filled, lake):
    for name in ("user_day", "customer_day"):
        shutil.rmtree(lake / name)
    out = io.StringIO()
    call_command("lake", "rebuild", "--json", stdout=out)
    rebuilt = json.loads(out.getvalue())
    assert {row["table"] for row in rebuilt["rollups"] if row["rebuilt"]} == set(rollup_names())
    assert {row["table"] for row in rebuilt["rollup_tables"] if row["exists"]} == set(rollup_names())
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk)


def test_an_older_lake_without_rollups_is_backfilled_by_the_next_import(filled, lake, tmp_path):
    for name in rollup_names():
        shutil.rmtree(lake / name)
    assert not rollups_ready(filled.pk) and not rollup_ready("user_day", filled.pk)
    # an import of the first feed: the rollups of the second feed (not touched by it) are built too
    _import_events(filled.pk, _one_day(tmp_path / "events.csv", END, tmp_path / "fix.csv"))
    feeds = set(_stored("user_day")["feed"].to_pylist())
    assert len(feeds) == 2
    _assert_rollups_are_the_build(EVENT_ROLLUPS)
    assert not rollups_ready(filled.pk)  # the order rollups are not there yet
    summary = _import(filled, _write(filled, tmp_path / "one.csv", 1, prefix="65", buyers="rollup_back", seed=12))
    assert summary["status"] == "done", summary["errors"]
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk)


def test_settle_builds_the_rollups_an_older_lake_lacks(filled, lake):
    for name in rollup_names():
        shutil.rmtree(lake / name)
    call_command("lake", "settle", stdout=io.StringIO())
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk)


def test_table_version_is_cached_until_another_commit_lands(filled, tmp_path, monkeypatch):
    first = selectors.lake_table_version("events")
    opened = []
    real = selectors.DeltaTable
    monkeypatch.setattr(selectors, "DeltaTable", lambda uri: opened.append(uri) or real(uri))
    assert selectors.lake_table_version("events") == first
    assert opened == []  # nothing re-read while no commit landed
    result = _import_events(filled.pk, _events_file(tmp_path / "new.csv", seed=13))
    assert result.written
    current = selectors.lake_table_version("events")
    assert current is not None and first is not None and current.version == first.version + 1
    assert set(current.files) == set(DeltaTable(storage.table_uri("events")).file_uris())
    assert selectors.lake_table_version("nothing_here") is None


def test_a_bulk_import_leaves_its_rollups_to_the_worker(filled, tmp_path):
    path = tmp_path / "ub.csv"
    write_sample("taobao-userbehavior", str(path), end_date=END, rows=3000)
    result = import_lake_file(shop_id=filled.pk, fmt=FORMATS["taobao-userbehavior"], path=str(path),
                              channel_account_id=None, channel="taobao", skip_invalid=False, dry_run=False,
                              options={})
    assert result.written
    dues = storage.rollup_debts()
    assert {due.table for due in dues} == set(EVENT_ROLLUPS) and all(due.deferred for due in dues)
    assert not rollups_ready(filled.pk)
    assert settle_rollups.call_local() == len(EVENT_ROLLUPS)  # deferred debts are not left to age
    _assert_rollups_are_the_build()
    assert rollups_ready(filled.pk)
