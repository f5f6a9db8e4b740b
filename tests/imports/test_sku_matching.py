"""SKU matching in order imports (docs/rules/sku-matching.md): unknown and empty seller codes import as unmatched
lines that count in GMV; --strict-skus rejects as before; a mapping re-links past lines and later imports use
it; barcodes match; a SKU can be made from a line."""

from __future__ import annotations

import datetime as dt
import io
import json

import pyarrow.compute as pc
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from shopops.catalog.models import Sku, SkuMapping
from shopops.channels.services import channel_account_ensure
from shopops.core.models import AuditEntry
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.lake.storage import read_table
from shopops.orders import selectors as order_selectors
from shopops.orders.models import Order, OrderLine
from shopops.orders.services import matching_map, matching_unmap
from tests.imports.matching_files import (
    NO_CODE_SPEC,
    NO_CODE_TITLE,
    UNKNOWN,
    orders_and_items,
    write_order_report,
)

DAY = dt.date(2026, 12, 2)
ACCOUNT = "匹配测试天猫店"


@pytest.fixture(autouse=True)
def _own_lake(settings, tmp_path):
    """A lake of this test's own: the worker's lake keeps the facts of earlier tests' orders, whose ids the
    rolled-back database gives out again."""
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")


@pytest.fixture
def account(shop):
    return channel_account_ensure(shop=shop, channel="tmall", name=ACCOUNT)


@pytest.fixture
def known(shop):
    return Sku.objects.filter(shop=shop).order_by("pk").first()


def _import(shop, orders, items, **options) -> dict:
    job = import_job_create(shop=shop, format_name="taobao-orders", path=str(orders), items_path=str(items),
                            channel_account=ACCOUNT, **options)
    return import_summary(import_job_run(job_id=job.pk))


def _lake_skus(shop, order_nos: list[str]) -> list:
    """The lake's order line facts of these orders: (line id, sku id, sku code), by line id."""
    orders = read_table("orders_fact").filter(pc.field("shop_id") == shop.pk)
    ids = [i for i, no in zip(orders["order_id"].to_pylist(), orders["order_no"].to_pylist(), strict=True)
           if no in order_nos]
    lines = read_table("order_lines_fact").filter(pc.field("order_id").isin(ids))
    return sorted(zip(lines["line_id"].to_pylist(), lines["sku_id"].to_pylist(), lines["sku_code"].to_pylist(),
                      strict=True))


def _state(shop, account) -> tuple:
    lines = OrderLine.objects.filter(shop=shop, order__channel_account=account)
    return (Order.objects.filter(shop=shop, channel_account=account).count(), lines.count(),
            sorted(Order.objects.filter(shop=shop, channel_account=account).values_list("fingerprint", flat=True)),
            sorted(lines.values_list("sku_id", flat=True), key=lambda v: v or 0))


def test_unknown_and_empty_codes_import_unmatched_and_count_in_gmv(shop, account, known, tmp_path):
    orders, items, numbers = orders_and_items(tmp_path, known.sku_code)
    summary = _import(shop, orders, items)
    assert summary["status"] == "done", summary["errors"]
    assert summary["unmatched_lines"] == 3
    assert [sku for _line, sku, _code in _lake_skus(shop, ["8801", "8802", "8803", "8804"])].count(None) == 3
    groups = order_selectors.unmatched_groups(shop=shop, channel_account_id=account.pk)
    assert {g.match_key for g in groups} == {f"code:{UNKNOWN}", "title:无码羊毛围巾 冬季加厚|颜色:红色"}
    by_key = {g.match_key: g for g in groups}
    unknown = by_key[f"code:{UNKNOWN}"]
    assert (unknown.lines, unknown.units, unknown.seller_code) == (2, 3, UNKNOWN)
    no_code = by_key["title:无码羊毛围巾 冬季加厚|颜色:红色"]
    assert (no_code.lines, no_code.title, no_code.spec, no_code.gmv_fen) == (1, NO_CODE_TITLE, NO_CODE_SPEC, 4500)
    totals = order_selectors.period_order_totals(shop=shop, start=DAY, end=DAY)
    assert (totals["orders"], totals["gmv"], totals["buyers"]) == (numbers["orders"], numbers["gmv_fen"],
                                                                   numbers["buyers"])
    # SKU-level sums leave the unmatched lines out
    codes = {row["sku_code"] for row in order_selectors.period_line_sums(shop=shop, start=DAY, end=DAY)}
    assert codes == {known.sku_code}
    assert order_selectors.unmatched_line_count(shop=shop, start=DAY, end=DAY) == 3


def test_strict_skus_rejects_the_file_and_writes_nothing(shop, account, known, tmp_path):
    orders, items, _numbers = orders_and_items(tmp_path, known.sku_code)
    before = _state(shop, account)
    summary = _import(shop, orders, items, options={"strict_skus": "1"})
    assert summary["status"] == "rejected"
    assert summary["inserted"] == summary["updated"] == 0
    assert _state(shop, account) == before
    messages = {(e["column"], e["message"]) for e in summary["errors"]}
    assert any(column == "sku" and UNKNOWN in message for column, message in messages)
    assert any(column == "商家编码" for column, _message in messages)
    assert all(e["row"] for e in summary["errors"])


def test_a_mapping_relinks_past_lines_and_a_reimport_changes_nothing(shop, account, known, tmp_path, user_of):
    orders, items, _numbers = orders_and_items(tmp_path, known.sku_code)
    assert _import(shop, orders, items)["status"] == "done"
    target = Sku.objects.filter(shop=shop).exclude(pk=known.pk).order_by("pk").first()
    done = matching_map(shop=shop, channel_account_id=account.pk, match_key=f"code:{UNKNOWN}", sku_id=target.pk,
                        actor=user_of("operator"))
    assert done.lines == 2
    assert OrderLine.objects.filter(shop=shop, order__channel_account=account, sku=target).count() == 2
    # the lake's line facts of those dates follow (unmatched lines are there with a null SKU until then)
    facts = _lake_skus(shop, ["8801", "8802", "8803", "8804"])
    assert len(facts) == 5
    assert [(sku, code) for _line, sku, code in facts].count((target.pk, target.sku_code)) == 2
    assert [sku for _line, sku, _code in facts].count(None) == 1
    assert AuditEntry.objects.filter(shop=shop, action="sku_mapping.create", object_id=str(done.mapping_id)).exists()
    assert order_selectors.unmatched_line_count(shop=shop, start=DAY, end=DAY) == 1
    before = _state(shop, account)
    again = _import(shop, orders, items)
    assert again["status"] == "done"
    assert again["unchanged"] == again["rows"] and again["inserted"] == again["updated"] == 0
    assert again["unmatched_lines"] == 1
    assert _state(shop, account) == before
    # a new order of the same code is matched at import by the mapping
    more, more_items, _n = orders_and_items(tmp_path, known.sku_code, prefix="89", day="2026-12-03")
    assert _import(shop, more, more_items)["unmatched_lines"] == 1  # only the line without a code
    assert OrderLine.objects.filter(shop=shop, order__order_no="8902", sku=target).count() == 1
    # unmatching puts the past lines back among the unmatched
    undone = matching_unmap(shop=shop, mapping_id=done.mapping_id, actor=user_of("operator"))
    assert undone.sku_id is None and undone.lines == 4
    assert not SkuMapping.objects.filter(pk=done.mapping_id).exists()
    assert OrderLine.objects.filter(shop=shop, order__channel_account=account, sku__isnull=True).count() == 6
    assert AuditEntry.objects.filter(shop=shop, action="sku_mapping.delete").exists()


def test_a_seller_code_that_is_a_barcode_matches(shop, account, known, tmp_path):
    other = Sku.objects.filter(shop=shop).exclude(pk=known.pk).order_by("-pk").first()
    Sku.objects.filter(pk=other.pk).update(barcode="6901234567892")
    orders, items, _numbers = orders_and_items(tmp_path, "6901234567892")
    summary = _import(shop, orders, items)
    assert summary["status"] == "done"
    assert summary["unmatched_lines"] == 3
    assert OrderLine.objects.filter(shop=shop, order__order_no="8801", sku=other).count() == 1


def test_a_sku_made_from_a_line(shop, account, known, tmp_path, user_of):
    orders, items, _numbers = orders_and_items(tmp_path, known.sku_code)
    _import(shop, orders, items)
    key = "title:无码羊毛围巾 冬季加厚|颜色:红色"
    done = matching_map(shop=shop, channel_account_id=account.pk, match_key=key, new_sku_code="SCARF-RED",
                        actor=user_of("operator"))
    sku = Sku.objects.select_related("product__category").get(shop=shop, sku_code="SCARF-RED")
    assert done.sku_id == sku.pk and done.lines == 1
    assert sku.product.title == NO_CODE_TITLE
    assert list(sku.attributes.values()) == [NO_CODE_SPEC]
    assert sku.price_fen == 4500 and sku.cost_fen == 0
    assert sku.product.category.code == "uncategorized"
    assert OrderLine.objects.get(shop=shop, order__order_no="8803").sku_id == sku.pk


def test_the_cli_flag_and_the_api_field_make_the_import_strict(shop, account, known, tmp_path, api_as,
                                                               django_capture_on_commit_callbacks):
    orders, items, _numbers = orders_and_items(tmp_path, known.sku_code)
    before = _state(shop, account)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import", "taobao-orders", str(orders), "--items", str(items), "--channel-account", ACCOUNT,
                     "--strict-skus", "--json", "--shop", "demo", stdout=out)
    assert exited.value.code == 2
    assert json.loads(out.getvalue())["status"] == "rejected"
    assert _state(shop, account) == before
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("operator").post("/api/v1/imports", {
            "format": "taobao-orders", "channel_account": ACCOUNT, "strict_skus": "true",
            "file": SimpleUploadedFile("orders.csv", orders.read_bytes()),
            "items": SimpleUploadedFile("items.csv", items.read_bytes())})
    assert response.status_code == 202, response.content
    status = api_as("operator").get(f"/api/v1/imports/{response.json()['job']}").json()
    assert status["status"] == "rejected", status
    assert _state(shop, account) == before
    # without the flag the same file imports, its unmatched lines counted
    out = io.StringIO()
    call_command("import", "taobao-orders", str(orders), "--items", str(items), "--channel-account", ACCOUNT,
                 "--json", "--shop", "demo", stdout=out)
    assert json.loads(out.getvalue())["unmatched_lines"] == 3


def test_a_title_longer_than_the_stored_one_still_maps_later_imports(shop, account, known, tmp_path):
    long_title = "超长标题" * 70  # 280 characters: the line keeps 200, its key is made from all of them
    orders, items, _numbers = orders_and_items(tmp_path, known.sku_code, prefix="87")
    text = items.read_text(encoding="utf-8").replace("无码羊毛围巾 冬季加厚", long_title)
    items.write_text(text, encoding="utf-8")
    assert _import(shop, orders, items)["unmatched_lines"] == 3
    key = OrderLine.objects.get(shop=shop, order__order_no="8703").match_key
    assert key.startswith("title#")
    matching_map(shop=shop, channel_account_id=account.pk, match_key=key, sku_id=known.pk)
    again = _import(shop, orders, items)
    assert again["unmatched_lines"] == 2 and again["unchanged"] == again["rows"]


def test_an_unknown_code_keeps_its_spec_for_the_matching_page(shop, account, known, tmp_path):
    """An order whose lines all have a seller code reads the quick way (``plain_taobao``); when a code is not in
    the catalog its lines are written one by one and must keep what the item report says of them (商品属性), or
    the 商品匹配 page cannot say which size or colour the unknown code is."""
    orders, items = tmp_path / "orders.csv", tmp_path / "items.csv"
    write_order_report(orders, items, [("6601", "买家丁", "278.00", [("加绒卫衣 新款", "139.00", 2, UNKNOWN,
                                                                      "颜色:黑;尺码:XL")])], day=DAY.isoformat())
    assert _import(shop, orders, items)["unmatched_lines"] == 1
    group, = order_selectors.unmatched_groups(shop=shop, channel_account_id=account.pk)
    assert (group.match_key, group.spec) == (f"code:{UNKNOWN}", "颜色:黑;尺码:XL")
