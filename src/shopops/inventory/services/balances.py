"""Balance rows (one SKU at one location) and the conditional writes every stock service is built on.

Concurrency (docs/rules/inventory.md#conditional-decrement): every decrement is a conditional
``UPDATE … WHERE on_hand − reserved − pooled >= q`` whose row count says whether it happened — never
read-then-write, which loses updates on PostgreSQL under READ COMMITTED. This is correct on SQLite (IMMEDIATE
transactions serialise writers) and on PostgreSQL (the UPDATE re-checks its WHERE on the newest row version
after waiting for the row lock). CHECK constraints in models.py are the last line of defence.

Lock order, the same in every write (deadlock avoidance, docs/rules/inventory.md#lock-order): reservation row
→ pool-customer row → pool row → balance rows in location-id order.
"""

from __future__ import annotations

from django.db.models import F, Sum

from shopops.core.errors import Conflict
from shopops.core.models import Shop
from shopops.inventory.models import Balance


class StockConflict(Conflict):
    """Not enough stock: the 409 carries how many units are available."""

    def __init__(self, detail: str, available: int) -> None:
        super().__init__(detail)
        self.available = available


def balance_ensure(shop: Shop, sku_id: int, location_id: int, sku_code: str = "") -> None:
    """Create the balance row of a SKU at a location unless it exists (a concurrent creator is fine)."""
    Balance.objects.bulk_create([Balance(shop=shop, sku_id=sku_id, location_id=location_id, sku_code=sku_code)],
                                ignore_conflicts=True)


def available_total(sku_id: int) -> int:
    """Units of the SKU available at all active locations."""
    row = Balance.objects.filter(sku_id=sku_id, location__active=True).aggregate(
        a=Sum(F("on_hand") - F("reserved") - F("pooled")))
    return row["a"] or 0


def available_at(sku_id: int, location_id: int) -> int:
    row = Balance.objects.filter(sku_id=sku_id, location_id=location_id).values_list(
        "on_hand", "reserved", "pooled").first()
    return row[0] - row[1] - row[2] if row else 0


def units_take(sku_id: int, location_id: int, qty: int) -> bool:
    """Remove ``qty`` units from on hand if that many are available there (one conditional UPDATE)."""
    return bool(
        Balance.objects.filter(sku_id=sku_id, location_id=location_id,
                               on_hand__gte=F("reserved") + F("pooled") + qty)
        .update(on_hand=F("on_hand") - qty)
    )


def units_put(shop: Shop, sku_id: int, location_id: int, qty: int, sku_code: str = "") -> None:
    """Add ``qty`` units to on hand, creating the balance row when it is the first."""
    if not Balance.objects.filter(sku_id=sku_id, location_id=location_id).update(on_hand=F("on_hand") + qty):
        balance_ensure(shop, sku_id, location_id, sku_code)
        Balance.objects.filter(sku_id=sku_id, location_id=location_id).update(on_hand=F("on_hand") + qty)
