"""Creating products (SPU) with their SKUs, all or nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shopops.catalog.domain import ProductInput, validate_product
from shopops.catalog.models import Category, Product, Sku
from shopops.catalog.services.categories import category_find
from shopops.core.errors import Conflict, FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.core.money import format_fen
from shopops.core.schemas import amount_too_large_message, code_message
from shopops.core.services import audit_record


def _messages() -> dict[str, str]:
    return {
        "required": _("This field is required."),
        "too_long": _("Too long."),
        "no_skus": _("Give at least one SKU."),
        "duplicate": _("Duplicate SKU code in this request."),
        "negative": _("Must not be negative."),
        "bad_money": _("Not an amount of money with at most two decimals."),
        "bad_attributes": _("Each attribute needs a name and a text value."),
        "too_large": amount_too_large_message(),
    }


@transaction.atomic
def product_create(
    *, shop: Shop, data: ProductInput, actor: User | None = None, audit: bool = True
) -> Product:
    """Create an SPU with its SKUs, all or nothing. 422 for bad fields, 409 for a taken code."""
    clean_skus, errors = validate_product(data, _messages(), code_message)
    category = category_find(shop=shop, value=data.category) if data.category else None
    if data.category and data.category.strip() and category is None:
        errors.append(FieldError("category", _("Unknown category: %s") % data.category
                                 if Category.objects.filter(shop=shop).exists()
                                 else _("This shop has no categories yet: create one first.")))
    if errors:
        raise InvalidInput(_("The product was not saved: please correct the fields below."), errors)
    assert category is not None  # validate_product requires one, and an unknown one is an error above
    if Product.objects.filter(shop=shop, spu_code=data.spu_code).exists():
        raise Conflict(_("SPU code %s is already used.") % data.spu_code,
                       [FieldError("spu_code", _("Already used."))])
    taken = set(
        Sku.objects.filter(shop=shop, sku_code__in=[s.sku_code for s in clean_skus]).values_list(
            "sku_code", flat=True
        )
    )
    if taken:
        raise Conflict(
            _("SKU code already used: %s") % ", ".join(sorted(taken)),
            [FieldError(f"skus[{i}].sku_code", _("Already used.")) for i, s in enumerate(clean_skus)
             if s.sku_code in taken],
        )
    try:
        product = Product.objects.create(
            shop=shop, spu_code=data.spu_code, title=data.title.strip(), category=category,
            brand=data.brand, description=data.description, launched_on=data.launched_on,
        )
        Sku.objects.bulk_create(
            Sku(shop=shop, product=product, sku_code=s.sku_code, price_fen=s.price_fen, cost_fen=s.cost_fen,
                attributes=s.attributes, barcode=s.barcode)
            for s in clean_skus
        )
    except IntegrityError as exc:  # a concurrent request took the code between our check and insert
        raise Conflict(_("SPU or SKU code is already used.")) from exc
    if audit:
        audit_record(
            action="product.create", object_type="product", object_id=product.pk, shop=shop, actor=actor,
            object_repr=product.spu_code,
            changes={s.sku_code: {"price": [None, format_fen(s.price_fen)]} for s in clean_skus},
        )
    return product
