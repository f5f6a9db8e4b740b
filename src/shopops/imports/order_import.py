"""An order file's import up to the write: read → convert → group rows into orders → build drafts (or
plain orders) → resolve SKUs; nothing is written before the whole file has been validated (``order_writer``).

Speed (benchmarks/import_taobao_orders.py): rows are views over the converted columns; a format's ``plain``
function turns its common orders into PlainOrder tuples (no draft), written column-wise by
orders_upsert_batch; every other order (errors, skips, refunds, other formats) takes the draft path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from shopops.catalog import selectors as catalog_selectors
from shopops.core.errors import FieldError
from shopops.core.models import Shop
from shopops.core.text import gettext_noop
from shopops.imports.columns import Column, ColumnConverter, RowView, resolve_columns
from shopops.imports.filetypes import ReadError
from shopops.imports.formats.base import Format, OrderDraft, PlainOrder, RowProblem, Skip
from shopops.imports.models import ImportJob
from shopops.imports.order_merge import draft_of_plain
from shopops.imports.order_writer import Entry, Resolved, codes_and_rows, line_identity, write_orders
from shopops.imports.outcome import Outcome, Tally
from shopops.imports.readers import read_table


def read_groups(path: str, columns: Sequence[Column], key: str, tally: Tally, tz: str,
                 progress: Callable[[float], None] | None = None, label: str = "",
                 ) -> dict[object, list[RowView]]:
    """Read, convert and group a file's rows by ``key`` (rows of one order may be anywhere in the file); the
    rows are views over the converted columns, not a dict each."""
    groups: dict[object, list[RowView]] = {}
    with read_table(path) as stream:
        resolution = resolve_columns(stream.headers, columns)
        if resolution.errors:
            raise ReadError(gettext_noop("the file lacks required columns; nothing was imported"),
                            [FieldError(f"{label}{e.field}", e.message, e.row) for e in resolution.errors])
        converter = ColumnConverter(columns, resolution, tz=tz)
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


def run_orders(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    shop = job.shop
    skip_invalid = bool(job.options.get("skip_invalid"))
    tally = Tally()
    groups = read_groups(job.file_path, fmt.columns, fmt.order_key, tally, shop.timezone,
                          progress=lambda f: progress(0.4 * f, "read"))
    tally.rows = sum(len(rows) for rows in groups.values())
    items: dict[object, list[RowView]] = {}
    items_path = str(job.options.get("items_path") or "")
    item_tally = Tally()
    if items_path:
        items = read_groups(items_path, fmt.item_columns, fmt.item_columns[0].name, item_tally, shop.timezone,
                             label="items:")
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
            entries.append(build(rows, order_items))
        except Skip:
            tally.skipped += len(rows)
        except RowProblem as problem:
            tally.error(FieldError(problem.column, problem.text, problem.row),
                        [int(r["_row"]) for r in rows])
    resolved = _resolve_skus(shop, job.channel_account_id, entries, tally,
                             strict=bool(job.options.get("strict_skus")))
    errors_total = len(tally.errors)
    if tally.errors and not skip_invalid:
        return Outcome(rows=tally.rows, rejected=len(tally.bad_rows), skipped=tally.skipped, errors=tally.errors,
                        errors_total=errors_total, rejected_file=True)
    main_rows = {str(rows[0].get(fmt.order_key)): len(rows) for rows in groups.values() if rows}
    counts = write_orders(job, fmt, resolved, main_rows, progress, dry_run=bool(job.options.get("dry_run")))
    return Outcome(rows=tally.rows, rejected=len(tally.bad_rows), skipped=tally.skipped, errors=tally.errors,
                   errors_total=errors_total, unmatched_lines=resolved.unmatched_lines,
                   **counts)  # type: ignore[arg-type]



def _resolve_skus(shop: Shop, account_id: int, entries: list[Entry], tally: Tally, *, strict: bool) -> Resolved:
    """Each order with its lines' SKU ids (docs/rules/sku-matching.md#order: seller code, then the mapping
    table and listings, then barcode). A line that matches nothing stays unmatched (None) and its order is
    imported; with ``strict`` (``--strict-skus``) it is a row error, as it always was. A common order with a
    line its seller code does not match takes the draft way (where lines keep their identifiers)."""
    codes: set[str] = set()
    for entry in entries:
        if isinstance(entry, PlainOrder):
            codes.update(entry.codes)
    by_code = catalog_selectors.sku_ids_by_code(shop=shop, codes=codes)
    plains: list[tuple[Entry, list[int | None]]] = []
    drafts: list[OrderDraft] = []
    for entry in entries:
        if isinstance(entry, PlainOrder):
            try:
                plains.append((entry, [by_code[code] for code in entry.codes]))
                continue
            except KeyError:
                entry = draft_of_plain(entry)
        drafts.append(entry)
    identities = [[line_identity(line) for line in draft.lines] for draft in drafts]
    found = catalog_selectors.skus_for_lines(shop=shop, channel_account_id=account_id,
                                             lines={identity for lines in identities for identity in lines})
    kept = Resolved(plains)
    for draft, lines in zip(drafts, identities, strict=True):
        ids = [found.get(identity) for identity in lines]
        if None not in ids or not strict:
            kept.append((draft, ids))
            kept.unmatched_lines += ids.count(None)
            continue
        index = ids.index(None)
        line = draft.lines[index]
        if not line.sku_code:
            tally.error(FieldError(line.code_column or "sku", line.missing_code or _("must not be empty"), line.row),
                        codes_and_rows(draft)[2])
        else:
            tally.error(FieldError("sku", _("Unknown SKU code %(code)s: add it to the catalog first.")
                                   % {"code": line.sku_code}, line.row), codes_and_rows(draft)[2])
    draft_codes = {line.sku_code for draft in drafts for line in draft.lines if line.sku_code} - set(by_code)
    kept.by_code = {**by_code, **(catalog_selectors.sku_ids_by_code(shop=shop, codes=draft_codes)
                                  if draft_codes else {})}
    return kept
