"""Stock counts (盘点): set on hand to what was counted, posting one ledger adjustment per difference.

The opening stock of a shop and every later count go through here, from the 盘点 page and the ``stock-count``
import. A count is all-or-nothing: every line is resolved and checked first, then the balances are locked in
location-id order (balances.py, docs/rules/inventory.md#lock-order) and the differences written in ONE
transaction. Idempotent by ``ref``: line i of a count is the ledger line ``(ref, i)``, so applying the same
count again posts nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shopops.catalog.selectors import sku_by_code
from shopops.core.errors import Conflict, FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.inventory.domain import MAX_QTY
from shopops.inventory.models import Balance, Location, StockMove
from shopops.inventory.services.balances import balance_ensure
from shopops.inventory.services.inputs import ref_clean
from shopops.inventory.services.locations import location_default

MAX_COUNT_LINES = 30000  # ledger lines of one ref are numbered 0…32767


@dataclass(frozen=True, slots=True)
class CountLine:
    """One counted SKU: its code, the location's code or name ("" = the default location), the units counted
    and the row (file row or form line) that named it, for errors."""

    sku_code: str
    location: str
    counted: int
    row: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class CountDiff:
    """A count line against the stock: on hand now, counted, and the adjustment it posts (difference)."""

    row: int
    sku_code: str
    title: str
    location_code: str
    location_name: str
    on_hand: int
    held: int  # reserved or in flash-sale pools: a count may not go below it
    counted: int

    @property
    def difference(self) -> int:
        return self.counted - self.on_hand

    @property
    def blocked(self) -> bool:
        return self.counted < self.held


@dataclass(frozen=True)
class CountResult:
    lines: list[CountDiff]
    posted: int  # ledger adjustments written (0 when replayed or nothing differed)
    created: bool  # False: the ref was applied before, nothing written now


@dataclass(frozen=True, slots=True)
class _Resolved:
    index: int
    line: CountLine
    sku_id: int
    title: str
    location: Location


def _location_lookup(shop: Shop) -> dict[str, Location]:
    """The shop's locations by code and by name (a code wins over another location's name)."""
    found: dict[str, Location] = {}
    locations = list(Location.objects.filter(shop=shop))
    for location in locations:
        found.setdefault(location.name.strip(), location)
    for location in locations:
        found[location.code] = location
    return found


def _resolve(shop: Shop, counts: Sequence[CountLine]) -> list[_Resolved]:
    """Every line's SKU and location, or InvalidInput naming each bad row (nothing is written)."""
    if not counts:
        raise InvalidInput(_("The count has no lines."), [FieldError("counts", _("Count at least one SKU."))])
    if len(counts) > MAX_COUNT_LINES:
        raise InvalidInput(_("A count has at most %(n)s lines.") % {"n": MAX_COUNT_LINES},
                           [FieldError("counts", _("Split the count into several."))])
    locations = _location_lookup(shop)
    default: Location | None = None
    errors: list[FieldError] = []
    resolved: list[_Resolved] = []
    seen: dict[tuple[int, int], int] = {}
    for index, line in enumerate(counts):
        code = line.sku_code.strip()
        sku = sku_by_code(shop=shop, sku_code=code) if code else None
        if sku is None:
            errors.append(FieldError("sku", _("Unknown SKU %(code)s.") % {"code": code} if code
                                     else _("This field is required."), line.row))
        name = line.location.strip()
        if name:
            location = locations.get(name)
            if location is None:
                errors.append(FieldError("location", _("Unknown location %(code)s.") % {"code": name}, line.row))
        else:
            default = default or location_default(shop=shop)
            location = default
        if not 0 <= line.counted <= MAX_QTY:
            errors.append(FieldError("counted", _("Enter a whole number from %(low)s to %(high)s.")
                                     % {"low": 0, "high": MAX_QTY}, line.row))
        if sku is None or location is None:
            continue
        key = (sku.pk, location.pk)
        if key in seen:
            errors.append(FieldError("sku", _("%(code)s at %(loc)s is counted twice (also row %(row)s).")
                                     % {"code": code, "loc": location.name, "row": seen[key]}, line.row))
            continue
        seen[key] = line.row
        resolved.append(_Resolved(index, line, sku.pk, sku.product.title, location))
    if errors:
        raise InvalidInput(_("The count was not applied: %(n)s problems.") % {"n": len(errors)}, errors)
    return resolved


def _diff(item: _Resolved, balance: Balance | None) -> CountDiff:
    on_hand = balance.on_hand if balance else 0
    held = balance.reserved + balance.pooled if balance else 0
    return CountDiff(item.line.row, item.line.sku_code.strip(), item.title, item.location.code,
                     item.location.name, on_hand, held, item.line.counted)


def stock_count_preview(*, shop: Shop, counts: Sequence[CountLine]) -> list[CountDiff]:
    """What applying the count would post, line by line (nothing is written, nothing locked)."""
    resolved = _resolve(shop, counts)
    keys = Q(pk__in=[])
    for item in resolved:
        keys |= Q(sku_id=item.sku_id, location_id=item.location.pk)
    balances = {(b.sku_id, b.location_id): b for b in Balance.objects.filter(keys)} if resolved else {}
    return [_diff(item, balances.get((item.sku_id, item.location.pk))) for item in resolved]


def _blocked(diff: CountDiff) -> FieldError:
    return FieldError("counted", _("Counted %(n)s, but %(held)s units are reserved or in flash-sale pools: resolve "
                                   "those first.") % {"n": diff.counted, "held": diff.held}, diff.row)


def stock_count_check(*, shop: Shop, counts: Sequence[CountLine]) -> list[CountDiff]:
    """The preview, refused as applying would refuse it (a count below the reserved units names its row)."""
    diffs = stock_count_preview(shop=shop, counts=counts)
    errors = [_blocked(d) for d in diffs if d.blocked]
    if errors:
        raise InvalidInput(_("The count was not applied: %(n)s problems.") % {"n": len(errors)}, errors)
    return diffs


def _replayed(shop: Shop, ref: str) -> bool:
    """True when ``ref`` was applied as a count before; Conflict when it names another kind of move."""
    types = set(StockMove.objects.filter(shop=shop, ref=ref).values_list("type", flat=True))
    if not types:
        return False
    if types != {StockMove.Type.ADJUSTMENT}:
        raise Conflict(_("The reference %(ref)s was already used for a different stock move.") % {"ref": ref})
    return True


def stock_count_apply(*, shop: Shop, counts: Sequence[CountLine], reason: str, ref: str,
                      actor: User | None = None) -> CountResult:
    """Set each counted SKU's on hand at its location to the count: one ``adjustment`` of (counted − on hand)
    per line that differs, noted with the reason, all in one transaction. A count below the units reserved or
    in flash-sale pools is refused naming its row; so are unknown SKUs and locations (nothing is written).
    The same ``ref`` again posts nothing (``created=False``)."""
    ref = ref_clean(ref)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason of the count."), [FieldError("reason", _("This field is required."))])
    resolved = _resolve(shop, counts)
    if _replayed(shop, ref):
        return CountResult(stock_count_preview(shop=shop, counts=counts), posted=0, created=False)
    try:
        with transaction.atomic():
            diffs, posted = _write(shop, resolved, reason, ref, actor)
    except IntegrityError:  # the same ref applied meanwhile by another request
        if not _replayed(shop, ref):
            raise
        return CountResult(stock_count_preview(shop=shop, counts=counts), posted=0, created=False)
    return CountResult(diffs, posted=posted, created=True)


def _write(shop: Shop, resolved: list[_Resolved], reason: str, ref: str,
           actor: User | None) -> tuple[list[CountDiff], int]:
    by_row: dict[int, CountDiff] = {}
    errors: list[FieldError] = []
    moves: list[StockMove] = []
    for item in sorted(resolved, key=lambda r: (r.location.pk, r.sku_id)):  # the lock order
        balance_ensure(shop, item.sku_id, item.location.pk, item.line.sku_code.strip())
        balance = Balance.objects.select_for_update().get(sku_id=item.sku_id, location_id=item.location.pk)
        diff = _diff(item, balance)
        by_row[item.index] = diff
        if diff.blocked:
            errors.append(_blocked(diff))
            continue
        if diff.difference == 0 or errors:
            continue
        # compare-and-set on the value just read (the row is locked on PostgreSQL; SQLite serialises writers)
        if not Balance.objects.filter(pk=balance.pk, on_hand=balance.on_hand).update(on_hand=diff.counted):
            raise Conflict(_("The stock changed while counting; count again."))
        note = f"{reason} · {item.line.note.strip()}" if item.line.note.strip() else reason
        moves.append(StockMove(shop=shop, sku_id=item.sku_id, location=item.location, type=StockMove.Type.ADJUSTMENT,
                               qty=diff.difference, ref=ref, line=item.index, actor=actor, note=note[:200]))
    if errors:
        raise InvalidInput(_("The count was not applied: %(n)s problems.") % {"n": len(errors)}, errors)
    StockMove.objects.bulk_create(moves)
    return [by_row[i] for i in sorted(by_row)], len(moves)
