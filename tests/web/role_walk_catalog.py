"""Role-walk table of the catalog's category and SKU pages and endpoints (merged by test_role_walk.py).

Writing categories, changing SKUs in bulk and SKU matching (商品匹配) are changing products (admin, operator);
reading them is reading products (every role). The sample category has a subcategory, so the walk's DELETE answers 409 and removes
nothing; its PATCH with an empty body changes nothing.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)
WRITERS = ("admin", "operator")


def _writers(status: int) -> dict[str, int]:
    return {r: (status if r in WRITERS else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:sku_list": (ALL_OK, 302),
    "web:sku_bulk": (_writers(405), 302),  # POST only
    "web:category_list": (ALL_OK, 302),
    "web:category_edit": (_writers(405), 302),  # POST only
    "web:sku_matching": (_writers(200), 302),  # 商品匹配: changing products
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("POST", "/api/v1/skus/bulk"): (_writers(422), 401),
    ("GET", "/api/v1/categories"): (ALL_OK, 401),
    ("POST", "/api/v1/categories"): (_writers(422), 401),
    ("GET", "/api/v1/categories/{category_code}"): (ALL_OK, 401),
    ("PATCH", "/api/v1/categories/{category_code}"): (_writers(200), 401),
    ("DELETE", "/api/v1/categories/{category_code}"): (_writers(409), 401),
    ("GET", "/api/v1/sku-matching/unmatched"): (ALL_OK, 401),
    ("GET", "/api/v1/sku-matching"): (ALL_OK, 401),
    ("POST", "/api/v1/sku-matching"): (_writers(422), 401),
    ("DELETE", "/api/v1/sku-matching/{mapping_id}"): (_writers(404), 401),  # no such mapping
}


def samples(shop) -> dict[str, object]:
    """A category only this shop has (codes are per shop), with a subcategory."""
    from shopops.catalog.services import category_create

    top = category_create(shop=shop, code=f"rw-{shop.code}", name="角色巡检")
    category_create(shop=shop, code=f"rw-{shop.code}-sub", name="子类目", parent=top.code)
    return {"category_edit": top.pk, "category_code": top.code, "mapping_id": 999_999_999}
