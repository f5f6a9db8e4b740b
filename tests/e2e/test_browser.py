"""Headless Chromium walks the workbench as every role (Playwright driving Debian's chromium)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e

STOCK = ["/campaigns/", "/stock/", "/stock/replenishment/", "/stock/purchase-orders/"]
ANALYTICS = ["/analytics/traffic/", "/analytics/funnel/", "/analytics/paths/", "/analytics/retention/",
             "/analytics/products/", "/analytics/gmv-explain/", "/keywords/"]
_COMMON = ["/", "/todos/", "/briefing/", "/orders/", "/products/", "/skus/", "/categories/", "/listings/", "/competitors/"]
# 商品匹配 (SKU matching) follows the SKUs for the roles that may change products
_WRITERS = [*_COMMON[:6], "/skus/matching/", *_COMMON[6:]]
NAV_BY_ROLE = {
    "admin": [*_WRITERS, "/customers/", "/service/", *ANALYTICS, *STOCK, "/imports/", "/users/", "/settings/shop/",
              "/settings/channels/", "/listings/dictionary/", "/audit/"],
    "operator": [*_WRITERS, "/customers/", "/service/", *ANALYTICS, *STOCK, "/imports/", "/listings/dictionary/"],
    "ads": [*_COMMON, *ANALYTICS, *STOCK, "/imports/"],
    "service": [*_COMMON, "/customers/", "/service/", *STOCK],
    "viewer": [*_COMMON, "/customers/", "/service/", *ANALYTICS, *STOCK, "/imports/"],
}


def login(page, base: str, role: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


PANEL_WAIT_MS = 90_000  # a wait, not a speed check: a cold server on a busy machine computes a panel slowly


def wait_for_panels(page) -> None:
    """The panels a page loads after itself (ui/_lazy.html) have arrived, none of them failed."""
    page.wait_for_function("() => !document.querySelector('.lazy[aria-busy=\"true\"]')", timeout=PANEL_WAIT_MS)
    assert page.locator(".lazy-failed").count() == 0, page.url


@pytest.mark.parametrize("role", list(NAV_BY_ROLE))
def test_each_role_sees_its_navigation_and_every_page_opens(page, server, role):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, server, role)
    links = page.eval_on_selector_all("nav.sidenav a", "els => els.map(e => e.getAttribute('href'))")
    assert links == NAV_BY_ROLE[role]
    for href in links:
        response = page.goto(server + href)
        assert response.status == 200, href
        assert page.locator("h1").first.inner_text().strip()
        wait_for_panels(page)
        rows = page.locator("table.data tbody tr a")
        if href not in ("/", "/audit/", "/users/", "/todos/") and rows.count():
            rows.first.click()
            page.wait_for_load_state()
            assert page.locator("h1").first.inner_text().strip()
    assert errors == []


def test_dashboard_shows_numbers_and_draws_the_chart(page, server):
    login(page, server, "operator")
    page.goto(server + "/?date=" + _last_day(server))
    assert page.locator(".lazy .skeleton").count() or page.locator("[data-panel]").count()  # grey blocks, then
    page.wait_for_selector("#gmv-chart[data-rendered='1']", timeout=PANEL_WAIT_MS)
    wait_for_panels(page)
    assert page.locator("#gmv-chart .main-svg").count() > 0
    gmv = page.locator("[data-kpi='gmv-30d'] .value").inner_text()
    assert gmv.startswith("¥") and gmv != "¥0.00"


def _last_day(server: str) -> str:
    # The demo ends yesterday by default; the dashboard's default day is yesterday too.
    import datetime as dt
    from zoneinfo import ZoneInfo

    return (dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() - dt.timedelta(days=1)).isoformat()


def test_search_filters_the_list_in_place(page, server):
    login(page, server, "operator")
    page.goto(server + "/orders/")
    first = page.locator("table.data tbody tr td a").first.inner_text()
    page.fill("input[name=q]", first)
    page.wait_for_function("() => document.querySelectorAll('table.data tbody tr').length === 1")
    assert first in page.locator("table.data tbody").inner_text()
    assert "q=" in page.url


def test_switch_to_english_and_back(page, server):
    login(page, server, "viewer")
    page.goto(server + "/orders/")
    assert "订单" in page.locator("h1").inner_text()
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Orders"
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert "订单" in page.locator("h1").inner_text()


def test_hostile_title_never_runs(page, server):
    login(page, server, "operator")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    token = _token(page, server)
    category = _api(server, token, "/api/v1/products?limit=1")["items"][0]["category"]
    body = {"spu_code": "E2E-XSS", "title": "<script>alert('x')</script><img src=x onerror=alert(2)>",
            "category": category, "skus": [{"sku_code": "E2E-XSS-1", "price": "1.00", "cost": "0.50"}]}
    created = _api(server, token, "/api/v1/products", body)
    page.goto(server + f"/products/{created['id']}/")
    page.goto(server + "/products/?q=E2E-XSS")
    assert "<script>alert('x')</script>" in page.locator("table.data").inner_text()
    assert dialogs == []


def _token(page, server: str) -> str:
    page.goto(server + "/profile/")
    page.fill("input[name=name]", "e2e")
    page.click("#create-token")
    return page.locator("#new-token").inner_text().strip()


def _api(server: str, token: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(server + path, headers={"Authorization": f"Bearer {token}",
                                                            "Content-Type": "application/json"})
    if body is not None:
        request.data = json.dumps(body).encode()
        request.method = "POST"
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_logout(page, server):
    login(page, server, "service")
    page.click("#logout")
    page.wait_for_url(server + "/login/")
    page.goto(server + "/orders/")
    assert "/login/" in page.url
