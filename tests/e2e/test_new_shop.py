"""Headless Chromium walks a new shop from nothing, as its administrator would (docs/rules/sku-matching.md):
`shopops init` → the dashboard's setup checklist → 导入商品 (a taobao-items catalog) → a Taobao order report with
its 宝贝报表 (a known, an unknown and an empty 商家编码) → 商品匹配 (one group matched to a suggested SKU, one made a
SKU of its own) → the dashboard shows the file's GMV and orders → product analysis has no unmatched lines left.
The browser-free twin of this path is tests/test_new_shop_path.py."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shopops.core.money import format_yuan_fen
from tests.e2e.conftest import served
from tests.import_files import write_csv
from tests.imports.matching_files import write_order_report
from tests.imports.test_catalog_import import TAOBAO_HEADER, TAOBAO_ROWS

pytestmark = pytest.mark.e2e

SHOP = "新店测试旗舰店"
PASSWORD = "New-shop-e2e-2026"
WIDTH = 1366
SHOTS = Path(os.environ.get("SHOPOPS_E2E_SHOTS", "/tmp/s10/shots"))
# the report's orders were paid yesterday in the shop's time zone: the dashboard's default day
DAY = (dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() - dt.timedelta(days=1)).isoformat()
UNKNOWN = "HOOD-XL-2026"  # a seller code the catalog does not know: the new hoodie listing's own
SCARF = "羊毛围巾 冬季加厚"  # sold without a seller code
# (order number, buyer, paid, [(title, price, quantity, seller code, spec)]) as Taobao exports them
ORDERS = [
    ("3901", "杭州小林", "129.00", [("加绒卫衣", "129.00", 1, "CI-HOOD-L", "颜色:黑;尺码:L")]),
    ("3902", "苏州阿梅", "278.00", [("加绒卫衣 冬季新款", "139.00", 2, UNKNOWN, "颜色:黑;尺码:XL")]),
    ("3903", "宁波老周", "45.00", [(SCARF, "45.00", 1, "", "颜色:红色")]),
    ("3904", "杭州小林", "168.00", [("加绒卫衣", "129.00", 1, "CI-HOOD-L", "颜色:黑;尺码:L"),
                                 ("保温杯", "49.00", 1, "CI-CUP", "")]),
]


@pytest.fixture(scope="module")
def new_shop(tmp_path_factory):
    """An install made by `shopops init` (one shop, its channel accounts, the user admin) served by `shopops serve`
    with its in-process task worker, so uploads are imported."""
    data_dir = tmp_path_factory.mktemp("new-shop")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(data_dir)
    shopops = str(Path(sys.executable).parent / "shopops")
    made = subprocess.run([shopops, "init", "--shop", SHOP, "--admin-password", PASSWORD],
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    with served(env) as base:
        yield base


@pytest.fixture
def admin_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    context.close()


def _fits(page, where: str) -> None:
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{where} is {scroll}px wide in a {inner}px window"


def _upload(page, base: str, fmt: str, file: Path, items: Path | None = None) -> None:
    """Post the import form and wait on the job's page (it polls with htmx) until the file is imported."""
    page.select_option("select[name=format]", fmt)
    page.set_input_files("input[name=file]", str(file))
    if items is not None:
        page.set_input_files("input[name=items]", str(items))
    page.click("form.panel button[type=submit]")
    page.wait_for_url(base + "/imports/*/")
    page.wait_for_selector("#import-state [data-status]:not([data-status=queued]):not([data-status=running])",
                           timeout=120000)
    status = page.locator("#import-state [data-status]")
    assert status.get_attribute("data-status") == "done", page.locator("#import-state").inner_text()
    assert status.inner_text() == "已导入"
    _fits(page, f"the {fmt} job page")


def test_a_new_shop_from_nothing_to_its_numbers(admin_page, new_shop, tmp_path):
    page, base = admin_page, new_shop
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    SHOTS.mkdir(parents=True, exist_ok=True)

    # 1. log in: the empty shop's dashboard shows the setup checklist, not a wall of zeros
    page.goto(base + "/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    checklist = page.locator("#setup-checklist")
    assert "开店设置" in checklist.locator("h2").inner_text()
    done, total = checklist.get_attribute("data-done"), checklist.get_attribute("data-total")
    assert total == "6" and done == "1"  # `shopops init` made the channel accounts
    assert checklist.locator(".setup-progress").inner_text() == "已完成 1/6"
    assert page.locator("[data-kpi]").count() == 0
    _fits(page, "the empty dashboard")

    # 2. the checklist's 导入商品 link → the import page → a Taobao catalog export
    page.locator("#setup-checklist [data-step=catalog] a").click()
    page.wait_for_url(base + "/imports/new/**")
    assert page.locator("h1").inner_text() == "新建导入"
    _fits(page, "the import page")
    catalog = write_csv(tmp_path / "宝贝列表.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding="gbk")
    _upload(page, base, "taobao-items", catalog)
    assert page.locator("#import-state td.num").first.inner_text() == str(len(TAOBAO_ROWS))

    # 3. the shop's own order report with its item report: the unknown and the empty code come in unmatched
    orders, items = tmp_path / "ExportOrderList.csv", tmp_path / "ExportOrderDetailList.csv"
    write_order_report(orders, items, ORDERS, day=DAY, encoding="gbk")
    page.goto(base + "/imports/new/")
    _upload(page, base, "taobao-orders", orders, items)
    unmatched = page.locator("#unmatched-lines")
    assert unmatched.locator("td").inner_text().startswith("2 ")  # the unknown and the empty code
    unmatched.locator("a").click()

    # 4. 商品匹配: the unknown code goes to the hoodie the page suggests; the scarf becomes a SKU in one click
    page.wait_for_url(base + "/skus/matching/")
    _fits(page, "the matching page")
    page.screenshot(path=str(SHOTS / "new-shop-matching.png"), full_page=True)
    groups = page.locator("#unmatched tbody tr")
    assert groups.count() == 2
    assert "¥323.00" in page.locator("#unmatched-summary").inner_text()  # ¥278.00 + ¥45.00, one yen sign
    assert "¥¥" not in page.locator("main").inner_text()
    coded = groups.filter(has_text=UNKNOWN)
    assert "尺码:XL" in coded.locator("td").nth(2).inner_text()  # the item report's 商品属性 tells the size
    suggested = coded.locator("button", has_text="CI-HOOD-XL")
    assert suggested.count() == 1, coded.inner_text()
    suggested.click()
    page.wait_for_url(base + "/skus/matching/")
    assert "已匹配" in page.locator(".messages").inner_text()
    scarf = page.locator("#unmatched tbody tr", has_text=SCARF)
    offered = scarf.locator("input[name=sku_code]").input_value()
    assert offered
    scarf.locator("button", has_text="新建 SKU").click()
    page.wait_for_url(base + "/skus/matching/")
    assert page.locator("#unmatched tbody tr").count() == 1
    assert page.locator("#unmatched tbody td.muted").inner_text() == "所有订单商品行都已匹配 SKU。"
    mapped = page.locator("#mappings tbody").inner_text()
    assert "CI-HOOD-XL" in mapped and offered in mapped
    _fits(page, "the matching page after matching")

    # 5. the dashboard: the shop has orders, so no checklist; the 30-day cards are the file's own numbers
    page.goto(f"{base}/?date={DAY}")
    assert page.locator("#setup-checklist").count() == 0
    gmv = page.locator("[data-kpi='gmv-30d'] .value").inner_text()
    assert gmv == format_yuan_fen(sum(int(Decimal(paid) * 100) for _n, _b, paid, _l in ORDERS)) == "¥620.00"
    assert page.locator("[data-kpi='orders-30d'] .value").inner_text() == str(len(ORDERS))
    assert page.locator("[data-kpi='buyers-30d'] .value").inner_text() == str(len({o[1] for o in ORDERS}))
    page.wait_for_selector("#gmv-chart[data-rendered='1']")
    _fits(page, "the dashboard")
    page.screenshot(path=str(SHOTS / "new-shop-dashboard.png"), full_page=True)

    # 6. product analysis of the day: every line counts in the SKU figures now
    page.goto(f"{base}/analytics/products/?from={DAY}&to={DAY}")
    assert page.locator("h1").inner_text() == "商品分析"
    assert page.locator("#unmatched-notice").count() == 0
    assert "未匹配" not in page.locator("main").inner_text()
    _fits(page, "product analysis")
    assert errors == []
