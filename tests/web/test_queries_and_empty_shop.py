"""Lists do not grow queries with rows (no N+1, NetBox-style pinning); an empty shop renders cleanly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shopops.channels.services import channel_accounts_create_defaults
from shopops.core import roles
from shopops.core.services import shop_create, user_create


@pytest.mark.parametrize(
    ("small", "large", "ceiling"),
    [
        ("/api/v1/orders?limit=2", "/api/v1/orders?limit=200", 10),
        ("/api/v1/products?limit=2", "/api/v1/products?limit=200", 10),
        ("/api/v1/customers?limit=2", "/api/v1/customers?limit=200", 10),
        ("/orders/?q={order}", "/orders/", 11),
        ("/products/?q={product}", "/products/", 11),
        ("/customers/?q={customer}", "/customers/", 11),
        ("/", "/?date=2026-11-20", 20),
    ],
)
def test_query_counts_do_not_grow_with_rows(client_as, shop, small, large, ceiling):
    """The same number of queries for one or two rows as for a full page (no N+1), under a pinned ceiling."""
    from shopops.catalog.models import Product
    from shopops.members.models import Customer
    from shopops.orders.models import Order

    small = small.format(order=Order.objects.filter(shop=shop).first().order_no,
                         product=Product.objects.filter(shop=shop).first().spu_code,
                         customer=Customer.objects.filter(shop=shop).first().code)
    client = client_as("admin")
    client.get(large)  # warm caches (permissions, content types)
    counts = []
    for url in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= ceiling, counts


def test_a_new_empty_shop_renders_everywhere(db):
    shop = shop_create(code="empty", name="空店")
    channel_accounts_create_defaults(shop=shop)
    user = user_create(username="empty-admin", password="Empty-pass-2026", role=roles.ADMIN, shops=[shop])
    client = Client()
    client.force_login(user)
    for url in ("/", "/orders/", "/products/", "/customers/", "/users/", "/audit/", "/profile/",
                "/orders/?export=xlsx"):
        assert client.get(url).status_code == 200, url
    html = client.get("/?inline=1").content.decode()
    assert 'id="setup-checklist"' in html and "¥0.00" not in html  # the setup checklist, not a wall of zeros
    assert client.get("/api/v1/orders").json() == {"items": [], "count": 0}  # the browser session works for the API


def test_shops_are_isolated(db, client_as, user_of):
    other = shop_create(code="other", name="别家店")
    outsider = user_create(username="outsider", password="Outsider-pass-26", role=roles.ADMIN, shops=[other])
    client = Client()
    client.force_login(outsider)
    home = client.get("/?inline=1").content.decode()
    assert 'data-step="orders" data-done="0"' in home and 'data-step="catalog" data-done="0"' in home  # none of A's
    from shopops.orders.models import Order

    foreign = Order.objects.exclude(shop=other).first()
    assert client.get(f"/orders/{foreign.pk}/").status_code == 404
    assert client.post("/shop/", {"shop": "demo"}).status_code == 403  # not a member of the demo shop
    member = client_as("operator")
    assert member.post("/shop/", {"shop": "other"}).status_code == 403


def test_api_in_the_browser_follows_the_shop_chosen_in_the_web_ui(client_as, user_of, shop):
    from shopops.core.models import ShopMembership

    other = shop_create(code="second", name="第二家")
    ShopMembership.objects.create(user=user_of("viewer"), shop=other)
    browser = client_as("viewer")
    assert browser.get("/api/v1/orders").json()["count"] > 0
    browser.post("/shop/", {"shop": "second"})
    assert browser.get("/api/v1/orders").json()["count"] == 0
    assert browser.get("/api/v1/orders", HTTP_X_SHOP="demo").json()["count"] > 0
