"""POST /api/v1/pricing/quote: the JSON contract over HTTP (published examples, 422 naming the field)."""

import json

import pytest

CART = {
    "at": "2026-11-11T00:05:00+08:00",
    "lines": [{"line": "1", "sku": "A1", "shop": "S1", "price": "400.00", "qty": 1}],
    "promotions": [
        {"id": "shop-coupon", "type": "coupon", "level": "shop", "shop": "S1", "threshold": "400.00", "off": "380.00"},
        {"id": "cross-store", "type": "threshold_off", "level": "platform",
         "tiers": [{"threshold": "400.00", "off": "50.00"}]},
    ],
}


def _quote(client, body):
    return client.post("/api/v1/pricing/quote", data=json.dumps(body), content_type="application/json")


def test_cross_store_on_item_price_pays_zero(api_as):
    """docs/rules/pricing.md#thresholds-on-the-item-level-price: 活动价 400, 店铺券 400−380, 跨店 400−50 → pays 0.00
    (跨店 capped at what is left)."""
    response = _quote(api_as("operator"), CART)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_pay"] == "0.00" and body["lines"][0]["pay"] == "0.00"
    assert body["applied"] == ["shop-coupon", "cross-store"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"promotions": [{"id": "x", "type": "lottery"}]}, "promotions[0].type"),
        ({"promotions": [{"id": "c", "type": "coupon", "level": "shop", "shop": "S1", "threshold": "10.00",
                          "off": "20.00"}]}, "promotions[0].off"),
        ({"lines": [{"line": "1", "sku": "A1", "shop": "S1", "price": "-1.00", "qty": 1}]}, "lines[0].price"),
    ],
)
def test_invalid_carts_are_422_naming_the_field(api_as, change, field):
    response = _quote(api_as("viewer"), {**CART, **change})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


def test_quote_needs_credentials(db):
    from django.test import Client

    assert _quote(Client(), CART).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [{"line": "1", "sku": "A1", "shop": "S1", "price": "400.00", "qty": 10**30}]}, "lines[0].qty"),
        ({"lines": [{"line": str(i), "sku": "A1", "shop": "S1", "price": "1.00", "qty": 1} for i in range(501)]},
         "lines"),
        ({"promotions": [{"id": f"p{i}", "type": "item_discount", "percent_off": 10} for i in range(201)]},
         "promotions"),
    ],
)
def test_oversized_quotes_are_refused_cheaply(api_as, change, field):
    response = _quote(api_as("viewer"), {**CART, **change})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
