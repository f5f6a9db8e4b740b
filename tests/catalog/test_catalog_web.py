"""The 类目 page and the product form in the browser: the tree renders for every role, forms create, rename,
move and delete, refusals are said on the page, roles without the right get 403, and a new shop can create
its first category and product through the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shopops.catalog.models import Category, Product, Sku
from shopops.core.services import shop_create, user_create
from tests.catalog.tree import make_product, make_tree
from tests.conftest import PASSWORD

ROLES = ["admin", "operator", "ads", "service", "viewer"]


@pytest.mark.parametrize("role", ROLES)
def test_the_tree_renders_for_every_role(client_as, shop, role):
    make_tree(shop)
    page = client_as(role).get("/categories/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "连衣裙" in html and 'class="tree-name tree-depth-3"' in html
    writer = role in ("admin", "operator")
    assert ('id="category-create"' in html) is writer
    assert ('name="action" value="move"' in html) is writer


def test_create_rename_move_delete_through_the_forms(client_as, shop):
    make_tree(shop)
    client = client_as("operator")
    created = client.post("/categories/", {"code": "w-qipao", "name": "旗袍", "parent": "t-nvzhuang"}, follow=True)
    assert created.status_code == 200 and "服饰 › 女装 › 旗袍" in created.content.decode()
    pk = Category.objects.get(shop=shop, code="w-qipao").pk
    client.post(f"/categories/{pk}/", {"action": "rename", "name": "改良旗袍"})
    client.post(f"/categories/{pk}/", {"action": "move", "parent": "t-meizhuang"})
    moved = Category.objects.get(pk=pk)
    assert (moved.name, moved.parent.code) == ("改良旗袍", "t-meizhuang")
    client.post(f"/categories/{pk}/", {"action": "move", "parent": ""})
    assert Category.objects.get(pk=pk).parent is None
    client.post(f"/categories/{pk}/", {"action": "delete"})
    assert not Category.objects.filter(pk=pk).exists()


def test_refusals_are_said_on_the_page_and_change_nothing(client_as, shop):
    make_tree(shop)
    make_product(shop, "t-lianyiqun")
    client = client_as("admin")
    top = Category.objects.get(shop=shop, code="t-fushi")
    loop = client.post(f"/categories/{top.pk}/", {"action": "move", "parent": "t-lianyiqun"}, follow=True)
    assert 'class="error"' in loop.content.decode() and Category.objects.get(pk=top.pk).parent is None
    used = Category.objects.get(shop=shop, code="t-lianyiqun")
    refused = client.post(f"/categories/{used.pk}/", {"action": "delete"}, follow=True)
    assert 'class="error"' in refused.content.decode() and Category.objects.filter(pk=used.pk).exists()
    bad = client.post("/categories/", {"code": "has space", "name": "x", "parent": ""})
    assert bad.status_code == 422 and 'value="has space"' in bad.content.decode()
    assert client.post(f"/categories/{top.pk}/", {"action": "explode"}, follow=True).status_code == 200


@pytest.mark.parametrize("role", ["ads", "service", "viewer"])
def test_roles_without_the_right_get_403(client_as, shop, role):
    make_tree(shop)
    client = client_as(role)
    top = Category.objects.get(shop=shop, code="t-meizhuang")
    assert client.post("/categories/", {"code": "x-1", "name": "x"}).status_code == 403
    assert client.post(f"/categories/{top.pk}/", {"action": "delete"}).status_code == 403
    assert Category.objects.filter(pk=top.pk).exists() and not Category.objects.filter(code="x-1").exists()


def test_product_form_lists_categories_by_path_and_offers_a_new_one(client_as, shop):
    make_tree(shop)
    html = client_as("operator").get("/products/new/").content.decode()
    assert '<option value="t-lianyiqun">服饰 › 女装 › 连衣裙</option>' in html
    assert 'href="/categories/?next=/products/new/"' in html


def test_a_new_shop_makes_its_first_category_and_product_in_the_browser(db):
    new = shop_create(code="web-fresh", name="新店")
    owner = user_create(username="web-owner", password=PASSWORD, role="admin", shops=[new], validate=False)
    client = Client()
    client.force_login(owner)
    form = client.get("/products/new/").content.decode()
    assert 'href="/categories/?next=/products/new/"' in form
    back = client.post("/categories/", {"code": "dress", "name": "连衣裙", "parent": "", "next": "/products/new/"})
    assert back.status_code == 302 and back["Location"] == "/products/new/"
    assert "连衣裙" in client.get("/products/new/").content.decode()
    made = client.post("/products/new/", {"spu_code": "W-SPU-1", "title": "碎花连衣裙", "category": "dress",
                                          "brand": "", "sku_code": ["W-SKU-1", "W-SKU-2"],
                                          "price": ["199.00", "209.00"], "cost": ["60.00", "61.00"],
                                          "attributes": ["尺码: M", "尺码: L"]})
    assert made.status_code == 302, made.content.decode()[:2000]
    product = Product.objects.get(shop=new, spu_code="W-SPU-1")
    assert product.category.code == "dress" and product.skus.count() == 2


def test_next_must_stay_on_the_site(client_as, shop):
    response = client_as("admin").post("/categories/", {"code": "n-1", "name": "x", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/categories/"


def test_sku_and_category_pages_do_not_grow_queries_with_rows(client_as, shop):
    make_tree(shop)
    code = Sku.objects.filter(shop=shop).first().sku_code
    client = client_as("admin")
    client.get("/skus/")  # warm caches (permissions, content types)
    counts = []
    for url in (f"/skus/?q={code}", "/skus/", "/categories/?parent=t-fushi", "/categories/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12 and counts[2] == counts[3] <= 10, counts
