"""Results of lake reads kept until a table they read changes (docs/architecture.md#query-caches).

An entry is keyed by (query name, engine, shop, parameters) and stores, with the value, the version of every
lake table the computation read (recorded by :class:`Recording`, a :class:`Tables` that notes each table it
hands out). A lookup is a hit only while each of those tables is still at that version, so an import
invalidates exactly the results that read the table it wrote, and nothing else. The store is the Django cache
alias ``analytics`` (a file cache under the data dir: the CLI, tasks and web workers share it).

Only the lake (:class:`LakeTables`) is cached: hand-built tables (tests, benchmarks) are computed every time,
and so is anything read from the database (callers keep that outside the cached part). Values are plain
data (dicts, lists, numbers, dates, strings): never a lazy translation, never a model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import ibis.expr.types as ir
from django.core.cache import caches

from shopops.analytics.engine import LakeTables, Tables
from shopops.lake.selectors import lake_table_names, lake_table_version, rollup_names, rollup_source

ALIAS = "analytics"
T = TypeVar("T")
Version = tuple[str, int] | None  # (lake uri, version); None: nothing written yet


class Recording(Tables):
    """``tables`` as they are, noting which lake tables were read and at which version their view reads."""

    def __init__(self, tables: LakeTables) -> None:
        self.inner = tables
        self.engine = tables.engine
        self.shop_id = tables.shop_id
        self.read: dict[str, Version] = {}

    @property
    def rollups(self) -> bool:
        return self.inner.rollups

    def __getitem__(self, name: str) -> ir.Table:
        table = self.inner[name]
        # after the lookup: the version the engine's view now reads (an older one only makes the entry expire)
        self.read.setdefault(name, self.engine.read_version(name))
        if name in rollup_names():
            # a rollup stands for its source: a new source version whose rollup is still owed (a deferred
            # rebuild) must expire the entry too, or it would keep serving the rollup's older numbers
            source = rollup_source(name)
            self.read.setdefault(source, current_version(source))
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(lake_table_names())


def current_version(name: str) -> Version:
    found = lake_table_version(name)
    return None if found is None else (found.uri, found.version)


def key_of(query: str, tables: LakeTables, params: Mapping[str, Any]) -> str:
    """The entry's key: every parameter is in it (dates as ISO text, sequences in their order)."""
    text = json.dumps([query, tables.engine.name, tables.shop_id, params], sort_keys=True, default=str)
    return f"analytics:{query}:{tables.shop_id}:{hashlib.sha256(text.encode()).hexdigest()}"


def remember(query: str, tables: Tables, params: Mapping[str, Any], compute: Callable[[Tables], T]) -> T:
    """``compute(tables)``, or its kept result while the lake tables it read are unchanged.

    ``query`` names the computation (one name per function), ``params`` everything else it depends on.
    ``compute`` must read the lake only through the tables it is given.
    """
    outer = tables if isinstance(tables, Recording) else None
    lake = outer.inner if outer is not None else tables
    if type(lake) is not LakeTables:
        return compute(tables)
    store = caches[ALIAS]
    key = key_of(query, lake, params)
    entry = store.get(key)
    if entry is not None and all(current_version(name) == version for name, version in entry["read"].items()):
        read, value = entry["read"], entry["value"]
    else:
        recording = Recording(lake)
        value = compute(recording)
        read = recording.read
        store.set(key, {"read": read, "value": value}, timeout=None)
    if outer is not None:  # a cached computation inside another: the outer one read these too
        for name, version in read.items():
            outer.read.setdefault(name, version)
    return value
