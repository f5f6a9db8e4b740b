"""Ledger moves: receipts, returns, adjustments, counts and transfers, each atomic and idempotent by ``ref``.

Every move writes StockMove lines and changes the balance in the same transaction, so the ledger always
explains the stock (docs/rules/inventory.md#conditional-decrement for how units are taken).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shopops.catalog.selectors import skus_by_code
from shopops.core.errors import Conflict, FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.inventory.domain import API_MOVE_TYPES
from shopops.inventory.models import Balance, Location, StockMove
from shopops.inventory.services.balances import (
    StockConflict,
    available_at,
    balance_ensure,
    units_put,
    units_take,
)
from shopops.inventory.services.inputs import qty_clean, ref_clean, sku_find
from shopops.inventory.services.locations import location_find


@dataclass(frozen=True)
class MoveResult:
    moves: list[StockMove]
    created: bool


def _replay(shop: Shop, ref: str, *, sku_id: int, type_: str, qty: int | None) -> MoveResult | None:
    """The moves already written under ``ref``; Conflict when the same ref was used for something else."""
    moves = list(StockMove.objects.filter(shop=shop, ref=ref).select_related("location").order_by("line"))
    if not moves:
        return None
    first = moves[0]
    wanted = abs(qty) if type_ == "transfer" and qty is not None else qty
    same = first.sku_id == sku_id and first.type == type_ and (
        type_ == "count" or qty is None or (abs(first.qty) if type_ == "transfer" else first.qty) == wanted)
    if not same:
        raise Conflict(_("The reference %(ref)s was already used for a different stock move.") % {"ref": ref})
    return MoveResult(moves, created=False)


def stock_move(
    *,
    shop: Shop,
    sku_code: str,
    qty: object,
    type: str,
    ref: str,
    location_code: str | None = None,
    actor: User | None = None,
    note: str = "",
    allowed_types: tuple[str, ...] = API_MOVE_TYPES + ("return",),
) -> MoveResult:
    """Record a receipt, return, adjustment (±) or count (the counted quantity; the ledger gets the difference).

    Idempotent by ``ref``: the same ref again returns the moves already written (``created=False``); a ref
    reused for a different move is a Conflict. An adjustment or count that would take available stock below
    zero (units are reserved or in pools) is refused with a StockConflict.
    """
    if type not in allowed_types:
        raise InvalidInput(_("Unknown move type %(type)s.") % {"type": type},
                           [FieldError("type", _("Choose one of: %(types)s.") % {"types": ", ".join(allowed_types)})])
    ref = ref_clean(ref)
    if type == "count":
        amount = qty_clean(qty, allow_zero=True)
    elif type == "adjustment":
        amount = qty_clean(qty, allow_negative=True)
    else:
        amount = qty_clean(qty)
    sku = sku_find(shop, sku_code)
    location = location_find(shop, location_code)
    found = _replay(shop, ref, sku_id=sku.pk, type_=type, qty=amount)
    if found:
        return found
    try:
        with transaction.atomic():
            move = _apply(shop, sku.pk, location, type, amount, ref, actor, note, sku.sku_code)
    except IntegrityError:
        found = _replay(shop, ref, sku_id=sku.pk, type_=type, qty=amount)
        if found is None:
            raise
        return found
    return MoveResult([move], created=True)


def _apply(shop: Shop, sku_id: int, location: Location, type_: str, amount: int, ref: str,
           actor: User | None, note: str, sku_code: str = "") -> StockMove:
    delta = amount
    if type_ == "count":
        delta = _count(shop, sku_id, location, amount, sku_code)
    elif delta < 0:
        if not units_take(sku_id, location.pk, -delta):
            left = available_at(sku_id, location.pk)
            raise StockConflict(_("Only %(n)s units are available at %(loc)s.") % {"n": left, "loc": location.name},
                                available=left)
    else:
        units_put(shop, sku_id, location.pk, delta, sku_code)
    return StockMove.objects.create(shop=shop, sku_id=sku_id, location=location, type=type_, qty=delta, ref=ref,
                                    actor=actor, note=note[:200])


def _count(shop: Shop, sku_id: int, location: Location, counted: int, sku_code: str) -> int:
    """Set on hand to what was counted; returns the difference for the ledger."""
    balance_ensure(shop, sku_id, location.pk, sku_code)
    balance = Balance.objects.select_for_update().get(sku_id=sku_id, location_id=location.pk)
    if counted < balance.reserved + balance.pooled:
        raise StockConflict(
            _("Counted %(n)s, but %(held)s units are reserved or in flash-sale pools: resolve those first.")
            % {"n": counted, "held": balance.reserved + balance.pooled}, available=balance.available)
    # compare-and-set on the value just read (the row is locked on PostgreSQL; SQLite serialises writers)
    if not Balance.objects.filter(pk=balance.pk, on_hand=balance.on_hand).update(on_hand=counted):
        raise Conflict(_("The stock changed while counting; count again."))
    return counted - balance.on_hand


def stock_transfer(*, shop: Shop, sku_code: str, qty: object, from_location: str, to_location: str, ref: str,
                   actor: User | None = None) -> MoveResult:
    """Move available units between two locations: two ledger lines (−q, +q) under one ref; idempotent."""
    ref = ref_clean(ref)
    amount = qty_clean(qty)
    sku = sku_find(shop, sku_code)
    source, target = location_find(shop, from_location, "from"), location_find(shop, to_location, "to")
    if source.pk == target.pk:
        raise InvalidInput(_("Transfer between two different locations."),
                           [FieldError("to", _("Choose another location."))])
    found = _replay(shop, ref, sku_id=sku.pk, type_="transfer", qty=amount)
    if found:
        return found
    try:
        with transaction.atomic():
            balance_ensure(shop, sku.pk, target.pk, sku.sku_code)
            if not units_take(sku.pk, source.pk, amount):
                left = available_at(sku.pk, source.pk)
                raise StockConflict(_("Only %(n)s units are available at %(loc)s.")
                                    % {"n": left, "loc": source.name}, available=left)
            units_put(shop, sku.pk, target.pk, amount, sku.sku_code)
            moves = StockMove.objects.bulk_create([
                StockMove(shop=shop, sku_id=sku.pk, location=source, type="transfer", qty=-amount, ref=ref, line=0,
                          actor=actor),
                StockMove(shop=shop, sku_id=sku.pk, location=target, type="transfer", qty=amount, ref=ref, line=1,
                          actor=actor),
            ])
    except IntegrityError:
        found = _replay(shop, ref, sku_id=sku.pk, type_="transfer", qty=amount)
        if found is None:
            raise
        return found
    return MoveResult(moves, created=True)


# ---------------------------------------------------------------- loading a past ledger


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One past ledger line: ``qty`` signed (+ in, − out), ``type`` a StockMove type, ``ref`` unique."""

    sku_code: str
    type: str
    qty: int
    ref: str
    at: dt.datetime
    note: str = ""


@transaction.atomic
def stock_history_load(*, shop: Shop, lines: Sequence[LedgerLine], location_code: str | None = None) -> int:
    """Write a past ledger at one location in bulk, each line at its own time, and move every SKU's on hand by
    the sum of its lines; returns how many lines were written.

    For loading history (the demo shop, stock brought over from another system): lines are not checked
    against reservations or pools one by one, only the balance's CHECK constraints hold at the end (a history
    ending below zero fails whole). Refs must be new: a ref written before is an IntegrityError.
    """
    location = location_find(shop, location_code)
    skus = skus_by_code(shop=shop)
    errors = [FieldError(f"lines[{i}]", _("Unknown SKU %(code)s.") % {"code": line.sku_code})
              for i, line in enumerate(lines) if line.sku_code not in skus]
    errors += [FieldError(f"lines[{i}].type", _("Unknown move type %(type)s.") % {"type": line.type})
               for i, line in enumerate(lines) if line.type not in StockMove.Type.values]
    if errors:
        raise InvalidInput(_("The stock history was not loaded."), errors)
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.sku_code] = totals.get(line.sku_code, 0) + line.qty
    existing = set(Balance.objects.filter(location=location, sku__sku_code__in=totals)
                   .values_list("sku__sku_code", flat=True))
    Balance.objects.bulk_create([
        Balance(shop=shop, sku=skus[code], sku_code=code, location=location, on_hand=total)
        for code, total in totals.items() if code not in existing])
    for code in sorted(existing):  # balance rows in a fixed order (docs/rules/inventory.md#lock-order)
        Balance.objects.filter(sku=skus[code], location=location).update(on_hand=F("on_hand") + totals[code])
    StockMove.objects.bulk_create([
        StockMove(shop=shop, sku=skus[line.sku_code], location=location, type=line.type, qty=line.qty, ref=line.ref,
                  at=line.at, note=line.note[:200]) for line in lines], batch_size=2000)
    return len(lines)
