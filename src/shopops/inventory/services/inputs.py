"""Input cleaning shared by the stock services: SKU codes, quantities and idempotency references.

Each raises InvalidInput naming the field, so the API and the pages show the error where it belongs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from shopops.catalog.selectors import sku_by_code
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.inventory.domain import MAX_QTY

if TYPE_CHECKING:
    from shopops.catalog.models import Sku


def sku_find(shop: Shop, sku_code: str, field: str = "sku") -> Sku:
    """The shop's SKU with this code (spaces around it ignored)."""
    code = (sku_code or "").strip()
    if not code:
        raise InvalidInput(_("Give a SKU code."), [FieldError(field, _("This field is required."))])
    sku = sku_by_code(shop=shop, sku_code=code)
    if sku is None:
        raise InvalidInput(_("Unknown SKU %(code)s.") % {"code": code},
                           [FieldError(field, _("No SKU with this code in this shop."))])
    return sku


def qty_clean(value: object, field: str = "qty", *, allow_zero: bool = False, allow_negative: bool = False) -> int:
    """A whole number of units within ±MAX_QTY; zero and negatives only where the caller allows them."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise InvalidInput(_("Quantities are whole numbers."),
                               [FieldError(field, _("Enter a whole number."))]) from None
    low = -MAX_QTY if allow_negative else (0 if allow_zero else 1)
    if not low <= value <= MAX_QTY or (value == 0 and not allow_zero):
        message = (_("Enter a whole number from %(low)s to %(high)s.") if allow_zero
                   else _("Enter a whole number from %(low)s to %(high)s, not zero."))
        raise InvalidInput(_("Quantity out of range."), [FieldError(field, message % {"low": low, "high": MAX_QTY})])
    return value


def ref_clean(value: str, field: str = "ref") -> str:
    """The caller's idempotency reference: 1 to 100 characters."""
    ref = (value or "").strip()
    if not ref or len(ref) > 100:
        raise InvalidInput(_("Give a reference of 1 to 100 characters."),
                           [FieldError(field, _("A reference of 1 to 100 characters is required."))])
    return ref
