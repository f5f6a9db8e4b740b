"""A catalog file's import: read → convert → group rows by product → CatalogRows → ONE ``catalog_sync`` (the
catalog's bulk service) in one transaction: categories, products, SKUs and listings.

All or nothing, always (``skip_invalid`` does not apply: half a catalog breaks the orders that follow). The
same file again changes nothing and counts every row unchanged; a file that changes a product's name or
category, adds a SKU or changes a SKU's price, cost, barcode or status updates them, and the summary's
``changes`` says how many of each kind were created, updated and unchanged (docs/formats.md#catalog-updates).
The option ``audit: off`` (set by the demo only, never by a face) keeps the demo's generated catalog out of the
audit log, as its other records are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog import services as catalog_services
from shopops.catalog.services import ListingSync, ProductSync, SkuSync, SyncResult
from shopops.core.errors import FieldError, ShopOpsError
from shopops.imports.formats.base import Format, RowProblem
from shopops.imports.formats.catalog_formats import CatalogFormat, CatalogRow
from shopops.imports.models import ImportJob
from shopops.imports.order_import import read_groups
from shopops.imports.outcome import DryRunRollback, Outcome, Tally, rejected_file

_PATH = re.compile(r"products\[(\d+)\](?:\.skus\[(\d+)\])?(?:\.listing)?\.?(\w*)")


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
            items = fmt.rows(rows)
        except RowProblem as problem:
            tally.error(FieldError(problem.column, problem.text, problem.row), [int(r["_row"]) for r in rows])
            continue
        if items:
            products.append(items)
        tally.skipped += len(rows) - len(items)  # rows that are no SKU (Shopify's image rows)
    _check_codes(products, tally)
    if tally.errors:
        return rejected_file(tally.rows, tally.errors)
    progress(0.5, "write")
    account = job.channel_account_id
    try:
        with transaction.atomic():
            result = catalog_services.catalog_sync(
                shop=shop, products=[_product(items, account is not None) for items in products],
                channel_account_id=account if any(items[0].item_id for items in products) else None,
                actor=job.created_by, audit=job.options.get("audit") != "off")
            if job.options.get("dry_run"):
                raise DryRunRollback(result)
    except DryRunRollback as rollback:
        result = cast(SyncResult, rollback.result)
    except ShopOpsError as refused:
        return rejected_file(tally.rows, [_located(error, products) for error in refused.errors or
                                      [FieldError("", refused.detail)]])
    outcomes = [result.skus.get(item.sku_code, "unchanged") for items in products for item in items]
    return Outcome(rows=tally.rows, inserted=outcomes.count("inserted"), updated=outcomes.count("updated"),
                   unchanged=outcomes.count("unchanged"), skipped=tally.skipped, changes=result.as_dict())


def _check_codes(products: Sequence[list[CatalogRow]], tally: Tally) -> None:
    """A SKU code twice in the file (across products: the format's unique column catches the plain case) is
    an error on each later row, naming the first."""
    seen: dict[str, int] = {}
    for items in products:
        for item in items:
            if item.sku_code in seen:
                tally.error(FieldError(item.columns.get("sku_code", ""), _(
                    "The SKU code %(code)s is also on row %(row)s.") % {"code": item.sku_code,
                                                                         "row": seen[item.sku_code]}, item.row))
            seen.setdefault(item.sku_code, item.row)


def _product(items: list[CatalogRow], listed: bool) -> ProductSync:
    """One product of the file as the catalog service takes it (the listing only on an import's account)."""
    head = items[0]
    listing = ListingSync(external_id=head.item_id, title=head.listing_title, url=head.url,
                          online=head.active) if listed and head.item_id else None
    return ProductSync(
        spu_code=head.spu_code, title=head.title, category=head.category, brand=head.brand,
        description=head.description, launched_on=head.launched_on, listing=listing,
        new_spu_code=head.new_spu_code,
        skus=tuple(SkuSync(sku_code=i.sku_code, price_fen=i.price_fen, cost_fen=i.cost_fen,
                           attributes=i.attributes or None, barcode=i.barcode, active=i.active,
                           platform_sku_id=i.platform_sku_id) for i in items))


def _located(error: FieldError, products: Sequence[list[CatalogRow]]) -> FieldError:
    """A service's refusal (``products[i].skus[j].price``) as the file's row and column."""
    found = _PATH.fullmatch(error.field)
    if found is None:
        return error
    items = products[int(found[1])]
    item = items[int(found[2])] if found[2] is not None and int(found[2]) < len(items) else items[0]
    name = found[3]
    column = item.category_column if name == "category" else item.columns.get(name, name)
    return FieldError(column, error.message, item.row)
