"""Reads of the lake for other apps: which tables exist, their schemas, and the files of a table's current
version. Analytics opens the tables with its own engine (DuckDB or Spark) from what these return, so it never
reaches into ``lake.storage`` or ``lake.tables`` (apps meet through services and selectors).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from deltalake import DeltaTable

from shopops.lake.rollups import ROLLUPS
from shopops.lake.storage import table_info as table_info  # rows, versions, files, bytes of every table
from shopops.lake.storage import table_uri
from shopops.lake.tables import TABLES, LakeTable

_ALL: dict[str, LakeTable] = {**TABLES, **{name: r.table for name, r in ROLLUPS.items()}}


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


def lake_table_version(name: str) -> TableVersion | None:
    """The current version of lake table ``name``, or None while nothing has been written to it."""
    uri = table_uri(name)
    if not DeltaTable.is_deltatable(uri):
        return None
    delta = DeltaTable(uri)
    return TableVersion(uri=uri, version=delta.version(), files=tuple(delta.file_uris()))


# Placeholder until the lake writes its rollups at import time: the lead merges the real one (rollstore's
# branch, which also checks completeness and pending repairs) over this.
def rollups_ready(shop_id: int) -> bool:
    """Are all rollups there for ``shop_id`` (complete, no repair pending)? Until then queries read the facts."""
    return all(lake_table_version(n) is not None for n in rollup_names())
