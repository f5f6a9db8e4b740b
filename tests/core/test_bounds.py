"""Money and quantities are bounded to what a shop can have (``shopops.core.domain``), with a 422 that names
the field and says why, on every face: the pricing quote (API and contract), products and SKU prices (API,
service, web form), stock movements, and JSON bodies too deeply nested to parse.
"""

from __future__ import annotations

import json

import pytest

from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.models import Category, Product, Sku
from shopops.catalog.services import product_create, sku_update
from shopops.core.domain import (
    MAX_AMOUNT_FEN,
    MAX_CART_LINES,
    MAX_LINE_QTY,
    MAX_STOCK_QTY,
    AmountTooLarge,
    parse_amount,
)
from shopops.core.errors import InvalidInput
from shopops.core.money import MoneyError, format_fen
from shopops.pricing.contract import parse_cart

MAX_TEXT = format_fen(MAX_AMOUNT_FEN)  # "100000000.00"
OVER_TEXT = format_fen(MAX_AMOUNT_FEN + 1)


def test_bounds_keep_every_sum_inside_int64():
    """The largest cart (every line at the largest quantity and price) still fits a BIGINT of fen."""
    assert MAX_CART_LINES * MAX_LINE_QTY * MAX_AMOUNT_FEN < 2**63
    assert MAX_STOCK_QTY * MAX_CART_LINES < 2**63


def test_parse_amount():
    assert parse_amount(MAX_TEXT) == MAX_AMOUNT_FEN
    assert parse_amount("99.00") == 9900
    with pytest.raises(AmountTooLarge):
        parse_amount(OVER_TEXT)
    with pytest.raises(AmountTooLarge):
        parse_amount("999999999999")
    with pytest.raises(MoneyError):
        parse_amount("-1")
    assert issubclass(AmountTooLarge, MoneyError)


# ------------------------------------------------------------------ pricing quote


def _cart(price: str = "99.00", qty: object = 1) -> dict:
    return {"at": "2026-11-11T00:05:00+08:00",
            "lines": [{"line": "1", "sku": "A1", "shop": "S1", "price": price, "qty": qty}], "promotions": []}


def _fields(exc: InvalidInput) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


@pytest.mark.parametrize(("price", "qty", "field"), [
    ("99.00", 999_999_999_999, "lines[0].qty"),
    ("99.00", MAX_LINE_QTY + 1, "lines[0].qty"),
    ("999999999999.00", 99, "lines[0].price"),
    (OVER_TEXT, 1, "lines[0].price"),
])
def test_contract_refuses_amounts_no_shop_has(price, qty, field):
    with pytest.raises(InvalidInput) as exc:
        parse_cart(_cart(price, qty))
    assert field in _fields(exc.value)


def test_contract_accepts_the_bounds_themselves():
    cart = parse_cart(_cart(MAX_TEXT, MAX_LINE_QTY))
    assert cart.lines[0].price == MAX_AMOUNT_FEN and cart.lines[0].qty == MAX_LINE_QTY


def test_contract_bounds_promotion_amounts():
    data = _cart()
    data["promotions"] = [{"id": "c", "type": "coupon", "shop": "S1", "threshold": OVER_TEXT, "off": "1.00"}]
    with pytest.raises(InvalidInput) as exc:
        parse_cart(data)
    assert "promotions[0].threshold" in _fields(exc.value)


def _quote(client, body: object):
    return client.post("/api/v1/pricing/quote", data=json.dumps(body) if not isinstance(body, str) else body,
                       content_type="application/json")


def test_quote_api_refuses_trillions_naming_the_field(api_as):
    response = _quote(api_as("viewer"), _cart("999999999999.00", 99))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lines[0].price"]
    assert "100000000.00" in response.json()["errors"][0]["message"]


def test_deeply_nested_json_body_is_a_4xx_not_a_500(api_as):
    response = _quote(api_as("viewer"), "[" * 100_000 + "]" * 100_000)
    assert 400 <= response.status_code < 500, response.status_code
    assert response.json()["detail"]


# ------------------------------------------------------------------ products and SKU prices


def _category() -> str:
    return Category.objects.order_by("code").first().code


def test_product_service_refuses_an_oversized_price(shop):
    before = Product.objects.count()
    with pytest.raises(InvalidInput) as exc:
        product_create(shop=shop, data=ProductInput("BIG-1", "t", _category(),
                                                     (SkuInput("BIG-1-1", OVER_TEXT, "1.00"),)))
    assert list(_fields(exc.value)) == ["skus[0].price"]
    assert Product.objects.count() == before


def test_product_api_refuses_an_oversized_price_and_cost(api_as):
    body = {"spu_code": "BIG-2", "title": "t", "category": _category(),
            "skus": [{"sku_code": "BIG-2-1", "price": "999999999999.00", "cost": OVER_TEXT}]}
    response = api_as("operator").post("/api/v1/products", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    assert sorted(e["field"] for e in response.json()["errors"]) == ["skus[0].cost", "skus[0].price"]
    assert not Product.objects.filter(spu_code="BIG-2").exists()


def test_product_api_accepts_the_largest_price(api_as):
    body = {"spu_code": "BIG-3", "title": "t", "category": _category(),
            "skus": [{"sku_code": "BIG-3-1", "price": MAX_TEXT, "cost": "1.00"}]}
    response = api_as("operator").post("/api/v1/products", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content


def test_sku_price_change_is_bounded(shop, api_as):
    sku = Sku.objects.filter(shop=shop).first()
    with pytest.raises(InvalidInput) as exc:
        sku_update(sku=sku, price=OVER_TEXT)
    assert list(_fields(exc.value)) == ["price"]
    response = api_as("operator").patch(f"/api/v1/skus/{sku.sku_code}", data=json.dumps({"cost": OVER_TEXT}),
                                        content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "cost"
    old = sku.price_fen
    sku.refresh_from_db()
    assert sku.price_fen == old


def test_web_product_form_refuses_an_oversized_price(client_as):
    response = client_as("operator").post("/products/new/", {
        "spu_code": "BIG-4", "title": "t", "category": _category(), "brand": "",
        "sku_code": ["BIG-4-1"], "price": ["999999999999"], "cost": ["1.00"], "attributes": [""]})
    assert response.status_code == 422
    assert "skus[0].price" in response.content.decode()
    assert not Product.objects.filter(spu_code="BIG-4").exists()


# ------------------------------------------------------------------ stock movements


def test_stock_movement_api_bounds_the_quantity(api_as, shop):
    code = Sku.objects.filter(shop=shop).first().sku_code
    response = api_as("operator").post("/api/v1/inventory/movements", data=json.dumps(
        {"sku": code, "qty": 999_999_999_999, "type": "receipt", "ref": "huge"}), content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["qty"]
