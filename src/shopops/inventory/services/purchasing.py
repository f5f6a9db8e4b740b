"""Suppliers and purchase orders: draft → ordered (units in transit) → partly received / received, or cancelled.

Receiving writes ``receipt`` lines to the ledger under the delivery's ref, so a delivery counts once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shopops.catalog.selectors import skus_by_code
from shopops.core.clock import now as clock_now
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop, User
from shopops.inventory.domain import po_status
from shopops.inventory.models import (
    Balance,
    PurchaseOrder,
    PurchaseOrderLine,
    StockMove,
    Supplier,
    SupplierSku,
)
from shopops.inventory.services.balances import balance_ensure
from shopops.inventory.services.inputs import qty_clean, ref_clean, sku_find
from shopops.inventory.services.locations import location_find


def supplier_upsert(*, shop: Shop, code: str, name: str, lead_time_days: object = 7, lead_time_sd_days: object = 0,
                    moq: object = 1, case_pack: object = 1, contact: str = "") -> Supplier:
    """Create or update a supplier (lead times in days, 0 to 365)."""
    code = (code or "").strip()
    errors = []
    if not code or len(code) > 40:
        errors.append(FieldError("code", _("1 to 40 characters.")))
    try:
        lead, sd = Decimal(str(lead_time_days)), Decimal(str(lead_time_sd_days))
        if not (0 <= lead <= 365 and 0 <= sd <= 365):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError("lead_time_days", _("Lead times are days between 0 and 365.")))
        lead = sd = Decimal(0)
    if errors:
        raise InvalidInput(_("The supplier was not saved."), errors)
    supplier, _created = Supplier.objects.update_or_create(
        shop=shop, code=code, defaults={"name": name or code, "lead_time_days": lead, "lead_time_sd_days": sd,
                                        "moq": qty_clean(moq, "moq"), "case_pack": qty_clean(case_pack, "case_pack"),
                                        "contact": contact})
    return supplier


@transaction.atomic
def supplier_skus_assign(*, shop: Shop, assignments: list[tuple[str, str, int]]) -> int:
    """Who supplies which SKU, in bulk: ``assignments`` are (supplier code, SKU code, unit cost in fen) for
    SKUs that have no supplier yet (a SKU has one supplier); returns how many were written."""
    suppliers = dict(Supplier.objects.filter(shop=shop).values_list("code", "pk"))
    skus = skus_by_code(shop=shop)
    errors = [FieldError(f"assignments[{i}]", _("Unknown supplier or SKU."))
              for i, (supplier, sku, _cost) in enumerate(assignments) if supplier not in suppliers or sku not in skus]
    if errors:
        raise InvalidInput(_("The suppliers were not assigned."), errors)
    SupplierSku.objects.bulk_create([
        SupplierSku(shop=shop, supplier_id=suppliers[supplier], sku=skus[sku], unit_cost_fen=max(0, int(cost)))
        for supplier, sku, cost in assignments])
    return len(assignments)


def _po_number(shop: Shop) -> str:
    last = PurchaseOrder.objects.filter(shop=shop, number__startswith="PO").order_by("-id").values_list(
        "number", flat=True).first()
    try:
        n = int(last[2:]) + 1 if last else 1
    except ValueError:
        n = PurchaseOrder.objects.filter(shop=shop).count() + 1
    return f"PO{n:06d}"


def _supplier(shop: Shop, code: str) -> Supplier:
    supplier = Supplier.objects.filter(shop=shop, code=code).first()
    if supplier is None:
        raise InvalidInput(_("Unknown supplier %(code)s.") % {"code": code},
                           [FieldError("supplier", _("No supplier with this code."))])
    return supplier


@transaction.atomic
def po_create(*, shop: Shop, supplier_code: str, lines: list[tuple[str, int]], location_code: str | None = None,
              note: str = "", expected_date: dt.date | None = None) -> PurchaseOrder:
    """A draft purchase order: ``lines`` are (SKU code, quantity); unit costs from the supplier's SKU list."""
    supplier = _supplier(shop, supplier_code)
    if not lines:
        raise InvalidInput(_("A purchase order needs at least one line."), [FieldError("lines", _("Add a SKU."))])
    location = location_find(shop, location_code)
    merged: dict[int, int] = {}
    errors = []
    for index, (code, qty) in enumerate(lines):
        try:
            sku = sku_find(shop, code, f"lines[{index}].sku")
            merged[sku.pk] = merged.get(sku.pk, 0) + qty_clean(qty, f"lines[{index}].qty")
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(_("The purchase order was not created."), errors)
    costs = dict(SupplierSku.objects.filter(shop=shop, sku_id__in=merged).values_list("sku_id", "unit_cost_fen"))
    order = PurchaseOrder.objects.create(shop=shop, number=_po_number(shop), supplier=supplier, location=location,
                                         note=note[:200], expected_date=expected_date)
    PurchaseOrderLine.objects.bulk_create([
        PurchaseOrderLine(shop=shop, order=order, sku_id=sku_id, qty_ordered=qty, unit_cost_fen=costs.get(sku_id, 0))
        for sku_id, qty in merged.items()
    ])
    return order


def _po(shop: Shop, po_id: int) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().filter(shop=shop, pk=po_id).first()
    if order is None:
        raise NotFound(_("No such purchase order."))
    return order


@transaction.atomic
def po_place(*, shop: Shop, po_id: int, now: dt.datetime | None = None) -> PurchaseOrder:
    """draft → ordered: the ordered units count as in transit at the PO's location."""
    order = _po(shop, po_id)
    if order.status != PurchaseOrder.Status.DRAFT:
        raise Conflict(_("Only a draft can be ordered."))
    if not PurchaseOrder.objects.filter(pk=order.pk, status=PurchaseOrder.Status.DRAFT).update(
            status=PurchaseOrder.Status.ORDERED, ordered_at=now or clock_now()):
        raise Conflict(_("Only a draft can be ordered."))
    for line in order.lines.select_related("sku"):
        balance_ensure(shop, line.sku_id, order.location_id, line.sku.sku_code)
        Balance.objects.filter(sku_id=line.sku_id, location_id=order.location_id).update(
            in_transit=F("in_transit") + line.qty_ordered)
    order.refresh_from_db()
    return order


@transaction.atomic
def po_cancel(*, shop: Shop, po_id: int) -> PurchaseOrder:
    """Cancel a draft or an open order; what was not received leaves in transit."""
    order = _po(shop, po_id)
    if order.status in (PurchaseOrder.Status.RECEIVED, PurchaseOrder.Status.CANCELLED):
        raise Conflict(_("This purchase order is closed."))
    was_open = order.status != PurchaseOrder.Status.DRAFT
    PurchaseOrder.objects.filter(pk=order.pk).update(status=PurchaseOrder.Status.CANCELLED)
    if was_open:
        for line in order.lines.all():
            Balance.objects.filter(sku_id=line.sku_id, location_id=order.location_id).update(
                in_transit=F("in_transit") - (line.qty_ordered - line.qty_received))
    order.refresh_from_db()
    return order


def po_receive(*, shop: Shop, po_id: int, ref: str, lines: dict[str, int] | None = None,
               actor: User | None = None) -> PurchaseOrder:
    """Receive a purchase order partly (``lines`` = {SKU code: units}) or fully (everything still open).

    Each received line is a ``receipt`` in the ledger under ``ref`` (the delivery note), so receiving the same
    delivery twice changes nothing. Receiving more than is still open on a line is refused.
    """
    full_ref = f"po:{po_id}:{ref_clean(ref)}"
    if StockMove.objects.filter(shop=shop, ref=full_ref).exists():
        return PurchaseOrder.objects.get(shop=shop, pk=po_id)
    try:
        with transaction.atomic():
            order = _po(shop, po_id)
            if order.status not in (PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTLY_RECEIVED):
                raise Conflict(_("Only an ordered purchase order can be received."))
            po_lines = {line.sku.sku_code: line for line in order.lines.select_related("sku")}
            moves = [_receive_line(shop, order, po_lines[code], qty, full_ref, index, actor)
                     for index, (code, qty) in enumerate(_to_receive(po_lines, lines))]
            if not moves:
                raise InvalidInput(_("Nothing to receive."), [FieldError("lines", _("Give at least one unit."))])
            StockMove.objects.bulk_create(moves)
            status = po_status(list(order.lines.values_list("qty_ordered", "qty_received")), order.status)
            PurchaseOrder.objects.filter(pk=order.pk).update(status=status)
    except IntegrityError:
        if StockMove.objects.filter(shop=shop, ref=full_ref).exists():
            return PurchaseOrder.objects.get(shop=shop, pk=po_id)
        raise
    return PurchaseOrder.objects.get(pk=po_id)


def _to_receive(po_lines: dict[str, PurchaseOrderLine], lines: dict[str, int] | None) -> list[tuple[str, int]]:
    """(SKU code, units) to receive, in code order: what was asked for, or everything still open."""
    if lines is None:
        wanted = {code: line.qty_ordered - line.qty_received for code, line in po_lines.items()}
    else:
        errors = [FieldError(f"lines.{code}", _("This SKU is not on the purchase order."))
                  for code in lines if code not in po_lines]
        if errors:
            raise InvalidInput(_("Nothing was received."), errors)
        wanted = {code: qty_clean(qty, f"lines.{code}") for code, qty in lines.items()}
    return sorted((code, qty) for code, qty in wanted.items() if qty > 0)


def _receive_line(shop: Shop, order: PurchaseOrder, line: PurchaseOrderLine, qty: int, ref: str, index: int,
                  actor: User | None) -> StockMove:
    """Book ``qty`` units of one line in (refused beyond what is still open); the ledger line to write."""
    if not PurchaseOrderLine.objects.filter(pk=line.pk, qty_received__lte=F("qty_ordered") - qty).update(
            qty_received=F("qty_received") + qty):
        raise InvalidInput(_("Nothing was received."), [FieldError(
            f"lines.{line.sku.sku_code}", _("Only %(n)s units are still open on this line.")
            % {"n": line.qty_ordered - line.qty_received})])
    balance_ensure(shop, line.sku_id, order.location_id, line.sku.sku_code)
    Balance.objects.filter(sku_id=line.sku_id, location_id=order.location_id).update(
        on_hand=F("on_hand") + qty, in_transit=F("in_transit") - qty)
    return StockMove(shop=shop, sku_id=line.sku_id, location_id=order.location_id, type=StockMove.Type.RECEIPT,
                     qty=qty, ref=ref, line=index, po_line=line, actor=actor, note=order.number)
