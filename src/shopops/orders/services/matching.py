"""SKU matching on the orders' side (docs/rules/sku-matching.md): a mapping made or removed re-links the past
order lines of its key, then what depends on their SKU is refreshed.

Re-linking sets ``OrderLine.sku`` of every line of the channel account with the mapping's match key, stores
the orders' fingerprints again (so importing the same file afterwards changes nothing) and owes the lake the
order facts of those paid dates (``facts_refresh_owe``, paid after the commit). Order imports reserve no
stock and write no stock ledger, so nothing in inventory moves; its sales history reads the lines' SKUs and
sees the re-linked lines at once (docs/rules/sku-matching.md#relink).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog import services as catalog_services
from shopops.catalog.domain import LineIdentity
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.orders import selectors
from shopops.orders.domain import order_fingerprint
from shopops.orders.models import Order, OrderLine
from shopops.orders.services.facts import facts_refresh_owe, facts_refresh_settle


@dataclass(frozen=True)
class Relinked:
    """What a mapping change did: its id, the SKU its lines now point to (None: unmatched), how many lines."""

    mapping_id: int
    sku_id: int | None
    lines: int


def _identity(shop: Shop, channel_account_id: int, match_key: str) -> LineIdentity:
    """The raw identifiers of the lines with this key (the latest line's), as the mapping records them."""
    line = selectors.lines_of_key(shop=shop, channel_account_id=channel_account_id, match_key=match_key).order_by(
        "-pk").values("seller_code", "platform_item_id", "platform_sku_id", "title", "spec").first()
    if line is None:
        raise InvalidInput(_("The mapping was not saved."),
                           [FieldError("key", _("No order lines of this channel account have this key."))])
    return LineIdentity(**line)


def matching_map(*, shop: Shop, channel_account_id: int, match_key: str, sku_id: int | None = None,
                 new_sku_code: str = "", category: str = "", actor: User | None = None) -> Relinked:
    """Map a key to a SKU (``sku_id``), or to a SKU created from its lines (``new_sku_code``: a product with
    one SKU prefilled from the line's title, spec and price), and re-link its past lines."""
    with transaction.atomic():
        identity = _identity(shop, channel_account_id, match_key)
        if sku_id is None:
            if not new_sku_code.strip():
                raise InvalidInput(_("The mapping was not saved."),
                                   [FieldError("sku_id", _("Choose a SKU or give the code of a new one."))])
            price = selectors.lines_of_key(shop=shop, channel_account_id=channel_account_id, match_key=match_key
                                           ).order_by("-pk").values_list("unit_price_fen", flat=True).first() or 0
            sku_id = catalog_services.sku_create_from_line(
                shop=shop, line=identity, sku_code=new_sku_code.strip(), price_fen=price, category=category,
                actor=actor).pk
        mapping = catalog_services.mapping_save(shop=shop, channel_account_id=channel_account_id,
                                                match_key=match_key, line=identity, sku_id=sku_id, actor=actor)
        count = _relink(shop, channel_account_id, match_key, sku_id)
    facts_refresh_settle(shop=shop)
    return Relinked(mapping.pk, sku_id, count)


def matching_unmap(*, shop: Shop, mapping_id: int, actor: User | None = None) -> Relinked:
    """Remove a mapping; its lines are matched again without it (by code, listing or barcode), else they are
    unmatched again."""
    with transaction.atomic():
        mapping = catalog_services.mapping_delete(shop=shop, mapping_id=mapping_id, actor=actor)
        identity = LineIdentity(mapping.seller_code, mapping.platform_item_id, mapping.platform_sku_id,
                                mapping.title, mapping.spec)
        found = catalog_selectors.skus_for_lines(shop=shop, channel_account_id=mapping.channel_account_id,
                                                 lines=[identity])
        sku_id = found.get(identity)
        count = _relink(shop, mapping.channel_account_id, mapping.match_key, sku_id)
    facts_refresh_settle(shop=shop)
    return Relinked(mapping_id, sku_id, count)


def _relink(shop: Shop, channel_account_id: int, match_key: str, sku_id: int | None) -> int:
    """Point the key's lines at ``sku_id``; store their orders' fingerprints again; owe the lake their dates."""
    lines = selectors.lines_of_key(shop=shop, channel_account_id=channel_account_id, match_key=match_key)
    order_ids = sorted(set(lines.exclude(sku_id=sku_id).values_list("order_id", flat=True)) if sku_id is not None
                       else set(lines.filter(sku__isnull=False).values_list("order_id", flat=True)))
    if not order_ids:
        return 0
    count = OrderLine.objects.filter(pk__in=lines.values("pk")).update(sku_id=sku_id)
    orders = list(Order.objects.filter(pk__in=order_ids).values_list("order_no", "paid_date"))
    inputs = selectors.orders_as_inputs(shop=shop, channel_account_id=channel_account_id,
                                        order_nos=[number for number, _day in orders])
    changed = [Order(pk=pk, fingerprint=order_fingerprint(inputs[number]))
               for pk, number in Order.objects.filter(pk__in=order_ids).values_list("pk", "order_no")]
    Order.objects.bulk_update(changed, ["fingerprint"], batch_size=500)
    days = [day for _number, day in orders]
    facts_refresh_owe(shop=shop, date_from=min(days), date_to=max(days))
    return count
