"""SKU, SPU and category codes: one rule for every way a code comes in, and URLs that never break on a code.

The rule (``shopops.core.domain.code_problem``): letters of any script (incl. CJK), digits, ``-``, ``_`` and
``.``; it starts with a letter or digit; no whitespace, no ``/ \\ ? # %`` or control characters; 1..64
characters (categories 1..40). Rows written before the rule existed may hold any code, so every page that
links a code must still work for them.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.models import Category, Product, Sku
from shopops.catalog.services import category_create, product_create
from shopops.core.domain import CODE_PATTERN, MAX_CODE, code_problem
from shopops.core.errors import InvalidInput
from shopops.inventory.services import stock_move

GOOD = ["SCSK1-01", "A", "9", "山茶花-50ml", "U2_1", "v1.2", "ＡＢＣ", "x" * MAX_CODE]
BAD = ["U2/1", "a\\b", "a?b", "a#b", "50%", "a b", " A1", "A1 ", "A1\t", "a\x00b", "a\x7fb", "", "x" * (MAX_CODE + 1),
       ".", "..", "-rf", "_x", "a&b", "a+b", "a\u200bb", "a\nb", "=HYPERLINK(1)", "@SUM(A1)", "+1"]

LEGACY = ["U2/1", "a?b=c", "a#b", "50%off", "%2F", "with space", "山茶/花·礼盒", "..", ".", "a\\b", "a;b&c+d"]


@pytest.mark.parametrize("code", GOOD)
def test_the_rule_accepts_real_seller_codes(code):
    assert code_problem(code) is None


@pytest.mark.parametrize("code", BAD)
def test_the_rule_refuses_codes_that_break_urls_files_or_matching(code):
    assert code_problem(code) is not None


@given(st.text(max_size=MAX_CODE) | st.from_regex(CODE_PATTERN, fullmatch=True).filter(lambda t: len(t) <= MAX_CODE))
def test_the_published_pattern_is_the_same_rule(text):
    """OpenAPI carries CODE_PATTERN (API fuzzers and clients use it); it must accept exactly what the rule does."""
    assert (re.fullmatch(CODE_PATTERN, text) is not None) == (code_problem(text) is None)


def test_category_codes_are_at_most_40():
    assert code_problem("c" * 40, max_length=40) is None
    assert code_problem("c" * 41, max_length=40).kind == "too_long"


def _category() -> str:
    return Category.objects.order_by("code").first().code


@pytest.mark.parametrize("code", ["U2/1", "a?b", "a#b", "50%", " A1", "a b"])
def test_service_refuses_bad_sku_and_spu_codes(shop, code):
    before = (Product.objects.count(), Sku.objects.count())
    with pytest.raises(InvalidInput) as sku_exc:
        product_create(shop=shop, data=ProductInput("OK-SPU", "标题", _category(), (SkuInput(code, "1.00", "0.50"),)))
    assert [e.field for e in sku_exc.value.errors] == ["skus[0].sku_code"]
    with pytest.raises(InvalidInput) as spu_exc:
        product_create(shop=shop, data=ProductInput(code, "标题", _category(), (SkuInput("OK-SKU", "1.00", "0.50"),)))
    assert [e.field for e in spu_exc.value.errors] == ["spu_code"]
    assert (Product.objects.count(), Sku.objects.count()) == before


def test_service_refuses_bad_category_codes(shop):
    for code in ("a/b", "c" * 41, ""):
        with pytest.raises(InvalidInput) as exc:
            category_create(shop=shop, code=code, name="x")
        assert exc.value.errors[0].field == "code"
    assert not Category.objects.filter(shop=shop, code="a/b").exists()
    assert category_create(shop=shop, code="护肤-new", name="护肤").code == "护肤-new"


def test_api_refuses_a_slash_in_a_sku_code_naming_the_field(api_as):
    body = {"spu_code": "API-SPU-1", "title": "t", "category": _category(),
            "skus": [{"sku_code": "U2/1", "price": "9.90", "cost": "1.00"}]}
    response = api_as("operator").post("/api/v1/products", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["skus[0].sku_code"]
    assert "/" in response.json()["errors"][0]["message"]
    assert not Product.objects.filter(spu_code="API-SPU-1").exists()


def test_api_refuses_a_bad_spu_code(api_as):
    body = {"spu_code": "A#1", "title": "t", "category": _category(),
            "skus": [{"sku_code": "API-OK-1", "price": "9.90", "cost": "1.00"}]}
    response = api_as("operator").post("/api/v1/products", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["spu_code"]


def test_web_form_refuses_a_bad_code_in_chinese(client_as):
    client = client_as("operator")
    response = client.post("/products/new/", {
        "spu_code": "WEB-SPU-1", "title": "t", "category": _category(), "brand": "",
        "sku_code": ["W/1"], "price": ["9.90"], "cost": ["1.00"], "attributes": [""]},
        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert "skus[0].sku_code" in response.content.decode()
    assert not Product.objects.filter(spu_code="WEB-SPU-1").exists()


def test_web_form_tells_the_allowed_characters(client_as):
    page = client_as("operator").get("/products/new/").content.decode()
    assert 'name="sku_code"' in page and "pattern=" in page


# ------------------------------------------------------------- URLs for any code already in the database


@pytest.fixture
def legacy_skus(shop):
    """SKUs whose codes predate the rule (written straight to the table), each with stock so /stock/ lists it."""
    product = Product.objects.filter(shop=shop).first()
    skus = [Sku.objects.create(shop=shop, product=product, sku_code=code, price_fen=100, cost_fen=50)
            for code in LEGACY]
    for index, sku in enumerate(skus):
        stock_move(shop=shop, sku_code=sku.sku_code, qty=3, type="receipt", ref=f"legacy-{index}")
    return skus


@pytest.mark.parametrize("code", LEGACY + ["U2_1", "山茶花-50ml"])
def test_reverse_and_resolve_round_trip_any_code(code):
    url = reverse("web:inventory_sku", args=[code])
    assert url.startswith("/stock/sku/") and url.count("/") == 4  # one path segment, whatever the code
    assert "?" not in url and "#" not in url
    segment = url.split("/")[3]
    assert segment.lower().replace("%2e", ".") not in (".", "..")  # browsers drop dot segments
    # A WSGI server hands Django the path percent-decoded once.
    from urllib.parse import unquote

    match = resolve(unquote(url))
    assert match.url_name == "inventory_sku" and match.kwargs["code"] == code


def test_plain_codes_keep_readable_urls():
    assert reverse("web:inventory_sku", args=["SCSK1-01"]) == "/stock/sku/SCSK1-01/"


def test_stock_list_and_sku_pages_work_for_legacy_codes(client_as, legacy_skus):
    client = client_as("operator")
    listing = client.get("/stock/", {"q": ""})
    assert listing.status_code == 200
    for sku in legacy_skus:
        listed = client.get("/stock/", {"q": sku.sku_code})
        assert listed.status_code == 200, sku.sku_code
        links = re.findall(r'href="(/stock/sku/[^"]*)"', listed.content.decode())
        assert links, sku.sku_code
        page = client.get(links[0].replace("&amp;", "&"))
        assert page.status_code == 200, (sku.sku_code, links[0])
        assert page.context["sku"].pk == sku.pk


def test_api_patch_reaches_a_legacy_code_with_a_slash(api_as, legacy_skus):
    from urllib.parse import quote

    sku = next(s for s in legacy_skus if s.sku_code == "U2/1")
    response = api_as("operator").patch(f"/api/v1/skus/{quote(sku.sku_code, safe='')}",
                                        data=json.dumps({"price": "2.00"}), content_type="application/json")
    assert response.status_code == 200, response.content
    sku.refresh_from_db()
    assert sku.price_fen == 200
