"""Reads of the lake for other apps: which tables exist, their schemas, and the files of a table's current
version. Analytics opens the tables with its own engine (DuckDB or Spark) from what these return, so it never
reaches into ``lake.storage`` or ``lake.tables`` (apps meet through services and selectors).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pyarrow as pa
from deltalake import DeltaTable

from shopops.lake.rollups import FUNNEL_STEPS as FUNNEL_STEPS  # the funnel funnel_day holds (analytics)
from shopops.lake.rollups import FUNNEL_WINDOW_SECONDS as FUNNEL_WINDOW_SECONDS
from shopops.lake.rollups import ROLLUPS
from shopops.lake.storage import ALL_TABLES as _ALL
from shopops.lake.storage import log_head, rollup_debts, table_exists, table_uri
from shopops.lake.storage import table_info as table_info  # rows, versions, files, bytes of the given tables


@dataclass(frozen=True)
class TableVersion:
    """One version of a lake table as files: the table's location, its version and the parquet files of
    that version (partition values in the hive-style paths)."""

    uri: str
    version: int
    files: tuple[str, ...]


def lake_table_names() -> tuple[str, ...]:
    """Every lake table, facts then rollups, in declaration order."""
    return tuple(_ALL)


def lake_table_schema(name: str) -> pa.Schema:
    """The Arrow schema of lake table ``name`` (KeyError for an unknown name)."""
    return _ALL[name].schema


def lake_table_partitions(name: str) -> tuple[str, ...]:
    """The partition columns of lake table ``name``."""
    return _ALL[name].partition_by


def rollup_names() -> tuple[str, ...]:
    """The rollup tables (docs/architecture.md#rollups), in declaration order."""
    return tuple(ROLLUPS)


def rollup_source(name: str) -> str:
    """The lake table rollup ``name`` is built from."""
    return ROLLUPS[name].source.name


def rollup_build(name: str, source_rows: pa.Table) -> pa.Table:
    """Rollup ``name``'s rows of some rows of its source table (pure: what the lake would store for them)."""
    return ROLLUPS[name].build(source_rows)


# uri → ((newest commit, its mtime), the version then): pages ask per table per request; the log is listed
# each time (one scandir), the table opened only when another commit landed — in any process.
_VERSIONS: dict[str, tuple[tuple[int, int], TableVersion]] = {}
_VERSIONS_LOCK = threading.Lock()


def lake_table_version(name: str) -> TableVersion | None:
    """The current version of lake table ``name``, or None while nothing has been written to it."""
    uri = table_uri(name)
    head = log_head(name)
    if head is None:
        return None
    cached = _VERSIONS.get(uri)
    if cached is not None and cached[0] == head:
        return cached[1]
    delta = DeltaTable(uri)
    current = TableVersion(uri=uri, version=delta.version(), files=tuple(delta.file_uris()))
    if current.version == head[0]:  # else a commit landed between the listing and the open: not cached
        with _VERSIONS_LOCK:
            _VERSIONS[uri] = (head, current)
    return current


def rollup_ready(name: str, shop_id: int) -> bool:
    """Whether rollup ``name`` holds exactly its build from the source for ``shop_id``: the table exists (a
    missing one is built whole from its source, under a debt for the whole table until it commits, so
    existing means complete) and no rebuild of it is owed for the shop or the whole table (docs/architecture.md#rollups). The order
    facts' own debt to the DB (orders' FactsRefreshDue) leaves facts and rollups equally behind, so it
    does not make a rollup unready."""
    if name not in ROLLUPS:
        return False
    if not table_exists(name):
        # nothing written to the source yet: the missing rollup reads as empty, like its source
        return not table_exists(ROLLUPS[name].source.name)
    return not any(due.whole or due.shop_id == shop_id for due in rollup_debts(table=name))


def rollups_ready(shop_id: int) -> bool:
    """Whether every rollup is ready for ``shop_id`` (:func:`rollup_ready`)."""
    return all(rollup_ready(name, shop_id) for name in ROLLUPS)


def shop_rows(name: str, *, shop_id: int, columns: list[str] | None = None) -> pa.Table:
    """One shop's rows of lake table ``name`` as it is now (``columns``: only those), the partition columns
    included; an empty table of the table's schema while nothing has been written. For small import-fed tables
    a page reads whole (competitor snapshots): the metric layer reads through analytics' engine instead."""
    schema = _ALL[name].schema
    wanted = columns or schema.names
    if not table_exists(name):
        return schema.empty_table().select(wanted)
    rows = DeltaTable(table_uri(name)).to_pyarrow_table(columns=wanted, filters=[("shop_id", "=", int(shop_id))])
    return rows.select(wanted).cast(pa.schema([schema.field(c) for c in wanted]))
