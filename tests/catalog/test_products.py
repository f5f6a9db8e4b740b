"""Creating products: all or nothing, every field error named, duplicates refused, prices audited."""

import pytest

from shopops.catalog.domain import ProductInput, SkuInput, margin_rate
from shopops.catalog.models import Product, Sku
from shopops.catalog.services import product_create, sku_update
from shopops.core.errors import Conflict, InvalidInput
from shopops.core.models import AuditEntry


def _product(**changes):
    data = {
        "spu_code": "NEW-SPU-1",
        "title": "山茶花精华液 30ml",
        "category": _category_code(),
        "skus": (SkuInput("NEW-SKU-1", "199.00", "55.50", {"规格": "30ml"}),
                 SkuInput("NEW-SKU-2", "349.00", "90.00", {"规格": "50ml"})),
    }
    data.update(changes)
    return ProductInput(**data)


def _category_code():
    from shopops.catalog.models import Category

    return Category.objects.order_by("code").first().code


def test_product_with_skus_is_created_and_audited(shop, user_of):
    product = product_create(shop=shop, data=_product(), actor=user_of("operator"))
    assert [s.price_fen for s in product.skus.order_by("sku_code")] == [19900, 34900]
    entry = AuditEntry.objects.get(action="product.create", object_id=str(product.pk))
    assert entry.changes["NEW-SKU-1"] == {"price": [None, "199.00"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"category": "no-such-category"}, "category"),
        ({"spu_code": "has space"}, "spu_code"),
        ({"skus": ()}, "skus"),
        ({"skus": (SkuInput("S-NEG", "-1.00", "1.00"),)}, "skus[0].price"),
        ({"skus": (SkuInput("S-FRAC", "1.001", "1.00"),)}, "skus[0].price"),
        ({"skus": (SkuInput("S-TXT", "12", "abc"),)}, "skus[0].cost"),
        ({"skus": (SkuInput("S-DUP", "1.00", "1.00"), SkuInput("S-DUP", "2.00", "1.00"))}, "skus[1].sku_code"),
    ],
)
def test_bad_input_is_rejected_and_nothing_is_written(shop, changes, field):
    before = (Product.objects.count(), Sku.objects.count())
    with pytest.raises(InvalidInput) as exc:
        product_create(shop=shop, data=_product(**changes))
    assert field in [e.field for e in exc.value.errors]
    assert (Product.objects.count(), Sku.objects.count()) == before


def test_taken_sku_code_is_a_conflict_and_writes_nothing(shop):
    taken = Sku.objects.filter(shop=shop).first().sku_code
    before = Product.objects.count()
    with pytest.raises(Conflict) as exc:
        product_create(shop=shop, data=_product(skus=(SkuInput("FRESH-1", "1.00", "0.50"), SkuInput(taken, "1.00", "0.5"))))
    assert exc.value.errors[0].field == "skus[1].sku_code"
    assert Product.objects.count() == before
    assert not Sku.objects.filter(sku_code="FRESH-1").exists()


def test_price_change_is_audited(shop, user_of):
    sku = Sku.objects.filter(shop=shop).first()
    old_price, old_cost = sku.price_fen, sku.cost_fen
    sku_update(sku=sku, price="88.80", cost=f"{old_cost / 100:.2f}", actor=user_of("operator"))
    sku.refresh_from_db()
    assert sku.price_fen == 8880 and sku.cost_fen == old_cost
    entry = AuditEntry.objects.get(action="sku.update", object_id=str(sku.pk))
    assert entry.changes == {"price": [f"{old_price / 100:.2f}", "88.80"]}  # unchanged cost is not logged
    assert entry.actor == user_of("operator")
    with pytest.raises(InvalidInput) as exc:
        sku_update(sku=sku, price="-1", cost="x")
    assert [e.field for e in exc.value.errors] == ["price", "cost"]
    sku.refresh_from_db()
    assert sku.price_fen == 8880


def test_margin_rate():
    assert margin_rate(10000, 3500) == 0.65
    assert margin_rate(0, 10) is None
