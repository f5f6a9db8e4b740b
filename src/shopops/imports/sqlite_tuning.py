"""The import's two speed knobs that reach below Django: in one place, each with its reason and its risk.

* **No cyclic garbage collector during an order import** (:func:`no_cyclic_gc`). Reason: an order import
  holds millions of small objects (records, drafts, inputs) for the whole run and CPython's cyclic
  collector walks all of them again and again as more are made; at 1,000,000 lines that made the import
  superlinear (benchmarks/import_taobao_orders.py). They hold no reference cycles, so reference counting
  frees them. Risk: memory held by a cycle made during the run is freed only at its end (the collector is
  switched back on and run once after the block, also when it raises).
* **A bigger SQLite page cache while an import writes** (:func:`sqlite_cache`). Reason: the orders' unique
  and date indexes of a large shop stop fitting SQLite's 2 MiB default cache. Risk: it is per connection
  and must be put back; shrinking the *temporary* database's cache back after a large import corrupted
  later temporary tables on SQLite 3.40 (the full `shopops demo` failed with "database disk image is
  malformed"; tests/demo/test_demo_command.py builds it), so only ``main``'s cache is resized, and it is
  left as it is inside a broken outer transaction (no query may run there). Durability settings are not
  touched. On PostgreSQL it does nothing.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from django.db import connection

IMPORT_CACHE_KIB = 262144  # 256 MiB of page cache for the import's connection


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cyclic collector off for the block, back on (and run once) after it (module doc)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


@contextlib.contextmanager
def sqlite_cache(kib: int = IMPORT_CACHE_KIB) -> Iterator[None]:
    """``main``'s page cache at ``kib`` KiB for the block, restored after it; nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA main.cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA main.cache_size = -{int(kib)}")
    try:
        yield
    finally:
        if not connection.needs_rollback:  # inside a broken outer transaction no query may run: keep it
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA main.cache_size = {int(before)}")
