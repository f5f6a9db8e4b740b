"""The pricing contract as schemas: OpenAPI shows the real fields, and the API, the CLI and the contract read a
cart through the same models (same paths, same messages)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shopops.core.errors import InvalidInput
from shopops.pricing.contract import CartIn, parse_cart, quote_from_json
from shopops.pricing.messages import CartRequest
from shopops.pricing.schemas import PROMOTION_SCHEMAS, QuoteOut
from tests.pricing.carts import cart, line

PROMOTION_FIELDS = {
    "item_discount": {"percent_off", "cap", "stackable"},
    "item_price": {"price", "off"},
    "member_price": {"price"},
    "presale": {"deposit", "deposit_worth", "instant_off"},
    "threshold_off": {"tiers"},
    "every_off": {"every", "off", "cap"},
    "coupon": {"threshold", "off"},
    "gift": {"threshold", "gifts"},
}
COMMON_FIELDS = {"id", "type", "level", "shop", "skus", "start", "end", "name", "note"}


def _resolve(document: dict, schema: dict) -> dict:
    ref = schema.get("$ref")
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


@pytest.fixture(scope="module")
def openapi(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def test_openapi_publishes_the_cart_lines_and_one_schema_per_promotion_type(openapi):
    operation = openapi["paths"]["/api/v1/pricing/quote"]["post"]
    body = _resolve(openapi, operation["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == {"at", "member", "lines", "promotions"}
    assert body["required"] == ["lines"] and body["additionalProperties"] is False
    lines = body["properties"]["lines"]
    assert (lines["minItems"], lines["maxItems"]) == (1, 500)
    line_schema = _resolve(openapi, lines["items"])
    assert set(line_schema["properties"]) == {"line", "sku", "shop", "price", "qty", "name", "note"}
    assert line_schema["properties"]["qty"]["maximum"] == 99_999

    items = body["properties"]["promotions"]["items"]
    assert items["discriminator"]["propertyName"] == "type"
    assert set(items["discriminator"]["mapping"]) == set(PROMOTION_FIELDS)
    for kind, ref in items["discriminator"]["mapping"].items():
        schema = _resolve(openapi, {"$ref": ref})
        assert set(schema["properties"]) == COMMON_FIELDS | PROMOTION_FIELDS[kind], kind
        assert schema["properties"]["type"]["const"] == kind
        assert {"id", "type"} <= set(schema["required"])
    tiers = _resolve(openapi, {"$ref": items["discriminator"]["mapping"]["threshold_off"]})["properties"]["tiers"]
    assert set(_resolve(openapi, tiers["items"])["properties"]) == {"threshold", "off"}


def test_openapi_publishes_the_quote(openapi):
    response = openapi["paths"]["/api/v1/pricing/quote"]["post"]["responses"]["200"]
    quote = _resolve(openapi, response["content"]["application/json"]["schema"])
    assert list(quote["properties"]) == ["lines", "gifts", "total_price", "total_discount", "total_pay", "presale",
                                         "applied", "rejected"]
    line_quote = _resolve(openapi, quote["properties"]["lines"]["items"])
    assert set(line_quote["properties"]) == {"line", "sku", "qty", "price", "item_price", "pay", "discounts"}


def test_the_schemas_are_the_types_the_contract_reads():
    assert set(PROMOTION_SCHEMAS) == set(PROMOTION_FIELDS)
    assert issubclass(CartRequest, CartIn)
    for kind, fields in PROMOTION_FIELDS.items():
        assert set(PROMOTION_SCHEMAS[kind].model_fields) == COMMON_FIELDS | fields


def test_the_quote_is_its_schema():
    result = quote_from_json(cart([line("1", "A", "300.00", qty=2)],
                                  {"id": "c", "type": "coupon", "shop": "S1", "threshold": "500.00", "off": "50.00"},
                                  {"id": "g", "type": "gift", "shop": "S9", "threshold": "1.00",
                                   "gifts": [{"sku": "G"}]}))
    assert QuoteOut.model_validate(result).model_dump() == result
    assert list(result) == list(QuoteOut.model_fields)


def test_model_validate_is_the_contract():
    data = cart([line("1", "A1", "10.00"), line("1", "B1", "-1.00")],
                {"id": "p", "type": "coupon", "shop": "S1", "threshold": "5.00", "off": "9.00", "oops": 1})
    with pytest.raises(InvalidInput) as caught:
        CartIn.model_validate(data)
    assert {e.field for e in caught.value.errors} == {
        "lines[1].line", "lines[1].price", "promotions[0].oops", "promotions[0].off"}
    assert CartIn.model_validate(cart([line("1", "A", "1.00")])).lines[0].price == 100


def test_api_and_contract_name_the_same_problems(api_as):
    data = cart(
        [line("1", "A1", "10.00"), line("1", "B1", "-1.00"), {"line": "3", "sku": "C1", "shop": "S1", "qty": 0}],
        {"id": "p1", "type": "bogus"},
        {"id": "p2", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "120.00"},
        {"id": "p3", "type": "item_discount", "skus": ["A1", "ZZ"], "percent_off": 15},
        {"id": "p2", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00", "cap": "10.00"},
        currency="CNY",
    )
    with pytest.raises(InvalidInput) as caught:
        parse_cart(data)
    response = api_as("viewer").post("/api/v1/pricing/quote", data=json.dumps(data),
                                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid cart.", "errors": [e.as_dict() for e in caught.value.errors]}


@pytest.mark.parametrize("percent", ["1e30", "-1e30", "NaN", "Infinity"])
def test_huge_or_odd_percentages_are_refused_not_a_crash(percent):
    with pytest.raises(InvalidInput) as caught:
        parse_cart(cart([line("1", "A", "1.00")], {"id": "p", "type": "item_discount", "percent_off": percent}))
    assert [e.field for e in caught.value.errors] == ["promotions[0].percent_off"]
