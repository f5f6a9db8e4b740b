"""The demo shop's stock: locations, suppliers, a ledger consistent with the shop's orders, purchase orders.

Written through inventory's services (the demo app never touches inventory's tables): for every SKU an
opening receipt before its first sale, a replenishment receipt along the way and one ``sale`` line per SKU and
day equal to the units sold, so the ledger explains today's stock. Some SKUs end low (stockout alerts), some
high (overstock). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog.selectors import skus_by_code
from shopops.inventory import selectors as stock
from shopops.inventory.services import (
    LedgerLine,
    location_create,
    location_default,
    po_create,
    po_place,
    po_receive,
    stock_history_load,
    supplier_skus_assign,
    supplier_upsert,
)
from shopops.orders.selectors import line_fact_columns

if TYPE_CHECKING:
    from shopops.core.models import Shop
    from shopops.inventory.models import Supplier

# (code, name, lead time days, its standard deviation, MOQ, case pack)
SUPPLIERS = (
    ("yiwu-textile", "义乌纺织", 12, 3, 50, 10),
    ("guangzhou-oem", "广州代工厂", 20, 5, 100, 20),
    ("local-pack", "本地包装", 5, 1, 20, 5),
)
# end cover in days: mostly healthy, some short (stockout alerts) and some long (overstock)
COVER_DAYS = (2, 5, 20, 30, 30, 45, 60, 240)


def inventory_demo_seed(*, shop: Shop, end_date: dt.date, seed: int) -> dict[str, int]:
    """Seed the shop's stock up to ``end_date``; does nothing when the shop already has suppliers."""
    if stock.suppliers(shop=shop).exists():
        return {"created": 0}
    rng = random.Random(seed)
    with transaction.atomic():
        _locations(shop)
        suppliers = [supplier_upsert(shop=shop, code=code, name=name, lead_time_days=lead, lead_time_sd_days=sd,
                                     moq=moq, case_pack=pack) for code, name, lead, sd, moq, pack in SUPPLIERS]
        skus = sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)
        supplier_skus_assign(shop=shop, assignments=[(suppliers[i % len(suppliers)].code, s.sku_code, s.cost_fen)
                                                     for i, s in enumerate(skus)])
        sold = _units_sold(shop, end_date)
        tz = ZoneInfo(shop.timezone)
        lines = [line for s in skus for line in _sku_history(s.sku_code, sold[s.pk], end_date, rng, tz)]
        stock_history_load(shop=shop, lines=lines)
        pos = _purchase_orders(shop, suppliers, [s.sku_code for s in skus], end_date)
    return {"created": 1, "locations": stock.locations(shop=shop).count(), "suppliers": len(suppliers),
            "moves": stock.stock_move_count(shop=shop), "purchase_orders": pos}


def _locations(shop: Shop) -> None:
    location_default(shop=shop)
    have = set(stock.locations(shop=shop).values_list("code", flat=True))
    if "east" not in have:
        location_create(shop=shop, code="east", name=_("East China warehouse"), priority=10)
    if "store-sh" not in have:
        location_create(shop=shop, code="store-sh", name=_("Shanghai store"), kind="store", priority=50)


def _units_sold(shop: Shop, end_date: dt.date) -> dict[int, dict[dt.date, int]]:
    """SKU id → paid date → units sold, up to ``end_date``."""
    sold: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    cols = line_fact_columns(shop=shop)
    for day, sku_id, qty in zip(cols["order__paid_date"], cols["sku_id"], cols["qty"], strict=True):
        if day <= end_date:
            sold[sku_id][day] += qty
    return sold


def _sku_history(code: str, sold: dict[dt.date, int], end_date: dt.date, rng: random.Random,
                 tz: ZoneInfo) -> list[LedgerLine]:
    """One SKU's ledger: opening receipt, daily sales, one refill before it runs low (or at the end)."""
    days = sorted(sold)
    total = sum(sold.values())
    first = days[0] if days else end_date - dt.timedelta(days=30)
    rate = total / max(1, (end_date - first).days + 1)
    cover = rng.choice(COVER_DAYS) if total else rng.choice([0, 15])
    closing = int(round(rate * cover)) + (rng.randint(5, 30) if not total and cover else 0)
    receipts_total = total + closing
    opening = receipts_total if not days else max(1, receipts_total // 2)
    refill = receipts_total - opening

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)

    lines = [LedgerLine(code, "receipt", opening, f"demo-open:{code}", at(first - dt.timedelta(days=1), 9),
                        _("Opening stock"))]
    running, refilled = opening, False
    for day in days:
        qty = sold[day]
        if refill and not refilled and running - qty < refill // 2 + 1:
            running, refilled = running + refill, True
            lines.append(LedgerLine(code, "receipt", refill, f"demo-refill:{code}", at(day, 8)))
        running -= qty
        lines.append(LedgerLine(code, "sale", -qty, f"demo-sale:{code}:{day.isoformat()}", at(day, 20)))
    if refill and not refilled:
        lines.append(LedgerLine(code, "receipt", refill, f"demo-refill:{code}", at(end_date, 8)))
    return lines


def _purchase_orders(shop: Shop, suppliers: list[Supplier], sku_codes: list[str], end_date: dt.date) -> int:
    """One received, one on its way, one draft (three SKUs each, of that supplier)."""
    pos = 0
    for index, (supplier, status) in enumerate(zip(suppliers, ("received", "ordered", "draft"), strict=True)):
        lines = [(code, supplier.moq) for i, code in enumerate(sku_codes) if i % len(suppliers) == index][:3]
        if not lines:
            continue
        order = po_create(shop=shop, supplier_code=supplier.code, lines=lines, note=_("Demo"),
                          expected_date=end_date + dt.timedelta(days=int(supplier.lead_time_days)))
        pos += 1
        if status in ("received", "ordered"):
            po_place(shop=shop, po_id=order.pk)
        if status == "received":
            po_receive(shop=shop, po_id=order.pk, ref="demo-delivery")
    return pos
