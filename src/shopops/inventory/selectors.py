"""Stock reads for pages, API and CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from shopops.campaigns.selectors import promotion_days
from shopops.catalog.selectors import sku_by_code, skus_by_code
from shopops.channels.selectors import channel_accounts
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.core.querying import Sorts
from shopops.core.text import Text
from shopops.inventory.domain import ChannelRuleSpec, allocate_channels
from shopops.inventory.forecast import forecast_many, promotion_uplift
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
from shopops.inventory.replenishment import explain, plan_replenishment
from shopops.orders.selectors import daily_units_by_sku

if TYPE_CHECKING:
    from shopops.catalog.models import Sku
    from shopops.inventory.forecast import ForecastBatch, PromotionUplift


def sku_get(*, shop: Shop, sku_code: str) -> Sku | None:
    return sku_by_code(shop=shop, sku_code=sku_code.strip())


def locations(*, shop: Shop) -> QuerySet[Location]:
    return Location.objects.filter(shop=shop).order_by("-is_default", "priority", "id")


_UNITS = ("on_hand", "reserved", "pooled", "available", "in_transit")
_LOCATION_ORDER = ("-location__is_default", "location__priority", "location_id")


def balance_row(balance: Balance) -> dict[str, str | int]:
    """One balance as the API and CLI show it: its location and its units."""
    return {"location": balance.location.code, "location_name": balance.location.name,
            **{unit: getattr(balance, unit) for unit in _UNITS}}


def balances_for_sku(*, shop: Shop, sku_id: int) -> dict:
    """Per location and in total: on hand, reserved, pooled, available, in transit."""
    rows: list[dict[str, str | int]] = []
    total = dict.fromkeys(_UNITS, 0)
    for b in Balance.objects.filter(shop=shop, sku_id=sku_id).select_related("location").order_by(*_LOCATION_ORDER):
        row = balance_row(b)
        rows.append(row)
        for key in total:
            total[key] += int(row[key])
    return {"locations": rows, "total": total}


def balances_all(*, shop: Shop) -> QuerySet[Balance]:
    """Every balance of the shop (one per SKU and location), by SKU code, then in location order."""
    return (Balance.objects.filter(shop=shop).select_related("sku", "location")
            .order_by("sku__sku_code", *_LOCATION_ORDER))


STOCK_SORTS = Sorts(
    fields={
        "sku": ("sku__sku_code",),
        "on_hand": ("t_on_hand",),
        "available": ("t_available",),
        "reserved": ("t_reserved",),
        "in_transit": ("t_in_transit",),
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
    totals = (
        qs.values("sku_id", "sku__sku_code", "sku__product__title")
        .annotate(t_available=Sum(F("on_hand") - F("reserved") - F("pooled")), t_on_hand=Sum("on_hand"),
                  t_reserved=Sum(F("reserved") + F("pooled")), t_in_transit=Sum("in_transit"))
    )
    if state == "out":
        totals = totals.filter(t_available__lte=0)
    elif state == "in":
        totals = totals.filter(t_available__gt=0)
    elif state == "reserved":
        totals = totals.filter(t_reserved__gt=0)
    active, ordering = STOCK_SORTS.resolve(sort)
    return totals.order_by(*ordering, "sku_id"), active


def stock_by_sku(*, shop: Shop) -> dict[int, dict[str, int]]:
    """sku_id → totals over active locations (for replenishment, alerts and sync)."""
    out: dict[int, dict[str, int]] = {}
    for row in (Balance.objects.filter(shop=shop, location__active=True).values("sku_id")
                .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"), pooled=Sum("pooled"),
                          in_transit=Sum("in_transit"))):
        out[row["sku_id"]] = {"on_hand": row["on_hand"], "reserved": row["reserved"], "pooled": row["pooled"],
                              "in_transit": row["in_transit"],
                              "available": row["on_hand"] - row["reserved"] - row["pooled"]}
    return out


def ledger(*, shop: Shop, sku_id: int, limit: int = 200) -> QuerySet[StockMove]:
    return StockMove.objects.filter(shop=shop, sku_id=sku_id).select_related(
        "location", "actor", "po_line__order").order_by(
        "-at", "-id")[:limit]


def ledger_sums(*, shop: Shop, sku_id: int) -> dict[int, int]:
    """location_id → Σ ledger qty (must equal on hand: the stateful test checks it)."""
    return dict(StockMove.objects.filter(shop=shop, sku_id=sku_id).values("location_id")
                .annotate(s=Sum("qty")).values_list("location_id", "s"))


def stock_move_count(*, shop: Shop) -> int:
    """How many ledger lines the shop has."""
    return StockMove.objects.filter(shop=shop).count()


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


def sync_plan(*, shop: Shop) -> list[dict]:
    """Per SKU × channel: the quantity to publish now, what was published last, and the change.

    Channels are those of the shop's active channel accounts. Each channel's rule is its SKU rule, else its
    default rule, else an equal share (ratio 1/n) of the sellable units; the SKU's buffer is the largest of its
    rules' buffers. ``inventory.domain.allocate_channels`` floors every share, so Σ published ≤ available.
    """


    channels = sorted({a.channel for a in channel_accounts(shop=shop) if a.active})
    if not channels:
        return []
    rules = channel_rules(shop=shop)
    defaults = {r.channel: r for r in rules if r.sku_id is None}
    specific = {(r.channel, r.sku_id): r for r in rules if r.sku_id is not None}
    stock = stock_by_sku(shop=shop)
    previous = channel_synced(shop=shop)
    equal = Decimal(1) / Decimal(len(channels))
    out = []
    for code, sku in sorted(skus_by_code(shop=shop).items()):
        if not sku.active:
            continue
        totals = stock.get(sku.pk, {"available": 0, "in_transit": 0})
        specs, buffer = [], 0
        for channel in channels:
            rule = specific.get((channel, sku.pk)) or defaults.get(channel)
            if rule is None:
                specs.append(ChannelRuleSpec(channel, ratio=equal))
                continue
            buffer = max(buffer, rule.buffer)
            specs.append(ChannelRuleSpec(channel, ratio=rule.ratio, cap=rule.cap, priority=rule.priority,
                                         presale=rule.presale))
        for share in allocate_channels(available=totals["available"], in_transit=totals["in_transit"],
                                       buffer=buffer, rules=specs):
            last = previous.get((share.channel, sku.pk))
            out.append({"sku": code, "sku_id": sku.pk, "channel": share.channel, "qty": share.qty,
                        "stock": share.stock, "presale": share.presale, "previous": last,
                        "change": share.qty - (last or 0)})
    return out


# ---------------------------------------------------------------- demand history, forecasts, replenishment

HISTORY_DAYS = 180
REVIEW_DAYS = 7
SERVICE_LEVEL = 0.95
DEFAULT_LEAD_DAYS = 7.0


def sales_history(*, shop: Shop, end: dt.date, days: int = HISTORY_DAYS) -> tuple[list[int], np.ndarray]:
    """(sku ids, units sold per SKU × day as a float array) for the ``days`` business dates up to ``end``."""
    sku_ids = sorted(s.pk for s in skus_by_code(shop=shop).values())
    index = {pk: i for i, pk in enumerate(sku_ids)}
    start = end - dt.timedelta(days=days - 1)
    Y = np.zeros((len(sku_ids), days))
    for day, sku_id, units in daily_units_by_sku(shop=shop, start=start, end=end):
        if sku_id in index:
            Y[index[sku_id], (day - start).days] += units
    return sku_ids, Y


FORECAST_DAYS = 28


def promotion_calendar(*, shop: Shop, end: dt.date, days: int, h: int,
                       ) -> tuple[np.ndarray, np.ndarray, dict[dt.date, list[str]]]:
    """(history flags, horizon flags, {date: names}) of the shop's promotion days for the ``days`` business
    dates up to ``end`` and the ``h`` days after it (campaigns.selectors.promotion_days: platform events'
    main periods, store themes, the shop's campaigns)."""


    start = end - dt.timedelta(days=days - 1)
    found = promotion_days(shop=shop, start=start, end=end + dt.timedelta(days=h))
    flags = np.zeros(days + h, dtype=bool)
    for day in found:
        flags[(day - start).days] = True
    return flags[:days], flags[days:], found


def _forecast_with_promotions(shop: Shop, end: dt.date, Y: np.ndarray, ids: list[int], groups: list[Any], h: int,
                              ) -> tuple[ForecastBatch, PromotionUplift, dict[dt.date, list[str]]]:
    """forecast_many with the promotion days as known uplift events (forecast.promotion_uplift); returns
    (batch, uplift, promotion days by date)."""
    past, future, days = promotion_calendar(shop=shop, end=end, days=Y.shape[1], h=h)
    uplift = promotion_uplift(Y, past, future, groups=groups)
    batch = forecast_many(Y, h=h, ids=ids, history_uplift=uplift.history_uplift,
                          future_uplift=uplift.future_uplift)
    return batch, uplift, days


def replenishment_plan(*, shop: Shop, end: dt.date, lang: str = "en") -> list[dict]:
    """One row per active SKU: stock, forecast demand, safety stock, reorder point and the suggested order
    (inventory.forecast + inventory.replenishment; suppliers give lead time, MOQ and case pack)."""


    skus = {s.pk: s for s in skus_by_code(shop=shop).values() if s.active}
    ids, Y = sales_history(shop=shop, end=end)
    keep = [i for i, pk in enumerate(ids) if pk in skus]
    ids = [ids[i] for i in keep]
    if not ids:
        return []
    Y = Y[keep]
    links = supplier_by_sku(shop=shop)
    stock = stock_by_sku(shop=shop)
    drafts = open_po_units(shop=shop)
    zero = {"on_hand": 0, "reserved": 0, "pooled": 0, "in_transit": 0, "available": 0}

    def supplier_value(pk: int, name: str, default: float) -> float:
        link = links.get(pk)
        if link is None:
            return default
        own = getattr(link, name, None) if name in ("moq", "case_pack") else None
        return float(own or getattr(link.supplier, name))

    lead = np.array([supplier_value(pk, "lead_time_days", DEFAULT_LEAD_DAYS) for pk in ids])
    lead_sd = np.array([supplier_value(pk, "lead_time_sd_days", 0.0) for pk in ids])
    moq = np.array([supplier_value(pk, "moq", 1) for pk in ids])
    case = np.array([int(supplier_value(pk, "case_pack", 1)) for pk in ids])
    batch, uplift, _days = _forecast_with_promotions(shop, end, Y, ids, [skus[pk].product.category_id for pk in ids],
                                                     FORECAST_DAYS)
    horizon = np.maximum(1, np.ceil(lead + REVIEW_DAYS)).astype(int)
    demand = batch.daily_demand(horizon)
    on_hand = np.array([stock.get(pk, zero)["on_hand"] for pk in ids], dtype=float)
    reserved = np.array([stock.get(pk, zero)["reserved"] + stock.get(pk, zero)["pooled"] for pk in ids], dtype=float)
    in_transit = np.array([stock.get(pk, zero)["in_transit"] + drafts.get(pk, 0) for pk in ids], dtype=float)
    plan = plan_replenishment(
        on_hand=on_hand, demand_daily=demand, sigma_daily=batch.sigma, lead_time_days=lead, in_transit=in_transit,
        reserved=reserved, lead_time_sigma_days=lead_sd, review_days=REVIEW_DAYS, service_level=SERVICE_LEVEL,
        moq=moq, case_pack=case)
    rows = []
    for i, pk in enumerate(ids):
        r = plan.row(i)
        s = stock.get(pk, zero)
        link = links.get(pk)
        rows.append({
            "sku": skus[pk].sku_code, "sku_id": pk, "title": skus[pk].product.title,
            "on_hand": s["on_hand"], "available": s["available"], "in_transit": s["in_transit"],
            "on_draft_po": drafts.get(pk, 0), "forecast_daily": r["demand_daily"],
            "safety_stock": r["safety_stock"], "reorder_point": r["reorder_point"],
            "order_up_to": r["order_up_to"], "suggested_qty": r["suggested_qty"],
            "reason": _said(explain(r["reason"], r["reason_params"]), lang), "reason_code": r["reason"],
            "lead_time_days": float(lead[i]), "demand_class": str(batch.demand_class[i]),
            "model": str(batch.model[i]), "supplier": link.supplier.code if link else None,
            "supplier_name": link.supplier.name if link else None,
            "sold_last_30": int(Y[i, -30:].sum()), "promotion_uplift": round(float(uplift.ratio[i]), 3),
        })
    return rows


def sku_forecast(*, shop: Shop, sku_id: int, end: dt.date, history_days: int = 90, h: int = 28) -> dict | None:
    """History and forecast (mean and interval) of one SKU, for the SKU page's chart."""
    ids, Y = sales_history(shop=shop, end=end)
    if sku_id not in ids:
        return None
    category = {s.pk: s.product.category_id for s in skus_by_code(shop=shop).values()}
    # the SKU's ratio is shrunk toward its category's: estimate on the whole shop, forecast the one row

    past, future, days = promotion_calendar(shop=shop, end=end, days=Y.shape[1], h=h)
    uplift = promotion_uplift(Y, past, future, groups=[category.get(pk) or 0 for pk in ids])
    i = ids.index(sku_id)
    y = Y[i]
    batch = forecast_many(y[None, :], h=h, ids=[sku_id], history_uplift=uplift.history_uplift[i][None, :],
                          future_uplift=uplift.future_uplift[i][None, :])
    f = batch.row(0)
    start = end - dt.timedelta(days=len(y) - 1)
    return {
        "history_dates": [(start + dt.timedelta(days=i)).isoformat() for i in range(len(y))][-history_days:],
        "history": [float(v) for v in y][-history_days:],
        "dates": [(end + dt.timedelta(days=i + 1)).isoformat() for i in range(h)],
        "mean": [round(float(v), 3) for v in f.mean], "lower": [round(float(v), 3) for v in f.lower],
        "upper": [round(float(v), 3) for v in f.upper], "model": f.model, "demand_class": str(f.demand_class),
        "level": f.level, "promotion_uplift": round(float(uplift.ratio[i]), 3),
        "promotions": {d.isoformat(): names for d, names in days.items() if d > end},
    }


def _said(text: Text, language: str) -> str:
    """A replenishment reason in ``language``."""
    with translation.override(language):
        return say(text)
