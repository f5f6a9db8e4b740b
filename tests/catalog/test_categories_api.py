"""/api/v1/categories: the house list shape, create / read / rename / move / delete, 422 naming fields, 404, 409;
and a new shop that starts from nothing: a category, then a product with SKUs (201)."""

from __future__ import annotations

import pytest
from django.test import Client

from shopops.catalog.models import Category
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create, token_create, user_create
from tests.catalog.tree import make_product, make_tree
from tests.conftest import PASSWORD

URL = "/api/v1/categories"


def _post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def _patch(client: Client, url: str, body: dict):
    return client.patch(url, body, content_type="application/json")


def test_list_is_the_house_shape_in_tree_order_and_paged(api_as, shop):
    make_tree(shop)
    client = api_as("viewer")
    body = client.get(URL, {"q": "t-", "limit": 200}).json()
    assert set(body) == {"items", "count"} and body["count"] == 5
    assert [i["code"] for i in body["items"]] == ["t-fushi", "t-nvzhuang", "t-lianyiqun", "t-nanzhuang",
                                                  "t-meizhuang"]
    dress = body["items"][2]
    assert dress == {"code": "t-lianyiqun", "name": "连衣裙", "parent": "t-nvzhuang", "path": "服饰 › 女装 › 连衣裙",
                     "depth": 3, "products": 0, "children": 0}
    page = client.get(URL, {"q": "t-", "limit": 2, "offset": 1}).json()
    assert page["count"] == 5 and [i["code"] for i in page["items"]] == ["t-nvzhuang", "t-lianyiqun"]
    assert client.get(URL, {"q": "连衣裙"}).json()["count"] == 1  # the path is searched too


def test_create_read_rename_move_delete(api_as, shop):
    client = api_as("operator")
    made = _post(client, URL, {"code": "c-top", "name": "服饰", "parent": None})
    assert made.status_code == 201, made.content
    assert made.json()["path"] == "服饰" and made.json()["parent"] is None
    child = _post(client, URL, {"code": "c-child", "name": "女装", "parent": "c-top"})
    assert child.status_code == 201 and child.json()["path"] == "服饰 › 女装"
    assert client.get(f"{URL}/c-child").json()["depth"] == 2
    renamed = _patch(client, f"{URL}/c-child", {"name": "女士服装"})
    assert renamed.status_code == 200 and renamed.json()["path"] == "服饰 › 女士服装"
    assert renamed.json()["parent"] == "c-top"  # an absent parent is kept
    moved = _patch(client, f"{URL}/c-child", {"parent": None})
    assert moved.status_code == 200 and moved.json()["path"] == "女士服装" and moved.json()["depth"] == 1
    assert _patch(client, f"{URL}/c-child", {"parent": "c-top", "name": "女装"}).json()["path"] == "服饰 › 女装"
    assert client.delete(f"{URL}/c-child").status_code == 204
    assert client.get(f"{URL}/c-child").status_code == 404
    assert set(AuditEntry.objects.filter(object_repr="c-child").values_list("action", flat=True)) == {
        "category.create", "category.rename", "category.move", "category.delete"}


@pytest.mark.parametrize(("body", "field"), [
    ({"code": "bad code", "name": "x"}, "code"),
    ({"code": "", "name": "x"}, "code"),
    ({"code": "ok-2", "name": ""}, "name"),
    ({"code": "ok-2", "name": "x", "parent": "no-such-parent"}, "parent"),
    ({"name": "x"}, "code"),
])
def test_create_422_names_the_field_and_writes_nothing(api_as, shop, body, field):
    before = Category.objects.count()
    response = _post(api_as("admin"), URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Category.objects.count() == before


def test_messages_are_in_the_users_language(api_as, shop):
    response = _post(api_as("admin"), URL, {"code": "a/b", "name": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("编码只能包含")  # zh-Hans, the house default


def test_a_loop_is_422_and_a_taken_code_409(api_as, shop):
    make_tree(shop)
    client = api_as("admin")
    loop = _patch(client, f"{URL}/t-fushi", {"parent": "t-lianyiqun"})
    assert loop.status_code == 422 and loop.json()["errors"][0]["field"] == "parent"
    assert Category.objects.get(shop=shop, code="t-fushi").parent is None
    taken = _post(client, URL, {"code": "t-fushi", "name": "又一个"})
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "code"


def test_unknown_codes_are_404(api_as, shop):
    client = api_as("admin")
    assert client.get(f"{URL}/no-such").status_code == 404
    assert _patch(client, f"{URL}/no-such", {"name": "x"}).status_code == 404
    assert client.delete(f"{URL}/no-such").status_code == 404


def test_delete_while_in_use_is_409_saying_how_many(api_as, shop):
    make_tree(shop)
    make_product(shop, "t-nanzhuang", skus=("T-SKU-1", "T-SKU-2"))
    response = api_as("admin").delete(f"{URL}/t-nanzhuang")
    assert response.status_code == 409
    assert "1" in response.json()["detail"] and "男装" in response.json()["detail"]
    assert Category.objects.filter(shop=shop, code="t-nanzhuang").exists()


def test_reading_and_writing_follow_the_product_permissions(api_as, shop):
    make_tree(shop)
    for role in ("ads", "service", "viewer"):
        client = api_as(role)
        assert client.get(URL).status_code == 200
        assert _post(client, URL, {"code": "x-1", "name": "x"}).status_code == 403
        assert _patch(client, f"{URL}/t-fushi", {"name": "x"}).status_code == 403
        assert client.delete(f"{URL}/t-meizhuang").status_code == 403
    assert Category.objects.get(shop=shop, code="t-fushi").name == "服饰"


def test_a_new_shop_creates_a_category_then_a_product_with_skus(db):
    """The path of issue 16: a shop with nothing in it can start its catalog through the API."""
    new = shop_create(code="fresh", name="新店")
    owner = user_create(username="fresh-owner", password=PASSWORD, role="admin", shops=[new], validate=False)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=owner)[1]}")
    product = {"spu_code": "F-SPU-1", "title": "碎花连衣裙", "category": "dress",
               "skus": [{"sku_code": "F-SKU-1", "price": "199.00", "cost": "60.00", "attributes": {"尺码": "M"}},
                        {"sku_code": "F-SKU-2", "price": "199.00", "cost": "60.00", "attributes": {"尺码": "L"}}]}
    before = _post(client, "/api/v1/products", product)
    assert before.status_code == 422 and before.json()["errors"][0]["field"] == "category"
    assert client.get(URL).json() == {"items": [], "count": 0}
    assert _post(client, URL, {"code": "apparel", "name": "服饰", "parent": None}).status_code == 201
    assert _post(client, URL, {"code": "dress", "name": "连衣裙", "parent": "apparel"}).status_code == 201
    created = _post(client, "/api/v1/products", product)
    assert created.status_code == 201, created.content
    assert created.json()["category"] == "dress" and len(created.json()["skus"]) == 2
    by_path = _post(client, "/api/v1/products", {**product, "spu_code": "F-SPU-2", "category": "服饰 › 连衣裙",
                                                 "skus": [{"sku_code": "F-SKU-3", "price": "1.00", "cost": "0.50"}]})
    assert by_path.status_code == 201 and by_path.json()["category"] == "dress"
    assert client.get(f"{URL}/dress").json()["products"] == 2
