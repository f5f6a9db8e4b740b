"""Delta table storage under SHOPOPS_LAKE_URI (a local folder by default).

Writes are one Delta commit each: a crash leaves the previous version. The derived order facts replace "a
shop's rows" by predicate (:func:`replace_rows`). Import-fed tables are partitioned by ``(date, feed)`` and
written file by file (:class:`PartitionFile`), then committed in one transaction that swaps the feed's old
files of the date range for the new ones (:func:`commit_feed`); :func:`row_hashes`/:class:`Digest` give the
content digests that make a re-import of the same data a no-op.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake
from deltalake.transaction import AddAction, CommitProperties, RemoveAction
from django.conf import settings

from shopops.lake.rollups import ROLLUPS
from shopops.lake.tables import TABLES, LakeTable

# every table of the lake: the facts, then the rollups
ALL_TABLES: dict[str, LakeTable] = {**TABLES, **{name: rollup.table for name, rollup in ROLLUPS.items()}}


def table_uri(name: str) -> str:
    return str(Path(settings.SHOPOPS_LAKE_URI) / name)


def table_exists(name: str) -> bool:
    return DeltaTable.is_deltatable(table_uri(name))


def replace_rows(table: LakeTable, data: pa.Table, *, predicate: str | None) -> int:
    """Replace exactly the rows matching ``predicate`` (None: every row) with ``data`` in one commit; returns
    the new version."""
    data = data.cast(table.schema)
    uri = table_uri(table.name)
    if not DeltaTable.is_deltatable(uri):
        Path(uri).mkdir(parents=True, exist_ok=True)
        write_deltalake(uri, data, mode="overwrite", partition_by=list(table.partition_by),
                        name=table.name, description=table.description)
    elif predicate is None:
        write_deltalake(uri, data, mode="overwrite")
    else:
        write_deltalake(uri, data, mode="overwrite", predicate=predicate)
    return DeltaTable(uri).version()


def read_rows(table: LakeTable, *, shop_id: int | None, date_from: dt.date | None = None,
              date_to: dt.date | None = None) -> pa.Table:
    """A derived table's rows of one shop (None: every shop), optionally only the partitions of
    ``date_from..date_to`` (the files of other dates are not read)."""
    uri = table_uri(table.name)
    if not DeltaTable.is_deltatable(uri):
        return table.schema.empty_table()
    (column,) = table.partition_by
    filters: list[tuple[str, str, object]] = []
    if date_from is not None and date_to is not None:
        filters = [(column, ">=", date_from), (column, "<=", date_to)]
    if shop_id is not None:
        filters.append(("shop_id", "=", int(shop_id)))
    rows = DeltaTable(uri).to_pyarrow_table(filters=filters or None)
    return rows.select(table.schema.names).cast(table.schema)


def table_info(names: tuple[str, ...] = tuple(TABLES)) -> list[dict]:
    """Per table of ``names`` (by default the facts; ``tuple(ALL_TABLES)``: the rollups too): rows, version,
    files and bytes (absent tables say so)."""
    out = []
    for name in names:
        table = ALL_TABLES[name]
        uri = table_uri(name)
        if not DeltaTable.is_deltatable(uri):
            out.append({"table": name, "exists": False, "rows": 0, "version": None, "files": 0, "bytes": 0,
                        "partition_by": list(table.partition_by)})
            continue
        delta = DeltaTable(uri)
        actions = pa.table(delta.get_add_actions(flatten=True))
        out.append({
            "table": name,
            "exists": True,
            "rows": int(pc.sum(actions["num_records"]).as_py() or 0) if actions.num_rows else 0,
            "version": delta.version(),
            "files": actions.num_rows,
            "bytes": int(pc.sum(actions["size_bytes"]).as_py() or 0) if actions.num_rows else 0,
            "partition_by": list(table.partition_by),
        })
    return out


def read_table(name: str) -> pa.Table:
    return DeltaTable(table_uri(name)).to_pyarrow_table()


# ------------------------------------------------------------------------------------ import-fed tables
#
# Import-fed tables are partitioned by (date, feed) and written with our own parquet writer: the files of
# an import are written first (invisible: not in the Delta log), then ONE commit removes the feed's old
# files for the date range and adds the new ones. A crash before the commit leaves the previous version
# (the orphan files are removed by `discard` or, after a kill, by a later vacuum).

DIGEST_KEY = "shopops.digest"  # parquet footer key: the file's content digest (events)
FEED_RE = re.compile(r"^s[0-9]+\.[a-z0-9-]+\.a[0-9]+(\.[a-z0-9-]+)*$")


def check_feed(feed: str) -> str:
    """A feed id is plain ASCII so it can be a partition directory without escaping."""
    if not FEED_RE.fullmatch(feed):
        raise ValueError(f"bad feed id {feed!r}")
    return feed


def ensure_table(table: LakeTable) -> DeltaTable:
    """Open the table, creating it (empty, version 0) when it does not exist yet."""
    uri = table_uri(table.name)
    if not DeltaTable.is_deltatable(uri):
        Path(uri).mkdir(parents=True, exist_ok=True)
        DeltaTable.create(uri, schema=table.schema, mode="ignore", partition_by=list(table.partition_by),
                          name=table.name, description=table.description)
    return DeltaTable(uri)


@dataclass(frozen=True, slots=True)
class FeedFile:
    """One data file of a feed in the current version: its path (relative to the table), date and size."""

    path: str
    date: dt.date
    size: int
    rows: int
    feed: str = ""


def feed_files(table: LakeTable, feed: str | None, *, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[FeedFile]:
    """The feed's files (``None``: every feed's) in the current version, optionally only those dated within
    [date_from, date_to]."""
    uri = table_uri(table.name)
    if not DeltaTable.is_deltatable(uri):
        return []
    actions = pa.table(DeltaTable(uri).get_add_actions(flatten=True))
    if not actions.num_rows:
        return []
    out = []
    for row in actions.select(["path", "size_bytes", "num_records", "partition.date", "partition.feed"]).to_pylist():
        if feed is not None and row["partition.feed"] != feed:
            continue
        day = row["partition.date"]
        if (date_from is not None and day < date_from) or (date_to is not None and day > date_to):
            continue
        out.append(FeedFile(row["path"], day, int(row["size_bytes"]), int(row["num_records"] or 0),
                            row["partition.feed"]))
    return out


def read_feed_file(table: LakeTable, path: str, *, columns: list[str] | None = None,
                   absolute: bool = False) -> pa.Table:
    """A data file's rows (data columns only: partition values are not in the file)."""
    full = path if absolute else os.path.join(table_uri(table.name), unquote(path))
    return pq.read_table(full, columns=columns)


def _stats(table: LakeTable, rows: int, mins: dict, maxs: dict, nulls: dict) -> str:
    return json.dumps({"numRecords": rows, "minValues": mins, "maxValues": maxs, "nullCount": nulls})


class PartitionFile:
    """The parquet file being written for one (date, feed) partition, with the stats Delta wants."""

    def __init__(self, table: LakeTable, day: dt.date, feed: str) -> None:
        self.table = table
        self.day = day
        self.feed = feed
        self.relative = f"date={day.isoformat()}/feed={feed}/part-{uuid.uuid4().hex}.snappy.parquet"
        self.absolute = os.path.join(table_uri(table.name), self.relative)
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._mins: dict[str, int] = {}
        self._maxs: dict[str, int] = {}
        self._nulls: dict[str, int] = {}
        schema = table.schema
        self.schema = pa.schema([schema.field(n) for n in table.data_columns])
        self._int_columns = [f.name for f in self.schema if pa.types.is_integer(f.type)]

    def write(self, data: pa.Table) -> None:
        if not data.num_rows:
            return
        if self._writer is None:
            Path(self.absolute).parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.absolute, self.schema, compression="snappy",
                                            use_dictionary=list(self.table.dictionary), write_statistics=True)
        for name in self._int_columns:
            column = data.column(name)
            self._nulls[name] = self._nulls.get(name, 0) + column.null_count
            if column.null_count < len(column):
                low, high = pc.min_max(column).values()
                low, high = low.as_py(), high.as_py()
                self._mins[name] = low if name not in self._mins else min(self._mins[name], low)
                self._maxs[name] = high if name not in self._maxs else max(self._maxs[name], high)
        self._writer.write_table(data.select(self.schema.names).cast(self.schema), row_group_size=1 << 20)
        self.rows += data.num_rows

    def close(self, digest: Digest | None = None) -> AddAction | None:
        """Finish the file (with its content digest in the footer, when given) and describe it for Delta."""
        if self._writer is None:
            return None
        if digest is not None:
            self._writer.add_key_value_metadata({DIGEST_KEY: digest.text()})
        self._writer.close()
        self._writer = None
        return AddAction(self.relative, os.path.getsize(self.absolute),
                         {"date": self.day.isoformat(), "feed": self.feed}, int(time.time() * 1000), True,
                         _stats(self.table, self.rows, self._mins, self._maxs, self._nulls))

    def discard(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.absolute)


def commit_feed(table: LakeTable, feed: str, *, remove: list[FeedFile], add: list[AddAction],
                metadata: dict[str, object] | None = None) -> int:
    """ONE Delta commit that removes ``remove`` and adds ``add`` (files already written); the new version.
    ``feed`` names the feed in the commit's metadata (``*``: a rollup rebuilt over every feed)."""
    _before_commit(table, feed)
    delta = ensure_table(table)
    now = int(time.time() * 1000)
    actions: list[AddAction | RemoveAction] = [
        RemoveAction(f.path, True, now, f.size, {"date": f.date.isoformat(), "feed": f.feed or feed})
        for f in remove]
    actions.extend(add)
    delta.create_write_transaction(
        actions, mode="append", schema=table.schema, partition_by=list(table.partition_by),
        commit_properties=CommitProperties(custom_metadata={"shopops.feed": feed, **(metadata or {})}))
    return DeltaTable(table_uri(table.name)).version()


def _before_commit(table: LakeTable, feed: str) -> None:
    """A seam for the crash tests: raising here is a crash after the files were written, before the commit."""


def _before_rollups(source: LakeTable) -> None:
    """A seam for the crash tests: raising here is a crash after ``source`` committed, before its rollups did."""


def log_head(name: str) -> tuple[int, int] | None:
    """(newest commit number, its file's mtime in ns) of table ``name`` from a listing of ``_delta_log``, or
    None when there is no table: a cheap test of whether a table changed since it was last opened (by this
    process or another)."""
    newest: tuple[int, int] | None = None
    try:
        with os.scandir(os.path.join(table_uri(name), "_delta_log")) as entries:
            for entry in entries:
                stem, _dot, ext = entry.name.partition(".")
                if ext != "json" or len(stem) != 20 or not stem.isdigit():
                    continue
                number = int(stem)
                if newest is None or number > newest[0]:
                    newest = (number, entry.stat().st_mtime_ns)
    except FileNotFoundError:
        return None
    return newest


def table_version(table: LakeTable) -> int | None:
    uri = table_uri(table.name)
    return DeltaTable(uri).version() if DeltaTable.is_deltatable(uri) else None


# ------------------------------------------------------------------------------- row content digests
#
# Re-import idempotency without per-row Python objects: every row gets a 64-bit hash computed with numpy
# (splitmix64 finaliser per column value, an independent odd multiplier per column, a final mix); a date
# partition's digest is (row count, sum of hashes mod 2^64, sum of re-mixed hashes mod 2^64). Sums are
# order-independent and count duplicates, so two partitions with the same multiset of rows have the same
# digest, and any change flips it with probability 1 - 2^-64. Text that is a canonical decimal integer
# (up to 18 digits, e.g. UserBehavior's ids) hashes as that integer, so the bulk importer can hash the
# integers it parsed instead of the text it stores; other text hashes its UTF-8 bytes.

_U = np.uint64
_NULL_HASH = _U(0x6A09E667F3BCC908)
_SEED_INT, _SEED_TEXT, _SEED_FLOAT = _U(0x243F6A8885A308D3), _U(0x13198A2E03707344), _U(0xA4093822299F31D0)
_BYTE_MULT = _U(0x100000001B3)
_CANONICAL_INT = r"^(0|-?[1-9][0-9]{0,17})$"
_MAX_CANONICAL = 10**18


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, vectorised (uint64 arithmetic wraps)."""
    with np.errstate(over="ignore"):
        z = x + _U(0x9E3779B97F4A7C15)
        z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
        return z ^ (z >> _U(31))


def integer_text_hash(values: np.ndarray) -> np.ndarray:
    """The hash of text cells that are canonical decimal integers, from the integers (int64 array)."""
    return _mix(values.astype(np.int64, copy=False).view(np.uint64) ^ _SEED_TEXT)


def _bytes_hash(array: pa.Array) -> np.ndarray:
    """Polynomial hash of each string's UTF-8 bytes (prefix sums, no Python loop)."""
    if pa.types.is_string(array.type):
        array = array.cast(pa.large_string())
    n = len(array)
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[array.offset: array.offset + n + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(buffers[2], dtype=np.uint8)[start:end] if buffers[2] is not None and end > start \
        else np.zeros(0, np.uint8)
    lengths = np.diff(offsets)
    relative = offsets[:-1] - start
    positions = np.arange(end - start, dtype=np.int64) - np.repeat(relative, lengths)
    longest = int(lengths.max()) if n else 0
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(max(longest, 1), _BYTE_MULT, dtype=np.uint64))
        terms = (data.astype(np.uint64) + _U(1)) * powers[positions]
        prefix = np.concatenate([np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)])
        sums = prefix[relative + lengths] - prefix[relative]
    return _mix(sums ^ _mix(lengths.astype(np.uint64) ^ _SEED_TEXT))


def _text_hash(array: pa.Array) -> np.ndarray:
    try:
        numbers = pc.cast(array, pa.int64())
        canonical = pc.all(pc.equal(pc.cast(numbers, pa.string()), array)).as_py() is not False \
            and (pc.max(pc.abs_checked(numbers)).as_py() or 0) < _MAX_CANONICAL
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        canonical = False
    if canonical:
        return integer_text_hash(numbers.fill_null(0).to_numpy(zero_copy_only=False))
    mask = pc.fill_null(pc.match_substring_regex(array, _CANONICAL_INT), False)
    numbers = pc.cast(pc.if_else(mask, array, "0"), pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
    text = _bytes_hash(array.fill_null(""))
    return np.where(mask.to_numpy(zero_copy_only=False), integer_text_hash(numbers), text)


def column_hash(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """One uint64 per value: equal values hash equal, nulls hash to a constant."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n = len(array)
    if n == 0:
        return np.zeros(0, np.uint64)
    if array.null_count == n:
        return np.full(n, _NULL_HASH, np.uint64)
    if n > 1 and array.null_count == 0 and pc.all(pc.equal(array, array[0])).as_py():
        return np.full(n, _column_hash(array.slice(0, 1))[0], np.uint64)  # a constant column: hash once
    return _column_hash(array)


def _column_hash(array: pa.Array) -> np.ndarray:
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        hashed = _text_hash(array)
    elif pa.types.is_floating(kind):
        hashed = _mix(array.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False).view(np.uint64)
                      ^ _SEED_FLOAT)
    else:  # integers, dates, timestamps, booleans: their integer value
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            array = array.cast(pa.int64()) if pa.types.is_timestamp(kind) else array.cast(pa.int32()).cast(pa.int64())
        values = array.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        hashed = _mix(values.view(np.uint64) ^ _SEED_INT)
    if array.null_count:
        hashed = np.where(array.is_valid().to_numpy(zero_copy_only=False), hashed, _NULL_HASH)
    return hashed


def _multiplier(index: int) -> np.uint64:
    return _U(int(_mix(np.array([index + 1], np.uint64))[0]) | 1)


def row_hashes(data: pa.Table, columns: list[str], *,
               precomputed: dict[str, np.ndarray | np.uint64] | None = None) -> np.ndarray:
    """One uint64 per row over ``columns`` (order matters); ``precomputed`` supplies column hashes already
    known — an array, or one uint64 for a column that is the same on every row (the bulk importer's
    integer ids and constants)."""
    total = np.zeros(data.num_rows, np.uint64)
    constant = 0
    with np.errstate(over="ignore"):
        for index, name in enumerate(columns):
            given = (precomputed or {}).get(name)
            if given is not None and np.ndim(given) == 0:
                constant = (constant + int(given) * int(_multiplier(index))) % 2**64
                continue
            hashed = given if given is not None else column_hash(data.column(name))
            total += hashed * _multiplier(index)
        if constant:
            total += _U(constant)
    return _mix(total)


@dataclass
class Digest:
    """An order-independent digest of a multiset of rows."""

    rows: int = 0
    first: int = 0
    second: int = 0

    def add(self, hashes: np.ndarray) -> None:
        with np.errstate(over="ignore"):
            self.rows += len(hashes)
            self.first = (self.first + int(hashes.sum(dtype=np.uint64))) % 2**64
            self.second = (self.second + int(_mix(hashes ^ _SEED_FLOAT).sum(dtype=np.uint64))) % 2**64

    def text(self) -> str:
        return f"{self.rows}:{self.first}:{self.second}"

    @classmethod
    def parse(cls, text: str | bytes | None) -> Digest | None:
        if not text:
            return None
        if isinstance(text, bytes):
            text = text.decode()
        rows, first, second = (int(part) for part in text.split(":"))
        return cls(rows, first, second)

    def __add__(self, other: Digest) -> Digest:
        return Digest(self.rows + other.rows, (self.first + other.first) % 2**64,
                      (self.second + other.second) % 2**64)


def file_digest(table: LakeTable, path: str) -> Digest | None:
    """The digest stored in a data file's footer by :class:`PartitionFile` (None for other writers' files)."""
    full = os.path.join(table_uri(table.name), unquote(path))
    metadata = pq.read_metadata(full).metadata or {}
    return Digest.parse(metadata.get(DIGEST_KEY.encode()))


# ----------------------------------------------------------------------------------------- rollup debts
#
# A rollup is committed after its source (two Delta commits cannot be one). Before the source commits, the
# rollups it will owe are recorded as small JSON files under ``<lake>/_rollups_due/`` (written whole, then
# renamed in: a debt is there or not); they are deleted after the rollups commit. A crash in between leaves
# them for ``shopops lake settle`` (or the worker). They live beside the tables they are about, not in the
# DB: every writer of the lake (imports, tests, benchmarks, other processes) can record and read them.

DUE_DIR = "_rollups_due"


@dataclass(frozen=True)
class RollupDue:
    """Rollup ``table`` must be rebuilt for ``feed`` (an import-fed source's feed) or ``shop_id`` (a derived
    source's shop) over ``date_from..date_to``; no feed, no shop and no dates: the whole table. ``deferred``:
    left on purpose for the worker (a bulk import's rollups), not by a crash."""

    id: str
    table: str
    feed: str
    shop_id: int | None
    date_from: dt.date | None
    date_to: dt.date | None
    created_at: float
    deferred: bool = False

    @property
    def whole(self) -> bool:
        return not self.feed and self.shop_id is None


def _due_dir() -> Path:
    return Path(settings.SHOPOPS_LAKE_URI) / DUE_DIR


def rollup_owe(table: str, *, feed: str = "", shop_id: int | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None, deferred: bool = False) -> str:
    """Record a rollup debt (durably, before the source commits); returns its id."""
    folder = _due_dir()
    folder.mkdir(parents=True, exist_ok=True)
    due_id = f"{table}.{uuid.uuid4().hex}"
    record = {"table": table, "feed": feed, "shop_id": shop_id, "created_at": time.time(), "deferred": deferred,
              "date_from": date_from.isoformat() if date_from else None,
              "date_to": date_to.isoformat() if date_to else None}
    staging = folder / f".{due_id}.tmp"
    with open(staging, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staging, folder / f"{due_id}.json")
    return due_id


def rollup_debts(*, table: str | None = None) -> list[RollupDue]:
    """The rollup debts on record (of ``table``), oldest first."""
    out = []
    try:
        with os.scandir(_due_dir()) as entries:
            names = [e.name for e in entries if e.name.endswith(".json") and not e.name.startswith(".")]
    except FileNotFoundError:
        return []
    for name in names:
        due_id = name.removesuffix(".json")
        if table is not None and due_id.rpartition(".")[0] != table:
            continue
        try:
            with open(_due_dir() / name, encoding="utf-8") as handle:
                record = json.load(handle)
        except FileNotFoundError:  # paid meanwhile
            continue
        out.append(RollupDue(
            id=due_id, table=record["table"], feed=record["feed"], shop_id=record["shop_id"],
            date_from=dt.date.fromisoformat(record["date_from"]) if record["date_from"] else None,
            date_to=dt.date.fromisoformat(record["date_to"]) if record["date_to"] else None,
            created_at=float(record["created_at"]), deferred=bool(record.get("deferred"))))
    return sorted(out, key=lambda due: (due.created_at, due.id))


def rollups_paid(ids: list[str]) -> None:
    """Delete the debts ``ids`` (after their rollups committed)."""
    for due_id in ids:
        with contextlib.suppress(FileNotFoundError):
            os.remove(_due_dir() / f"{due_id}.json")
