"""Stock locations (warehouses and stores) of a shop; exactly one of them is the default."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.inventory.models import Location

DEFAULT_LOCATION_CODE = "main"
DEFECTIVE_LOCATION_CODE = "defective"


def location_default(*, shop: Shop) -> Location:
    """The shop's default location, created ("main", 主仓) on first use."""
    return _location_ensure(shop, {"is_default": True}, code=DEFAULT_LOCATION_CODE, name=_("Main warehouse"),
                            is_default=True, priority=0)


def _location_ensure(shop: Shop, lookup: dict[str, object], **create: object) -> Location:
    """The location ``lookup`` finds, else one created with ``create``; a concurrent creator is fine (then the
    location it made, or the one already holding the code)."""
    found = Location.objects.filter(shop=shop, **lookup).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return Location.objects.create(shop=shop, **create)
    except IntegrityError:  # created meanwhile by another request, or the code exists without the lookup's state
        return Location.objects.filter(shop=shop, **lookup).first() or Location.objects.get(shop=shop,
                                                                                            code=create["code"])


def location_find(shop: Shop, code: str | None, field: str = "location") -> Location:
    """The location with this code; no code means the default location."""
    if not code:
        return location_default(shop=shop)
    found = Location.objects.filter(shop=shop, code=code.strip()).first()
    if found is None:
        raise InvalidInput(_("Unknown location %(code)s.") % {"code": code},
                           [FieldError(field, _("No location with this code in this shop."))])
    return found


@transaction.atomic
def location_create(*, shop: Shop, code: str, name: str, kind: str = Location.Kind.WAREHOUSE,
                    is_default: bool = False, priority: int = 100) -> Location:
    """A new location; a new default takes over from the old one (one default per shop)."""
    code = (code or "").strip()
    if not code or Location.objects.filter(shop=shop, code=code).exists():
        raise InvalidInput(_("The location code is missing or already used."),
                           [FieldError("code", _("Enter a new location code."))])
    if kind not in Location.Kind.values:
        raise InvalidInput(_("Unknown location type."), [FieldError("kind", _("Choose warehouse or store."))])
    if is_default:
        Location.objects.filter(shop=shop, is_default=True).update(is_default=False)
    return Location.objects.create(shop=shop, code=code, name=name or code, kind=kind, is_default=is_default,
                                   priority=priority)


def location_defective(*, shop: Shop) -> Location:
    """Where defective returned units go (次品仓, docs/rules/returns.md#stock-back): created inactive on first
    use, so its units are never reserved, published to channels or counted as stock to sell."""
    return _location_ensure(shop, {"code": DEFECTIVE_LOCATION_CODE}, code=DEFECTIVE_LOCATION_CODE,
                            name=_("Defective returns"), active=False, priority=1000)
