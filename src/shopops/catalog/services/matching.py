"""Writes of SKU matching (商品对应关系, docs/rules/sku-matching.md): a mapping made or removed, a SKU created from
an order line. Each is audited. Re-linking the order lines is the orders app's (``orders.services.matching``)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog.domain import MATCH_KEY_MAX, LineIdentity, ProductInput, SkuInput
from shopops.catalog.models import Sku, SkuMapping
from shopops.catalog.services.categories import category_create
from shopops.catalog.services.products import product_create
from shopops.core.errors import FieldError, InvalidInput, NotFound
from shopops.core.models import Shop, User
from shopops.core.money import fen_to_decimal
from shopops.core.services import audit_record

UNCATEGORISED = "uncategorized"  # the category a SKU made from an order line goes to when none is chosen


def mapping_save(*, shop: Shop, channel_account_id: int, match_key: str, line: LineIdentity, sku_id: int,
                 actor: User | None = None) -> SkuMapping:
    """Map the lines of this channel account with ``match_key`` to the SKU (a mapping already there for the
    key is pointed at it); ``line``: what one of those lines said of its item, kept to show. The key is the one
    the lines were stored with (``LineIdentity.key`` of the export's full text), not recomputed from the
    stored, shortened text."""
    sku = Sku.objects.filter(shop=shop, pk=sku_id).first()
    if sku is None:
        raise InvalidInput(_("The mapping was not saved."), [FieldError("sku_id", _("No such SKU in this shop."))])
    key = match_key
    if not key or len(key) > MATCH_KEY_MAX:
        raise InvalidInput(_("The mapping was not saved."), [FieldError("key", _("Not a match key."))])
    fields = {"sku": sku, "platform_item_id": line.platform_item_id[:64], "platform_sku_id": line.platform_sku_id[:64],
              "seller_code": line.seller_code[:64], "title": line.title[:200], "spec": line.spec[:200]}
    mapping, created = SkuMapping.objects.update_or_create(
        shop=shop, channel_account_id=channel_account_id, match_key=key, defaults=fields,
        create_defaults={**fields, "created_by": actor})
    audit_record(action="sku_mapping.create" if created else "sku_mapping.change", object_type="sku_mapping",
                 object_id=mapping.pk, shop=shop, actor=actor, object_repr=key[:200],
                 changes={"sku": [None, sku.sku_code], "channel_account": channel_account_id})
    return mapping


def mapping_delete(*, shop: Shop, mapping_id: int, actor: User | None = None) -> SkuMapping:
    """Remove a mapping; returns it (unsaved) so the caller can re-link its lines."""
    mapping = SkuMapping.objects.filter(shop=shop, pk=mapping_id).select_related("sku").first()
    if mapping is None:
        raise NotFound(_("No such SKU mapping."))
    code = mapping.sku.sku_code
    mapping.delete()
    mapping.pk = mapping_id
    audit_record(action="sku_mapping.delete", object_type="sku_mapping", object_id=mapping_id, shop=shop,
                 actor=actor, object_repr=mapping.match_key[:200], changes={"sku": [code, None]})
    return mapping


@transaction.atomic
def sku_create_from_line(*, shop: Shop, line: LineIdentity, sku_code: str, price_fen: int, category: str = "",
                         actor: User | None = None) -> Sku:
    """A product with one SKU made from an order line: the line's title, its spec as the SKU's attribute,
    its unit price as the price, cost 0 until someone enters it; the category given, else 未分类."""
    if not category:
        category = category_create(shop=shop, code=UNCATEGORISED, name=_("Uncategorised"), actor=actor).code
    price = fen_to_decimal(max(price_fen, 0))
    title = (line.title or line.spec or sku_code).strip()[:200]
    product = product_create(shop=shop, actor=actor, data=ProductInput(
        spu_code=sku_code, title=title, category=category,
        skus=(SkuInput(sku_code=sku_code, price=price, cost=Decimal("0"),
                       attributes={_("Spec"): line.spec[:100]} if line.spec else {}),)))
    return Sku.objects.get(shop=shop, product=product, sku_code=sku_code)
