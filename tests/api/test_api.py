"""The REST API: auth (401), permissions (403), validation (422 with field errors), conflicts (409)."""

import json

import pytest
from django.test import Client

from shopops.catalog.models import Category, Product, Sku


def _payload(**changes):
    data = {
        "spu_code": "API-SPU-1",
        "title": "山茶花洁面乳 120g",
        "category": Category.objects.order_by("code").first().code,
        "skus": [{"sku_code": "API-SKU-1", "price": "89.00", "cost": "21.30", "attributes": {"规格": "120g"}}],
    }
    data.update(changes)
    return data


def _post(client, data):
    return client.post("/api/v1/products", data=json.dumps(data), content_type="application/json")


def test_health_needs_no_auth(db):
    response = Client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/products", "/api/v1/customers", "/api/v1/me"])
def test_no_credentials_is_401(db, path):
    response = Client().get(path)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_bad_token_is_401(db):
    assert Client(HTTP_AUTHORIZATION="Bearer sho_nope").get("/api/v1/orders").status_code == 401


def test_lists_return_items_and_count(api_as):
    client = api_as("viewer")
    for path in ("/api/v1/orders", "/api/v1/products", "/api/v1/customers"):
        body = client.get(path, {"limit": 5, "offset": 2}).json()
        assert set(body) == {"items", "count"}
        assert len(body["items"]) == 5 and body["count"] > 5


def test_order_money_is_a_two_decimal_string_and_adds_up(api_as):
    orders = api_as("operator").get("/api/v1/orders", {"limit": 50}).json()["items"]
    for order in orders:
        for key in ("goods", "discount", "shipping", "paid", "refunded"):
            assert isinstance(order[key], str) and order[key].count(".") == 1 and len(order[key].split(".")[1]) == 2
        cents = lambda s: int(s.replace(".", ""))  # noqa: E731
        assert cents(order["goods"]) - cents(order["discount"]) + cents(order["shipping"]) == cents(order["paid"])
        assert sum(cents(li["paid"]) for li in order["lines"]) + cents(order["shipping"]) == cents(order["paid"])


def test_order_filters(api_as, shop):
    client = api_as("operator")
    body = client.get("/api/v1/orders", {"channel": "jd", "limit": 200}).json()
    assert body["count"] > 0 and {o["channel"] for o in body["items"]} == {"jd"}
    first = body["items"][0]
    found = client.get("/api/v1/orders", {"q": first["order_no"]}).json()
    assert [o["order_no"] for o in found["items"]] == [first["order_no"]]
    day = first["paid_date"]
    dated = client.get("/api/v1/orders", {"date_from": day, "date_to": day, "limit": 200}).json()
    assert dated["count"] > 0 and all(o["paid_date"] == day for o in dated["items"])
    assert client.get("/api/v1/orders", {"date_from": "2026-13-01"}).status_code == 422
    assert client.get("/api/v1/orders", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/orders", {"limit": 100000}).status_code == 422
    detail = client.get(f"/api/v1/orders/{first['id']}").json()
    assert detail["order_no"] == first["order_no"] and "refunds" in detail
    assert client.get("/api/v1/orders/999999999").status_code == 404


def test_customers_and_products_filters(api_as):
    client = api_as("admin")
    repeat = client.get("/api/v1/customers", {"min_orders": 2, "sort": "-orders"}).json()
    counts = [c["orders_count"] for c in repeat["items"]]
    assert counts and min(counts) >= 2 and counts == sorted(counts, reverse=True)
    product = client.get("/api/v1/products", {"limit": 1}).json()["items"][0]
    hits = client.get("/api/v1/products", {"q": product["skus"][0]["sku_code"]}).json()
    assert product["id"] in [p["id"] for p in hits["items"]]


def test_costs_hidden_from_roles_without_view_cost(api_as):
    product = api_as("service").get("/api/v1/products", {"limit": 1}).json()["items"][0]
    assert all(s["cost"] is None for s in product["skus"])
    product = api_as("operator").get("/api/v1/products", {"limit": 1}).json()["items"][0]
    assert all(s["cost"] is not None for s in product["skus"])


def test_create_product(api_as):
    response = _post(api_as("operator"), _payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skus"][0]["price"] == "89.00" and body["skus"][0]["cost"] == "21.30"
    assert Product.objects.filter(spu_code="API-SPU-1").exists()


@pytest.mark.parametrize("role", ["service", "viewer", "ads"])
def test_create_product_forbidden_for_roles_without_permission(api_as, role):
    response = _post(api_as(role), _payload())
    assert response.status_code == 403
    assert not Product.objects.filter(spu_code="API-SPU-1").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"skus": [{"sku_code": "N1", "price": "-5.00", "cost": "1.00"}]}, "skus[0].price"),
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"category": "martian-goods"}, "category"),
        ({"skus": [{"sku_code": "N2", "price": 12.5, "cost": "1.00"}]}, "skus[0].price"),
        ({"skus": [{"sku_code": "N3", "price": "1.005", "cost": "1.00"}]}, "skus[0].price"),
        ({"skus": []}, "skus"),
    ],
)
def test_invalid_product_is_422_with_field_errors(api_as, changes, field):
    data = _payload(**changes)
    if changes.get("title", "x") is None:
        del data["title"]
    response = _post(api_as("operator"), data)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"]
    assert field in [e["field"] for e in body["errors"]], body
    assert not Product.objects.filter(spu_code="API-SPU-1").exists()


def test_duplicate_sku_code_is_409(api_as, shop):
    taken = Sku.objects.filter(shop=shop).first().sku_code
    response = _post(api_as("operator"), _payload(skus=[{"sku_code": taken, "price": "1.00", "cost": "0.10"}]))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "skus[0].sku_code"


@pytest.mark.parametrize("body", ["not json", "[]", '{"skus": "x"}', "{" * 5000])
def test_malformed_bodies_are_4xx_not_500(api_as, body):
    response = api_as("operator").post("/api/v1/products", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500


def test_session_auth_requires_csrf(client_as):
    browser = client_as("operator")
    browser.handler.enforce_csrf_checks = True
    assert browser.get("/api/v1/products").status_code == 200
    assert _post(browser, _payload()).status_code == 403


def test_unknown_shop_header_is_404(api_as):
    assert api_as("viewer").get("/api/v1/orders", HTTP_X_SHOP="elsewhere").status_code == 404


def test_openapi_schema_is_served(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/orders", "/api/v1/products", "/api/v1/customers", "/api/v1/health"} <= set(schema["paths"])


def test_patch_sku_price_is_audited_and_guarded(api_as, shop):
    from shopops.core.models import AuditEntry

    sku = Sku.objects.filter(shop=shop).first()
    url = f"/api/v1/skus/{sku.sku_code}"
    patch = lambda client, body: client.patch(url, data=json.dumps(body), content_type="application/json")  # noqa: E731
    assert patch(api_as("service"), {"price": "1.00"}).status_code == 403
    assert patch(api_as("viewer"), {"price": "1.00"}).status_code == 403
    bad = patch(api_as("operator"), {"price": "-1.00"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "price"
    assert patch(api_as("operator"), {"price": 12.5}).status_code == 422
    ok = patch(api_as("operator"), {"price": "66.60", "active": False})
    assert ok.status_code == 200 and ok.json()["price"] == "66.60" and ok.json()["active"] is False
    assert AuditEntry.objects.filter(action="sku.update", object_id=str(sku.pk)).count() == 1
    assert api_as("operator").patch("/api/v1/skus/NOPE", data="{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/orders?q=a%00b", None),
        ("get", "/orders/?q=%00", None),
        ("post", "/api/v1/products", '{"spu_code": "A\\u0000", "title": "x", "category": "c", "skus": []}'),
    ],
)
def test_nul_characters_are_refused_before_any_query(api_as, method, path, body):
    client = api_as("operator")
    if body is None:
        response = client.get(path)
    else:
        response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(("method", "path", "status"),
                         [("delete", "/api/v1/orders", 405), ("get", "/api/v1/skus/x", 405),
                          ("get", "/api/v1/nope", 404)])
def test_api_errors_are_always_json(api_as, method, path, status):
    response = getattr(api_as("operator"), method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json") and "detail" in response.json()
