"""The service side of replenishment: approved suggestions become draft purchase orders.

The suggestions themselves (forecast, safety stock, reorder point, order quantity) are computed by the pure
module inventory/replenishment.py through selectors.replenishment_plan.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.models import Shop
from shopops.inventory.models import PurchaseOrder
from shopops.inventory.selectors import replenishment_plan
from shopops.inventory.services.purchasing import po_create


def replenishment_approve(*, shop: Shop, sku_codes: list[str], end: dt.date,
                          quantities: dict[str, int] | None = None) -> tuple[list[PurchaseOrder], list[str]]:
    """Turn the suggestions for ``sku_codes`` into draft purchase orders, one per supplier.

    ``quantities`` may override a suggested quantity. SKUs without a supplier or with nothing to order are
    returned as skipped, and so are codes that are not active SKUs of the shop. Drafts count as incoming in
    the next plan, so approving twice does not order twice.
    """
    wanted = set(sku_codes)
    by_supplier: dict[str, list[tuple[str, int]]] = {}
    skipped = []
    seen = set()
    for row in replenishment_plan(shop=shop, end=end):
        if row["sku"] not in wanted:
            continue
        seen.add(row["sku"])
        qty = (quantities or {}).get(row["sku"], row["suggested_qty"])
        if not row["supplier"] or not qty or qty <= 0:
            skipped.append(row["sku"])
            continue
        by_supplier.setdefault(row["supplier"], []).append((row["sku"], int(qty)))
    with transaction.atomic():
        orders = [po_create(shop=shop, supplier_code=code, lines=lines, note=_("From replenishment"))
                  for code, lines in sorted(by_supplier.items())]
    return orders, skipped + sorted(wanted - seen)
