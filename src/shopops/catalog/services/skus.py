"""Changing SKUs: one SKU's price, cost or on-sale flag, or many SKUs at once; every change is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog.domain import MAX_BULK_SKUS
from shopops.catalog.models import Sku
from shopops.core.domain import AmountTooLarge, parse_amount
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.core.money import MoneyError, format_fen
from shopops.core.schemas import amount_too_large_message
from shopops.core.services import audit_record


@dataclass(frozen=True, slots=True)
class BulkResult:
    skus: list[Sku]  # in the order asked, each once
    changed: int


def _amounts(price: str | None, cost: str | None) -> tuple[dict[str, int], list[FieldError]]:
    """The wanted price_fen/cost_fen (None: leave as is) and the problems of the texts given."""
    errors: list[FieldError] = []
    wanted: dict[str, int] = {}
    for name, value in (("price", price), ("cost", cost)):
        if value is None:
            continue
        try:
            wanted[f"{name}_fen"] = parse_amount(value)
        except AmountTooLarge:
            errors.append(FieldError(name, amount_too_large_message()))
        except MoneyError:
            errors.append(FieldError(name, _("Not a valid non-negative amount with at most two decimals.")))
    return wanted, errors


def _change(current: Sku, wanted: dict[str, int], active: bool | None, *, shop: Shop, actor: User | None) -> bool:
    """Apply the wanted values to a locked SKU; save and audit what really changed. True when anything did."""
    changes: dict[str, list] = {}
    for field, new in wanted.items():
        old = getattr(current, field)
        if old != new:
            changes[field.removesuffix("_fen")] = [format_fen(old), format_fen(new)]
            setattr(current, field, new)
    if active is not None and active != current.active:
        changes["active"] = [current.active, active]
        current.active = active
    if changes:
        current.save(update_fields=["price_fen", "cost_fen", "active"])
        audit_record(action="sku.update", object_type="sku", object_id=current.pk, shop=shop,
                     actor=actor, object_repr=current.sku_code, changes=changes)
    return bool(changes)


@transaction.atomic
def sku_update(
    *, sku: Sku, price: str | None = None, cost: str | None = None, active: bool | None = None,
    actor: User | None = None,
) -> Sku:
    """Change a SKU's price, cost or on-sale flag; every change lands in the audit log."""
    wanted, errors = _amounts(price, cost)
    if errors:
        raise InvalidInput(_("The SKU was not changed."), errors)
    current = Sku.objects.select_for_update().select_related("shop").get(pk=sku.pk)
    _change(current, wanted, active, shop=current.shop, actor=actor)
    return current


@transaction.atomic
def skus_bulk_update(
    *, shop: Shop, sku_codes: Sequence[str], price: str | None = None, cost: str | None = None,
    active: bool | None = None, actor: User | None = None,
) -> BulkResult:
    """Set the price, cost and/or on-sale flag of many SKUs, all or nothing: an unknown code (each named by
    its place in ``sku_codes``) or a bad amount changes no SKU. One audit entry per SKU that changed."""
    codes = list(dict.fromkeys(sku_codes))
    wanted, errors = _amounts(price, cost)
    if not codes:
        errors.append(FieldError("sku_codes", _("Select at least one SKU.")))
    elif len(codes) > MAX_BULK_SKUS:
        errors.append(FieldError("sku_codes", _("At most %(n)s SKUs at once.") % {"n": MAX_BULK_SKUS}))
    if price is None and cost is None and active is None:
        errors.append(FieldError("body", _("Give a price, a cost or a status to set.")))
    found: dict[str, Sku] = {}
    if codes and len(codes) <= MAX_BULK_SKUS:
        found = {s.sku_code: s for s in Sku.objects.select_for_update().filter(shop=shop, sku_code__in=codes)}
        errors.extend(FieldError(f"sku_codes[{index}]", _("No SKU with the code %(code)s.") % {"code": code})
                      for index, code in enumerate(sku_codes) if code not in found)
    if errors:
        raise InvalidInput(_("No SKU was changed: please correct the fields below."), errors)
    skus = [found[code] for code in codes]
    changed = sum(_change(sku, wanted, active, shop=shop, actor=actor) for sku in skus)
    return BulkResult(skus, changed)
