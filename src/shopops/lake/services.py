"""Writes to the lake: replacing a derived table's rows (``replace_rows``: the orders app keeps its order facts
with it, orders.services.facts) and the import-fed tables (:class:`FeedWriter`: one import of one source = one
Delta commit, or none when nothing changed). The import-fed tables (events, traffic_daily, ad_daily,
search_terms, competitor_snapshots) are the only copy of what the exports said: no rebuild touches them.

Every write of a rollup's source is wrapped in :func:`rollups_kept`: the rollups of exactly the written
partitions are rebuilt after the source commits, one commit per rollup table (docs/architecture.md#rollups).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopops.lake import storage
from shopops.lake.rollups import ROLLUPS, Rollup, rollups_of

# The lake's interface to the apps above it (lake.storage and lake.tables stay private to the lake): the table
# definitions, replacing a derived table's rows (the orders' facts), a table's version, and the
# hashes that identify a feed's rows exactly as the lake does (the import writers).
from shopops.lake.storage import column_hash as column_hash
from shopops.lake.storage import integer_text_hash as integer_text_hash
from shopops.lake.storage import replace_rows as replace_rows
from shopops.lake.storage import row_hashes as row_hashes
from shopops.lake.storage import table_version as table_version
from shopops.lake.tables import TABLES as TABLES
from shopops.lake.tables import LakeTable

# ------------------------------------------------------------------------------------ import-fed tables


@dataclass
class FeedResult:
    """What one import did to its feed, in rows (``deleted``: old rows of the date range that are gone)."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    written: bool = False
    version: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class FeedWriter:
    """One import of one feed into an import-fed table: stage files, compare, then one commit (or none).

    ``add`` takes Arrow tables in the table's schema (``date`` set; ``feed`` is implied) in any order and
    writes one parquet file per date, buffering up to ``buffer_rows`` rows per date so row groups stay
    large and memory stays bounded. ``finish`` compares the staged rows with the feed's rows of the same
    date range and commits only when something changed:

    * keyed tables (``table.key``): rows match by key hash; same content hash → unchanged, else updated;
      unmatched new rows are inserted, unmatched old rows deleted;
    * ``events`` (no key, a multiset): per date, the digests (stored in each file's footer) are compared;
      a date whose digest differs is compared exactly as sorted multisets of row hashes (numpy, no Python
      objects per row): common rows are unchanged, the rest inserted/deleted.

    The commit removes all of the feed's files dated within [first date, last date] of the new data and adds
    the staged files: "a re-import replaces exactly the rows of its source and date range in one Delta
    commit, so a crash leaves the previous version" (docs/architecture.md#data). Use as a context manager: leaving it
    without ``finish`` (an exception) deletes the staged files.
    """

    def __init__(self, table: LakeTable, feed: str, *, buffer_rows: int = 1 << 20,
                 defer_rollups: bool = False) -> None:
        if not table.fed_by_imports:
            raise ValueError(f"{table.name} is not an import-fed table")
        self.table = table
        self.feed = storage.check_feed(feed)
        self.buffer_rows = buffer_rows
        self.defer_rollups = defer_rollups  # leave the rollups of the commit to the worker (:func:`rollups_kept`)
        self.rows = 0
        self._columns = table.data_columns
        self._files: dict[dt.date, storage.PartitionFile] = {}
        self._buffers: dict[dt.date, list[pa.Table]] = {}
        self._buffered: dict[dt.date, int] = {}
        self._digests: dict[dt.date, storage.Digest] = {}
        self._finished = False
        # Parquet encoding runs on one background thread (it releases the GIL), overlapping the caller's
        # parsing; one worker keeps each file's row groups in order, and at most two pending writes bound
        # the memory held.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"lake-{table.name}")
        self._pending: deque[Future] = deque()

    def __enter__(self) -> FeedWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._finished:
            self.discard()

    def add(self, data: pa.Table, *, hashes: np.ndarray | None = None, sorted_by_date: bool = False) -> None:
        """Stage rows (``hashes``: their :func:`storage.row_hashes`, when the caller computed them cheaper)."""
        if not data.num_rows:
            return
        days = data.column("date")
        if days.null_count:
            raise ValueError("rows without a date")
        if not sorted_by_date:
            order = pc.sort_indices(days)
            data = data.take(order)
            days = data.column("date")
            if hashes is not None:
                hashes = hashes[order.to_numpy()]
        numbers = days.combine_chunks().cast(pa.int32()).to_numpy()
        starts = np.concatenate([[0], np.flatnonzero(np.diff(numbers)) + 1])
        ends = np.concatenate([starts[1:], [len(numbers)]])
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            day = dt.date(1970, 1, 1) + dt.timedelta(days=int(numbers[start]))
            piece = data.slice(start, end - start).select(self._columns)
            if not self.table.key:
                part = hashes[start:end] if hashes is not None else storage.row_hashes(piece, self._columns)
                self._digests.setdefault(day, storage.Digest()).add(part)
            self._buffers.setdefault(day, []).append(piece)
            self._buffered[day] = self._buffered.get(day, 0) + piece.num_rows
            self.rows += piece.num_rows
            if self._buffered[day] >= self.buffer_rows:
                self._flush(day)

    def _flush(self, day: dt.date) -> None:
        pieces = self._buffers.pop(day, [])
        self._buffered.pop(day, None)
        if not pieces:
            return
        file = self._files.get(day)
        if file is None:
            file = self._files[day] = storage.PartitionFile(self.table, day, self.feed)
        while len(self._pending) >= 2:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(file.write, pa.concat_tables(pieces)))

    def _drain(self) -> None:
        """Wait for the background writes; the first failure is raised."""
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pending.clear()

    def discard(self) -> None:
        """Delete every staged file (nothing was committed)."""
        self._finished = True
        self._buffers.clear()
        with contextlib.suppress(Exception):
            self._drain()
        self._pool.shutdown(wait=True)
        for file in self._files.values():
            file.discard()

    def finish(self, *, commit: bool = True, metadata: dict[str, object] | None = None) -> FeedResult:
        """Compare with the stored feed and commit when something changed (and ``commit``)."""
        self._finished = True
        written = False
        try:
            for day in list(self._buffers):
                self._flush(day)
            self._drain()
            self._pool.shutdown(wait=True)
            closed = {day: file.close(self._digests.get(day)) for day, file in self._files.items()}
            adds = {day: add for day, add in closed.items() if add is not None}
            result = FeedResult(rows=self.rows)
            if not adds:
                return result
            result.date_from, result.date_to = min(adds), max(adds)
            old = storage.feed_files(self.table, self.feed, date_from=result.date_from, date_to=result.date_to)
            old_by_day: dict[dt.date, list[storage.FeedFile]] = {}
            for old_file in old:
                old_by_day.setdefault(old_file.date, []).append(old_file)
            for day in sorted(set(adds) | set(old_by_day)):
                new_file = self._files.get(day)
                counts = self._compare(new_file.absolute if new_file and day in adds else None,
                                       old_by_day.get(day, []), self._digests.get(day))
                result.inserted += counts[0]
                result.updated += counts[1]
                result.unchanged += counts[2]
                result.deleted += counts[3]
            changed = result.inserted or result.updated or result.deleted
            if changed and commit:
                with rollups_kept((self.table.name,), feed=self.feed, shop_id=_shop_of(self.feed),
                                  date_from=result.date_from, date_to=result.date_to,
                                  defer=self.defer_rollups or self.rows > ROLLUPS_INLINE_ROWS):
                    result.version = storage.commit_feed(
                        self.table, self.feed, remove=old, add=list(adds.values()),
                        metadata={"shopops.rows": self.rows, **(metadata or {})})
                    result.written = written = True
            else:
                result.version = storage.table_version(self.table)
            return result
        finally:
            if not written:  # nothing committed (unchanged, dry run, or a failure): the staged files go
                with contextlib.suppress(Exception):
                    self._drain()
                self._pool.shutdown(wait=True)
                for file in self._files.values():
                    file.discard()

    # --------------------------------------------------------------------------------------- compare

    def _read(self, path: str, absolute: bool) -> pa.Table:
        return storage.read_feed_file(self.table, path, columns=self._columns, absolute=absolute)

    def _compare(self, new_path: str | None, old_files: list[storage.FeedFile],
                 new_digest: storage.Digest | None) -> tuple[int, int, int, int]:
        """(inserted, updated, unchanged, deleted) for one date."""
        if self.table.key:
            return self._compare_keyed(new_path, old_files)
        new_rows = new_digest.rows if new_digest else 0
        if not old_files:
            return new_rows, 0, 0, 0
        old_digest = storage.Digest()
        for file in old_files:
            stored = storage.file_digest(self.table, file.path)
            if stored is None:
                stored = storage.Digest()
                stored.add(storage.row_hashes(self._read(file.path, False), self._columns))
            old_digest = old_digest + stored
        if new_digest is not None and old_digest == new_digest:
            return 0, 0, new_rows, 0
        new_hashes = self._hashes([new_path] if new_path else [], True)
        old_hashes = self._hashes([f.path for f in old_files], False)
        common = _multiset_common(new_hashes, old_hashes)
        return len(new_hashes) - common, 0, common, len(old_hashes) - common

    def _hashes(self, paths: list[str], absolute: bool) -> np.ndarray:
        parts = [storage.row_hashes(self._read(p, absolute), self._columns) for p in paths]
        return np.concatenate(parts) if parts else np.zeros(0, np.uint64)

    def _compare_keyed(self, new_path: str | None, old_files: list[storage.FeedFile]) -> tuple[int, int, int, int]:
        new = self._read(new_path, True) if new_path else None
        olds = [self._read(f.path, False) for f in old_files]
        old = pa.concat_tables(olds) if olds else None
        if new is None:
            return 0, 0, 0, old.num_rows if old is not None else 0
        if old is None or not old.num_rows:
            return new.num_rows, 0, 0, 0
        key = list(self.table.key)
        new_key, old_key = storage.row_hashes(new, key), storage.row_hashes(old, key)
        new_full, old_full = storage.row_hashes(new, self._columns), storage.row_hashes(old, self._columns)
        order = np.argsort(old_key, kind="stable")
        sorted_keys = old_key[order]
        at = np.minimum(np.searchsorted(sorted_keys, new_key), len(sorted_keys) - 1)
        matched = sorted_keys[at] == new_key
        same = matched & (old_full[order][at] == new_full)
        matched_count = int(matched.sum())
        unchanged = int(same.sum())
        return new.num_rows - matched_count, matched_count - unchanged, unchanged, old.num_rows - matched_count


def _multiset_common(first: np.ndarray, second: np.ndarray) -> int:
    """How many values two multisets share (with multiplicity), by sorting: no Python object per row."""
    if not len(first) or not len(second):
        return 0
    a_values, a_counts = np.unique(first, return_counts=True)
    b_values, b_counts = np.unique(second, return_counts=True)
    _common, a_at, b_at = np.intersect1d(a_values, b_values, assume_unique=True, return_indices=True)
    return int(np.minimum(a_counts[a_at], b_counts[b_at]).sum())


def feed_id(*, shop_id: int, source: str, channel_account_id: int | None, variant: str = "") -> str:
    """The id of the rows one source owns: ``s{shop}.{source}.a{account or 0}[.{variant}]``."""
    feed = f"s{int(shop_id)}.{source}.a{int(channel_account_id or 0)}"
    return storage.check_feed(f"{feed}.{variant}" if variant else feed)


def feed_rows(*, table: LakeTable, feed: str) -> pa.Table:
    """Every row of a feed in the current version (for tests and small tables; partition columns added)."""
    parts = []
    for file in storage.feed_files(table, feed):
        data = storage.read_feed_file(table, file.path)
        data = data.append_column("date", pa.array([file.date] * data.num_rows, pa.date32()))
        parts.append(data.append_column("feed", pa.array([feed] * data.num_rows, pa.string())))
    if not parts:
        return table.schema.empty_table()
    return pa.concat_tables(parts).select(table.schema.names).cast(table.schema)


# ------------------------------------------------------------------------------------------------ rollups
#
# A rollup has its source's partitioning, so the rollup of some source partitions is built from exactly
# those partitions: (date, feed) for the events' rollups — the source files of those dates are read, one
# rollup file per (date, feed) written, and ONE commit per rollup table swaps the feed's old rollup files of
# the dates for the new ones (the same pieces as the import-fed tables); paid_date for the order facts'
# rollups — the shop's facts of the dates are read back with a partition filter and the rollup's rows of
# the same shop and dates replaced. A rollup table that does not exist yet is built from its whole source
# (an older lake's one-time backfill), so a rollup table that exists is complete unless a debt says not.


# An import of more rows (and the bulk UserBehavior engine, always) leaves its rollups to the worker (deferred
# debts, paid within a minute, or by `shopops lake settle`): grouping the events by user and by item per day
# costs about as much as the bulk import itself (benchmarks/README.md, import_userbehavior); until the debts
# are paid the rollups are not ready and the metric layer reads the log.
ROLLUPS_INLINE_ROWS = 2_000_000

# the columns of the events the rollups read (not session, source, SKU or price)
_ROLLUP_INPUT = {"events": ["shop_id", "channel", "channel_account_id", "ts", "user_id", "item_id", "category_id",
                            "behavior"]}


def _shop_of(feed: str) -> int:
    """The shop of a feed id ``s{shop}.…``."""
    return int(feed.split(".", 1)[0][1:])


@contextlib.contextmanager
def rollups_kept(sources: tuple[str, ...], *, feed: str = "", shop_id: int | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 defer: bool = False) -> Iterator[None]:
    """Around the commit(s) of ``sources``' rows of one feed (import-fed) or one shop (derived) over
    ``date_from..date_to`` (None: every date): record the rollups owed, let the body commit, rebuild the
    rollups of those partitions, then pay the debts. Leaving the body by an exception rebuilds nothing and
    keeps the debts (the source may have committed): ``lake settle`` pays them. ``defer``: only record them,
    for the worker."""
    owed: list[tuple[Rollup, str]] = []
    for source in sources:
        for rollup in rollups_of(source):
            if defer or storage.table_exists(rollup.table.name):  # a missing table is built whole below
                owed.append((rollup, storage.rollup_owe(rollup.table.name, feed=feed, shop_id=shop_id,
                                                        date_from=date_from, date_to=date_to, deferred=defer)))
    yield
    if defer:
        return
    for source in sources:
        storage._before_rollups(TABLES[source])
        _rollups_build(rollups_of(source), feed=feed or None, shop_id=shop_id, date_from=date_from,
                       date_to=date_to)
    storage.rollups_paid([due_id for _rollup, due_id in owed])


def _rollups_build(rollups: list[Rollup], *, feed: str | None, shop_id: int | None, date_from: dt.date | None,
                   date_to: dt.date | None) -> None:
    """Rebuild ``rollups`` (of one source) over a feed or a shop (None: all) and a date range (None: all).
    A rollup table that does not exist is built from the whole source, under a debt for the whole table
    (creating a table and filling it are two commits)."""
    missing = [r for r in rollups if not storage.table_exists(r.table.name)]
    present = [r for r in rollups if r not in missing]
    if present:
        _rollups_write(present, feed=feed, shop_id=shop_id, date_from=date_from, date_to=date_to)
    if missing:
        dues = [storage.rollup_owe(r.table.name) for r in missing]
        _rollups_write(missing, feed=None, shop_id=None, date_from=None, date_to=None)
        storage.rollups_paid(dues)


def _rollups_write(rollups: list[Rollup], *, feed: str | None, shop_id: int | None, date_from: dt.date | None,
                   date_to: dt.date | None) -> None:
    source = rollups[0].source
    if source.fed_by_imports:
        _feed_rollups_build(rollups, feed=feed, date_from=date_from, date_to=date_to)
        return
    rows = storage.read_rows(source, shop_id=shop_id, date_from=date_from, date_to=date_to)
    predicate = None if shop_id is None else f"shop_id = {int(shop_id)}"
    if predicate is not None and date_from is not None and date_to is not None:
        (column,) = source.partition_by
        predicate += f" AND {column} >= '{date_from.isoformat()}' AND {column} <= '{date_to.isoformat()}'"
    for rollup in rollups:
        storage.replace_rows(rollup.table, rollup.build(rows), predicate=predicate)


def _feed_rollups_build(rollups: list[Rollup], *, feed: str | None, date_from: dt.date | None,
                        date_to: dt.date | None) -> None:
    """The (date, feed) partitions of ``rollups`` from the source's files of those partitions (each read
    once for all the rollups), then one commit per rollup table swapping the old files for the new."""
    source = rollups[0].source
    by_partition: dict[tuple[str, dt.date], list[storage.FeedFile]] = {}
    for file in storage.feed_files(source, feed, date_from=date_from, date_to=date_to):
        by_partition.setdefault((file.feed, file.date), []).append(file)
    written: dict[str, list[storage.PartitionFile]] = {r.table.name: [] for r in rollups}
    committed: set[str] = set()
    try:
        for (part_feed, day), files in sorted(by_partition.items()):
            rows = _partition_rows(source, files, day, part_feed)
            for rollup in rollups:
                out = storage.PartitionFile(rollup.table, day, part_feed)
                written[rollup.table.name].append(out)
                out.write(rollup.build(rows))
        for rollup in rollups:
            adds = [add for out in written[rollup.table.name] if (add := out.close()) is not None]
            old = storage.feed_files(rollup.table, feed, date_from=date_from, date_to=date_to)
            if adds or old or not storage.table_exists(rollup.table.name):
                storage.commit_feed(rollup.table, feed or "*", remove=old, add=adds,
                                    metadata={"shopops.rollup_of": source.name})
            committed.add(rollup.table.name)
    finally:
        for name, outs in written.items():
            if name not in committed:
                for out in outs:
                    out.discard()


def _partition_rows(source: LakeTable, files: list[storage.FeedFile], day: dt.date, feed: str) -> pa.Table:
    """The source rows of one (date, feed) partition that its rollups read, partition columns added."""
    columns = _ROLLUP_INPUT.get(source.name)
    data = pa.concat_tables([storage.read_feed_file(source, file.path, columns=columns) for file in files])
    data = data.append_column("date", pa.repeat(pa.scalar(day, pa.date32()), data.num_rows))
    return data.append_column("feed", pa.repeat(pa.scalar(feed, pa.string()), data.num_rows))


def rollups_settle(*, older_than: dt.timedelta | None = None) -> list[dict]:
    """Pay the rollup debts on record (only those older than ``older_than``, and the deferred ones) and build
    every rollup table that does not exist while its source does (an older lake); one rebuild per rollup and
    feed or shop over the span of its debts. Rebuilding is idempotent, so paying a debt twice is harmless."""
    cutoff = time.time() - older_than.total_seconds() if older_than is not None else None
    groups: dict[tuple[str, str, int | None], list[storage.RollupDue]] = {}
    for due in storage.rollup_debts():
        if cutoff is None or due.deferred or due.created_at < cutoff:
            groups.setdefault((due.table, due.feed, due.shop_id), []).append(due)
    for name, rollup in ROLLUPS.items():
        if not storage.table_exists(name) and storage.table_exists(rollup.source.name) \
                and not any(key[0] == name for key in groups):
            groups[(name, "", None)] = []
    paid = []
    for (name, feed, shop_id), dues in groups.items():
        rollup = ROLLUPS[name]
        if any(due.whole for due in dues) or not dues:
            scope: tuple[str | None, int | None, dt.date | None, dt.date | None] = (None, None, None, None)
        elif any(due.date_from is None for due in dues):
            scope = (feed or None, shop_id, None, None)
        else:
            scope = (feed or None, shop_id, min(d.date_from for d in dues if d.date_from),
                     max(d.date_to for d in dues if d.date_to))
        _rollups_build([rollup], feed=scope[0], shop_id=scope[1], date_from=scope[2], date_to=scope[3])
        storage.rollups_paid([due.id for due in dues])
        paid.append({"table": name, "feed": scope[0] or "", "shop_id": scope[1],
                     "date_from": scope[2].isoformat() if scope[2] else None,
                     "date_to": scope[3].isoformat() if scope[3] else None, "debts": len(dues)})
    return paid


def rollups_rebuild() -> list[dict]:
    """Recreate every rollup from its whole source (after the order facts were rebuilt); the debts recorded
    before are paid by it."""
    out = []
    for name, rollup in ROLLUPS.items():
        dues = [due.id for due in storage.rollup_debts(table=name)]
        if not storage.table_exists(rollup.source.name):
            out.append({"table": name, "rebuilt": False})
            continue
        _rollups_build([rollup], feed=None, shop_id=None, date_from=None, date_to=None)
        storage.rollups_paid(dues)
        out.append({"table": name, "rebuilt": True, "version": storage.table_version(rollup.table)})
    return out


def rollups_due_count() -> int:
    return len(storage.rollup_debts())
