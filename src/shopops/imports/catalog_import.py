"""A catalog file's import: read → convert → group rows by product → CatalogRows → check against the stored
catalog → write categories, products, SKUs and listings in ONE transaction through the catalog services.

All or nothing, always (``skip_invalid`` does not apply: half a catalog breaks the orders that follow). The
same file again changes nothing and counts every row unchanged; a changed price, cost or status updates the
SKU (audited). An existing product keeps its title and category, and a new SKU code under an existing SPU is
refused (the catalog has no service to add one to a stored product yet).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog import services as catalog_services
from shopops.catalog.domain import ListingSkuInput, ProductInput, SkuInput
from shopops.core.errors import FieldError, ShopOpsError
from shopops.core.models import Shop
from shopops.core.money import format_fen
from shopops.imports.formats.base import Format, RowProblem
from shopops.imports.formats.catalog_formats import CatalogFormat, CatalogRow
from shopops.imports.models import ImportJob
from shopops.imports.order_import import read_groups
from shopops.imports.outcome import Outcome, Tally

if TYPE_CHECKING:
    from shopops.catalog.models import Category, Sku

T = TypeVar("T")


class _Rollback(Exception):
    """Undo the transaction: a dry run, or a service refused a write."""


def run_catalog(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    if not isinstance(fmt, CatalogFormat) or fmt.rows is None:
        raise ValueError(f"{fmt.name} is not a catalog format")
    shop = job.shop
    tally = Tally()
    groups = read_groups(job.file_path, fmt.columns, fmt.order_key, tally, shop.timezone,
                          progress=lambda f: progress(0.4 * f, "read"))
    tally.rows = sum(len(rows) for rows in groups.values())
    progress(0.45, "check")
    products: list[list[CatalogRow]] = []
    for key, rows in groups.items():
        if key is None or any(r["_row"] in tally.bad_rows for r in rows):
            continue
        try:
            products.append(fmt.rows(rows))
            tally.skipped += len(rows) - len(products[-1])  # rows that are no SKU (Shopify's image rows)
        except RowProblem as problem:
            tally.error(FieldError(problem.column, problem.text, problem.row), [int(r["_row"]) for r in rows])
    skus = catalog_selectors.skus_by_code(shop=shop)  # once: a catalog file names thousands of SKUs
    _check_stored(skus, products, tally)
    if tally.errors:
        return Outcome(rows=tally.rows, rejected=len(tally.bad_rows), errors=tally.errors,
                       errors_total=len(tally.errors), rejected_file=True)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            tree = _Tree(list(catalog_selectors.categories(shop=shop)))
            for index, items in enumerate(products):
                for outcome in _write_product(shop, job, items, skus, tree):
                    counts[outcome] += 1
                progress(0.5 + 0.5 * (index + 1) / max(len(products), 1), "write")
            if job.options.get("dry_run"):
                raise _Rollback
    except _Rollback:
        pass
    except _Refused as refused:
        return Outcome(rows=tally.rows, rejected=tally.rows, errors=refused.errors,
                       errors_total=len(refused.errors), rejected_file=True)
    return Outcome(rows=tally.rows, inserted=counts["inserted"], updated=counts["updated"],
                   unchanged=counts["unchanged"], skipped=tally.skipped)


class _Refused(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors)
        self.errors = errors


def _check_stored(stored: dict[str, Sku], products: Sequence[list[CatalogRow]], tally: Tally) -> None:
    """Row errors a file makes against what is stored: a SKU code of another product, a new SKU under an
    existing product, a SKU code twice in the file (across products)."""
    stored_spus = {sku.product.spu_code for sku in stored.values()}
    seen: dict[str, int] = {}
    for items in products:
        for item in items:
            column = item.columns.get("sku_code", "")
            if item.sku_code in seen:
                tally.error(FieldError(column, _("The SKU code %(code)s is also on row %(row)s.")
                                       % {"code": item.sku_code, "row": seen[item.sku_code]}, item.row))
                continue
            seen[item.sku_code] = item.row
            sku = stored.get(item.sku_code)
            if sku is not None and sku.product.spu_code != item.spu_code:
                tally.error(FieldError(column, _("The SKU code %(code)s belongs to the product %(spu)s.")
                                       % {"code": item.sku_code, "spu": sku.product.spu_code}, item.row))
            elif sku is None and item.spu_code in stored_spus:
                tally.error(FieldError(column, _("The product %(spu)s exists: add the SKU %(code)s on its page.")
                                       % {"spu": item.spu_code, "code": item.sku_code}, item.row))


def _category_code(parts: Sequence[str]) -> str:
    """A stable code for a category the import creates (the same path → the same code)."""
    return "c-" + hashlib.sha1("/".join(parts).encode()).hexdigest()[:12]


class _Tree:
    """The shop's categories by (parent id, name), kept up to date as the import creates levels."""

    def __init__(self, stored: Sequence[Category]) -> None:
        self.codes = {(c.parent_id, c.name): c.code for c in stored}
        self.ids = {c.code: c.pk for c in stored}


def _ensure_category(shop: Shop, tree: _Tree, parts: Sequence[str], row: int, column: str) -> str:
    """The code of the category at ``parts`` (names from the top), creating the missing levels; a single part
    that is a stored category's code is that category (a file may name categories by code)."""
    if len(parts) == 1 and parts[0] in tree.ids:
        return parts[0]
    parent: str | None = None
    for depth in range(len(parts)):
        parent_id = tree.ids[parent] if parent is not None else None
        code = tree.codes.get((parent_id, parts[depth]))
        if code is None:
            code = _category_code(parts[: depth + 1])
            made = _call(partial(catalog_services.category_create, shop=shop, code=code, name=parts[depth],
                                 exists_ok=True, parent=parent), row, {"name": column, "parent": column, "code": column})
            tree.ids[code], tree.codes[(parent_id, parts[depth])] = made.pk, code
        parent = code
    assert parent is not None
    return parent


def _call(write: Callable[[], T], row: int, columns: dict[str, str]) -> T:
    """A service write; a refusal names the row and the file's column, and rolls the whole import back."""
    try:
        return write()
    except ShopOpsError as exc:
        errors = exc.errors or [FieldError("", exc.detail)]
        raise _Refused([FieldError(columns.get(e.field.split(".")[-1].removesuffix("_id"), e.field), e.message, row)
                        for e in errors]) from exc


def _write_product(shop: Shop, job: ImportJob, items: list[CatalogRow], skus: dict[str, Sku],
                   tree: _Tree) -> list[str]:
    """Write one product's rows; each row's outcome: inserted, updated or unchanged."""
    head = items[0]
    stored = {i.sku_code: skus[i.sku_code] for i in items if i.sku_code in skus}
    outcomes: list[str] = []
    if not stored:
        category = _ensure_category(shop, tree, head.category, head.row, head.category_column)
        data = ProductInput(spu_code=head.spu_code, title=head.title, category=category, brand=head.brand,
                            skus=tuple(SkuInput(i.sku_code, format_fen(i.price_fen), format_fen(i.cost_fen or 0),
                                                i.attributes, i.barcode) for i in items))
        _call(lambda: catalog_services.product_create(shop=shop, data=data), head.row, head.columns)
        outcomes = ["inserted"] * len(items)
        for item in items:
            if not item.active:
                stored_sku = catalog_selectors.sku_by_code(shop=shop, sku_code=item.sku_code)
                assert stored_sku is not None
                _call(partial(catalog_services.sku_update, sku=stored_sku, active=False), item.row, item.columns)
    else:
        for item in items:
            sku = stored[item.sku_code]
            changed = (sku.price_fen != item.price_fen or sku.active != item.active
                       or (item.cost_fen is not None and sku.cost_fen != item.cost_fen))
            if changed:
                _call(partial(catalog_services.sku_update, sku=sku, price=format_fen(item.price_fen),
                              cost=None if item.cost_fen is None else format_fen(item.cost_fen), active=item.active),
                      item.row, item.columns)
            outcomes.append("updated" if changed else "unchanged")
    account = job.channel_account_id
    if head.item_id and account is not None:
        product = catalog_selectors.sku_by_code(shop=shop, sku_code=head.sku_code)
        assert product is not None
        listing, created = _call(lambda: catalog_services.listing_upsert(
            shop=shop, product=product.product, channel_account_id=account, title=head.listing_title,
            external_id=head.item_id, url=head.url, status="online" if head.active else "offline"),
                                 head.row, head.columns)
        counts = _call(lambda: catalog_services.listing_skus_upsert(listing=listing, rows=[
            ListingSkuInput(sku_code=i.sku_code, platform_sku_id=i.platform_sku_id, price=format_fen(i.price_fen),
                            status="online" if i.active else "offline") for i in items]), head.row, head.columns)
        if created or counts.inserted or counts.updated:
            outcomes = [o if o == "inserted" else "updated" for o in outcomes]
    return outcomes
