"""Pages on the demo shop: list search/filter/sort/paging/xlsx, escaping, language (the dashboard's numbers are
in tests/web/test_dashboard.py)."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.models import Category, Product
from shopops.catalog.services import product_create
from shopops.core.money import format_fen
from shopops.orders.models import Order

TZ = ZoneInfo("Asia/Shanghai")


def test_plotly_is_served_locally(client_as):
    response = client_as("viewer").get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"plotly" in body[:2000].lower()


def test_order_list_search_filter_sort_page(client_as, shop):
    client = client_as("operator")
    order = Order.objects.filter(shop=shop, channel="jd").first()
    html = client.get("/orders/", {"q": order.order_no}).content.decode()
    assert html.count(f'href="/orders/{order.pk}/"') == 1
    jd = client.get("/orders/", {"channel": "jd"}).content.decode()
    total_jd = Order.objects.filter(shop=shop, channel="jd").count()
    assert f"{total_jd}" in jd
    page2 = client.get("/orders/", {"page": 2, "sort": "-paid"})
    assert page2.status_code == 200
    assert client.get("/orders/", {"sort": "evil;DROP TABLE", "page": "zzz", "date_from": "nope"}).status_code == 200


def test_htmx_request_gets_the_table_partial(client_as):
    html = client_as("viewer").get("/products/", HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in html and "<html" not in html


@pytest.mark.parametrize(("path", "min_rows"), [("/orders/", 100), ("/products/", 40), ("/customers/", 50)])
def test_xlsx_export_has_every_filtered_row(client_as, path, min_rows):
    response = client_as("admin").get(path, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 >= min_rows


def test_export_respects_filters(client_as, shop):
    response = client_as("admin").get("/orders/", {"export": "xlsx", "channel": "jd"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == Order.objects.filter(shop=shop, channel="jd").count()


HOSTILE_TITLE = '=cmd|" /C calc"!A0 <script>alert("x")</script>'


def _hostile_product(shop):
    product = product_create(shop=shop, data=ProductInput(
        spu_code="XSS-1", title=HOSTILE_TITLE,
        category=Category.objects.filter(shop=shop).first().code,
        skus=(SkuInput("XSS-1-1", "10.00", "1.00", {"<b>": "<img src=x onerror=alert(1)>"}),),
    ))
    # A formula-like SKU code can no longer be created; a legacy row can still hold one.
    product.skus.update(sku_code="=HYPERLINK(1)")
    return product


def test_script_in_a_title_is_text_everywhere(client_as, shop):
    product = _hostile_product(shop)
    client = client_as("operator")
    for url in (f"/products/{product.pk}/", "/products/?q=XSS"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html


def test_formulas_are_not_live_in_xlsx(client_as, shop):
    _hostile_product(shop)
    response = client_as("operator").get("/products/", {"export": "xlsx", "q": "XSS"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert titles == ["'" + HOSTILE_TITLE]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_product_form_creates_and_rejects(client_as, shop):
    client = client_as("operator")
    category = Category.objects.filter(shop=shop).first().code
    bad = client.post("/products/new/", {"spu_code": "WEB-1", "title": "", "category": category,
                                         "sku_code": ["W-1"], "price": ["-3"], "cost": ["1"], "attributes": [""]})
    assert bad.status_code == 422
    assert not Product.objects.filter(spu_code="WEB-1").exists()
    good = client.post("/products/new/", {"spu_code": "WEB-1", "title": "新品 身体乳", "category": category,
                                          "sku_code": ["W-1", ""], "price": ["59.90", ""], "cost": ["12", ""],
                                          "attributes": ["规格: 200ml", ""]})
    assert good.status_code == 302
    product = Product.objects.get(spu_code="WEB-1")
    assert product.skus.get().attributes == {"规格": "200ml"}


def test_chinese_by_default_english_by_choice(client_as):
    client = client_as("viewer")
    assert "订单" in client.get("/orders/").content.decode()
    client.post("/language/", {"language": "en", "next": "/orders/"})
    html = client.get("/orders/").content.decode()
    assert "Orders" in html and "Export xlsx" in html
    client.post("/language/", {"language": "xx"})
    assert "Orders" in client.get("/orders/").content.decode()


def test_detail_pages_render(client_as, shop):
    client = client_as("admin")
    order = Order.objects.filter(shop=shop, refunds__isnull=False).first()
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert order.order_no in html and format_fen(order.paid_fen).split(".")[0] in html.replace(",", "")
    html = client.get(f"/customers/{order.customer_id}/").content.decode()
    assert order.order_no in html
    assert client.get("/orders/999999999/").status_code == 404


def test_profile_creates_and_revokes_tokens(client_as, user_of):
    client = client_as("ads")
    html = client.post("/profile/", {"action": "token", "name": "bi"}).content.decode()
    assert "sho_" in html
    token = user_of("ads").api_tokens.get(name="bi")
    client.post("/profile/", {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.post("/profile/", {"action": "revoke", "token": 999999}).status_code == 404


def test_login_flow(db):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    assert client.get("/orders/").status_code == 302
    assert client.post("/login/", {"username": "operator", "password": "wrong"}).status_code == 200
    response = client.post("/login/", {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_sku_edit_from_the_product_page(client_as, shop):
    from shopops.catalog.models import Sku
    from shopops.core.models import AuditEntry

    sku = Sku.objects.filter(shop=shop).first()
    old_price = format_fen(sku.price_fen)
    url = f"/products/{sku.product_id}/skus/{sku.pk}/"
    client = client_as("operator")
    assert "sku-edit" in client.get(f"/products/{sku.product_id}/").content.decode()
    assert "sku-edit" not in client_as("service").get(f"/products/{sku.product_id}/").content.decode()
    client.post(url, {"price": "abc", "cost": "1.00", "active": "on"})
    sku.refresh_from_db()
    assert format_fen(sku.price_fen) == old_price and not AuditEntry.objects.filter(action="sku.update").exists()
    client.post(url, {"price": "77.00", "cost": f"{sku.cost_fen / 100:.2f}", "active": "on"})
    sku.refresh_from_db()
    assert sku.price_fen == 7700
    assert AuditEntry.objects.get(action="sku.update").changes == {"price": [old_price, "77.00"]}


def test_users_page_manages_roles_without_lockout(client_as, user_of):
    from shopops.core.selectors import user_role

    client = client_as("admin")
    bad = client.post("/users/", {"action": "create", "username": "temp1", "password": "123", "role": "viewer"})
    assert bad.status_code == 422
    client.post("/users/", {"action": "create", "username": "temp1", "password": "Temp-pass-2026", "role": "viewer"})
    temp = user_of("temp1")
    assert user_role(user=temp) == "viewer"
    client.post("/users/", {"action": "role", "user": temp.pk, "role": "admin"})
    temp.refresh_from_db()
    assert user_role(user=temp) == "admin" and not temp.is_staff  # the Django admin is for superusers only
    client.post("/users/", {"action": "active", "user": temp.pk, "active": "0"})
    temp.refresh_from_db()
    assert not temp.is_active
    me = user_of("admin")
    assert client.post("/users/", {"action": "role", "user": me.pk, "role": "viewer"}).status_code == 422
    assert client.post("/users/", {"action": "active", "user": me.pk, "active": "0"}).status_code == 422
    assert user_role(user=me) == "admin" and user_of("admin").is_active


def test_change_password_checks_the_old_one(client_as, user_of):
    from shopops.core.models import AuditEntry
    from tests.conftest import PASSWORD

    client = client_as("service")
    bad = client.post("/profile/", {"action": "password", "old_password": "wrong", "new_password1": "New-pass-2026x",
                                    "new_password2": "New-pass-2026x"})
    assert bad.status_code == 200 and user_of("service").check_password(PASSWORD)
    weak = client.post("/profile/", {"action": "password", "old_password": PASSWORD, "new_password1": "123",
                                     "new_password2": "123"})
    assert weak.status_code == 200 and user_of("service").check_password(PASSWORD)
    ok = client.post("/profile/", {"action": "password", "old_password": PASSWORD, "new_password1": "New-pass-2026x",
                                   "new_password2": "New-pass-2026x"})
    assert ok.status_code == 302 and user_of("service").check_password("New-pass-2026x")
    assert client.get("/profile/").status_code == 200  # still logged in
    assert AuditEntry.objects.filter(action="user.password").count() == 1


@pytest.mark.parametrize(
    "form",
    [{"action": "create", "username": "", "password": "Temp-pass-2026", "role": "viewer"},
     {"action": "create", "username": "ad\u200bmin", "password": "Temp-pass-2026", "role": "viewer"},
     {"action": "create", "username": "x" * 151, "password": "Temp-pass-2026", "role": "viewer"},
     {"action": "create", "username": "bad <b>", "password": "Temp-pass-2026", "role": "viewer"}],
)
def test_bad_user_names_are_refused(client_as, form):
    from django.contrib.auth import get_user_model

    before = get_user_model().objects.count()
    assert client_as("admin").post("/users/", form).status_code == 422
    assert get_user_model().objects.count() == before


def test_an_admin_cannot_take_over_users_of_other_shops(client_as, shop):
    from shopops.core import roles
    from shopops.core.selectors import user_role
    from shopops.core.services import shop_create, user_create

    other = shop_create(code="shop-b", name="B 店")
    b_admin = user_create(username="b-admin", password="B-admin-pass-26", role=roles.ADMIN, shops=[other])
    both = user_create(username="both", password="Both-pass-2026", role=roles.VIEWER, shops=[shop, other])
    client = Client()
    client.force_login(b_admin)
    assert client.post("/users/", {"action": "role", "user": both.pk, "role": "admin"}).status_code == 422
    assert client.post("/users/", {"action": "active", "user": both.pk, "active": "0"}).status_code == 422
    both.refresh_from_db()
    assert user_role(user=both) == roles.VIEWER and both.is_active
    # An administrator of both shops may.
    from shopops.core.models import ShopMembership

    ShopMembership.objects.create(user=b_admin, shop=shop)
    assert client.post("/users/", {"action": "role", "user": both.pk, "role": "operator"}).status_code == 302
    assert user_role(user=both) == roles.OPERATOR


def test_ads_sees_orders_but_not_buyers_or_refunds(client_as, api_as, shop):
    order = Order.objects.filter(shop=shop, refunds__isnull=False).first()
    html = client_as("ads").get(f"/orders/{order.pk}/").content.decode()
    assert order.order_no in html and order.customer.code not in html
    assert order.refunds.first().refund_no not in html
    listing = client_as("ads").get("/orders/").content.decode()
    assert "/customers/" not in listing
    body = api_as("ads").get(f"/api/v1/orders/{order.pk}").json()
    assert body["customer"] is None and body["refunds"] == []
    body = api_as("service").get(f"/api/v1/orders/{order.pk}").json()
    assert body["customer"]["code"] == order.customer.code and body["refunds"]


@pytest.mark.parametrize("target", ["https://evil.com", "//evil.com", "/\\evil.com", "javascript:alert(1)", "evil"])
def test_switch_redirects_stay_on_site(client_as, target):
    response = client_as("viewer").post("/language/", {"language": "en", "next": target},
                                        HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client_as("viewer").post("/language/", {"language": "en", "next": "/orders/?page=2"})["Location"] == \
        "/orders/?page=2"


def test_unknown_host_is_refused(client_as):
    assert client_as("viewer").get("/", HTTP_HOST="evil.com").status_code == 400


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [("get", "/?date=0001-01-01", None), ("get", "/?date=9999-12-31", None),
     ("post", "/profile/", {"action": "revoke", "token": "abc"}),
     ("post", "/users/", {"action": "role", "user": "abc", "role": "viewer"}),
     ("post", "/users/", {"action": "active", "user": "99999999999999999999999", "active": "0"})],
)
def test_odd_input_never_gives_a_500(client_as, method, url, data):
    client = client_as("admin")
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code in (200, 302, 404)


def test_htmx_history_restore_gets_the_whole_page(client_as):
    response = client_as("viewer").get("/orders/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_big_exports_stop_with_a_note(client_as, monkeypatch):
    from shopops.ui import tables

    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 5)
    sheet = load_workbook(io.BytesIO(client_as("admin").get("/orders/", {"export": "xlsx"}).content)).active
    assert sheet.max_row == 1 + 5 + 1
    assert "5" in str(sheet.cell(row=7, column=1).value)
