"""Keyword mining and title suggestions on a hand-checked search-term file (docs/rules/listings.md#keywords),
in a new shop built only from imports: ``shop_open`` → a Taobao item export (the listing) → a search-term
report, both through the import pipeline, into a lake of the test's own. Every expected number is worked out
by hand below; the CLI, the API and the pages must say the same.

The file (period 2026-11-08..14, previous period 2026-11-01..07), item 770001 unless said:

=====  ==================  ==========  ========  ======  ======  ========
row    term                day         visitors  clicks  orders  GMV
=====  ==================  ==========  ========  ======  ======  ========
1      保温杯              11-10       100       60      6       600.00
2      保温杯              11-11       50        30      4       400.00
3      保温杯              11-03 prev  120       70      8       800.00
4      保温杯 大容量       11-12       40        20      5       450.00
5      保温杯男            11-13       30        10      3       240.00
6      儿童水杯            11-13       20        5       2       100.00
7      最好的保温杯        11-13       10        0       0       0.00
8      316保温杯           11-14       0         40      2       180.00   (an ad report: clicks, no visitors)
9      保温杯 男士 (880002) 11-14      5         3       1       50.00
10     保温杯 (770001)     10-20       999       999     99      9999.00  (before both periods: left out)
=====  ==================  ==========  ========  ======  ======  ========
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from shopops.accounts.management.commands.shop import shop_open
from shopops.catalog.models import Listing
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.listings.selectors.keywords import (
    keyword_report,
    keywords_json,
    listing_suggestion,
    suggestion_json,
)

ITEMS_HEADER = ["宝贝名称", "宝贝类目", "价格", "商家编码", "品牌", "宝贝ID", "宝贝状态"]
ITEMS = [["暖洋洋保温杯 316不锈钢 大容量", "厨房/保温杯", "89.00", "NY-CUP", "暖洋洋", "770001", "出售中"],
         ["暖洋洋男士保温杯", "厨房/保温杯", "99.00", "NY-CUP-M", "暖洋洋", "880002", "出售中"]]
TERMS_HEADER = ["日期", "来源", "搜索词", "商品ID", "访客数", "点击量", "成交笔数", "成交金额"]
TERMS = [
    ["2026-11-10", "手淘搜索", "保温杯", "770001", "100", "60", "6", "600.00"],
    ["2026-11-11", "手淘搜索", "保温杯", "770001", "50", "30", "4", "400.00"],
    ["2026-11-03", "手淘搜索", "保温杯", "770001", "120", "70", "8", "800.00"],
    ["2026-11-12", "手淘搜索", "保温杯 大容量", "770001", "40", "20", "5", "450.00"],
    ["2026-11-13", "手淘搜索", "保温杯男", "770001", "30", "10", "3", "240.00"],
    ["2026-11-13", "手淘搜索", "儿童水杯", "770001", "20", "5", "2", "100.00"],
    ["2026-11-13", "手淘搜索", "最好的保温杯", "770001", "10", "0", "0", "0.00"],
    ["2026-11-14", "直通车", "316保温杯", "770001", "0", "40", "2", "180.00"],
    ["2026-11-14", "手淘搜索", "保温杯 男士", "880002", "5", "3", "1", "50.00"],
    ["2026-10-20", "手淘搜索", "保温杯", "770001", "999", "999", "99", "9999.00"],
]
FROM, TO = "2026-11-08", "2026-11-14"


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _import(shop, name: str, path: Path, **options) -> dict:
    with translation.override("zh-hans"):
        job = import_job_create(shop=shop, format_name=name, path=str(path), **options)
        return import_summary(import_job_run(job_id=job.pk))


@pytest.fixture
def world(db, tmp_path, settings):
    """A new shop with nothing but two imports (its own lake: the worker's shared lake is not rolled back)."""
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    shop, admin, _created, _accounts = shop_open(code="cups", name="暖洋洋杯具", admin_username="cups-admin",
                                                 admin_password="Thermos-Keep-9417")
    items = _import(shop, "taobao-items", _write(tmp_path / "items.csv", ITEMS_HEADER, ITEMS, "gbk"))
    assert items["status"] == "done", items["errors"]
    listing = Listing.objects.select_related("channel_account").get(shop=shop, external_id="770001")
    terms = _import(shop, "search-terms", _write(tmp_path / "terms.csv", TERMS_HEADER, TERMS, "gbk"),
                    channel_account=listing.channel_account.name)
    assert terms["status"] == "done", terms["errors"]
    return shop, admin, listing


def test_terms_and_roots_by_hand(world):
    shop, _admin, listing = world
    data = keywords_json(*keyword_report(shop=shop, date_from=FROM, date_to=TO, channel=listing.channel_account.channel))
    assert (data["previous_from"], data["previous_to"]) == ("2026-11-01", "2026-11-07")
    terms = {t["term"]: t for t in data["terms"]}
    assert set(terms) == {"保温杯", "保温杯 大容量", "保温杯男", "儿童水杯", "最好的保温杯", "316保温杯", "保温杯 男士"}
    cup = terms["保温杯"]  # rows 1 + 2 (row 3 is the previous period, row 10 before both)
    assert (cup["visitors"], cup["clicks"], cup["orders"], cup["gmv"]) == (150, 90, 10, "1000.00")
    assert cup["conversion"] == Decimal("0.0667")  # 10 ÷ 150 = 0.06666…
    assert cup["trend"] == Decimal("0.2500")  # (150 − 120) ÷ 120
    assert cup["previous"] == {"visitors": 120, "clicks": 70, "orders": 8, "gmv": "800.00",
                               "conversion": Decimal("0.0667")}  # 8 ÷ 120
    assert terms["316保温杯"]["conversion"] == Decimal("0.0500")  # no visitors: 2 ÷ 40 clicks
    assert terms["316保温杯"]["roots"] == ["316", "保温杯"] and terms["最好的保温杯"]["roots"] == ["最好", "保温杯"]
    assert terms["保温杯 大容量"]["trend"] is None  # nothing in the previous period
    assert data["terms"][0]["term"] == "保温杯"  # best first: most orders
    roots = {r["root"]: r for r in data["roots"]}
    root = roots["保温杯"]  # rows 1, 2, 4, 5, 7, 8, 9: every term but 儿童水杯
    assert root["terms"] == 6
    assert (root["visitors"], root["clicks"], root["orders"], root["gmv"]) == (235, 163, 21, "1920.00")
    assert root["trend"] == Decimal("0.9583")  # (235 − 120) ÷ 120 = 0.95833…
    assert (roots["儿童"]["orders"], roots["水杯"]["orders"]) == (2, 2)
    assert data["total"]["orders"] == 23 and data["total"]["gmv"] == "2020.00"  # 10+5+3+2+0+2+1; 1000+450+…+50


def test_coverage_and_gaps_by_hand(world):
    shop, _admin, listing = world
    result = listing_suggestion(shop=shop, listing_id=listing.pk, date_from=FROM, date_to=TO)
    data = suggestion_json(result)
    assert data["basis"] == "item"  # the listing's own terms (商品ID 770001): row 9 (880002) is not one
    # converting terms of 770001: 保温杯 10, 保温杯 大容量 5, 保温杯男 3, 儿童水杯 2, 316保温杯 2 = 22 orders;
    # the title "暖洋洋保温杯 316不锈钢 大容量" writes 保温杯, 大容量 and 316: covered 10 + 5 + 2 = 17
    assert data["before"]["orders"] == 22 and data["before"]["covered_orders"] == 17
    assert data["before"]["coverage"] == Decimal("0.7727")  # 17 ÷ 22 = 0.772727…
    assert [g["term"] for g in data["gaps"]] == ["保温杯男", "儿童水杯"]
    assert [(g["root"], g["orders"]) for g in data["root_gaps"]] == [("男", 3), ("儿童", 2), ("水杯", 2)]
    # the suggestion: brand, core term (the category 保温杯), the modifiers by orders, then the rest of the title
    assert data["suggestion"] == "暖洋洋保温杯大容量男儿童水杯316不锈钢"
    assert data["length"] == {"value": 37, "limit": 60, "unit": "gbk_bytes"}  # 14 汉字 × 2 + 3 + 3 × 2
    assert data["after"]["coverage"] == Decimal("1.0000") and data["after"]["covered_orders"] == 22
    assert data["added_terms"] == ["保温杯男", "儿童水杯"] and data["added_words"] == ["男", "儿童", "水杯"]
    assert data["dropped_words"] == []


def test_cli_and_api_say_the_same(world):
    shop, admin, listing = world
    out = io.StringIO()
    call_command("keywords", "--from", FROM, "--to", TO, "--shop", shop.code, "--json", stdout=out)
    cli = json.loads(out.getvalue())
    browser = Client()
    browser.force_login(admin)
    api = browser.get(f"/api/v1/keywords?from={FROM}&to={TO}")
    assert api.status_code == 200, api.content
    assert api.json()["terms"] == cli["terms"] and api.json()["roots"] == cli["roots"]
    assert cli["terms"][0] == {"term": "保温杯", "roots": ["保温杯"], "visitors": 150, "clicks": 90, "orders": 10,
                               "gmv": "1000.00", "conversion": "0.0667", "trend": "0.2500",
                               "previous": {"visitors": 120, "clicks": 70, "orders": 8, "gmv": "800.00",
                                            "conversion": "0.0667"}}
    out = io.StringIO()
    call_command("listings", "suggest", str(listing.pk), "--from", FROM, "--to", TO, "--shop", shop.code, "--json",
                 stdout=out)
    suggested = json.loads(out.getvalue())
    api = browser.get(f"/api/v1/listings/{listing.pk}/suggestion?from={FROM}&to={TO}")
    assert api.status_code == 200, api.content
    assert api.json() == suggested and suggested["after"]["coverage"] == "1.0000"
    assert browser.get("/api/v1/listings/999999/suggestion").status_code == 404
    bad = browser.get("/api/v1/keywords?from=2026-11-14&to=2026-11-08")
    assert bad.status_code in (400, 422) and "to" in bad.content.decode()


def test_cli_text_output(world):
    shop, _admin, listing = world
    out = io.StringIO()
    call_command("keywords", "--from", FROM, "--to", TO, "--channel", "淘宝", "--shop", shop.code, stdout=out)
    text = out.getvalue()
    assert "保温杯 大容量" in text and "1000.00" in text and "25.0%" in text  # the trend of 保温杯
    out = io.StringIO()
    call_command("listings", "suggest", str(listing.pk), "--from", FROM, "--to", TO, "--shop", shop.code, stdout=out)
    assert "暖洋洋保温杯大容量男儿童水杯316不锈钢" in out.getvalue() and "77.3% → 100.0%" in out.getvalue()
    out = io.StringIO()
    call_command("keywords", "--from", FROM, "--to", TO, "--channel", "jd", "--shop", shop.code, "--json", stdout=out)
    assert json.loads(out.getvalue())["terms"] == []  # the file was imported on the Taobao account


def test_cli_refuses_bad_input_with_exit_2(world):
    shop, _admin, _listing = world
    with pytest.raises(CommandError) as refused:
        call_command("keywords", "--from", "2026-13-01", "--to", TO, "--shop", shop.code)
    assert refused.value.returncode == 2 and "from" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("listings", "suggest", "abc", "--shop", shop.code)
    assert refused.value.returncode == 2
    with pytest.raises(CommandError) as refused:
        call_command("listings", "suggest", "999999", "--shop", shop.code)
    assert refused.value.returncode == 2


def test_pages(world):
    shop, admin, listing = world
    browser = Client()
    browser.force_login(admin)
    page = browser.get(f"/keywords/?from={FROM}&to={TO}&sort=-visitors")
    assert page.status_code == 200
    text = page.content.decode()
    assert "保温杯 大容量" in text and "¥1,000.00" in text
    assert [t.term for t in page.context["terms"]][:2] == ["保温杯", "保温杯 大容量"]  # 150, 40 visitors
    export = browser.get(f"/keywords/?from={FROM}&to={TO}&export=xlsx&table=roots")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    fragment = browser.get(f"/keywords/listings/{listing.pk}/suggestion/?from={FROM}&to={TO}")
    assert fragment.status_code == 200
    assert "暖洋洋保温杯大容量男儿童水杯316不锈钢" in fragment.content.decode()
    assert browser.get("/keywords/listings/999999/suggestion/").status_code == 404
    # the default period: the 30 days up to the last search-term day
    assert browser.get("/keywords/").context["date_to"] == TO


def test_imported_text_is_escaped_and_bad_dates_are_said(world, tmp_path):
    shop, admin, listing = world
    hostile = [["2026-11-20", "手淘搜索", "<b>杯</b>", "770001", "3", "2", "1", "9.90"]]
    done = _import(shop, "search-terms", _write(tmp_path / "hostile.csv", TERMS_HEADER, hostile, "utf-8-sig"),
                   channel_account=listing.channel_account.name)
    assert done["status"] == "done", done["errors"]
    browser = Client()
    browser.force_login(admin)
    text = browser.get("/keywords/?from=2026-11-20&to=2026-11-20").content.decode()
    assert "&lt;b&gt;杯&lt;/b&gt;" in text and "<b>杯</b>" not in text
    page = browser.get("/keywords/?from=2026-11-20&to=2026-11-01")
    assert page.status_code == 200 and page.context["errors"] and page.context["report"] is None
