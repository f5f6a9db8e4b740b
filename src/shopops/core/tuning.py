"""Speed knobs that reach below Django, in one place with their reason and their risk (the order import, the
listing audit's batches: docs/rules/listings.md#engine). Pure: no Django.

* **No cyclic garbage collector during an order import or an audit batch** (:func:`no_cyclic_gc`). Reason: an order import
  holds millions of small objects (records, drafts, inputs) for the whole run and CPython's cyclic
  collector walks all of them again and again as more are made; at 1,000,000 lines that made the import
  superlinear. Measured (benchmarks/import_taobao_orders.py --lines 200000, CPU seconds of the import
  process, twice each): 7.85 and 7.55 s with the knob, 9.31 and 9.92 s without it. They hold no reference
  cycles, so reference counting frees them. Risk: memory held by a cycle made during the run is freed only
  at its end (the collector is switched back on and run once after the block, also when it raises).

A bigger SQLite page cache during the write (``PRAGMA main.cache_size``) was the other knob: it once
corrupted a database (shrinking the temporary database's cache back broke later temporary tables on SQLite
3.40) and its gain did not show in the same benchmark (7.63, 9.49, 8.52, 8.06 s without it against 7.85, 7.55,
8.10, 8.76 s with it), so it was removed: SQLite's page cache is its default again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_cyclic_gc(*, collect: bool = True) -> Iterator[None]:
    """The cyclic collector off for the block, back on (and run once unless ``collect`` is False: a caller that
    pauses it around many blocks collects once at its end) after it (module doc)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            if collect:
                gc.collect()
