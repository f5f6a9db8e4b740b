"""A new shop's first day (docs/rules/sku-matching.md): init → catalog import (taobao-items) → its own Taobao order
report with unknown and empty 商家编码 → the lines matched on the 商品匹配 page as a browser posts its forms → the
dashboard shows the file's GMV, orders and buyers."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from shopops.accounts.management.commands.shop import shop_open
from shopops.catalog.models import Sku
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.orders.models import OrderLine
from tests.import_files import write_csv
from tests.imports.matching_files import NO_CODE_TITLE, UNKNOWN, orders_and_items
from tests.imports.test_catalog_import import TAOBAO_HEADER, TAOBAO_ROWS

DAY = "2026-12-02"


def import_file(shop, name: str, path, **options) -> dict:
    with translation.override("zh-hans"):
        job = import_job_create(shop=shop, format_name=name, path=str(path), **options)
        return import_summary(import_job_run(job_id=job.pk))


def test_a_new_shop_imports_its_catalog_and_orders_matches_the_lines_and_sees_its_numbers(db, tmp_path, settings):
    # a lake of its own: the worker's shared lake may hold facts another test wrote under the same shop id
    # (ids are reused once a test's transaction rolls back; the lake is not rolled back)
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    shop, admin, _created, _accounts = shop_open(code="first-day", name="新开的店", admin_username="first-day-admin",
                                                 admin_password="First-day-2026")
    catalog = import_file(shop, "taobao-items", write_csv(tmp_path / "items.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding="gbk"))
    assert catalog["status"] == "done", catalog["errors"]
    orders, items, numbers = orders_and_items(tmp_path, "CI-HOOD-L", day=DAY)
    imported = import_file(shop, "taobao-orders", orders, items_path=str(items))
    assert imported["status"] == "done", imported["errors"]
    assert imported["unmatched_lines"] == 3 and imported["inserted"] == numbers["orders"]

    browser = Client()
    browser.force_login(admin)
    page = browser.get("/skus/matching/")
    assert page.status_code == 200
    rows = {row.group.match_key: row for row in page.context["rows"]}
    assert set(rows) == {f"code:{UNKNOWN}", "title:无码羊毛围巾 冬季加厚|颜色:红色"}
    account = rows[f"code:{UNKNOWN}"].group.channel_account_id
    # the unknown code is the XL hoodie: typed into the row's SKU field; the scarf becomes a SKU of its own
    mapped = browser.post("/skus/matching/", {"action": "map", "account": account, "key": f"code:{UNKNOWN}",
                                              "sku": "CI-HOOD-XL"})
    assert mapped.status_code == 302
    no_code = rows["title:无码羊毛围巾 冬季加厚|颜色:红色"]
    offered = no_code.new_code  # the code the form offers (the line has none)
    assert f'value="{offered}"' in page.content.decode()
    created = browser.post("/skus/matching/", {"action": "create", "account": account,
                                               "key": no_code.group.match_key, "sku_code": offered, "category": ""})
    assert created.status_code == 302
    assert not OrderLine.objects.filter(shop=shop, sku__isnull=True).exists()
    assert Sku.objects.get(shop=shop, sku_code=offered).product.title == NO_CODE_TITLE
    assert offered in browser.get("/skus/matching/").content.decode()

    again = import_file(shop, "taobao-orders", orders, items_path=str(items))
    assert again["unchanged"] == again["rows"] and again["unmatched_lines"] == 0

    dashboard = browser.get(f"/?date={DAY}&inline=1")
    assert dashboard.status_code == 200
    cards = {card["key"]: card["value"] for card in dashboard.context["monthly"]}
    assert (cards["gmv"], cards["orders"], cards["buyers"]) == (numbers["gmv_fen"], numbers["orders"],
                                                                numbers["buyers"])
