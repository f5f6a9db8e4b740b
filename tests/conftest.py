"""Shared fixtures: one small demo shop loaded once per session, users of every role, API clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from shopops.channels.services import channel_account_ensure
from shopops.core import roles
from shopops.core.services import roles_sync, shop_create, token_create, user_create
from shopops.demo.export_sink import demo_events_import
from shopops.demo.sinks import DatabaseSink
from shopops.demo.spec import WorldConfig
from shopops.demo.world import build_world

PASSWORD = "Test-pass-2026"
TEST_WORLD = WorldConfig(seed=7, days=60, scale=0.08, end_date=dt.date(2026, 11, 20))


@pytest.fixture(scope="session")
def test_world():
    return build_world(TEST_WORLD)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, test_world, tmp_path_factory):
    """The test database holds one small demo shop for the whole session (tests roll back their writes)."""
    with django_db_blocker.unblock():
        roles_sync()
        shop = shop_create(code="demo", name=test_world.shop_name)
        for channel in test_world.channels:
            channel_account_ensure(shop=shop, channel=channel.code, name=channel.account_name)
        for role in roles.ROLES:
            user_create(username=role, password=PASSWORD, role=role, shops=[shop], validate=False)
        DatabaseSink(shop).write(test_world)
        # The own-site behaviour log into the lake, through the events importer. Each pytest-xdist worker
        # gets its own lake and export folder (workers share the settings' data dir).
        settings.SHOPOPS_LAKE_URI = str(tmp_path_factory.mktemp("lake"))
        demo_events_import(shop, test_world, tmp_path_factory.mktemp("demo-data"))


@pytest.fixture
def shop(db):
    from shopops.core.models import Shop

    return Shop.objects.get(code="demo")


@pytest.fixture
def user_of(db):
    from django.contrib.auth import get_user_model

    def get(role: str):
        return get_user_model().objects.get(username=role)

    return get


@pytest.fixture
def client_as(db, user_of):
    """A logged-in browser client for a role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(user_of(role))
        return client

    return make


@pytest.fixture
def api_as(db, user_of):
    """An API client for a role, authenticated with a real Bearer token."""

    def make(role: str) -> Client:
        _token, clear = token_create(user=user_of(role), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {clear}")

    return make


# --------------------------------------------------------------------------------------------- two shops
# Appended for the multi-shop tests (tests/core/test_principal.py, tests/web/test_role_walk_two_shops.py).

SECOND_SHOP = "shop-b"
B_MARKER = "B-ONLY-PRODUCT"  # the title of a product only shop B has: must never show up for A's users
B_SKU = "B-ONLY-SKU"
SECOND_WORLD = WorldConfig(seed=11, days=5, scale=0.02, end_date=dt.date(2026, 11, 20))


@pytest.fixture
def second_shop(db):
    """Shop B beside the demo shop A: users ``<role>-b`` of every role (members of B only), a tiny
    deterministic world (the same SPU/SKU codes as A, so codes collide as they do between real shops),
    and one product only B has (title ``B_MARKER``, SKU ``B_SKU``)."""
    from types import SimpleNamespace

    from shopops.catalog.domain import ProductInput, SkuInput
    from shopops.catalog.services import product_create
    from shopops.channels.services import channel_accounts_create_defaults

    shop = shop_create(code=SECOND_SHOP, name="乙店")
    channel_accounts_create_defaults(shop=shop)
    users = {role: user_create(username=f"{role}-b", password=PASSWORD, role=role, shops=[shop], validate=False)
             for role in roles.ROLES}
    world = build_world(SECOND_WORLD)
    DatabaseSink(shop).write(world)
    product = product_create(shop=shop, data=ProductInput(
        spu_code="B-ONLY-SPU", title=B_MARKER, category=world.categories[0].code,
        skus=(SkuInput(sku_code=B_SKU, price="9.90", cost="1.00"),)))
    from shopops.orders.models import Order

    return SimpleNamespace(shop=shop, users=users, product=product, sku_code=B_SKU, marker=B_MARKER,
                           shop_orders=Order.objects.filter(shop=shop).count())


@pytest.fixture
def token_for(db):
    """The clear text of a fresh API token for a user object."""

    def make(user) -> str:
        _token, clear = token_create(user=user, name="test")
        return clear

    return make
