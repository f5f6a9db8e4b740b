"""One principal per API request: a Bearer token or the browser session, never two users mixed.

A token authenticates the token's user, and the shop comes from that user's memberships (or an ``X-Shop``
header checked against them), never from a browser session that travels with the request. A session and a
token of different users in one request are refused (400), whatever the roles; an invalid token is never
rescued by a session (401). Walked over every endpoint of the role-walk tables (every router).
"""

from __future__ import annotations

import pytest
from django.test import Client

from shopops.catalog.models import Product, Sku
from shopops.core.models import AuditEntry, ShopMembership
from tests.web.principals import bearer, call, endpoint_url, logged_in
from tests.web.test_role_walk import ENDPOINTS, ROLES, _sample_kwargs

PUBLIC = {("GET", "/api/v1/health")}  # no auth at all: the same answer for everyone
ENDPOINT_KEYS = sorted(ENDPOINTS)


def _values(shop) -> dict[str, object]:
    """Path placeholders of the endpoints, from the shop's role-walk samples (as the role walk builds them)."""
    samples = _sample_kwargs(shop)
    product = Product.objects.get(pk=samples["product_detail"])
    return {**samples, "order_id": samples["order_detail"], "product_id": samples["product_detail"],
            "customer_id": samples["customer_detail"], "sku_code": product.skus.first().sku_code}










def _assert_refused(response, what: str) -> None:
    assert response.status_code == 400, f"{what}: {response.status_code}"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"], what
    assert body["errors"][0]["field"] == "Authorization", what


@pytest.mark.parametrize("endpoint", ENDPOINT_KEYS, ids=lambda e: f"{e[0]} {e[1]}")
def test_a_session_and_a_token_of_different_users_are_refused(endpoint, shop, second_shop, user_of, token_for):
    """Every role's session in shop A with every role's token of shop B, and a token of another user of A."""
    method, template = endpoint
    values = _values(shop)
    url = endpoint_url(template, values)
    tokens = {f"{role}-b": token_for(user) for role, user in second_shop.users.items()}
    tokens["admin (same shop)"] = token_for(user_of("admin"))
    for cookie_role in ROLES:
        browser = logged_in(user_of(cookie_role))
        for token_name, clear in tokens.items():
            if token_name == "admin (same shop)" and cookie_role == "admin":
                continue  # the same user: allowed, walked below
            response = call(browser, method, url, **bearer(clear))
            what = f"session {cookie_role} + token {token_name}: {method} {url}"
            if endpoint in PUBLIC:
                assert response.status_code == 200, what
            else:
                _assert_refused(response, what)


@pytest.mark.parametrize("role", ROLES)
def test_a_token_never_uses_the_session_shop(role, shop, second_shop, user_of, token_for):
    """The user works in A and B; their browser session has switched to B. Their token (same user) without
    ``X-Shop`` works in their first shop, A: every endpoint answers as in the one-shop role walk with A's ids.
    Had the session's shop (B) been used, the ids of A would give 404."""
    user = user_of(role)
    ShopMembership.objects.create(user=user, shop=second_shop.shop)
    browser = logged_in(user)
    assert browser.post("/shop/", {"shop": second_shop.shop.code}).status_code == 302
    assert browser.get("/api/v1/orders").json()["count"] == second_shop.shop_orders
    values = _values(shop)
    clear = token_for(user)
    for (method, template), (by_role, _anonymous) in ENDPOINTS.items():
        url = endpoint_url(template, values)
        response = call(browser, method, url, **bearer(clear))
        assert response.status_code == by_role[role], f"{role} session(B)+token {method} {url}: {response.status_code}"
    # the session alone still works in B
    assert browser.get("/api/v1/orders").json()["count"] == second_shop.shop_orders


@pytest.mark.parametrize("role", ROLES)
def test_x_shop_is_checked_against_the_principal(role, shop, second_shop, user_of, token_for):
    """``X-Shop`` of a shop the principal does not work in: 404 (403 first where the role lacks the
    permission), with a token or a session; ``X-Shop`` of their own shop: the one-shop answers."""
    user = user_of(role)
    values = _values(shop)
    token_client = Client(headers=bearer(token_for(user)))
    browser = logged_in(user)
    for (method, template), (by_role, _anonymous) in ENDPOINTS.items():
        url = endpoint_url(template, values)
        for name, client in (("token", token_client), ("session", browser)):
            status = call(client, method, url, **{"X-Shop": second_shop.shop.code}).status_code
            expected = 200 if (method, template) in PUBLIC else (403 if by_role[role] == 403 else 404)
            assert status == expected, f"{role} {name} X-Shop {second_shop.shop.code}: {method} {url}: {status}"
            status = call(client, method, url, **{"X-Shop": "no-such-shop"}).status_code
            assert status == expected, f"{role} {name} X-Shop no-such-shop: {method} {url}: {status}"
    for (method, template), (by_role, _anonymous) in ENDPOINTS.items():  # table order: release before commit
        url = endpoint_url(template, values)
        status = call(token_client, method, url, **{"X-Shop": shop.code}).status_code
        assert status == by_role[role], f"{role} token X-Shop {shop.code}: {method} {url}: {status}"


@pytest.mark.parametrize("endpoint", ENDPOINT_KEYS, ids=lambda e: f"{e[0]} {e[1]}")
def test_an_invalid_token_is_not_rescued_by_the_session(endpoint, shop, user_of):
    method, template = endpoint
    url = endpoint_url(template, _values(shop))
    browser = logged_in(user_of("admin"))
    for header in ("Bearer sho_not-a-real-token-at-all", "Bearer ", "bearer x"):
        response = call(browser, method, url, Authorization=header)
        expected = 200 if endpoint in PUBLIC else 401
        assert response.status_code == expected, f"{header!r}: {method} {url}: {response.status_code}"
        if expected == 401:
            assert set(response.json()) == {"detail", "errors"}


def test_other_authorization_schemes_leave_the_session_alone(user_of):
    """A proxy's ``Authorization: Basic`` is not an API token: the browser session still authenticates."""
    browser = logged_in(user_of("viewer"))
    response = browser.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 200 and response.json()["username"] == "viewer"


def test_the_audit_finding_cookie_of_a_viewer_plus_an_admin_token_of_another_shop(shop, second_shop, user_of,
                                                                                   token_for):
    """Viewer of A (cookie, CSRF enforced) + admin token of B: no price change, no customers, no stock move."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user_of("viewer"))
    sku = Sku.objects.filter(shop=shop).order_by("pk").first()
    clear = token_for(second_shop.users["admin"])  # (creating it is audited: count after)
    before = (sku.price_fen, AuditEntry.objects.count())
    response = browser.patch(f"/api/v1/skus/{sku.sku_code}", data='{"price": "2.00"}',
                             content_type="application/json", headers=bearer(clear))
    _assert_refused(response, "PATCH price")
    _assert_refused(browser.get("/api/v1/customers", headers=bearer(clear)), "GET customers")
    response = browser.post("/api/v1/inventory/movements", data={"sku": sku.sku_code, "qty": 5, "type": "receipt"},
                            content_type="application/json", headers=bearer(clear))
    _assert_refused(response, "POST movement")
    sku.refresh_from_db()
    assert (sku.price_fen, AuditEntry.objects.count()) == before
    assert not AuditEntry.objects.filter(shop=shop, actor=second_shop.users["admin"]).exists()


def test_a_token_alone_acts_in_its_own_shop_even_for_codes_both_shops_use(shop, second_shop, token_for):
    """SKU codes repeat across shops: B's admin token changes B's SKU of that code, never A's."""
    code = Sku.objects.filter(shop=shop).order_by("pk").first().sku_code
    in_a = Sku.objects.get(shop=shop, sku_code=code)
    in_b = Sku.objects.get(shop=second_shop.shop, sku_code=code)
    api = Client(headers=bearer(token_for(second_shop.users["admin"])))
    response = api.patch(f"/api/v1/skus/{code}", data='{"price": "2.00"}', content_type="application/json")
    assert response.status_code == 200
    in_a_after, in_b_after = Sku.objects.get(pk=in_a.pk), Sku.objects.get(pk=in_b.pk)
    assert in_a_after.price_fen == in_a.price_fen and in_b_after.price_fen == 200
    assert api.get("/api/v1/orders").json()["count"] == second_shop.shop_orders
    assert api.get("/api/v1/orders", headers={"X-Shop": shop.code}).status_code == 404


def test_same_user_cookie_and_token_need_no_csrf_token(shop, user_of, token_for):
    """The token is the principal (a header a foreign page cannot send), so CSRF is not what protects it;
    the session alone still needs the CSRF token for unsafe methods."""
    user = user_of("operator")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    code = Sku.objects.filter(shop=shop).order_by("pk").first().sku_code
    patch = {"data": '{"price": "3.00"}', "content_type": "application/json"}
    assert browser.patch(f"/api/v1/skus/{code}", **patch).status_code == 403  # CSRF
    assert browser.patch(f"/api/v1/skus/{code}", **patch, headers=bearer(token_for(user))).status_code == 200


def test_a_multi_shop_token_picks_its_shop_with_x_shop(shop, second_shop, user_of, token_for):
    user = user_of("viewer")
    ShopMembership.objects.create(user=user, shop=second_shop.shop)
    api = Client(headers=bearer(token_for(user)))
    me = api.get("/api/v1/me").json()
    assert [s["code"] for s in me["shops"]] == [shop.code, second_shop.shop.code]
    default = api.get("/api/v1/orders").json()["count"]
    assert default == api.get("/api/v1/orders", headers={"X-Shop": shop.code}).json()["count"] > 0
    assert api.get("/api/v1/orders", headers={"X-Shop": second_shop.shop.code}).json()["count"] == (
        second_shop.shop_orders)


def test_web_pages_accept_only_the_session(user_of, second_shop, token_for):
    """Pages never read tokens; a page request carrying one (even the session user's own) is refused rather
    than guessing which of the two principals is meant."""
    browser = logged_in(user_of("viewer"))
    assert browser.get("/products/").status_code == 200
    assert browser.get("/products/", headers=bearer(token_for(second_shop.users["admin"]))).status_code == 403
    assert browser.get("/products/", headers=bearer(token_for(user_of("viewer")))).status_code == 403
    assert Client(headers=bearer(token_for(user_of("viewer")))).get("/products/").status_code == 302  # to login

