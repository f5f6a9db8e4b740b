"""Stock reads for pages, API and CLI."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from shopops.catalog.selectors import sku_by_code
from shopops.core.models import Shop
from shopops.core.querying import Sorts
from shopops.inventory.models import (
    Balance,
    ChannelRule,
    ChannelSync,
    Location,
    Pool,
    PurchaseOrder,
    PurchaseOrderLine,
    Reservation,
    StockMove,
    Supplier,
    SupplierSku,
)


def sku_get(*, shop: Shop, sku_code: str):  # noqa: ANN201 (a catalog Sku or None)
    return sku_by_code(shop=shop, sku_code=sku_code.strip())


def locations(*, shop: Shop) -> QuerySet[Location]:
    return Location.objects.filter(shop=shop).order_by("-is_default", "priority", "id")


def balances_for_sku(*, shop: Shop, sku_id: int) -> dict:
    """Per location and in total: on hand, reserved, pooled, available, in transit."""
    rows = []
    total = {"on_hand": 0, "reserved": 0, "pooled": 0, "available": 0, "in_transit": 0}
    for b in Balance.objects.filter(shop=shop, sku_id=sku_id).select_related("location").order_by(
            "-location__is_default", "location__priority", "location_id"):
        row = {"location": b.location.code, "location_name": b.location.name, "on_hand": b.on_hand,
               "reserved": b.reserved, "pooled": b.pooled, "available": b.available, "in_transit": b.in_transit}
        rows.append(row)
        for key in total:
            total[key] += row[key]
    return {"locations": rows, "total": total}


STOCK_SORTS = Sorts(
    fields={
        "sku": ("sku__sku_code",),
        "on_hand": ("on_hand",),
        "available": ("available",),
        "reserved": ("reserved",),
        "in_transit": ("in_transit",),
    },
    default="sku",
)


def stock_overview(*, shop: Shop, q: str = "", location: str = "", state: str = "", sort: str = "",
                   ) -> tuple[QuerySet, str]:
    """One row per SKU (summed over locations, or one location): on hand, reserved, available, in transit."""
    qs = Balance.objects.filter(shop=shop)
    if location:
        qs = qs.filter(location__code=location)
    if q:
        qs = qs.filter(Q(sku__sku_code__icontains=q.strip()) | Q(sku__product__title__icontains=q.strip()))
    qs = (
        qs.values("sku_id", "sku__sku_code", "sku__product__title")
        .annotate(on_hand=Sum("on_hand"), reserved=Sum(F("reserved") + F("pooled")), in_transit=Sum("in_transit"),
                  available=Sum(F("on_hand") - F("reserved") - F("pooled")))
    )
    if state == "out":
        qs = qs.filter(available__lte=0)
    elif state == "in":
        qs = qs.filter(available__gt=0)
    elif state == "reserved":
        qs = qs.filter(reserved__gt=0)
    active, ordering = STOCK_SORTS.resolve(sort)
    return qs.order_by(*ordering, "sku_id"), active


def stock_by_sku(*, shop: Shop) -> dict[int, dict[str, int]]:
    """sku_id → totals over active locations (for replenishment, alerts and sync)."""
    out = {}
    for row in (Balance.objects.filter(shop=shop, location__active=True).values("sku_id")
                .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"), pooled=Sum("pooled"),
                          in_transit=Sum("in_transit"))):
        row["available"] = row["on_hand"] - row["reserved"] - row["pooled"]
        out[row.pop("sku_id")] = row
    return out


def ledger(*, shop: Shop, sku_id: int, limit: int = 200) -> QuerySet[StockMove]:
    return StockMove.objects.filter(shop=shop, sku_id=sku_id).select_related("location", "actor").order_by(
        "-at", "-id")[:limit]


def ledger_sums(*, shop: Shop, sku_id: int) -> dict[int, int]:
    """location_id → Σ ledger qty (must equal on hand: the stateful test checks it)."""
    return dict(StockMove.objects.filter(shop=shop, sku_id=sku_id).values("location_id")
                .annotate(s=Sum("qty")).values_list("location_id", "s"))


def reservation_get(*, shop: Shop, pk: int) -> Reservation | None:
    return Reservation.objects.filter(shop=shop, pk=pk).first()


def reservations_held(*, shop: Shop, sku_id: int) -> QuerySet[Reservation]:
    return Reservation.objects.filter(shop=shop, sku_id=sku_id, status=Reservation.Status.HELD)


def pools(*, shop: Shop) -> QuerySet[Pool]:
    return Pool.objects.filter(shop=shop).select_related("sku", "location")


def suppliers(*, shop: Shop) -> QuerySet[Supplier]:
    return Supplier.objects.filter(shop=shop).annotate(n_skus=Count("skus"))


def supplier_by_sku(*, shop: Shop) -> dict[int, SupplierSku]:
    return {s.sku_id: s for s in SupplierSku.objects.filter(shop=shop).select_related("supplier")}


PO_SORTS = Sorts(fields={"number": ("number",), "created": ("created_at",), "status": ("status",)},
                 default="-created")


def purchase_orders(*, shop: Shop, status: str = "", supplier: str = "", q: str = "", sort: str = ""
                    ) -> tuple[QuerySet[PurchaseOrder], str]:
    qs = PurchaseOrder.objects.filter(shop=shop).select_related("supplier", "location").annotate(
        units=Coalesce(Sum("lines__qty_ordered"), Value(0)), received=Coalesce(Sum("lines__qty_received"), Value(0)))
    if status:
        qs = qs.filter(status=status)
    if supplier:
        qs = qs.filter(supplier__code=supplier)
    if q:
        qs = qs.filter(number__icontains=q.strip())
    return PO_SORTS.apply(qs, sort)


def purchase_order(*, shop: Shop, pk: int) -> PurchaseOrder | None:
    return PurchaseOrder.objects.filter(shop=shop, pk=pk).select_related("supplier", "location").first()


def purchase_order_lines(*, order: PurchaseOrder) -> QuerySet[PurchaseOrderLine]:
    return order.lines.select_related("sku", "sku__product")


def open_po_units(*, shop: Shop) -> dict[int, int]:
    """sku_id → units on drafts (not yet in transit): replenishment counts them so it does not order twice."""
    return dict(PurchaseOrderLine.objects.filter(shop=shop, order__status=PurchaseOrder.Status.DRAFT)
                .values("sku_id").annotate(n=Sum("qty_ordered")).values_list("sku_id", "n"))


def channel_rules(*, shop: Shop) -> list[ChannelRule]:
    return list(ChannelRule.objects.filter(shop=shop))


def channel_synced(*, shop: Shop) -> dict[tuple[str, int], int]:
    return {(s.channel, s.sku_id): s.qty for s in ChannelSync.objects.filter(shop=shop)}
