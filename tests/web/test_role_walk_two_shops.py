"""The role walk on a two-shop install: no request reaches a shop its principal does not work in.

Shop A is the session's demo shop (users admin, operator, ads, service, viewer); shop B (``second_shop`` in
tests/conftest.py) has users of every role too (``<role>-b``), its own small world with the same SKU codes,
and one product only it has. Every page and endpoint of the role-walk tables (imported, not copied) is walked
as every role of one shop with the ids of the other: 404 where the role has the permission, 403 where it
has not, and not one row of the other shop changes. ``X-Shop`` of a shop the principal is not a member of
gives 404 (403 first without the permission); a session of one user with a token of another is refused.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, reverse

from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.models import Product
from shopops.catalog.services import product_create
from shopops.core.models import AuditEntry, Shop, ShopMembership
from shopops.core.services import shop_create
from tests.web.principals import bearer, call, endpoint_url, logged_in
from tests.web.test_role_walk import ENDPOINTS, PAGES, ROLES, _args, _sample_kwargs

PUBLIC = {("GET", "/api/v1/health")}


def _shop_models() -> list:
    return [m for m in apps.get_models()
            if any(f.name == "shop" and f.is_relation and f.related_model is Shop for f in m._meta.fields)]


def _snapshot(shop: Shop) -> dict[str, list[dict]]:
    """Every row of every shop-scoped table of ``shop``: what a foreign request must leave untouched."""
    return {m._meta.label: list(m.objects.filter(shop=shop).order_by("pk").values()) for m in _shop_models()}


def _targets(shop: Shop, only_sku: str) -> dict[str, object]:
    """``shop``'s objects for every page argument and endpoint placeholder (the role-walk samples), with a
    SKU code only this shop has (the catalogs share their codes).

    The samples name the demo shop's users (a campaign checklist owned by ``service``): they are members of
    ``shop`` while the samples are made, and only then.
    """
    from django.contrib.auth import get_user_model

    outsiders = get_user_model().objects.filter(username__in=ROLES).exclude(shop_memberships__shop=shop)
    added = [ShopMembership.objects.create(user=user, shop=shop) for user in outsiders]
    samples = _sample_kwargs(shop)
    for membership in added:
        membership.delete()
    return {**samples, "order_id": samples["order_detail"], "product_id": samples["product_detail"],
            "customer_id": samples["customer_detail"], "sku_code": only_sku, "inventory_sku": only_sku,
            "service_sku_returns": only_sku}


def _page_url(name: str, targets: dict[str, object]) -> str | None:
    short = name.split(":")[1]
    if short == "sku_edit":
        product = Product.objects.get(pk=targets["product_detail"])
        return reverse(name, args=[product.pk, product.skus.first().pk])
    key = name if name in targets else short  # a full name wins: two namespaces may share a short one
    if key in targets:
        return reverse(name, args=_args(targets[key]))
    return None










def _foreign(expected_at_home: int) -> int:
    """What a request with another shop's object answers: 403 where the role lacks the permission (checked
    first), else 404 (the object does not exist for this principal)."""
    return 403 if expected_at_home == 403 else 404


@pytest.fixture
def a_only_sku(shop) -> str:
    from shopops.catalog.models import Category

    category = Category.objects.filter(shop=shop).first()
    product_create(shop=shop, data=ProductInput(spu_code="A-ONLY-SPU", title="A-ONLY-PRODUCT",
                                                category=category.code,
                                                skus=(SkuInput(sku_code="A-ONLY-SKU", price="5.00", cost="1.00"),)))
    return "A-ONLY-SKU"




def _walk_pages_with_foreign_ids(client: Client, role: str, targets: dict[str, object]) -> list[str]:
    problems = []
    for name, (by_role, _anonymous) in PAGES.items():
        url = _page_url(name, targets)
        if url is None:
            continue
        expected = by_role[role]
        if expected == 405:  # POST only: post to it (with nothing), it must not find the other shop's object
            status = client.post(url, {}).status_code
        else:
            status = client.get(url).status_code
        if status != _foreign(expected):
            problems.append(f"{role} {'POST' if expected == 405 else 'GET'} {url} ({name}): {status}, "
                            f"expected {_foreign(expected)}")
    return problems


def _walk_endpoints_with_foreign_ids(client: Client, role: str, targets: dict[str, object]) -> list[str]:
    problems = []
    for (method, template), (by_role, _anonymous) in ENDPOINTS.items():
        if "{" not in template:
            continue
        url = endpoint_url(template, targets)
        status = call(client, method, url).status_code
        if status != _foreign(by_role[role]):
            problems.append(f"{role} {method} {url}: {status}, expected {_foreign(by_role[role])}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_users_of_a_never_reach_objects_of_b(role, shop, second_shop, user_of, token_for):
    targets = _targets(second_shop.shop, second_shop.sku_code)
    before = _snapshot(second_shop.shop)
    user = user_of(role)
    problems = _walk_pages_with_foreign_ids(logged_in(user), role, targets)
    problems += _walk_endpoints_with_foreign_ids(Client(headers=bearer(token_for(user))), role, targets)
    problems += _walk_endpoints_with_foreign_ids(logged_in(user), role, targets)
    assert not problems, "\n".join(problems)
    assert _snapshot(second_shop.shop) == before


@pytest.mark.parametrize("role", ROLES)
def test_users_of_b_never_reach_objects_of_a(role, shop, second_shop, a_only_sku, token_for):
    targets = _targets(shop, a_only_sku)
    before = _snapshot(shop)
    user = second_shop.users[role]
    problems = _walk_pages_with_foreign_ids(logged_in(user), role, targets)
    problems += _walk_endpoints_with_foreign_ids(Client(headers=bearer(token_for(user))), role, targets)
    problems += _walk_endpoints_with_foreign_ids(logged_in(user), role, targets)
    assert not problems, "\n".join(problems)
    assert _snapshot(shop) == before


@pytest.mark.parametrize("role", ROLES)
def test_x_shop_of_a_shop_the_principal_is_not_in(role, shop, second_shop, token_for):
    """B's users name shop A (their token or their session): 404, or 403 without the permission."""
    user = second_shop.users[role]
    values = _targets(second_shop.shop, second_shop.sku_code)
    problems = []
    for name, client in (("token", Client(headers=bearer(token_for(user)))), ("session", logged_in(user))):
        for (method, template), (by_role, _anonymous) in ENDPOINTS.items():
            url = endpoint_url(template, values)
            status = call(client, method, url, **{"X-Shop": shop.code}).status_code
            expected = 200 if (method, template) in PUBLIC else _foreign(by_role[role])
            if status != expected:
                problems.append(f"{role} {name} X-Shop {shop.code} {method} {url}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_a_session_of_one_shop_with_a_token_of_the_other_is_refused(role, shop, second_shop, user_of, token_for):
    """Both ways round (A's session + B's token, B's session + A's token), on every endpoint."""
    values = _targets(shop, "A-ONLY-SKU")
    pairs = [(logged_in(user_of(role)), token_for(second_shop.users[role])),
             (logged_in(second_shop.users[role]), token_for(user_of(role)))]
    before = (_snapshot(shop), _snapshot(second_shop.shop))
    problems = []
    for browser, clear in pairs:
        for method, template in ENDPOINTS:
            url = endpoint_url(template, values)
            response = call(browser, method, url, **bearer(clear))
            expected = 200 if (method, template) in PUBLIC else 400
            if response.status_code != expected:
                problems.append(f"{role} {method} {url}: {response.status_code}, expected {expected}")
            elif expected == 400 and set(response.json()) != {"detail", "errors"}:
                problems.append(f"{role} {method} {url}: {response.json()}")
    assert not problems, "\n".join(problems)
    assert (_snapshot(shop), _snapshot(second_shop.shop)) == before


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_lists_show_only_the_principals_shop(role, shop, second_shop, user_of, token_for):
    """Every page without an object in its URL, and the API's lists: nothing of B for A's users."""
    _targets(second_shop.shop, second_shop.sku_code)  # B gets campaigns, stock, todos… as well
    browser = logged_in(user_of(role))
    problems = []
    for name, (by_role, _anonymous) in PAGES.items():
        if by_role[role] != 200:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # pages with arguments: walked with the other shop's ids above
            continue
        response = browser.get(url)
        html = response.content.decode(errors="replace")
        if response.status_code != 200 or second_shop.marker in html or second_shop.shop.name in html:
            problems.append(f"{role} GET {url}: {response.status_code}, B shows: {second_shop.marker in html}")
    assert not problems, "\n".join(problems)
    api = Client(headers=bearer(token_for(user_of(role))))
    assert api.get("/api/v1/products", {"q": second_shop.marker}).json()["count"] == 0
    mine = Client(headers=bearer(token_for(second_shop.users[role]))).get("/api/v1/products",
                                                                          {"q": second_shop.marker})
    assert mine.json()["count"] == 1  # the marker is findable where it belongs
    assert api.get("/api/v1/orders").json()["count"] == logged_in(user_of(role)).get("/api/v1/orders").json()[
        "count"] != second_shop.shop_orders


def test_writes_naming_the_other_shops_codes_change_nothing_there(shop, second_shop, user_of, token_for):
    """Bodies carry codes too: A's administrator cannot move stock, reserve, pool or quote B's SKU."""
    before = _snapshot(second_shop.shop)
    api = Client(headers=bearer(token_for(user_of("admin"))))
    code = second_shop.sku_code
    bodies = {
        "/api/v1/inventory/movements": {"sku": code, "qty": 5, "type": "receipt", "ref": "cross-shop"},
        "/api/v1/inventory/reservations": {"sku": code, "qty": 1, "ref": "cross-shop"},
        "/api/v1/inventory/pools": {"code": "cross-pool", "sku": code, "qty": 1},
        "/api/v1/pricing/quote": {"lines": [{"sku": code, "qty": 1}]},
    }
    for url, body in bodies.items():
        status = api.post(url, body, content_type="application/json").status_code
        assert 400 <= status < 500, f"{url}: {status}"
    response = api.patch(f"/api/v1/skus/{code}", '{"price": "1.00"}', content_type="application/json")
    assert response.status_code == 404
    assert _snapshot(second_shop.shop) == before
    assert not AuditEntry.objects.filter(shop=second_shop.shop, actor=user_of("admin")).exists()


def test_the_shop_switcher_for_a_user_of_both_shops(shop, second_shop, user_of):
    """The topbar lists both shops; switching shows B's data only; a shop one is not a member of is refused."""
    user = user_of("operator")
    ShopMembership.objects.create(user=user, shop=second_shop.shop)
    shop_create(code="shop-c", name="丙店")  # exists, but the operator is not a member
    browser = logged_in(user)
    home = browser.get("/").content.decode()
    assert 'action="/shop/"' in home and second_shop.shop.name in home and "丙店" not in home
    a_order = _sample_kwargs(shop)["order_detail"]
    assert second_shop.marker not in browser.get("/products/").content.decode()

    response = browser.post("/shop/", {"shop": second_shop.shop.code, "next": "/products/"})
    assert response.status_code == 302 and response["Location"] == "/products/"
    assert second_shop.marker in browser.get("/products/").content.decode()
    assert browser.get(f"/orders/{a_order}/").status_code == 404  # A's order, seen from B
    assert browser.get("/api/v1/orders").json()["count"] == second_shop.shop_orders

    for refused in ("shop-c", "no-such-shop", ""):
        assert browser.post("/shop/", {"shop": refused}).status_code == 403, refused
        assert second_shop.marker in browser.get("/products/").content.decode()  # still in B

    assert browser.post("/shop/", {"shop": shop.code}).status_code == 302
    assert second_shop.marker not in browser.get("/products/").content.decode()
    assert browser.get(f"/orders/{a_order}/").status_code == 200


def test_a_member_removed_from_a_shop_loses_it_at_the_next_request(shop, second_shop, user_of):
    user = user_of("viewer")
    membership = ShopMembership.objects.create(user=user, shop=second_shop.shop)
    browser = logged_in(user)
    browser.post("/shop/", {"shop": second_shop.shop.code})
    assert second_shop.marker in browser.get("/products/").content.decode()
    membership.delete()
    assert second_shop.marker not in browser.get("/products/").content.decode()  # back in A, the only one left
