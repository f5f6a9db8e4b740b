"""What a UI review of the demo and of a new shop found on the non-analytics pages, checked on the rendered pages:
money with one ¥, empty lists that invite an import, names instead of internal keys and codes, one highlighted
navigation entry, labels apart from their fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from shopops.campaigns.models import Campaign
from shopops.channels.services import channel_accounts_create_defaults
from shopops.core import roles
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create, user_create
from shopops.demo.seed_campaigns import campaigns_demo_seed
from shopops.demo.seed_inventory import inventory_demo_seed
from shopops.imports.models import ImportJob
from shopops.inventory.models import StockMove
from shopops.orders.models import Order
from shopops.ui.nav import active_url
from tests.conftest import TEST_WORLD

NAV_ACTIVE = re.compile(r'<a href="([^"]+)" class="active" aria-current="page">')


@pytest.fixture
def new_shop_client(db) -> Client:
    shop = shop_create(code="fresh", name="新店")
    channel_accounts_create_defaults(shop=shop)
    user = user_create(username="fresh-admin", password="Fresh-pass-2026", role=roles.ADMIN, shops=[shop])
    client = Client()
    client.force_login(user)
    return client


def test_sku_matching_shows_one_yen_sign_and_the_paid_amount(client_as):
    html = client_as("admin").get("/skus/matching/").content.decode()
    assert "¥¥" not in html
    header = html.split('id="unmatched"')[1].split("</thead>")[0]
    assert "GMV ¥" not in html and re.search(r'<th class="num">(Paid amount \(GMV\)|支付金额)</th>', header)


def test_empty_lists_of_a_new_shop_invite_an_import(new_shop_client):
    matching = new_shop_client.get("/skus/matching/").content.decode()
    assert "所有订单商品行都已匹配" not in matching
    assert 'href="/imports/new/?target=orders"' in matching.split('id="unmatched-empty"')[1].split("</td>")[0]
    assert 'id="unmatched-summary"' not in matching  # no "0 lines (¥0.00)" sentence for a shop without orders
    products = new_shop_client.get("/products/").content.decode()
    empty = products.split('id="list-empty"')[1].split("</td>")[0]
    assert "没有符合筛选条件" not in empty and 'href="/imports/new/?target=catalog"' in empty
    filtered = new_shop_client.get("/products/?q=nothing").content.decode()
    assert "没有符合筛选条件" in filtered.split('id="list-empty"')[1].split("</td>")[0]


def test_the_new_product_column_is_not_the_new_product_button(client_as):
    html = client_as("admin").get("/analytics/products/").content.decode()
    assert "新建商品" not in html


def test_imports_list_and_form_show_names_not_codes(client_as, shop):
    admin = client_as("admin")
    ImportJob.objects.filter(shop=shop).update(created_by=None)
    listing = admin.get("/imports/").content.decode()
    assert ">CLI<" not in listing and "生意参谋 流量" not in listing
    form = admin.get("/imports/new/").content.decode()
    options = form.split('name="format"')[1].split("</select>")[0]
    assert "(taobao-orders)" not in options and "(sycm-traffic)" not in options
    assert "仅 taobao-orders" not in form and "仅 ad-report" not in form and "生意参谋 流量" not in form
    ad_row = next(row for row in form.split('id="import-formats"')[1].split("<tr>") if "<code>ad-report</code>" in row)
    assert "展现量" in ad_row and "点击量" in ad_row


def test_a_done_import_shows_a_full_progress_bar(client_as, shop):
    job = ImportJob.objects.filter(shop=shop, status=ImportJob.Status.DONE).first()
    html = client_as("admin").get(f"/imports/{job.pk}/").content.decode()
    assert '<progress class="import-progress" max="100" value="100">' in html


def test_the_stock_ledger_names_its_documents(client_as, shop):
    inventory_demo_seed(shop=shop, end_date=TEST_WORLD.end_date, seed=TEST_WORLD.seed)
    received = StockMove.objects.filter(shop=shop, po_line__isnull=False).select_related("sku", "po_line__order").first()
    html = client_as("admin").get(f"/stock/sku/{received.sku.sku_code}/").content.decode()
    refs = " ".join(re.findall(r'<td class="move-ref">(.*?)</td>', html))
    assert refs and "po:" not in refs and "demo-sale:" not in refs and "demo-open:" not in refs
    assert f'href="/stock/purchase-orders/{received.po_line.order_id}/"' in refs
    assert received.po_line.order.number in refs


def test_the_audit_log_hides_lottery_internals_and_names_the_shop(client_as, shop):
    campaigns_demo_seed(shop=shop, end_date=TEST_WORLD.end_date)
    AuditEntry.objects.create(shop=shop, action="shop.update", object_type="shop", object_id=str(shop.pk),
                              object_repr=shop.code, changes={"name": ["旧名", shop.name]})
    html = client_as("admin").get("/audit/").content.decode()
    assert "参与名单指纹" not in html and "随机种子" not in html
    assert f"店铺 {shop.code}<" not in html and f"店铺 {shop.name}" in html


def test_creating_a_user_is_one_audit_entry(db, shop):
    user = user_create(username="newcomer", password="Newcomer-pass-26", role=roles.VIEWER, shops=[shop])
    actions = list(AuditEntry.objects.filter(object_type="user", object_id=str(user.pk)).values_list("action", flat=True))
    assert actions == ["user.create"]


def test_campaign_shows_promotion_names_and_the_shop_by_name(client_as, shop):
    campaigns_demo_seed(shop=shop, end_date=TEST_WORLD.end_date)
    campaign = next(c for c in Campaign.objects.filter(shop=shop) if any(p.get("shop") for p in c.promotions))
    html = client_as("admin").get(f"/campaigns/{campaign.pk}/").content.decode()
    chips = html.split("</dd>")[[i for i, part in enumerate(html.split("</dd>")) if 'class="tag" title=' in part][0]]
    for promotion in campaign.promotions:
        assert f"{promotion['id']} · " not in chips
    assert f'<option value="{shop.code}" selected>{shop.name}</option>' in html


def test_one_navigation_entry_is_highlighted(client_as, shop):
    admin = client_as("admin")
    for path, expected in (("/skus/matching/", "/skus/matching/"), ("/stock/purchase-orders/", "/stock/purchase-orders/"),
                           ("/skus/", "/skus/"), ("/", "/")):
        assert NAV_ACTIVE.findall(admin.get(path).content.decode()) == [expected], path


def test_active_url_prefers_the_longest_prefix():
    urls = ["/", "/skus/", "/skus/matching/", "/stock/", "/stock/purchase-orders/"]
    assert active_url("/stock/purchase-orders/3/", urls) == "/stock/purchase-orders/"
    assert active_url("/stock/sku/A-1/", urls) == "/stock/"
    assert active_url("/orders/", urls) is None


def test_form_labels_keep_a_gap_and_channel_names_fit(client_as, shop):
    css = (Path(__file__).parents[2] / "src/shopops/ui/static/ui/app.css").read_text()
    assert re.search(r"main label:not\(\.cell\) > input[^{]*\{ margin-left:6px; \}", css.replace("\n", " "))
    html = client_as("admin").get("/settings/channels/").content.decode()
    for size, name in re.findall(r'<input name="name" required maxlength="80" size="(\d+)" value="([^"]*)"', html):
        assert int(size) >= min(48, 2 * len(name)), name


def test_setup_step_and_sidebar_call_channel_accounts_alike(new_shop_client):
    html = new_shop_client.get("/?inline=1").content.decode()
    assert "渠道与账号" not in html
    step = html.split('data-step="channels"')[1].split("</li>")[0]
    assert "渠道店铺" in step


def test_order_detail_shows_no_negative_zero_and_the_customer_by_name(client_as, shop):
    order = Order.objects.filter(shop=shop, discount_fen=0, customer__isnull=False).select_related("customer").first()
    html = client_as("admin").get(f"/orders/{order.pk}/").content.decode()
    assert "−¥0.00" not in html
    assert f"({order.customer.code})" not in html
