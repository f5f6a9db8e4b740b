"""The order writer: an import's customers, orders and lines in ONE transaction, then their lake facts.

Common orders (``PlainOrder``) are written column-wise in chunks by ``orders_upsert_batch``, built and
fingerprinted beside the database's statements (core.bulk.SideWork); every other order (refunds, corrected
orders, other formats) goes one by one through ``orders_upsert``. A dry run rolls the transaction back; the
lake facts of the paid dates the import touched are owed in the same transaction and settled after it.

Orders already stored (in the job's account) are read first, cheaply (``orders.selectors.order_heads``): a file
re-imported keeps what it does not state (``order_merge``: refunds, source, promotions, address; a common order
that would drop something takes the draft way) and each order's customer unless it names another buyer
(``members.services.customers_plan_orders``); the stored orders a file changes are read whole before they are
written over, so the summary tells which fields changed (``order_changes``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.db import connection, transaction

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog.domain import LineIdentity
from shopops.channels import selectors as channel_selectors
from shopops.core.bulk import SideWork
from shopops.core.errors import FieldError
from shopops.core.models import Shop
from shopops.core.text import gettext_noop
from shopops.imports.filetypes import ReadError
from shopops.imports.formats.base import Format, LineDraft, OrderDraft, PlainOrder
from shopops.imports.formats.orders_formats import ANONYMOUS_BUYER
from shopops.imports.models import ImportJob
from shopops.imports.order_changes import Changes
from shopops.imports.order_merge import draft_of_plain, merged, plain_loses
from shopops.imports.outcome import IMPORT_ERRORS_KEPT
from shopops.members.services import (
    BuyerSeen,
    CustomersPlan,
    CustomerStats,
    OrderBuyer,
    customer_stats_apply,
    customers_plan_orders,
    customers_plan_write,
)
from shopops.orders import selectors as order_selectors
from shopops.orders.domain import (
    LineAmounts,
    LineInput,
    OrderBatch,
    OrderInput,
    RefundInput,
    allocate_discounts,
    allocate_order_discount,
    fingerprint_matches,
    order_discount_fen,
    order_fingerprint,
)
from shopops.orders.selectors import OrderHead
from shopops.orders.services import (
    NewOrderFacts,
    facts_refresh_owe,
    facts_settle_import,
    orders_upsert,
    orders_upsert_batch,
)

if TYPE_CHECKING:
    from shopops.channels.models import ChannelAccount

ORDER_WRITE_CHUNK = 5000
PLAIN_WRITE_CHUNK = 50_000  # orders per column-wise write (orders_upsert_batch)
FINGERPRINT_TASK = 5000  # orders fingerprinted per side task (~30 ms)

Entry = OrderDraft | PlainOrder


class Resolved(list[tuple[Entry, list[int | None]]]):
    """An import's orders with their lines' SKU ids (None: unmatched, docs/rules/sku-matching.md), how many
    lines are unmatched, and the SKU ids of the file's seller codes (a line matched by its own code needs no
    match key)."""

    def __init__(self, items: list[tuple[Entry, list[int | None]]] | None = None) -> None:
        super().__init__(items or [])
        self.unmatched_lines = 0
        self.by_code: dict[str, int] = {}


def line_identity(line: LineDraft) -> LineIdentity:
    """What SKU matching reads of a line (docs/rules/sku-matching.md)."""
    return LineIdentity(line.sku_code, line.platform_item_id, line.platform_sku_id, line.title, line.spec)


def codes_and_rows(entry: Entry) -> tuple[Sequence[str], Sequence[int], Sequence[int]]:
    """An order's lines' SKU codes and source rows, and every source row of the order."""
    if isinstance(entry, PlainOrder):
        return entry.codes, entry.line_rows, entry.rows
    lines = entry.lines
    return [line.sku_code for line in lines], [line.row for line in lines], entry.rows or (entry.row,)



def _line_input(line: LineDraft, sku_id: int | None, share: int, by_code: dict[str, int]) -> LineInput:
    """A line to write with what the export said of its item; a line not matched by its own seller code keeps
    its match key (catalog.domain.match_key), which a mapping re-links it by."""
    key = "" if sku_id is not None and by_code.get(line.sku_code) == sku_id else line_identity(line).key
    return LineInput(sku_id, line.title[:200], line.unit_price_fen, line.qty, share, seller_code=line.sku_code[:64],
                     platform_item_id=line.platform_item_id[:64], platform_sku_id=line.platform_sku_id[:64],
                     spec=line.spec[:200], match_key=key)


def _order_input(draft: OrderDraft, account: ChannelAccount, customer_id: int, sku_ids: Sequence[int | None],
                 by_code: dict[str, int]) -> OrderInput:
    lines = draft.lines
    goods = 0
    for line in lines:
        goods += line.unit_price_fen * line.qty
    discount = order_discount_fen(goods, draft.shipping_fen, draft.paid_fen)
    if discount == 0:
        shares: Sequence[int] = [0] * len(lines)
    elif len(lines) == 1 and 0 < discount <= goods:  # what allocate_order_discount gives one line
        shares = [discount]
    else:
        shares = allocate_order_discount(discount, [LineAmounts(li.unit_price_fen, li.qty, 0) for li in lines])
    line_inputs = tuple(_line_input(line, sku_id, share, by_code)
                        for line, sku_id, share in zip(lines, sku_ids, shares, strict=True))
    refunds = tuple(
        RefundInput(refund_no=f"{account.channel}-{r.refund_no}"[:64], line_index=r.line_index, kind=r.kind,
                    amount_fen=r.amount_fen, reason=r.reason, status=r.status, requested_at=r.requested_at,
                    completed_at=r.completed_at)
        for r in draft.refunds)
    return OrderInput(
        order_no=draft.order_no, channel_account_id=account.pk, channel=account.channel, customer_id=customer_id,
        placed_at=draft.placed_at, paid_at=draft.paid_at, status=draft.status, lines=line_inputs,
        shipping_fen=draft.shipping_fen, promotions=draft.promotions, source=draft.source,
        province=draft.province, city=draft.city, refunds=refunds)


def _order_batch(plains: Sequence[tuple[PlainOrder, list[int | None]]], account: ChannelAccount,
                 customer_ids: dict[str, int]) -> OrderBatch:
    """Common orders column by column, their order-level discounts allocated to the lines at once (numpy,
    the same largest-remainder numbers as ``allocate_order_discount``); ``customer_ids``: each order's
    customer, by order number."""
    starts = [0]
    sku_ids: list[int] = []
    titles: list[str] = []
    units: list[int] = []
    qtys: list[int] = []
    amounts: list[int] = []
    discounts: list[int] = []
    for order, ids in plains:
        sku_ids.extend(cast("list[int]", ids))  # common orders are matched by their codes: no None
        titles.extend(title[:200] for title in order.titles)
        units.extend(order.units)
        qtys.extend(order.qtys)
        goods = 0
        for unit, qty in zip(order.units, order.qtys, strict=True):
            amount = unit * qty
            amounts.append(amount)
            goods += amount
        discounts.append(order_discount_fen(goods, order.shipping_fen, order.paid_fen))
        starts.append(len(sku_ids))
    orders = [order for order, _ids in plains]
    return OrderBatch(
        channel_account_id=account.pk, channel=account.channel, order_no=[o.order_no for o in orders],
        customer_id=[customer_ids[o.order_no] for o in orders], placed_at=[o.placed_at for o in orders],
        paid_at=[o.paid_at for o in orders], status=[o.status for o in orders],
        shipping_fen=[o.shipping_fen for o in orders], province=[o.province for o in orders],
        city=[o.city for o in orders], line_starts=starts, sku_id=sku_ids, title=titles, unit_price_fen=units,
        qty=qtys, discount_fen=allocate_discounts(discounts, starts, amounts))



@dataclass
class _Writes:
    """What the writes of one import touched: each order's outcome, the customers whose stats change, the paid
    dates the lake must read back (corrected and one-by-one orders), and the progress made."""

    progress: Callable[[float, str], None]
    total: int
    done: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)
    touched_customers: set[int] = field(default_factory=set)
    touched_dates: set[dt.date] = field(default_factory=set)

    def advance(self, orders: int) -> None:
        self.done += orders
        self.progress(0.5 + 0.4 * self.done / self.total, "write")


def write_orders(job: ImportJob, fmt: Format, resolved: Resolved, rows_of: dict[str, int],
                 progress: Callable[[float, str], None], *, dry_run: bool) -> dict[str, object]:
    """Customers, orders, lines: one transaction (rolled back for a dry run); then the lake facts. An order
    already stored keeps what the file does not state (``order_merge``) and its customer unless the file names
    another buyer (``members.services.customers_plan_orders``); ``changes`` tells what changed (``order_changes``)."""
    shop, account = job.shop, job.channel_account
    writes = _Writes(progress, max(len(resolved), 1))
    debt = None
    # References are made right by construction here (ids looked up or created in this transaction, SKUs
    # checked again under its write lock), so SQLite need not look each one up per row: Django's
    # constraint_checks_disabled, as loaddata uses it — 2.4 s of a 1,000,000-line import. It does nothing
    # inside an outer transaction or on PostgreSQL, where the constraints keep checking.
    with connection.constraint_checks_disabled(), transaction.atomic():
        sku_ids = {sku_id for _entry, ids in resolved for sku_id in ids if sku_id is not None}
        by_code = resolved.by_code
        _references_still_there(shop, account, resolved, sku_ids)
        # column-wise new orders: the lake is told them from the import's columns, built beside the writes
        new_facts = NewOrderFacts(shop_id=shop.pk, sku_ids=sku_ids)
        stored = _Stored(shop, account, fmt, resolved)
        entries = stored.ways(resolved)
        plan = customers_plan_orders(shop=shop, channel=account.channel, buyers=_buyers_of(entries),
                                     orders=stored.buyers(entries))
        plains = [(entry, ids) for entry, ids in entries if isinstance(entry, PlainOrder)]
        chunks = [plains[start : start + PLAIN_WRITE_CHUNK] for start in range(0, len(plains), PLAIN_WRITE_CHUNK)]
        side, batches = _plain_batches(chunks, account, plan.by_order)
        drafts = stored.drafts([_order_input(d, account, plan.by_order[d.order_no], ids, by_code) for d, ids in entries
                                if isinstance(d, OrderDraft)])
        customers_plan_write(shop=shop, plan=plan, side_work=side)
        _drafts_write(shop, drafts, writes)
        for index, chunk in enumerate(chunks):
            batch, fingerprints = batches(index, len(chunk))
            stored.batch(batch, fingerprints)
            known = len(new_facts.parts)
            orders_upsert_batch(shop=shop, batch=batch, fingerprints=fingerprints, outcomes=writes.outcomes,
                                touched_customers=writes.touched_customers, touched_dates=writes.touched_dates,
                                ids_of_shop=True, inserted=new_facts.parts, side_work=side)
            for part in range(known, len(new_facts.parts)):
                side.add(("facts", part), functools.partial(new_facts.build, part))
            writes.advance(len(chunk))
        progress(0.9, "write")
        _customer_stats_refresh(shop, writes.touched_customers - set(plan.new_ids))
        if dry_run:
            transaction.set_rollback(True)
        elif any(outcome != "unchanged" for outcome in writes.outcomes.values()):
            # only the paid dates the import touched: the lake's other dates already match the DB. The debt
            # commits with the orders, so a crash before the lake commits below leaves it on record
            days = writes.touched_dates | {day for part in new_facts.parts
                                           for day in (min(part.paid_dates), max(part.paid_dates))}
            debt = facts_refresh_owe(shop=shop, date_from=min(days), date_to=max(days))
    if debt is not None:
        progress(0.92, "lake")
        touched_dates = writes.touched_dates
        facts_settle_import(shop=shop, debt=debt, new=new_facts,
                            refresh=(min(touched_dates), max(touched_dates)) if touched_dates else None)
    rows = {"inserted": 0, "updated": 0, "unchanged": 0}
    for order_no, outcome in writes.outcomes.items():
        rows[outcome] += rows_of.get(order_no, 1)
    return {**rows, "changes": stored.changes(writes, plan)}


class _Stored:
    """The stored orders of an import's order numbers (in the job's account), and what the import does to them:
    which common orders must take the draft way to keep what the file does not state, each order's stored
    customer, the file's orders merged with them, and the stored orders whose fields the file changes (read
    before they are written over, for ``changes``)."""

    def __init__(self, shop: Shop, account: ChannelAccount, fmt: Format, resolved: list[tuple[Entry, list[int | None]]]):
        self.shop, self.account, self.fmt = shop, account, fmt
        self.heads: dict[str, OrderHead] = order_selectors.order_heads(
            shop=shop, channel_account_id=account.pk, order_nos=[entry.order_no for entry, _ids in resolved])
        self.full: dict[str, OrderInput] = self._read([no for no, head in self.heads.items() if head.has_refunds])
        self.before: dict[str, tuple[OrderInput, OrderInput]] = {}  # order no → (stored, new) of changed ones
        self.sizes: dict[str, tuple[int, int]] = {}  # order no → (lines, refunds) as written

    def _read(self, numbers: list[str]) -> dict[str, OrderInput]:
        if not numbers:
            return {}
        return order_selectors.orders_as_inputs(shop=self.shop, channel_account_id=self.account.pk,
                                                order_nos=numbers)

    def ways(self, resolved: list[tuple[Entry, list[int | None]]]) -> list[tuple[Entry, list[int | None]]]:
        """Common orders whose stored order holds what they would drop become drafts (``order_merge``)."""
        heads, fmt = self.heads, self.fmt
        if not heads:
            return resolved
        out: list[tuple[Entry, list[int | None]]] = []
        for entry, ids in resolved:
            if isinstance(entry, PlainOrder):
                head = heads.get(entry.order_no)
                if head is not None and plain_loses(entry, head, fmt):
                    out.append((draft_of_plain(entry), ids))
                    continue
            out.append((entry, ids))
        return out

    def buyers(self, resolved: list[tuple[Entry, list[int | None]]]) -> list[OrderBuyer]:
        """Each order's buyer as the file names it, with the customer it is stored with."""
        heads = self.heads
        out = []
        for entry, _ids in resolved:
            buyer = entry.buyer if isinstance(entry, PlainOrder) else entry.buyer_id
            head = heads.get(entry.order_no)
            out.append(OrderBuyer(entry.order_no, buyer, buyer != ANONYMOUS_BUYER, entry.paid_fen, entry.paid_at,
                                  None if head is None else head.customer_id))
        return out

    def drafts(self, orders: list[OrderInput]) -> list[OrderInput]:
        """The file's orders merged with the stored ones; the stored orders they change are read now."""
        heads = self.heads
        if not heads:
            for order in orders:
                self.sizes[order.order_no] = (len(order.lines), len(order.refunds))
            return orders
        out = [merged(order, heads.get(order.order_no), self.full.get(order.order_no), self.fmt) for order in orders]
        changed = [order for order in out if (head := heads.get(order.order_no)) is not None
                   and not fingerprint_matches(head.fingerprint, order, order_fingerprint(order))]
        self._changing(changed)
        for order in out:
            self.sizes[order.order_no] = (len(order.lines), len(order.refunds))
        return out

    def batch(self, batch: OrderBatch, fingerprints: list[str]) -> None:
        """A chunk of common orders, before it is written: the stored orders it changes are read now."""
        heads = self.heads
        changed = []
        for index, (number, fingerprint) in enumerate(zip(batch.order_no, fingerprints, strict=True)):
            self.sizes[number] = (batch.line_starts[index + 1] - batch.line_starts[index], 0)
            head = heads.get(number)
            if head is not None and head.fingerprint != fingerprint:
                order = batch.order_input(index)
                if not fingerprint_matches(head.fingerprint, order, fingerprint):
                    changed.append(order)
        self._changing(changed)

    def _changing(self, orders: list[OrderInput]) -> None:
        full = self.full
        stored = {**full, **self._read([o.order_no for o in orders if o.order_no not in full])}
        for order in orders:
            self.before[order.order_no] = (stored[order.order_no], order)

    def changes(self, writes: _Writes, plan: CustomersPlan) -> dict[str, object]:
        """What the import did, by order, line, refund and customer (``order_changes``)."""
        changes = Changes()
        for number, outcome in writes.outcomes.items():
            if outcome == "updated":
                changes.updated(*self.before[number])  # every updated order was read before (same test)
            elif outcome == "inserted":
                changes.created(*self.sizes.get(number, (0, 0)))
            else:
                changes.unchanged(*self.sizes.get(number, (0, 0)))
        created = set(plan.new_ids)
        updated = writes.touched_customers - created
        changes.customers.update(created=len(created), linked=len(plan.linked), updated=len(updated),
                                 unchanged=len(set(plan.by_order.values()) - created - updated))
        return changes.as_dict()


def _plain_batches(chunks: list[list[tuple[PlainOrder, list[int | None]]]], account: ChannelAccount,
                   customer_ids: dict[str, int]) -> tuple[SideWork, Callable[[int, int], tuple[OrderBatch, list[str]]]]:
    """Column-wise orders go in chunks; building and fingerprinting a chunk is pure Python, so it runs beside
    the database's statements (the customers' and the previous chunks' inserts): core.bulk.SideWork. Returns
    the side work and ``take(index, size)``, which finishes chunk ``index``'s tasks and hands its batch and
    fingerprints over."""
    batches: dict[int, OrderBatch] = {}
    prints: dict[int, list[str]] = {}
    side = SideWork()  # small tasks: one that outlasts a statement is not hidden behind it

    def build(index: int) -> None:
        batches[index] = _order_batch(chunks[index], account, customer_ids)
        prints[index] = []

    def fingerprint(index: int, start: int) -> None:
        prints[index].extend(batches[index].fingerprints(start, start + FINGERPRINT_TASK))

    for index, chunk in enumerate(chunks):
        side.add(("build", index), functools.partial(build, index))
        for start in range(0, len(chunk), FINGERPRINT_TASK):
            side.add(("fingerprint", index, start), functools.partial(fingerprint, index, start))

    def take(index: int, size: int) -> tuple[OrderBatch, list[str]]:
        side.run(("build", index))
        for start in range(0, size, FINGERPRINT_TASK):
            side.run(("fingerprint", index, start))
        return batches.pop(index), prints.pop(index)

    return side, take


def _drafts_write(shop: Shop, orders: list[OrderInput], writes: _Writes) -> None:
    """The orders that need a draft, one by one (refunds, corrections, other formats), in chunks."""
    for start in range(0, len(orders), ORDER_WRITE_CHUNK):
        chunk = orders[start : start + ORDER_WRITE_CHUNK]
        # customers_plan_orders, _resolve_skus and the job's account are all looked up within this shop
        orders_upsert(shop=shop, outcomes=writes.outcomes, touched_customers=writes.touched_customers,
                      touched_dates=writes.touched_dates, ids_of_shop=True, orders=chunk)
        writes.advance(len(chunk))


def _customer_stats_refresh(shop: Shop, customer_ids: set[int]) -> None:
    """Customers created by the import already hold all their orders' stats; the others are counted again
    (also those a corrected order moved away from)."""
    if customer_ids:
        customer_stats_apply(shop=shop, stats=(
            CustomerStats(*row) for row in order_selectors.customer_order_stats_rows(
                shop=shop, customer_ids=customer_ids)))


def _references_still_there(shop: Shop, account: ChannelAccount, resolved: list[tuple[Entry, list[int | None]]],
                            sku_ids: set[int]) -> None:
    """The SKUs and the channel account were looked up before the write transaction began; one deleted since
    then rejects the file (nothing is written) instead of leaving orders or lines that point nowhere."""
    if not channel_selectors.channel_account_ids_in_shop(shop=shop, ids={account.pk}):
        gone_account = gettext_noop("The channel account was deleted during the import; nothing was imported.")
        raise ReadError(gone_account, [FieldError("channel_account", gone_account)])
    used = sorted(sku_ids)
    found: set[int] = set()
    for start in range(0, len(used), 900):
        found |= catalog_selectors.sku_ids_in_shop(shop=shop, ids=set(used[start : start + 900]))
    gone = set(used) - found
    if not gone:
        return
    changed = gettext_noop("The catalog changed during the import (a SKU was deleted); nothing was imported. "
                           "Import the file again.")
    rows = [line_row for entry, ids in resolved for sku_id, line_row in zip(ids, codes_and_rows(entry)[1], strict=True)
            if sku_id in gone]
    raise ReadError(changed, [FieldError("sku", changed, row) for row in rows[:IMPORT_ERRORS_KEPT]])


def _buyers_of(resolved: list[tuple[Entry, list[int | None]]]) -> list[BuyerSeen]:
    """One BuyerSeen per buyer: the last order of a buyer, in file order, describes them (what a customer
    created for them starts with)."""
    last_of: dict[str, Entry] = {}
    for entry, _ids in resolved:
        last_of[entry.buyer if isinstance(entry, PlainOrder) else entry.buyer_id] = entry
    return [
        BuyerSeen(buyer, buyer[:120], entry.paid_at, entry.province, entry.city) if isinstance(entry, PlainOrder)
        else BuyerSeen(buyer, entry.buyer_name[:120], entry.paid_at, entry.province, entry.city)
        for buyer, entry in last_of.items()]
