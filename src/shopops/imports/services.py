"""Writes for channel accounts and imports (the import pipeline behind CLI, API and web)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.catalog import selectors as catalog_selectors
from shopops.channels import selectors as channel_selectors
from shopops.channels import services as channel_services
from shopops.core.bulk import SideWork
from shopops.core.clock import now, today
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.imports.columns import Column, ColumnConverter, RowView, resolve_columns
from shopops.imports.filetypes import ReadError
from shopops.imports.formats import FORMATS
from shopops.imports.formats.base import Format, OrderDraft, PlainOrder, RowProblem, Skip

# The export writers are part of this app's interface: the demo writes the exports it imports with them.
from shopops.imports.formats.samples import SHOPIFY_HEADER as SHOPIFY_HEADER
from shopops.imports.formats.samples import SampleLine, SampleOrder, write_order_sample
from shopops.imports.models import ImportJob
from shopops.imports.readers import read_table
from shopops.members.services import (
    BuyerSeen,
    CustomerStats,
    OrdersTally,
    customer_stats_apply,
    customers_plan,
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
    order_discount_fen,
)
from shopops.orders.services import (
    NewOrderFacts,
    facts_refresh_owe,
    facts_settle_import,
    orders_upsert,
    orders_upsert_batch,
)

if TYPE_CHECKING:
    from shopops.channels.models import ChannelAccount

# ------------------------------------------------------------------------------------------------- imports
#
# One pipeline behind the CLI, the API and the web page: read → convert → group rows into orders → build
# drafts → resolve SKUs → (write customers, orders, lines in ONE transaction) → refresh the lake facts.
# Nothing is written before the whole file has been validated; a rejected file, a dry run or a crash leaves
# the previous state (the transaction rolls back, the lake commit never happens).
# Speed (benchmarks/import_taobao_orders.py): rows are views over the converted columns; a format's ``plain``
# function turns its common orders into PlainOrder tuples (no draft), written column-wise by
# orders_upsert_batch; every other order (errors, skips, refunds, other formats) takes the draft path.

IMPORT_ERRORS_SHOWN = 100  # listed in the summary (the CLI/API contract)
IMPORT_ERRORS_KEPT = 1000  # stored on the job, for the xlsx of errors
ORDER_WRITE_CHUNK = 5000
PLAIN_WRITE_CHUNK = 50_000  # orders per column-wise write (orders_upsert_batch)
FINGERPRINT_TASK = 5000  # orders fingerprinted per side task (~30 ms)


class _Tally:
    """Rows by outcome, and the first problems found (sorted by row when reported)."""

    def __init__(self) -> None:
        self.rows = 0
        self.bad_rows: set[int] = set()
        self.skipped = 0
        self.errors: list[FieldError] = []

    def error(self, error: FieldError, rows: Iterable[int] = ()) -> None:
        if len(self.errors) < IMPORT_ERRORS_KEPT:
            self.errors.append(error)
        self.bad_rows.update(rows or ([error.row] if error.row else []))


def _language() -> str:
    return translation.get_language() or "zh-hans"


def _job_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_writer(job: ImportJob) -> Callable[[float, str], None]:
    """Progress goes to a small file, not the DB: the import's transaction holds SQLite's write lock, and a
    progress bar must be readable by another process while it runs."""
    target = _job_dir() / f"{job.pk}.progress"
    last = [-1.0]

    def report(fraction: float, phase: str) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if fraction - last[0] < 0.01 and fraction < 1.0:
            return
        last[0] = fraction
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps({"progress": round(fraction, 3), "phase": phase}))
        os.replace(tmp, target)

    return report


def import_progress(*, job: ImportJob) -> dict[str, object]:
    """Status and progress of a job (a running one reports from its progress file)."""
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        try:
            data = json.loads((_job_dir() / f"{job.pk}.progress").read_text())
        except (OSError, ValueError):
            data = {"progress": 0.0, "phase": job.status}
        return {"status": job.status, "progress": data.get("progress", 0.0), "phase": data.get("phase", "")}
    return {"status": job.status, "progress": 1.0, "phase": job.status}


def import_summary(job: ImportJob) -> dict[str, object]:
    """The summary JSON of the contract: job, format, file, rows, inserted, updated, unchanged, rejected,
    errors [{row, column, message}] (first 100), seconds; plus status, skipped, dry_run, channel_account."""
    return {
        "job": job.pk, "format": job.format, "file": job.file_name, "status": job.status,
        "channel_account": job.channel_account.name if job.channel_account_id else None,
        "dry_run": bool(job.options.get("dry_run")), "rows": job.rows, "inserted": job.inserted,
        "updated": job.updated, "unchanged": job.unchanged, "rejected": job.rejected,
        "skipped": int(job.options.get("skipped", 0)), "errors": job.errors[:IMPORT_ERRORS_SHOWN],
        "errors_total": int(job.options.get("errors_total", len(job.errors))), "seconds": round(job.seconds, 3),
    }


def import_request_check(*, shop: Shop, format_name: str, channel_account: str | None,
                          with_items: bool) -> tuple[Format, ChannelAccount]:
    """The request's format, item file and channel account, checked before anything is stored."""
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise InvalidInput(_("Unknown format %(name)s.") % {"name": format_name}, [FieldError(
            "format", _("Choose one of: %(names)s.") % {"names": ", ".join(sorted(FORMATS))})])
    if with_items and not fmt.item_columns:
        raise InvalidInput(_("The format %(name)s has no item file.") % {"name": format_name},
                           [FieldError("items", _("Only taobao-orders takes an item file."))])
    if channel_account:
        account = channel_selectors.channel_account_named(shop=shop, name=channel_account)
        if account is None:
            names = ", ".join(channel_selectors.channel_account_names(shop=shop))
            raise InvalidInput(_("No channel account named %(name)s.") % {"name": channel_account},
                               [FieldError("channel_account", _("Known accounts: %(names)s.") % {"names": names})])
    else:
        account = channel_selectors.channel_account_default(shop=shop, channel=fmt.channel)
        if account is None:
            account = channel_services.channel_account_ensure(shop=shop, channel=fmt.channel, name=f"{shop.name[:60]}·{fmt.channel}")
    return fmt, account


def import_job_create(*, shop: Shop, format_name: str, path: str, file_name: str = "",
                      channel_account: str | None = None, items_path: str | None = None,
                      skip_invalid: bool = False, dry_run: bool = False, options: dict[str, str] | None = None,
                      actor: AbstractBaseUser | None = None) -> ImportJob:
    """Check the request (format, account, options) and record a queued job; the work is import_job_run."""
    fmt, account = import_request_check(shop=shop, format_name=format_name, channel_account=channel_account,
                                         with_items=bool(items_path))
    return ImportJob.objects.create(
        shop=shop, format=fmt.name, channel_account=account, file_name=(file_name or Path(path).name)[:255],
        file_path=str(path), created_by=actor if actor is not None and actor.is_authenticated else None,
        options={"skip_invalid": skip_invalid, "dry_run": dry_run, "items_path": items_path or "",
                 "language": _language(), **(options or {})},
    )


def import_job_run(*, job_id: int) -> ImportJob:
    """Do the import of a queued job and record its summary. Data problems end as a rejected job (never an
    exception); an unexpected failure marks the job failed and re-raises. The job records which process runs
    it and beats a heartbeat meanwhile (see import_jobs_settle_dead); the upload of a rejected or failed job
    is removed at once."""
    job = ImportJob.objects.select_related("shop", "channel_account").get(pk=job_id)
    job.runner, job.started_at = _runner_identity(), now()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, runner=job.runner,
                                               started_at=job.started_at)
    started = time.perf_counter()
    progress = _progress_writer(job)
    language = str(job.options.get("language") or "zh-hans")
    with _heartbeat(job.pk):
        try:
            with translation.override(language):
                outcome = _run(job, FORMATS[job.format], progress, language)
        except ReadError as exc:
            outcome = _Outcome(rejected_file=True, errors=[
                FieldError(e.field, e.message, e.row)
                for e in (exc.errors or [FieldError("file", exc.message(language))])])
            if exc.errors:
                outcome.errors.insert(0, FieldError("file", exc.message(language)))
        except BaseException:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, finished_at=now(),
                                                       seconds=time.perf_counter() - started)
            progress(1.0, "failed")
            _upload_remove(job)
            raise
    job.rows, job.inserted, job.updated, job.unchanged = outcome.rows, outcome.inserted, outcome.updated, outcome.unchanged
    job.rejected = outcome.rejected
    job.errors = [{"row": e.row, "column": e.field, "message": e.message}
                  for e in sorted(outcome.errors, key=lambda e: (e.row or 0))][:IMPORT_ERRORS_KEPT]
    job.options = {**job.options, "skipped": outcome.skipped, "errors_total": outcome.errors_total or len(job.errors)}
    job.status = ImportJob.Status.REJECTED if outcome.rejected_file else ImportJob.Status.DONE
    job.seconds = time.perf_counter() - started
    job.finished_at = now()
    job.progress = 1.0
    job.save(update_fields=["rows", "inserted", "updated", "unchanged", "rejected", "errors", "options", "status",
                            "seconds", "finished_at", "progress"])
    progress(1.0, job.status)
    if job.status == ImportJob.Status.REJECTED:
        _upload_remove(job)
    return job


@dataclass
class _Outcome:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    errors: list[FieldError] = field(default_factory=list)
    errors_total: int = 0
    rejected_file: bool = False


def _run(job: ImportJob, fmt: Format, progress: Callable[[float, str], None], language: str) -> _Outcome:
    if fmt.target == "lake":
        return _run_lake(job, fmt, progress, language)
    with _no_cyclic_gc():
        return _run_orders(job, fmt, progress, language)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """An order import holds millions of small objects (records, drafts, inputs) for the whole run, and
    CPython's cyclic collector walks all of them again and again as more are made: at 1,000,000 lines that
    made the import superlinear (benchmarks/import_taobao_orders.py). They hold no reference cycles, so
    reference counting frees them; the collector is off for the run and back on (and run once) after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


def _run_lake(job: ImportJob, fmt: Format, progress: Callable[[float, str], None], language: str) -> _Outcome:
    from shopops.imports.lake_import import import_lake_file

    account = job.channel_account
    result = import_lake_file(
        shop_id=job.shop_id, fmt=fmt, path=job.file_path, channel_account_id=account.pk if account else None,
        channel=account.channel if account else fmt.channel, skip_invalid=bool(job.options.get("skip_invalid")),
        dry_run=bool(job.options.get("dry_run")), language=language,
        options={"tz": job.shop.timezone, **{k: str(v) for k, v in job.options.items() if v not in ("", None)
                                              and k not in ("skip_invalid", "dry_run", "language", "items_path")}},
        progress=lambda f: progress(f, "lake"))
    rejected_file = bool(result.errors) and not job.options.get("skip_invalid")
    return _Outcome(rows=result.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
                    rejected=result.rejected, skipped=result.skipped, errors=list(result.errors),
                    rejected_file=rejected_file)


def _read_groups(path: str, columns: Sequence[Column], key: str, tally: _Tally, tz: str, language: str,
                 progress: Callable[[float], None] | None = None, label: str = "",
                 ) -> dict[object, list[RowView]]:
    """Read, convert and group a file's rows by ``key`` (rows of one order may be anywhere in the file); the
    rows are views over the converted columns, not a dict each."""
    groups: dict[object, list[RowView]] = {}
    with read_table(path, language=language) as stream:
        resolution = resolve_columns(stream.headers, columns, language=language)
        if resolution.errors:
            raise ReadError(_say_missing("zh"), _say_missing("en"),
                            [FieldError(f"{label}{e.field}", e.message, e.row) for e in resolution.errors],
                            language=language)
        converter = ColumnConverter(columns, resolution, language=language, tz=tz)
        size = max(stream.size, 1)
        read_rows = 0
        for batch in stream:
            converted = converter.convert(batch)
            read_rows += len(converted)
            for error in converted.errors:
                tally.error(FieldError(f"{label}{error.field}", error.message, error.row))
            keys = converted.values[key]
            for view in converted.views(include_bad=True):
                group = groups.get(keys[view._index])
                if group is None:
                    groups[keys[view._index]] = [view]
                else:
                    group.append(view)
            if progress is not None:  # rows are not bytes: ~150 bytes a row is close for order exports
                progress(min(read_rows * 150 / size, 1.0))
    return groups


def _say_missing(language: str) -> str:
    return ("文件缺少必需的列，没有导入任何数据" if language == "zh"
            else "the file lacks required columns; nothing was imported")


def _run_orders(job: ImportJob, fmt: Format, progress: Callable[[float, str], None], language: str) -> _Outcome:
    shop = job.shop
    skip_invalid = bool(job.options.get("skip_invalid"))
    tally = _Tally()
    groups = _read_groups(job.file_path, fmt.columns, fmt.order_key, tally, shop.timezone, language,
                          progress=lambda f: progress(0.4 * f, "read"))
    tally.rows = sum(len(rows) for rows in groups.values())
    items: dict[object, list[RowView]] = {}
    items_path = str(job.options.get("items_path") or "")
    item_tally = _Tally()
    if items_path:
        items = _read_groups(items_path, fmt.item_columns, fmt.item_columns[0].name, item_tally, shop.timezone,
                             language, label="items:")
        tally.errors.extend(item_tally.errors)
    bad_item_orders = {record[fmt.item_columns[0].name] for rows in items.values() for record in rows
                       if record["_row"] in item_tally.bad_rows} if item_tally.bad_rows else set()
    progress(0.45, "check")
    entries: list[OrderDraft | PlainOrder] = []
    build, plain, no_items = fmt.build, fmt.plain, ()
    for key, rows in groups.items():
        if key is None or key in bad_item_orders or (tally.bad_rows and any(
                r["_row"] in tally.bad_rows for r in rows)):
            tally.bad_rows.update(int(r["_row"]) for r in rows)
            continue
        order_items = items.get(key, no_items)
        if plain is not None:  # the common order without a draft; anything else is build's to decide
            found = plain(rows, order_items)
            if found is not None:
                entries.append(found)
                continue
        try:
            entries.append(build(rows, order_items, language))
        except Skip:
            tally.skipped += len(rows)
        except RowProblem as problem:
            tally.error(FieldError(problem.column, problem.message(language), problem.row),
                        [int(r["_row"]) for r in rows])
    resolved = _resolve_skus(shop, entries, tally)
    errors_total = len(tally.errors)
    if tally.errors and not skip_invalid:
        return _Outcome(rows=tally.rows, rejected=len(tally.bad_rows), skipped=tally.skipped, errors=tally.errors,
                        errors_total=errors_total, rejected_file=True)
    main_rows = {str(rows[0].get(fmt.order_key)): len(rows) for rows in groups.values() if rows}
    counts = _write_orders(job, resolved, main_rows, progress, dry_run=bool(job.options.get("dry_run")))
    return _Outcome(rows=tally.rows, rejected=len(tally.bad_rows), skipped=tally.skipped, errors=tally.errors,
                    errors_total=errors_total, **counts)


Entry = OrderDraft | PlainOrder


def _codes_and_rows(entry: Entry) -> tuple[Sequence[str], Sequence[int], Sequence[int]]:
    """An order's lines' SKU codes and source rows, and every source row of the order."""
    if isinstance(entry, PlainOrder):
        return entry.codes, entry.line_rows, entry.rows
    lines = entry.lines
    return [line.sku_code for line in lines], [line.row for line in lines], entry.rows or (entry.row,)


def _resolve_skus(shop: Shop, entries: list[Entry], tally: _Tally) -> list[tuple[Entry, list[int]]]:
    """Each order with its lines' SKU ids; a line whose seller code is not in the catalog is a row error."""
    codes = set()
    for entry in entries:
        codes.update(_codes_and_rows(entry)[0])
    known = catalog_selectors.sku_ids_by_code(shop=shop, codes=codes)
    kept = []
    for entry in entries:
        line_codes, line_rows, rows = _codes_and_rows(entry)
        try:
            kept.append((entry, [known[code] for code in line_codes]))
            continue
        except KeyError:
            pass
        index = next(i for i, code in enumerate(line_codes) if code not in known)
        tally.error(FieldError("sku", _("Unknown SKU code %(code)s: add it to the catalog first.")
                               % {"code": line_codes[index]}, line_rows[index]), rows)
    return kept


def _order_input(draft: OrderDraft, account: ChannelAccount, customer_id: int, sku_ids: Sequence[int]) -> OrderInput:
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
    line_inputs = tuple(LineInput(sku_id, line.title[:200], line.unit_price_fen, line.qty, share)
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


def _order_batch(plains: Sequence[tuple[PlainOrder, list[int]]], account: ChannelAccount,
                 customer_ids: dict[str, int]) -> OrderBatch:
    """Common orders column by column, their order-level discounts allocated to the lines at once (numpy,
    the same largest-remainder numbers as ``allocate_order_discount``)."""
    starts = [0]
    sku_ids: list[int] = []
    titles: list[str] = []
    units: list[int] = []
    qtys: list[int] = []
    amounts: list[int] = []
    discounts: list[int] = []
    for order, ids in plains:
        sku_ids.extend(ids)
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
        customer_id=[customer_ids[o.buyer] for o in orders], placed_at=[o.placed_at for o in orders],
        paid_at=[o.paid_at for o in orders], status=[o.status for o in orders],
        shipping_fen=[o.shipping_fen for o in orders], province=[o.province for o in orders],
        city=[o.city for o in orders], line_starts=starts, sku_id=sku_ids, title=titles, unit_price_fen=units,
        qty=qtys, discount_fen=allocate_discounts(discounts, starts, amounts))


def _write_orders(job: ImportJob, resolved: list[tuple[Entry, list[int]]], rows_of: dict[str, int],
                  progress: Callable[[float, str], None], *, dry_run: bool) -> dict[str, int]:
    """Customers, orders, lines: one transaction (rolled back for a dry run); then the lake facts."""
    shop, account = job.shop, job.channel_account
    outcomes: dict[str, str] = {}
    drafts = [(entry, ids) for entry, ids in resolved if not isinstance(entry, PlainOrder)]
    plains = [(entry, ids) for entry, ids in resolved if isinstance(entry, PlainOrder)]
    touched_customers: set[int] = set()
    touched_dates: set[dt.date] = set()  # paid dates the lake must read back (corrected and one-by-one orders)
    debt = None
    # References are made right by construction here (ids looked up or created in this transaction, SKUs
    # checked again under its write lock), so SQLite need not look each one up per row: Django's
    # constraint_checks_disabled, as loaddata uses it — 2.4 s of a 1,000,000-line import. It does nothing
    # inside an outer transaction or on PostgreSQL, where the constraints keep checking.
    with _sqlite_cache(), connection.constraint_checks_disabled(), transaction.atomic():
        sku_ids = {sku_id for _entry, ids in resolved for sku_id in ids}
        _references_still_there(shop, account, resolved, sku_ids, job.options.get("language") or "zh")
        # column-wise new orders: the lake is told them from the import's columns, built beside the writes
        new_facts = NewOrderFacts(shop_id=shop.pk, sku_ids=sku_ids)
        buyers, tallies = _buyers_of(resolved)
        plan = customers_plan(shop=shop, channel=account.channel, buyers=buyers, orders=tallies)
        customer_ids, created = plan.ids, set(plan.new_ids)
        # Column-wise orders go in chunks; building and fingerprinting a chunk is pure Python, so it runs
        # beside the database's statements (the customers' and the previous chunks' inserts): core.bulk.SideWork
        chunks = [plains[start : start + PLAIN_WRITE_CHUNK] for start in range(0, len(plains), PLAIN_WRITE_CHUNK)]
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
        customers_plan_write(shop=shop, plan=plan, side_work=side)
        total = max(len(resolved), 1)
        done = 0
        for start in range(0, len(drafts), ORDER_WRITE_CHUNK):
            chunk = drafts[start : start + ORDER_WRITE_CHUNK]
            # customers_plan, _resolve_skus and the job's account are all looked up within this shop
            orders_upsert(shop=shop, outcomes=outcomes, touched_customers=touched_customers,
                          touched_dates=touched_dates, ids_of_shop=True, orders=[
                              _order_input(d, account, customer_ids[d.buyer_id], sku_ids) for d, sku_ids in chunk])
            done += len(chunk)
            progress(0.5 + 0.4 * done / total, "write")
        for index, chunk in enumerate(chunks):
            side.run(("build", index))
            for start in range(0, len(chunk), FINGERPRINT_TASK):
                side.run(("fingerprint", index, start))
            batch, fingerprints = batches.pop(index), prints.pop(index)
            known = len(new_facts.parts)
            orders_upsert_batch(shop=shop, batch=batch, fingerprints=fingerprints, outcomes=outcomes,
                                touched_customers=touched_customers, touched_dates=touched_dates, ids_of_shop=True,
                                inserted=new_facts.parts, side_work=side)
            for part in range(known, len(new_facts.parts)):
                side.add(("facts", part), functools.partial(new_facts.build, part))
            done += len(chunk)
            progress(0.5 + 0.4 * done / total, "write")
        changed = any(outcome != "unchanged" for outcome in outcomes.values())
        progress(0.9, "write")
        # customers created above already hold all their orders' stats; the others are counted again (also
        # those a corrected order moved away from)
        if touched_customers - created:
            customer_stats_apply(shop=shop, stats=(
                CustomerStats(*row) for row in order_selectors.customer_order_stats_rows(
                    shop=shop, customer_ids=touched_customers - created)))
        if dry_run:
            transaction.set_rollback(True)
        elif changed:
            # only the paid dates the import touched: the lake's other dates already match the DB. The debt
            # commits with the orders, so a crash before the lake commits below leaves it on record
            days = touched_dates | {day for part in new_facts.parts for day in (min(part.paid_dates),
                                                                                  max(part.paid_dates))}
            debt = facts_refresh_owe(shop=shop, date_from=min(days), date_to=max(days))
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for order_no, outcome in outcomes.items():
        counts[outcome] += rows_of.get(order_no, 1)
    if debt is not None:
        progress(0.92, "lake")
        facts_settle_import(shop=shop, debt=debt, new=new_facts,
                            refresh=(min(touched_dates), max(touched_dates)) if touched_dates else None)
    return counts


def _references_still_there(shop: Shop, account: ChannelAccount, resolved: list[tuple[Entry, list[int]]],
                            sku_ids: set[int], language: str) -> None:
    """The SKUs and the channel account were looked up before the write transaction began; one deleted since
    then rejects the file (nothing is written) instead of leaving orders or lines that point nowhere."""
    if not channel_selectors.channel_account_ids_in_shop(shop=shop, ids={account.pk}):
        zh, en = "导入期间渠道账号已被删除，没有导入任何数据", "The channel account was deleted during the import; nothing was imported."
        raise ReadError(zh, en, [FieldError("channel_account", en if language.startswith("en") else zh)],
                        language=language)
    used = sorted(sku_ids)
    found: set[int] = set()
    for start in range(0, len(used), 900):
        found |= catalog_selectors.sku_ids_in_shop(shop=shop, ids=set(used[start : start + 900]))
    gone = set(used) - found
    if not gone:
        return
    zh, en = "导入期间商品目录有变动（有 SKU 被删除），没有导入任何数据，请重新导入", \
        "The catalog changed during the import (a SKU was deleted); nothing was imported. Import the file again."
    rows = [line_row for entry, ids in resolved for sku_id, line_row in zip(ids, _codes_and_rows(entry)[1], strict=True)
            if sku_id in gone]
    message = zh if not language.startswith("en") else en
    raise ReadError(zh, en, [FieldError("sku", message, row) for row in rows[:IMPORT_ERRORS_KEPT]], language=language)


def _buyers_of(resolved: list[tuple[Entry, list[int]]]) -> tuple[list[BuyerSeen], dict[str, OrdersTally]]:
    """One BuyerSeen per buyer (the last order of a buyer, in file order, describes them) and each buyer's
    orders in this import (count, paid total, first and last paid instant): what a customer created for
    them starts with."""
    last_of: dict[str, Entry] = {}
    tallies: dict[str, list] = {}
    for entry, _ids in resolved:
        buyer = entry.buyer if isinstance(entry, PlainOrder) else entry.buyer_id
        last_of[buyer] = entry
        paid_at = entry.paid_at
        tally = tallies.get(buyer)
        if tally is None:
            tallies[buyer] = [1, entry.paid_fen, paid_at, paid_at]
        else:
            tally[0] += 1
            tally[1] += entry.paid_fen
            if paid_at < tally[2]:
                tally[2] = paid_at
            if paid_at > tally[3]:
                tally[3] = paid_at
    buyers = [
        BuyerSeen(buyer, buyer[:120], entry.paid_at, entry.province, entry.city) if isinstance(entry, PlainOrder)
        else BuyerSeen(buyer, entry.buyer_name[:120], entry.paid_at, entry.province, entry.city)
        for buyer, entry in last_of.items()]
    return buyers, {buyer: OrdersTally(*tally) for buyer, tally in tallies.items()}


@contextlib.contextmanager
def _sqlite_cache(kib: int = 262144) -> Iterator[None]:
    """A bigger SQLite page cache while an import writes (the orders' unique and date indexes of a large shop
    stop fitting the 2 MiB default); per connection, restored afterwards. Durability settings are not touched.
    The temporary database's cache (core.bulk's staging tables) is left alone: shrinking it back after a
    large import corrupted later temporary tables on SQLite 3.40 (the full `shopops demo` failed with
    "database disk image is malformed"; tests/demo/test_demo_command.py builds it)."""
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


def export_sample(*, shop: Shop, format_name: str, path: str, limit: int = 2000) -> dict[str, object]:
    """A realistic file in ``format_name`` from the shop's own data (the demo world), ready to import."""
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise InvalidInput(_("Unknown format %(name)s.") % {"name": format_name}, [FieldError(
            "format", _("Choose one of: %(names)s.") % {"names": ", ".join(sorted(FORMATS))})])
    if fmt.target == "lake":
        from shopops.imports.formats.lake_formats import write_sample

        skus = [(s.sku_code, s.product.title) for s in catalog_selectors.skus_by_code(shop=shop).values()]
        rows = write_sample(format_name, path, end_date=today(shop.timezone), skus=skus)
        return {"format": format_name, "file": str(path), "rows": rows}
    orders = order_selectors.orders_for_export(shop=shop, channel=fmt.channel, limit=limit) or \
        order_selectors.orders_for_export(shop=shop, limit=limit)
    samples = [SampleOrder(
        order_no=o["order_no"], buyer=(o["customer__name"] or f"buyer{o['customer_id']}")[:40],
        placed_at=o["placed_at"], paid_at=o["paid_at"], status=o["status"], paid_fen=o["paid_fen"],
        shipping_fen=o["shipping_fen"], province=o["province"], city=o["city"], source=o["source"],
        lines=tuple(SampleLine(li["sku__sku_code"], li["title"], li["unit_price_fen"], li["qty"])
                    for li in o["lines"]))
        for o in orders if o["lines"]]
    return write_order_sample(format_name, path, samples)


# ------------------------------------------------------------------------------------------------- uploads
#
# An upload is written only once its request is valid (format, item file, channel account, permission), under
# a temporary name that is renamed when the job is accepted (its row committed). The upload of a rejected or
# failed job is removed at once, any other after the retention period (SHOPOPS_IMPORT_RETENTION_DAYS, default
# 30): imports_clean, run daily by the worker and by `shopops imports clean`. Files named on the command line
# are the user's own and never removed.

UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet", ".tsv")
UPLOAD_PART = ".part"  # the temporary name's suffix, until the job is accepted
RETENTION_DAYS_DEFAULT = 30
ORPHAN_GRACE = dt.timedelta(hours=1)  # an upload no job points to (a request that failed mid-way) waits this long


def _uploads_dir() -> Path:
    return _job_dir() / "uploads"


def upload_folder(path: str) -> Path | None:
    """The upload's own folder (``uploads/<random>/``) when ``path`` is an upload, else None (a user's file)."""
    if not path:
        return None
    try:
        folder = Path(path).resolve().parent
        root = _uploads_dir().resolve()
    except (OSError, ValueError):
        return None
    return folder if folder.parent == root else None


def remove_folder(folder: Path) -> int:
    """Delete an upload folder; the bytes freed (0 when it was already gone)."""
    freed = 0
    with contextlib.suppress(OSError):
        for item in folder.iterdir():
            with contextlib.suppress(OSError):
                freed += item.stat().st_size
                item.unlink()
        folder.rmdir()
    return freed


def _upload_folders(job: ImportJob) -> set[Path]:
    found = {upload_folder(job.file_path), upload_folder(str(job.options.get("items_path") or ""))}
    return {folder for folder in found if folder is not None}


def _upload_remove(job: ImportJob) -> int:
    """Remove a job's uploaded files (never a file named on the command line); the bytes freed."""
    return sum(remove_folder(folder) for folder in _upload_folders(job))


def import_upload_store(*, uploaded: object, file_name: str) -> str:
    """Copy an uploaded file under the data dir for the task to read, under a temporary name until the job is
    accepted (import_upload_accept). The stored name is ours, never the user's path; the returned path is the
    final one."""
    import uuid

    folder = _uploads_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    suffix = Path(file_name).suffix.lower()
    target = folder / f"upload{suffix if suffix in UPLOAD_SUFFIXES else ''}"
    try:
        with target.with_name(target.name + UPLOAD_PART).open("wb") as out:
            for chunk in uploaded.chunks():  # type: ignore[attr-defined]
                out.write(chunk)
    except BaseException:
        remove_folder(folder)
        raise
    return str(target)


def import_upload_accept(*, path: str) -> None:
    """The job of an upload was accepted: its file takes its final name."""
    os.replace(path + UPLOAD_PART, path)


def import_retention_days() -> int:
    """How long the uploads of finished imports are kept: ``SHOPOPS_IMPORT_RETENTION_DAYS`` (default 30)."""
    raw = os.environ.get("SHOPOPS_IMPORT_RETENTION_DAYS", "").strip()
    if not raw:
        return RETENTION_DAYS_DEFAULT
    if not raw.isdigit():
        raise InvalidInput(
            _("SHOPOPS_IMPORT_RETENTION_DAYS must be a whole number of days (0 or more), not %(value)s.")
            % {"value": raw[:40]}, [FieldError("SHOPOPS_IMPORT_RETENTION_DAYS", _("A whole number of days."))])
    return int(raw)


def imports_clean(*, older_than_days: int | None = None, at: dt.datetime | None = None) -> dict[str, object]:
    """Remove what imports leave behind: the uploads of rejected and failed jobs, the uploads of jobs finished
    more than ``older_than_days`` ago (default: the retention setting), uploads no job points to (after an
    hour: a request that failed between storing and recording), and the progress files of finished jobs.
    Queued and running jobs keep their files; running jobs whose process died are marked failed first."""
    days = import_retention_days() if older_than_days is None else older_than_days
    if days < 0:
        raise InvalidInput(_("The age must be 0 days or more."), [FieldError("older_than", _("0 or more days."))])
    moment = at or now()
    cutoff = moment - dt.timedelta(days=days)
    dead = import_jobs_settle_dead(at=moment)
    removed_jobs: list[int] = []
    freed = 0
    kept: set[Path] = set()
    active = {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}
    live_ids: set[int] = set()
    for job in ImportJob.objects.only("id", "status", "file_path", "options", "created_at", "finished_at"):
        if job.status in active:
            live_ids.add(job.pk)
        folders = _upload_folders(job)
        if not folders:
            continue
        expired = job.status in (ImportJob.Status.REJECTED, ImportJob.Status.FAILED) or (
            job.status == ImportJob.Status.DONE and (job.finished_at or job.created_at) < cutoff)
        if not expired:
            kept |= folders
            continue
        if any(folder.exists() for folder in folders):
            freed += sum(remove_folder(folder) for folder in folders)
            removed_jobs.append(job.pk)
    orphans = 0
    uploads = _uploads_dir()
    if uploads.is_dir():
        for folder in uploads.iterdir():
            try:
                if folder.resolve() in kept or not folder.is_dir():
                    continue
                touched = max([folder.stat().st_mtime, *(item.stat().st_mtime for item in folder.iterdir())])
                if dt.datetime.fromtimestamp(touched, tz=dt.UTC) > moment - ORPHAN_GRACE:
                    continue  # still being written, or its request is still running
            except OSError:
                continue
            freed += remove_folder(folder)
            orphans += 1
    progress_files = 0
    for item in _job_dir().iterdir():
        stem = item.name.split(".", 1)[0]
        if item.is_file() and stem.isdigit() and int(stem) not in live_ids and item.suffix in (
                ".progress", ".heartbeat", ".tmp"):
            with contextlib.suppress(OSError):
                item.unlink()
                progress_files += 1
    return {"retention_days": days, "removed_jobs": removed_jobs, "orphans": orphans, "bytes": freed,
            "progress_files": progress_files, "kept": len(kept), "failed_dead_jobs": dead}


# ------------------------------------------------------------------------------------------ dead jobs
#
# A job's process may die without a word (SIGKILL, out of memory, a reboot): its job would say "running"
# forever. The job records its runner ("host|boot id|pid|process start") and beats a heartbeat file while it
# runs. On the runner's own machine the process is looked up (gone, a zombie, or its pid reused by another
# process: dead); from another machine only a heartbeat that stopped beating counts, and a job whose heartbeat
# this machine cannot see is left alone. A job in a live process is never touched.

HEARTBEAT_EVERY = 30.0  # seconds
HEARTBEAT_STALE = dt.timedelta(minutes=10)


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _process_stat(pid: int) -> tuple[str, str]:
    """(state, start time in clock ticks since boot) from /proc, ("", "") where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "", ""
    fields = stat.rpartition(")")[2].split()  # the command name may hold spaces and parentheses
    return (fields[0], fields[19]) if len(fields) > 19 else ("", "")


def _runner_identity() -> str:
    pid = os.getpid()
    return "|".join((socket.gethostname(), _boot_id(), str(pid), _process_stat(pid)[1]))[:300]


def _runner_alive(runner: str) -> bool | None:
    """Whether the recorded process still runs, when this machine can tell (None: another machine)."""
    host, boot, pid_text, start = [*runner.split("|"), "", "", "", ""][:4]
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    here = _boot_id()
    if boot and here and boot != here:
        return False  # the machine restarted since
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    except OSError:
        return None
    state, started = _process_stat(pid)
    # dead when it exited and was not reaped yet, or when the pid now belongs to another process
    return not (state == "Z" or (start and started and started != start))


def _heartbeat_path(job_id: int) -> Path:
    return _job_dir() / f"{job_id}.heartbeat"


@contextlib.contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    """Touch the job's heartbeat file every HEARTBEAT_EVERY seconds while the block runs (a daemon thread)."""
    path = _heartbeat_path(job_id)
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_EVERY):
            with contextlib.suppress(OSError):
                path.touch()

    with contextlib.suppress(OSError):
        path.touch()
    thread = threading.Thread(target=beat, name=f"import-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        with contextlib.suppress(OSError):
            path.unlink()


def _job_alive(job: ImportJob, moment: dt.datetime) -> bool:
    verdict = _runner_alive(job.runner) if job.runner else None
    if verdict is not None:
        return verdict
    beats = []
    for path in (_heartbeat_path(job.pk), _job_dir() / f"{job.pk}.progress"):
        with contextlib.suppress(OSError):
            beats.append(dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC))
    if beats:
        return max(beats) > moment - HEARTBEAT_STALE
    if job.runner:
        return True  # another machine whose files this one cannot see: it cannot tell, so leaves it alone
    return (job.started_at or job.created_at) > moment - HEARTBEAT_STALE  # from before runners were recorded


def import_jobs_settle_dead(*, at: dt.datetime | None = None) -> list[int]:
    """Mark failed the running jobs whose process ended without finishing them (killed, crashed, the machine
    restarted), remove their uploads, and return their ids. Called when a worker starts, by `shopops lake
    settle` and by imports_clean."""
    moment = at or now()
    failed = []
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING):
        if _job_alive(job, moment):
            continue
        with translation.override(str(job.options.get("language") or "zh-hans")):
            message = _("The import stopped before it finished: its process ended (killed or crashed). Check the "
                        "data and import the file again; a re-import never counts an order twice.")
        started = job.started_at or job.created_at
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, runner=job.runner).update(
            status=ImportJob.Status.FAILED, finished_at=moment, progress=1.0,
            seconds=max((moment - started).total_seconds(), 0.0),
            errors=[{"row": None, "column": "file", "message": message}])
        if updated:
            failed.append(job.pk)
            _upload_remove(job)
            for suffix in (".progress", ".heartbeat"):
                with contextlib.suppress(OSError):
                    (_job_dir() / f"{job.pk}{suffix}").unlink()
    return failed
