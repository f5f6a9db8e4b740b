"""The first-run setup checklist: an empty shop's dashboard shows it (0/6) instead of a wall of zeros; each
step flips to done after its real action; the settings pages it links to; the demo shop shows none."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from shopops.accounts.management.commands.shop import shop_open
from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.services import category_create, product_create
from shopops.channels.selectors import channel_accounts
from shopops.core import roles
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create, user_create
from shopops.imports.formats.lake_samples import write_sample

PASSWORD = "Fresh-pass-2026"


@pytest.fixture
def fresh(db, settings, tmp_path):
    """A new shop as `shopops shop create` would leave it before its channel accounts: no records at all, its
    administrator and a lake of its own (a shop id of a rolled-back test must not find another's feeds)."""
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    shop = shop_create(code="fresh", name="新店")
    admin = user_create(username="fresh-admin", password=PASSWORD, role=roles.ADMIN, shops=[shop])
    client = Client()
    client.force_login(admin)
    return shop, client


def _progress(html: str) -> tuple[int, int, dict[str, bool]]:
    block = re.search(r'id="setup-checklist" data-done="(\d+)" data-total="(\d+)"', html)
    assert block, "no setup checklist"
    steps = dict(re.findall(r'data-step="(\w+)" data-done="([01])"', html))
    return int(block[1]), int(block[2]), {key: value == "1" for key, value in steps.items()}


def _setup(client: Client) -> tuple[int, int, dict[str, bool]]:
    response = client.get("/settings/")
    assert response.status_code == 200
    return _progress(response.content.decode())


def test_an_empty_shops_dashboard_shows_the_checklist_not_zeros(fresh):
    _shop, client = fresh
    response = client.get("/?inline=1")
    html = response.content.decode()
    assert response.status_code == 200
    done, total, steps = _progress(html)
    assert (done, total) == (0, 6) and list(steps) == ["profile", "channels", "catalog", "orders", "reports", "users"]
    assert not any(steps.values())
    assert "gmv-chart" not in html and "¥0.00" not in html  # no empty chart, no wall of zeros
    for url in ("/settings/shop/", "/settings/channels/", "/imports/new/?format=catalog-xlsx",
                "/imports/new/?target=orders", "/imports/new/?format=sycm-traffic", "/users/"):
        assert f'href="{url}"' in html, url


def test_a_shop_made_by_init_starts_with_its_channel_accounts_done(db, settings, tmp_path):
    """`shopops init` (shop_open) gives the shop one account per platform: step 2 is done from the start."""
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    shop, admin, _created, accounts = shop_open(code="inited", name="初始店", admin_username="init-admin",
                                               admin_password=PASSWORD)
    client = Client()
    client.force_login(admin)
    done, total, steps = _progress(client.get("/?inline=1").content.decode())
    assert accounts > 0 and (done, total) == (1, 6) and steps["channels"]


def test_each_step_flips_to_done_after_its_action(fresh, tmp_path, django_capture_on_commit_callbacks):
    shop, client = fresh
    # 1 the shop profile
    assert client.post("/settings/shop/", {"name": "山茶集新店", "timezone": "Asia/Shanghai"}).status_code == 302
    assert _setup(client)[2]["profile"]
    # 2 a channel account, chosen by its channel
    assert client.post("/settings/channels/", {"action": "create", "channel": "jd", "name": "山茶集京东店",
                                               "external_id": "10086"}).status_code == 302
    assert _setup(client)[2]["channels"]
    # 3 a product (the catalog service the import writes through)
    category_create(shop=shop, code="tea", name="茶", exists_ok=True)
    product_create(shop=shop, data=ProductInput(spu_code="T-1", title="红茶", category="tea",
                                                skus=(SkuInput(sku_code="T-1-1", price="9.90", cost="1.00"),)))
    assert _setup(client)[2]["catalog"]
    # 5 a platform traffic report, through the import page
    report = tmp_path / "sycm.csv"
    write_sample("sycm-traffic", str(report), end_date=dt.date(2026, 11, 20), days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/", {"format": "sycm-traffic",
                                                 "file": SimpleUploadedFile("sycm.csv", report.read_bytes())})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _setup(client)[2]["reports"]
    # 6 a colleague
    assert client.post("/users/", {"action": "create", "username": "fresh-ops", "password": PASSWORD,
                                   "role": roles.OPERATOR}).status_code == 302
    done, _total, steps = _setup(client)
    assert done == 5 and not steps["orders"]
    assert "setup-checklist" in client.get("/?inline=1").content.decode()  # still no orders
    # 4 an order (a JD order export of the product above): the dashboard shows numbers now
    orders = ("订单号,货号,商品名称,订购数量,京东价,应付金额,下单时间,付款确认时间,订单状态\r\n"
              "300001,T-1-1,红茶,2,9.90,19.80,2026-11-19 10:00:00,2026-11-19 10:01:00,完成\r\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/", {"format": "jd-orders", "channel_account": "山茶集京东店",
                                                 "file": SimpleUploadedFile("jd.csv", orders.encode("gbk"))})
    assert response.status_code == 302
    assert _setup(client)[:2] == (6, 6)
    home = client.get("/?inline=1").content.decode()
    assert "setup-checklist" not in home and "gmv-chart" in home


def test_the_shop_profile_page_saves_and_audits(fresh):
    shop, client = fresh
    page = client.get("/settings/shop/").content.decode()
    zones = re.findall(r'<option value="([^"]+)"', page)
    assert zones[0] == "Asia/Shanghai" and "Europe/London" in zones
    assert 'readonly disabled' in page and "CNY" in page  # the currency, shown, not editable
    assert client.post("/settings/shop/", {"name": " 山茶集 ", "timezone": "Asia/Tokyo"}).status_code == 302
    shop.refresh_from_db()
    assert (shop.name, shop.timezone) == ("山茶集", "Asia/Tokyo")
    entry = AuditEntry.objects.get(shop=shop, action="shop.update")
    assert entry.changes == {"name": ["新店", "山茶集"], "timezone": ["Asia/Shanghai", "Asia/Tokyo"]}


def test_a_bad_time_zone_or_name_is_refused_in_chinese_and_nothing_changes(fresh):
    shop, client = fresh
    response = client.post("/settings/shop/", {"name": "改名", "timezone": "Mars/Olympus"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "未知时区：Mars/Olympus" in html
    response = client.post("/settings/shop/", {"name": "  ", "timezone": "Asia/Shanghai"})
    assert response.status_code == 422 and "名称须为 1 到 120 个字符。" in response.content.decode()
    shop.refresh_from_db()
    assert (shop.name, shop.timezone) == ("新店", "Asia/Shanghai")
    assert not AuditEntry.objects.filter(shop=shop, action="shop.update").exists()


def test_the_channel_accounts_page_creates_renames_and_deactivates(fresh):
    shop, client = fresh
    page = client.get("/settings/channels/").content.decode()
    assert '<option value="tmall">天猫</option>' in page  # chosen by the platform's Chinese name
    assert client.post("/settings/channels/", {"action": "create", "channel": "tmall", "name": "旗舰店"}).status_code == 302
    account = channel_accounts(shop=shop).get()
    assert (account.channel, account.name, account.external_id, account.active) == ("tmall", "旗舰店", "", True)
    assert client.post("/settings/channels/", {"action": "rename", "account": account.pk, "name": "天猫旗舰店",
                                               "external_id": "TM-1"}).status_code == 302
    assert client.post("/settings/channels/", {"action": "active", "account": account.pk,
                                               "active": "0"}).status_code == 302
    account.refresh_from_db()
    assert (account.name, account.external_id, account.active) == ("天猫旗舰店", "TM-1", False)
    assert list(AuditEntry.objects.filter(shop=shop, object_type="channel_account").order_by("id")
                .values_list("action", flat=True)) == ["channel_account.create", "channel_account.update",
                                                       "channel_account.update"]
    assert "天猫" in client.get("/settings/channels/").content.decode()


def test_the_channel_accounts_page_refuses_bad_input(fresh):
    shop, client = fresh
    client.post("/settings/channels/", {"action": "create", "channel": "jd", "name": "京东店"})
    bad = client.post("/settings/channels/", {"action": "create", "channel": "nope", "name": "京东店"})
    assert bad.status_code == 422
    with translation.override("zh-hans"):
        assert gettext("Another channel account is already named %(name)s.") % {"name": "京东店"} in \
            bad.content.decode()
    assert channel_accounts(shop=shop).count() == 1
    assert client.post("/settings/channels/", {"action": "rename", "account": 999999, "name": "x"}).status_code == 404


@pytest.mark.parametrize("url", ["/settings/shop/", "/settings/channels/"])
def test_only_administrators_reach_the_settings_pages(fresh, url):
    shop, _client = fresh
    viewer = user_create(username="fresh-viewer", password=PASSWORD, role=roles.VIEWER, shops=[shop])
    client = Client()
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "create", "channel": "jd", "name": "x", "timezone": "UTC"}).status_code == 403
    shop.refresh_from_db()
    assert shop.name == "新店" and not channel_accounts(shop=shop).exists()


def test_non_administrators_see_the_checklist_read_only(fresh):
    shop, _client = fresh
    viewer = user_create(username="fresh-viewer", password=PASSWORD, role=roles.VIEWER, shops=[shop])
    client = Client()
    client.force_login(viewer)
    html = client.get("/?inline=1").content.decode()
    done, _total, _steps = _progress(html)
    assert done == 1  # two users now
    with translation.override("zh-hans"):
        ask = gettext("Ask an administrator to do this.")
    assert html.count(ask) == 5  # every step not done; none is the viewer's to do
    assert 'href="/settings/shop/"' not in html and "dismissed" not in html
    assert client.post("/settings/", {"dismissed": "1"}).status_code == 403
    shop.refresh_from_db()
    assert not shop.setup_dismissed


def test_an_administrator_dismisses_the_checklist_and_brings_it_back(fresh):
    shop, client = fresh
    assert client.post("/settings/", {"dismissed": "1"}).status_code == 302
    shop.refresh_from_db()
    assert shop.setup_dismissed
    assert "setup-checklist" not in client.get("/?inline=1").content.decode()  # the (empty) dashboard itself
    assert _setup(client)[:2] == (0, 6)  # the page still shows it
    client.post("/settings/", {"dismissed": "0"})
    assert "setup-checklist" in client.get("/?inline=1").content.decode()
    assert [e.changes for e in AuditEntry.objects.filter(shop=shop, action="shop.setup").order_by("id")] == [
        {"setup_dismissed": [False, True]}, {"setup_dismissed": [True, False]}]


@pytest.mark.parametrize("role", roles.ROLES)
def test_the_demo_shops_dashboard_shows_no_checklist(client_as, role):
    html = client_as(role).get("/?inline=1").content.decode()
    assert "setup-checklist" not in html and "gmv-chart" in html


def test_the_import_page_preselects_the_checklists_format(client_as):
    client = client_as("admin")

    def selected(query: str) -> list[str]:
        return re.findall(r'<option value="([^"]+)" selected>', client.get("/imports/new/" + query).content.decode())

    assert selected("?format=catalog-xlsx") == ["catalog-xlsx"]
    assert selected("?target=orders") == ["taobao-orders"]
    assert selected("?format=sycm-traffic") == ["sycm-traffic"]
    assert selected("?format=nope") == selected("") == []


def test_a_new_colleague_gets_an_initial_password_shown_once(fresh):
    shop, client = fresh
    response = client.post("/users/", {"action": "create", "username": "fresh-cs", "password": "",
                                       "role": roles.SERVICE})
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = re.search(r'id="initial-password".*?<code class="token">([^<]+)</code>', html, re.S)[1]
    assert get_user_model().objects.get(username="fresh-cs").check_password(password)
    assert password not in client.get("/users/").content.decode()  # once
    entry = AuditEntry.objects.get(action="user.create", object_repr="fresh-cs")
    assert entry.changes == {"role": [None, roles.SERVICE]} and password not in str(entry.changes)
    assert _setup(client)[2]["users"]
    typed = client.post("/users/", {"action": "create", "username": "fresh-ads", "password": PASSWORD,
                                    "role": roles.ADS})
    assert typed.status_code == 302  # a typed password is the administrator's own: nothing to show
