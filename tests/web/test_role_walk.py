"""Every URL and API endpoint, as every role: exactly the expected 200/302/403 (docs/architecture.md#roles).

The tables below are the contract, written out by hand. A new URL or endpoint fails the completeness
checks until it is added here with its expected status for every role.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from shopops.api import api
from shopops.catalog.models import Product
from shopops.core.api_auth import UNDECLARED
from shopops.members.models import Customer
from shopops.orders.models import Order

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str) -> dict[str, int]:
    return {r: (200 if r in allowed else 403) for r in ROLES}


# url name → (expected GET status per role, expected for anonymous)
PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:dashboard": (ALL_OK, 302),
    "web:dashboard_kpis": (ALL_OK, 302),  # the dashboard's panels, loaded after it
    "web:dashboard_month": (ALL_OK, 302),
    "web:order_list": (ALL_OK, 302),
    "web:order_detail": (ALL_OK, 302),
    "web:product_list": (ALL_OK, 302),
    "web:product_detail": (ALL_OK, 302),
    "web:product_create": (_only("admin", "operator"), 302),
    "web:customer_list": (_only("admin", "operator", "service", "viewer"), 302),
    "web:customer_detail": (_only("admin", "operator", "service", "viewer"), 302),
    "web:audit_log": (_only("admin"), 302),
    "web:user_list": (_only("admin"), 302),
    "web:sku_edit": ({r: 405 if r in ("admin", "operator") else 403 for r in ROLES}, 302),  # POST only
    "web:profile": (ALL_OK, 302),
    "web:login": (dict.fromkeys(ROLES, 302), 200),  # logged-in users are sent on to the dashboard
    "web:logout": (dict.fromkeys(ROLES, 405), 405),  # POST only
    "web:switch_language": (dict.fromkeys(ROLES, 405), 302),  # POST only
    "web:switch_shop": (dict.fromkeys(ROLES, 405), 302),  # POST only
}

# (method, path template) → expected status per role, expected for anonymous
ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/health"): (ALL_OK, 200),
    ("GET", "/api/v1/me"): (ALL_OK, 401),
    ("GET", "/api/v1/orders"): (ALL_OK, 401),
    ("GET", "/api/v1/orders/{order_id}"): (ALL_OK, 401),
    ("GET", "/api/v1/products"): (ALL_OK, 401),
    ("GET", "/api/v1/products/{product_id}"): (ALL_OK, 401),
    ("POST", "/api/v1/products"): ({"admin": 422, "operator": 422, "ads": 403, "service": 403, "viewer": 403}, 401),
    ("PATCH", "/api/v1/skus/{sku_code}"): (
        {"admin": 200, "operator": 200, "ads": 403, "service": 403, "viewer": 403}, 401),
    ("POST", "/api/v1/pricing/quote"): (dict.fromkeys(ROLES, 422), 401),
    ("GET", "/api/v1/customers"): (_only("admin", "operator", "service", "viewer"), 401),
    ("GET", "/api/v1/customers/{customer_id}"): (_only("admin", "operator", "service", "viewer"), 401),
}


# Each app's pages and endpoints live in its own table module (one writer per file); merged here.
_APP_TABLES = [importlib.import_module(f"tests.web.role_walk_{app}")
               for app in ("catalog", "imports", "reports", "campaigns", "inventory",
                           "analytics_metrics", "analytics_behaviour", "analytics_alerts", "briefing", "settings", "service_returns",
                           "service_tickets", "service_sop", "service_pages", "competitors", "keywords",
                           "listings_titles", "listings_audits", "listings_pages")]
for _table in _APP_TABLES:
    assert not set(_table.PAGES) & set(PAGES) and not set(_table.ENDPOINTS) & set(ENDPOINTS), _table.__name__
    PAGES.update(_table.PAGES)
    ENDPOINTS.update(_table.ENDPOINTS)


def _web_patterns() -> dict[str, URLPattern]:
    found = {}

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("web", "competitors", "listings"):
                    walk(p.url_patterns, p.namespace + ":")
            elif isinstance(p, URLPattern) and p.name and namespace:
                found[namespace + p.name] = p

    walk(get_resolver().url_patterns)
    return found


def _sample_kwargs(shop) -> dict[str, object]:
    """url short name → its one positional argument, or a list of them; also path placeholders of endpoints."""
    samples: dict[str, object] = {
        "order_detail": Order.objects.filter(shop=shop).first().pk,
        "product_detail": Product.objects.filter(shop=shop).first().pk,
        "customer_detail": Customer.objects.filter(shop=shop).first().pk,
    }
    for table in _APP_TABLES:
        samples.update(table.samples(shop))
    return samples



def page_url(name: str, samples: dict) -> str:
    """The URL of page ``name`` with the shop's sample ids (``_sample_kwargs``) in its path."""
    from django.urls import reverse

    short = name.split(":")[1]
    if short == "sku_edit":
        product = Product.objects.get(pk=samples["product_detail"])
        return reverse(name, args=[product.pk, product.skus.first().pk])
    key = name if name in samples else short  # a full name wins: two namespaces may share a short one
    return reverse(name, args=_args(samples[key]) if key in samples else [])


def _args(value: object) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def test_every_page_is_in_the_table_and_declares_a_permission():
    patterns = _web_patterns()
    assert set(patterns) == set(PAGES), "add new pages to PAGES with their expected status per role"
    for name, pattern in patterns.items():
        assert getattr(pattern.callback, "shopops_permission", None), f"{name} declares no permission"


def test_every_endpoint_is_in_the_table_and_declares_a_permission():
    seen = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full = ("/api/v1/" + (prefix + path).lstrip("/")).replace("//", "/").rstrip("/")
                    full = re.sub(r"{[^}:]+:", "{", full)  # {path:sku_code} → {sku_code}, as in the OpenAPI
                    seen.add((method, full))
                    callbacks = operation.auth_callbacks
                    if callbacks:
                        permissions = {getattr(cb, "permission", None) for cb in callbacks}
                        assert None not in permissions and UNDECLARED not in permissions, full
                    else:
                        assert full == "/api/v1/health", f"{full} has no auth"
    assert seen == set(ENDPOINTS), "add new endpoints to ENDPOINTS with their expected status per role"


@pytest.mark.parametrize("role", [*ROLES, None])
def test_pages_answer_each_role_as_expected(role, client_as, shop):

    client = client_as(role) if role else Client()
    samples = _sample_kwargs(shop)
    for name, (by_role, anonymous) in PAGES.items():
        url = page_url(name, samples)
        status = client.get(url).status_code
        expected = by_role[role] if role else anonymous
        assert status == expected, f"{role or 'anonymous'} GET {url}: {status}, expected {expected}"


@pytest.mark.parametrize("role", [*ROLES, None])
def test_endpoints_answer_each_role_as_expected(role, api_as, shop):
    client = api_as(role) if role else Client()
    samples = _sample_kwargs(shop)
    values = {**samples, "order_id": samples["order_detail"], "product_id": samples["product_detail"],
              "customer_id": samples["customer_detail"],
              "sku_code": Product.objects.get(pk=samples["product_detail"]).skus.first().sku_code}
    for (method, template), (by_role, anonymous) in ENDPOINTS.items():
        url = template.format(**values)
        if method == "GET":
            status = client.get(url).status_code
        else:  # an empty body: a no-op PATCH, an invalid POST (422) — after the permission check
            status = client.generic(method, url, data="{}", content_type="application/json").status_code

        expected = by_role[role] if role else anonymous
        assert status == expected, f"{role or 'anonymous'} {method} {url}: {status}, expected {expected}"


def test_django_admin_is_for_superusers_only(client_as, db):
    """Roles are per install while records are per shop: the Django admin, which does not scope by shop,
    is only for the server's superusers (`shopops createsuperuser`)."""
    from django.contrib.auth import get_user_model

    for role in ROLES:
        assert client_as(role).get("/admin/").status_code == 302
    root = get_user_model().objects.create_superuser("root", password="Root-pass-2026")
    client = Client()
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
