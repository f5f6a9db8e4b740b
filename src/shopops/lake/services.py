"""Writes to the lake: the derived order facts (DESIGN.md: refreshed after every order import;
`shopops lake rebuild` recreates them from the DB) and the import-fed tables (:class:`FeedWriter`: one
import of one source = one Delta commit, or none when nothing changed).

``lake_rebuild`` recreates derived tables only: import-fed tables (events, traffic_daily, ad_daily,
search_terms, competitor_snapshots) are the only copy of what the exports said and are never touched by it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopops.core import selectors as core_selectors
from shopops.core.clock import now
from shopops.lake import storage
from shopops.lake.models import FactsRefreshDue
from shopops.lake.storage import replace_rows
from shopops.lake.tables import ORDER_LINES_FACT, ORDERS_FACT, LakeTable
from shopops.orders import selectors as order_selectors
from shopops.orders.domain import order_paid_fen

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from shopops.core.models import Shop
    from shopops.orders.domain import InsertedOrders

_ORDER_NAMES = {"pk": "order_id"}
_LINE_NAMES = {
    "pk": "line_id", "order__paid_date": "paid_date", "order__channel": "channel",
    "order__customer_id": "customer_id", "sku__sku_code": "sku_code", "sku__product_id": "product_id",
    "sku__product__spu_code": "spu_code", "sku__product__category__code": "category",
}


def _table(columns: dict[str, list], renames: dict[str, str], schema: pa.Schema) -> pa.Table:
    named = {renames.get(name, name): values for name, values in columns.items()}
    return pa.table({field.name: _array(named[field.name], field.type) for field in schema}, schema=schema)


def _array(values: list, kind: pa.DataType) -> pa.Array:
    """A column as Arrow; timestamps and dates given as SQLite's ISO text (naive UTC) are cast column-wise."""
    if (pa.types.is_timestamp(kind) or pa.types.is_date(kind)) and any(isinstance(v, str) for v in values[:1]):
        text = pa.array(values, pa.string())
        if pa.types.is_date(kind):
            return text.cast(kind)
        return text.cast(pa.timestamp(kind.unit)).cast(kind)
    return pa.array(values, type=kind)


def order_facts_refresh(*, shop: Shop, date_from: dt.date | None = None,
                        date_to: dt.date | None = None) -> dict[str, int]:
    """Replace the shop's rows of orders_fact and order_lines_fact with the DB's, one commit per table.

    With ``date_from``/``date_to`` only the paid dates in that range are replaced (an import passes the range
    of the dates its new and changed orders had and have: every other date's rows are the same in the DB
    and the lake); the tables' partitions are by paid date, so the commit rewrites only those.
    """
    ranged = date_from is not None and date_to is not None
    orders = _table(order_selectors.order_fact_raw_columns(shop=shop, date_from=date_from, date_to=date_to),
                    _ORDER_NAMES, ORDERS_FACT.schema)
    lines = _table(order_selectors.line_fact_raw_columns(shop=shop, date_from=date_from, date_to=date_to),
                   _LINE_NAMES, ORDER_LINES_FACT.schema)
    predicate = f"shop_id = {int(shop.pk)}"
    if ranged:
        predicate += f" AND paid_date >= '{date_from.isoformat()}' AND paid_date <= '{date_to.isoformat()}'"
    return {
        "orders_fact": replace_rows(ORDERS_FACT, orders, predicate=predicate),
        "order_lines_fact": replace_rows(ORDER_LINES_FACT, lines, predicate=predicate),
        "orders": orders.num_rows,
        "order_lines": lines.num_rows,
    }


def facts_refresh_owe(*, shop: Shop, date_from: dt.date, date_to: dt.date) -> int:
    """Record that the lake's order facts of ``date_from..date_to`` must be refreshed; returns the debt's id.

    Call it inside the transaction that changes the orders: the debt then commits (or rolls back) with them,
    and survives a crash before :func:`facts_refresh_settle` (see :mod:`shopops.lake.models`).
    """
    return FactsRefreshDue.objects.create(shop=shop, date_from=date_from, date_to=date_to).pk


class NewOrderFacts:
    """orders_fact and order_lines_fact rows of the orders an import inserted column-wise, built from the
    import's own columns and the ids it gave them (:class:`~shopops.orders.domain.InsertedOrders`, in
    ``parts``): the same rows :func:`order_facts_refresh` reads back from the DB (tests/lake/test_inserted_facts.py),
    without reading 1,000,000 lines back (benchmarks/import_taobao_orders.py). :meth:`build` is pure (numpy
    and Arrow, no database): an import runs it as side work while its next chunk is written."""

    def __init__(self, *, shop_id: int, sku_ids: Iterable[int]) -> None:
        self.shop_id = shop_id
        self.parts: list[InsertedOrders] = []
        self._keys = order_selectors.line_fact_sku_keys(sku_ids=sku_ids)
        self._built: dict[int, tuple[pa.Table, pa.Table]] = {}

    def build(self, index: int) -> None:
        """The rows of ``parts[index]``."""
        if index not in self._built:
            self._built[index] = _part_facts(self.shop_id, self.parts[index], self._keys)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        for index in range(len(self.parts)):
            self.build(index)
        built = [self._built[index] for index in range(len(self.parts))]
        if not built:
            return ORDERS_FACT.schema.empty_table(), ORDER_LINES_FACT.schema.empty_table()
        return pa.concat_tables([o for o, _l in built]), pa.concat_tables([li for _o, li in built])


def _part_facts(shop_id: int, part: InsertedOrders, sku_keys: dict[int, tuple[str, int, str, str | None]],
                ) -> tuple[pa.Table, pa.Table]:
    batch, n = part.batch, len(part.indexes)
    pick = np.asarray(part.indexes, dtype=np.int64)
    take = pa.array(pick)
    amounts, goods, discount = batch.money()
    shipping = np.asarray(batch.shipping_fen, dtype=np.int64)[pick]
    goods, discount = goods[pick], discount[pick]
    customer = np.asarray(batch.customer_id, dtype=np.int64)[pick]
    paid_date = pa.array(part.paid_dates, pa.date32())
    order_ids = np.asarray(part.order_ids, dtype=np.int64)
    instant = pa.timestamp("us", tz="UTC")
    orders = pa.table({
        "shop_id": np.full(n, shop_id, dtype=np.int64), "order_id": order_ids,
        "order_no": pa.array(batch.order_no, pa.string()).take(take), "channel": pa.repeat(batch.channel, n),
        "channel_account_id": np.full(n, batch.channel_account_id, dtype=np.int64), "customer_id": customer,
        "status": pa.array(batch.status, pa.string()).take(take),
        "placed_at": pa.array(batch.placed_at, instant).take(take),
        "paid_at": pa.array(batch.paid_at, instant).take(take), "paid_date": paid_date,
        "goods_fen": goods, "discount_fen": discount, "shipping_fen": shipping,
        "paid_fen": order_paid_fen(goods, shipping, discount), "refunded_fen": np.zeros(n, dtype=np.int64),
        "source": pa.repeat("", n), "province": pa.array(batch.province, pa.string()).take(take),
        "city": pa.array(batch.city, pa.string()).take(take),
    }, schema=ORDERS_FACT.schema)
    starts = np.asarray(batch.line_starts, dtype=np.int64)
    counts = starts[pick + 1] - starts[pick]
    # the positions of the picked orders' lines in the batch's line columns, order by order
    positions = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(
        starts[pick] - (np.cumsum(counts) - counts), counts)
    sku_ids = np.asarray(batch.sku_id, dtype=np.int64)[positions]
    skus, which = np.unique(sku_ids, return_inverse=True)
    known = [sku_keys[int(sku)] for sku in skus]
    by_sku = pa.array(which.astype(np.int64))
    amount = amounts[positions]
    line_discount = np.asarray(batch.discount_fen, dtype=np.int64)[positions]
    lines = pa.table({
        "shop_id": np.full(len(positions), shop_id, dtype=np.int64), "order_id": np.repeat(order_ids, counts),
        "line_id": np.asarray(part.line_ids, dtype=np.int64), "paid_date": paid_date.take(
            pa.array(np.repeat(np.arange(n, dtype=np.int64), counts))),
        "channel": pa.repeat(batch.channel, len(positions)), "customer_id": np.repeat(customer, counts),
        "sku_id": sku_ids, "sku_code": pa.array([k[0] for k in known], pa.string()).take(by_sku),
        "product_id": pa.array([k[1] for k in known], pa.int64()).take(by_sku),
        "spu_code": pa.array([k[2] for k in known], pa.string()).take(by_sku),
        "category": pa.array([k[3] for k in known], pa.string()).take(by_sku),
        "qty": np.asarray(batch.qty, dtype=np.int64)[positions],
        "unit_price_fen": np.asarray(batch.unit_price_fen, dtype=np.int64)[positions], "amount_fen": amount,
        "discount_fen": line_discount, "paid_fen": amount - line_discount,
    }, schema=ORDER_LINES_FACT.schema)
    return orders, lines


def facts_settle_import(*, shop: Shop, debt: int, refresh: tuple[dt.date, dt.date] | None,
                        new: NewOrderFacts | None) -> dict[str, int]:
    """Pay an order import's debt (:func:`facts_refresh_owe`, ``debt``): the paid dates in ``refresh`` (orders
    it updated, or wrote one by one) are read back from the DB; the orders it inserted column-wise (``new``)
    are written from its own columns, replacing exactly the rows of their ids — which works only when those
    ids are all of one range (SQLite's write lock gives that; PostgreSQL usually): otherwise their dates are
    read back too. Then the debt is deleted, and any other debt of the shop (an interrupted import's) is paid.
    A crash on the way leaves the debt on record, and paying it reads everything back: nothing is lost."""
    parts = new.parts if new is not None else []
    ids = [order_id for part in parts for order_id in (part.order_ids[0], part.order_ids[-1])]
    count = sum(len(part.order_ids) for part in parts)
    low_id, high_id = (min(ids), max(ids)) if ids else (0, -1)
    first_day = min((min(part.paid_dates) for part in parts), default=None)
    last_day = max((max(part.paid_dates) for part in parts), default=None)
    if parts and high_id - low_id + 1 != count:  # another writer's ids in between: read them back
        refresh = (min(first_day, refresh[0]), max(last_day, refresh[1])) if refresh else (first_day, last_day)
        parts = []
    out = {"orders": 0, "order_lines": 0}
    if refresh is not None:
        result = order_facts_refresh(shop=shop, date_from=refresh[0], date_to=refresh[1])
        out = {"orders": result["orders"], "order_lines": result["order_lines"]}
    if new is not None and parts and not (refresh and refresh[0] <= first_day and last_day <= refresh[1]):
        orders, lines = new.tables()
        predicate = (f"shop_id = {int(shop.pk)} AND paid_date >= '{first_day.isoformat()}' AND paid_date <= "
                     f"'{last_day.isoformat()}' AND order_id >= {int(low_id)} AND order_id <= {int(high_id)}")
        replace_rows(ORDERS_FACT, orders, predicate=predicate)
        replace_rows(ORDER_LINES_FACT, lines, predicate=predicate)
        out = {"orders": out["orders"] + orders.num_rows, "order_lines": out["order_lines"] + lines.num_rows}
    FactsRefreshDue.objects.filter(pk=debt).delete()
    facts_refresh_settle(shop=shop)
    return out


def facts_refresh_settle(*, shop: Shop | None = None, older_than: dt.timedelta | None = None) -> list[dict]:
    """Pay the recorded debts (of ``shop``, or of every shop; only those older than ``older_than``): one
    refresh per shop over the span of its debts, then the debts read are deleted — never before the lake
    commits, and not those recorded meanwhile. Refreshing is idempotent, so paying a debt twice is harmless.
    """
    dues = FactsRefreshDue.objects.select_related("shop").order_by("pk")
    if shop is not None:
        dues = dues.filter(shop=shop)
    if older_than is not None:
        dues = dues.filter(created_at__lt=now() - older_than)
    spans: dict[int, tuple[Shop, dt.date, dt.date, list[int]]] = {}
    for due in dues:
        owner, low, high, ids = spans.get(due.shop_id, (due.shop, due.date_from, due.date_to, []))
        spans[due.shop_id] = (owner, min(low, due.date_from), max(high, due.date_to), [*ids, due.pk])
    paid = []
    for owner, low, high, ids in spans.values():
        result = order_facts_refresh(shop=owner, date_from=low, date_to=high)
        FactsRefreshDue.objects.filter(pk__in=ids).delete()
        paid.append({"shop": owner.code, "date_from": low.isoformat(), "date_to": high.isoformat(),
                     "debts": len(ids), **result})
    return paid


# What else `shopops lake settle` puts right after an interruption, registered by the apps above the lake (which
# the lake may not import): e.g. channels marks failed the import jobs whose process died.
_SETTLE_HOOKS: dict[str, Callable[[], list]] = {}


def settle_hook_register(*, name: str, hook: Callable[[], list]) -> None:
    """Have `shopops lake settle` also run ``hook`` (a function returning what it settled, JSON-ready)."""
    _SETTLE_HOOKS[name] = hook


def settle_hooks_run() -> dict[str, list]:
    """Run the registered settle hooks: {name: what each settled}."""
    return {name: hook() for name, hook in sorted(_SETTLE_HOOKS.items())}


def facts_refresh_due_count() -> int:
    return FactsRefreshDue.objects.count()


def lake_rebuild() -> list[dict]:
    """Recreate every derived table from the DB, shop by shop (import-fed tables are left alone); the debts
    recorded before a shop's refresh are paid by it."""
    out = []
    for shop in core_selectors.all_shops():
        owed = list(FactsRefreshDue.objects.filter(shop=shop).values_list("pk", flat=True))
        out.append({"shop": shop.code, **order_facts_refresh(shop=shop)})
        FactsRefreshDue.objects.filter(pk__in=owed).delete()
    return out


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
    commit, so a crash leaves the previous version" (DESIGN.md, Data). Use as a context manager: leaving it
    without ``finish`` (an exception) deletes the staged files.
    """

    def __init__(self, table: LakeTable, feed: str, *, buffer_rows: int = 1 << 20) -> None:
        if not table.fed_by_imports:
            raise ValueError(f"{table.name} is not an import-fed table")
        self.table = table
        self.feed = storage.check_feed(feed)
        self.buffer_rows = buffer_rows
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
            adds = {day: file.close(self._digests.get(day)) for day, file in self._files.items()}
            adds = {day: add for day, add in adds.items() if add is not None}
            result = FeedResult(rows=self.rows)
            if not adds:
                return result
            result.date_from, result.date_to = min(adds), max(adds)
            old = storage.feed_files(self.table, self.feed, date_from=result.date_from, date_to=result.date_to)
            old_by_day: dict[dt.date, list[storage.FeedFile]] = {}
            for file in old:
                old_by_day.setdefault(file.date, []).append(file)
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
