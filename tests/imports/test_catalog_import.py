"""Catalog imports (catalog-xlsx, taobao-items): categories, products, SKUs and listings in one transaction;
re-import unchanged; hostile files rejected row by row with nothing written; a new shop's path from catalog to
orders."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from shopops.catalog.models import Category, Listing, ListingSku, Product, Sku
from shopops.core.services import shop_create
from shopops.imports.formats import FORMATS
from shopops.imports.models import ImportJob
from shopops.orders.models import Order
from tests.cli.test_cli import run
from tests.import_files import import_file, write_csv

TEMPLATE_HEADER = ["类目", "SPU编码", "商品名称", "品牌", "SKU编码", "规格", "条码", "售价", "成本", "状态",
                   "平台商品ID", "平台SKU ID"]
TEMPLATE_ROWS = [
    ["服饰/女装/连衣裙", "CI-DRESS", "碎花连衣裙", "花间", "CI-DRESS-S", "颜色:红;尺码:S", "6901234500011", "199.00",
     "80.00", "在售", "7001", "7001-1"],
    ["服饰/女装/连衣裙", "CI-DRESS", "碎花连衣裙", "花间", "CI-DRESS-M", "颜色:红;尺码:M", "6901234500028", "199.00",
     "80.00", "在售", "7001", "7001-2"],
    ["服饰>女装", "CI-TEE", "纯棉T恤", "", "CI-TEE-1", "", "", "59.90", "", "停售", "", ""],
]
TAOBAO_HEADER = ["宝贝名称", "宝贝类目", "价格", "数量", "商家编码", "销售属性", "SKU商家编码", "SKU ID", "SKU价格",
                 "宝贝ID", "宝贝状态"]
TAOBAO_ROWS = [
    ["加绒卫衣", "男装/卫衣", "129.00", "30", "CI-HOOD", "颜色:黑;尺码:L", "CI-HOOD-L", "5001", "129.00", "660001",
     "出售中"],
    ["加绒卫衣", "男装/卫衣", "129.00", "20", "CI-HOOD", "颜色:黑;尺码:XL", "CI-HOOD-XL", "5002", "139.00", "660001",
     "出售中"],
    ["保温杯", "家居/杯具", "49.00", "100", "CI-CUP", "", "", "", "", "660002", "仓库中"],
]


def _state(shop) -> tuple:
    return (Category.objects.filter(shop=shop).count(), Product.objects.filter(shop=shop).count(),
            sorted(Sku.objects.filter(shop=shop).values_list("sku_code", "price_fen", "cost_fen", "active")),
            Listing.objects.filter(shop=shop).count(),
            sorted(ListingSku.objects.filter(shop=shop).values_list("platform_sku_id", "price_fen", "status")))


def test_template_imports_tree_products_skus_listings_and_reimport_is_unchanged(shop, tmp_path):
    path = write_csv(tmp_path / "catalog.csv", TEMPLATE_HEADER, TEMPLATE_ROWS)
    first = import_file(shop, "catalog-xlsx", path)
    assert first["status"] == "done", first["errors"]
    assert (first["rows"], first["inserted"]) == (3, 3)
    dress = Category.objects.get(shop=shop, name="连衣裙")
    assert dress.parent.name == "女装" and dress.parent.parent.name == "服饰"
    women = dress.parent
    product = Product.objects.get(shop=shop, spu_code="CI-DRESS")
    assert product.category == dress and product.brand == "花间"
    tee = Product.objects.get(shop=shop, spu_code="CI-TEE")
    assert tee.category == women  # “服饰>女装” is the same node as the first path's
    sku = Sku.objects.get(shop=shop, sku_code="CI-DRESS-M")
    assert (sku.price_fen, sku.cost_fen, sku.attributes, sku.barcode) == (19900, 8000, {"颜色": "红", "尺码": "M"},
                                                                         "6901234500028")
    assert Sku.objects.get(shop=shop, sku_code="CI-TEE-1").active is False
    listing = Listing.objects.get(shop=shop, product=product)
    assert listing.external_id == "7001" and listing.channel_account.name == first["channel_account"]
    assert set(listing.skus.values_list("platform_sku_id", flat=True)) == {"7001-1", "7001-2"}
    before = _state(shop)
    again = import_file(shop, "catalog-xlsx", path)
    assert again["status"] == "done", again["errors"]
    assert (again["unchanged"], again["inserted"], again["updated"]) == (3, 0, 0)
    assert _state(shop) == before
    TEMPLATE_ROWS_CHANGED = [list(r) for r in TEMPLATE_ROWS]
    TEMPLATE_ROWS_CHANGED[1][7] = "209.00"
    changed = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "changed.csv", TEMPLATE_HEADER, TEMPLATE_ROWS_CHANGED))
    assert changed["status"] == "done", changed["errors"]
    assert changed["updated"] >= 1 and changed["inserted"] == 0
    assert Sku.objects.get(shop=shop, sku_code="CI-DRESS-M").price_fen == 20900
    assert ListingSku.objects.get(shop=shop, platform_sku_id="7001-2").price_fen == 20900


def test_taobao_items_gbk_imports_and_reimport_is_unchanged(shop, tmp_path):
    path = write_csv(tmp_path / "items.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding="gbk")
    first = import_file(shop, "taobao-items", path)
    assert first["status"] == "done", first["errors"]
    assert first["inserted"] == 3
    hood = Product.objects.get(shop=shop, spu_code="CI-HOOD")
    assert hood.category.name == "卫衣" and hood.category.parent.name == "男装"
    assert Sku.objects.get(shop=shop, sku_code="CI-HOOD-XL").price_fen == 13900
    assert Sku.objects.get(shop=shop, sku_code="CI-CUP").active is False  # 仓库中
    listing = Listing.objects.get(shop=shop, product=hood)
    assert listing.url == "https://item.taobao.com/item.htm?id=660001" and listing.channel_account.channel == "taobao"
    before = _state(shop)
    again = import_file(shop, "taobao-items", path)
    assert (again["status"], again["unchanged"]) == ("done", 3), again["errors"]
    assert _state(shop) == before


@pytest.mark.parametrize(("case", "rows", "header", "column"), [
    ("duplicate", [*TEMPLATE_ROWS, [*TEMPLATE_ROWS[0][:4], "CI-DRESS-S", *TEMPLATE_ROWS[0][5:]]], TEMPLATE_HEADER,
     "SKU编码"),
    ("formula code", [TEMPLATE_ROWS[0], [*TEMPLATE_ROWS[1][:4], "=HYPERLINK(\"x\")", *TEMPLATE_ROWS[1][5:]]],
     TEMPLATE_HEADER, "SKU编码"),
    ("too deep", [["a/b/c/d/e/f", *TEMPLATE_ROWS[2][1:]]], TEMPLATE_HEADER, "类目"),
    ("loop", [["服饰/女装/服饰", *TEMPLATE_ROWS[2][1:]]], TEMPLATE_HEADER, "类目"),
    ("bad price", [[*TEMPLATE_ROWS[2][:7], "abc", *TEMPLATE_ROWS[2][8:]]], TEMPLATE_HEADER, "售价"),
])
def test_hostile_rows_are_rejected_row_by_row_and_nothing_is_written(shop, tmp_path, case, rows, header, column):
    before = _state(shop)
    summary = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "bad.csv", header, [TEMPLATE_ROWS[0], *rows]
                                                   if case == "too deep" else rows))
    assert summary["status"] == "rejected", summary
    assert any(e["column"] == column and e["row"] for e in summary["errors"]), summary["errors"]
    assert _state(shop) == before


def test_missing_column_and_wrong_encoding_are_refused(shop, tmp_path):
    before = _state(shop)
    missing = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "m.csv", TEMPLATE_HEADER[:7],
                                                   [r[:7] for r in TEMPLATE_ROWS]))
    assert missing["status"] == "rejected"
    assert any(e["column"] == "售价" for e in missing["errors"]), missing["errors"]
    garbage = tmp_path / "g.csv"
    garbage.write_bytes(b"\xff\xfe\x00\x81\x82" * 50)
    assert import_file(shop, "taobao-items", garbage)["status"] == "rejected"
    assert _state(shop) == before


def test_formula_in_a_title_is_neutralised(shop, tmp_path):
    rows = [["家居", "CI-F", "=cmd|' /C calc'!A0", "", "CI-F-1", "", "", "1.00", "", "", "", ""]]
    summary = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "f.csv", TEMPLATE_HEADER, rows))
    assert summary["status"] == "done", summary["errors"]
    assert Product.objects.get(shop=shop, spu_code="CI-F").title.startswith("'=")


def test_a_sku_of_another_product_is_a_row_error(shop, tmp_path):
    taken = Sku.objects.filter(shop=shop).select_related("product").first()
    rows = [TEMPLATE_ROWS[2], ["家居", "CI-OTHER", "杯子", "", taken.sku_code, "", "", "1.00", "", "", "", ""]]
    before = _state(shop)
    summary = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "t.csv", TEMPLATE_HEADER, rows))
    assert summary["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(3, "SKU编码")]
    assert _state(shop) == before


def test_a_service_refusal_rolls_back_the_products_written_before(shop, tmp_path):
    """The first product is valid and written, the second's code is refused by the catalog service: the
    transaction rolls back both, and the refusal names its row and column."""
    rows = [TEMPLATE_ROWS[2], ["家居", "CI-SPACE", "杯子", "", "bad code", "", "", "1.00", "", "", "", ""]]
    before = _state(shop)
    summary = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "s.csv", TEMPLATE_HEADER, rows))
    assert summary["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(3, "SKU编码")]
    assert _state(shop) == before
    assert not Product.objects.filter(shop=shop, spu_code="CI-TEE").exists()


def test_catalog_formats_are_documented():
    text = (Path(__file__).resolve().parents[2] / "docs/formats.md").read_text(encoding="utf-8")
    for name in ("catalog-xlsx", "taobao-items", "shopify-products", "jd-items", "douyin-items", "pdd-items"):
        fmt = FORMATS[name]
        assert f"`{name}`" in text
        for column in fmt.required:
            assert f"| {column} | yes |" in text, (name, column)
        for column in fmt.optional:
            assert f"| {column} |  |" in text, (name, column)
        for quirk in fmt.quirks:
            assert f"- {quirk}" in text, (name, quirk)


def test_new_shop_catalog_then_orders(db, tmp_path):
    shop = shop_create(code="newshop", name="新店")
    catalog = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "c.csv", TEMPLATE_HEADER, TEMPLATE_ROWS))
    assert catalog["status"] == "done", catalog["errors"]
    orders = import_file(shop, "jd-orders", write_csv(tmp_path / "jd.csv", JD_HEADER, JD_ROWS))
    assert orders["status"] == "done", orders["errors"]
    order = Order.objects.get(shop=shop, order_no="900001")
    assert sorted(order.lines.values_list("sku__sku_code", flat=True)) == ["CI-DRESS-S", "CI-TEE-1"]


JD_HEADER = ["订单号", "货号", "商品名称", "订购数量", "京东价", "应付金额", "运费金额", "下单时间", "付款确认时间",
             "订单状态", "下单帐号"]
JD_ROWS = [["900001", "CI-DRESS-S", "碎花连衣裙", "1", "199.00", "258.90", "0", "2026-11-01 10:00:00",
            "2026-11-01 10:01:00", "已完成", "jd_buyer"],
           ["900001", "CI-TEE-1", "纯棉T恤", "1", "59.90", "258.90", "0", "2026-11-01 10:00:00",
            "2026-11-01 10:01:00", "已完成", "jd_buyer"]]


def test_cli_new_shop_imports_its_catalog_then_orders(tmp_path):
    assert run("init", "--shop", "新店", "--admin-password", "Admin-pass-2026", data_dir=tmp_path).returncode == 0
    items = write_csv(tmp_path / "items.csv", TAOBAO_HEADER, TAOBAO_ROWS, encoding="gbk")
    first = run("import", "taobao-items", str(items), "--json", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["inserted"] == 3
    again = json.loads(run("import", "taobao-items", str(items), "--json", data_dir=tmp_path).stdout)
    assert again["unchanged"] == 3
    catalog = write_csv(tmp_path / "c.csv", TEMPLATE_HEADER, TEMPLATE_ROWS)
    assert run("import", "catalog-xlsx", str(catalog), "--json", data_dir=tmp_path).returncode == 0
    orders = run("import", "jd-orders", str(write_csv(tmp_path / "jd.csv", JD_HEADER, JD_ROWS)), "--json",
                 data_dir=tmp_path)
    assert orders.returncode == 0, orders.stderr
    assert json.loads(orders.stdout)["inserted"] == 2
    bad = write_csv(tmp_path / "bad.csv", TEMPLATE_HEADER[:3], [r[:3] for r in TEMPLATE_ROWS])
    assert run("import", "catalog-xlsx", str(bad), data_dir=tmp_path).returncode == 2


def test_web_template_link_serves_an_xlsx_that_imports(client_as, shop, tmp_path,
                                                        django_capture_on_commit_callbacks):
    client = client_as("operator")
    page = client.get("/imports/new/").content.decode()
    assert 'href="/imports/catalog-template.xlsx"' in page
    template = client.get("/imports/catalog-template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in next(book.active.iter_rows(max_row=1))][:10] == TEMPLATE_HEADER[:10]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/", {"format": "catalog-xlsx", "file": SimpleUploadedFile(
            "template.xlsx", template.content)})
    assert response.status_code == 302
    assert Sku.objects.filter(shop=shop, sku_code="DRESS-001-S", price_fen=19900).exists()
    assert client_as("viewer").get("/imports/catalog-template.xlsx").status_code in (302, 403)


def test_api_imports_taobao_items_and_ads_role_is_refused(api_as, shop, django_capture_on_commit_callbacks):
    data = _write_bytes(TAOBAO_HEADER, TAOBAO_ROWS, "gbk")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("operator").post("/api/v1/imports", {"format": "taobao-items",
                                                               "file": SimpleUploadedFile("items.csv", data)})
    assert response.status_code == 202, response.content
    status = api_as("operator").get(f"/api/v1/imports/{response.json()['job']}").json()
    assert status["status"] == "done" and status["inserted"] == 3, status
    refused = api_as("ads").post("/api/v1/imports", {"format": "taobao-items",
                                                      "file": SimpleUploadedFile("items.csv", data)})
    assert refused.status_code == 403


def _write_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def test_export_sample_of_a_stock_count_is_refused_without_a_traceback(tmp_path):
    """Stock counts are files the operator makes: no sample (catalog formats have one: test_catalog_formats)."""
    assert run("init", "--shop", "样", "--admin-password", "Admin-pass-2026", data_dir=tmp_path).returncode == 0
    result = run("export-sample", "stock-count", str(tmp_path / "x.csv"), data_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    sampled = run("export-sample", "jd-items", str(tmp_path / "jd.csv"), data_dir=tmp_path)
    assert sampled.returncode == 0, sampled.stderr


SHOPIFY_HEADER = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Option1 Name",
                  "Option1 Value", "Option2 Name", "Option2 Value", "Variant SKU", "Variant Price", "Variant Barcode",
                  "Image Src", "Cost per item", "Status"]
SHOPIFY_ROWS = [
    ["linen-shirt", "Linen Shirt", "<p>Soft</p>", "Mori", "Apparel & Accessories > Clothing > Shirts", "Shirts",
     "Size", "S", "Color", "White", "CI-LS-S", "39.00", "0001", "https://cdn.example/1.jpg", "12.50", "active"],
    ["linen-shirt", "", "", "", "", "", "", "M", "", "White", "CI-LS-M", "41.00", "", "", "12.50", ""],
    ["linen-shirt", "", "", "", "", "", "", "", "", "", "", "", "", "https://cdn.example/2.jpg", "", ""],
    ["gift-card", "Gift Card", "", "Mori", "", "Gift", "Title", "Default Title", "", "", "CI-GIFT", "10.00", "",
     "", "", "draft"],
]


def test_shopify_products_import_variants_and_skip_image_rows(shop, tmp_path):
    path = write_csv(tmp_path / "products_export.csv", SHOPIFY_HEADER, SHOPIFY_ROWS, encoding="utf-8")
    first = import_file(shop, "shopify-products", path)
    assert first["status"] == "done", first["errors"]
    assert (first["rows"], first["inserted"], first["skipped"]) == (4, 3, 1)  # the image-only row is no SKU
    shirt = Product.objects.get(shop=shop, spu_code="linen-shirt")
    assert shirt.category.name == "Shirts" and shirt.category.parent.parent.name == "Apparel & Accessories"
    medium = Sku.objects.get(shop=shop, sku_code="CI-LS-M")
    assert (medium.price_fen, medium.cost_fen, medium.attributes) == (4100, 1250, {"Size": "M", "Color": "White"})
    gift = Sku.objects.get(shop=shop, sku_code="CI-GIFT")
    assert gift.attributes == {} and gift.active is False and gift.product.category.name == "Gift"
    assert Listing.objects.get(shop=shop, product=shirt).channel_account.channel == "shopify"
    before = _state(shop)
    again = import_file(shop, "shopify-products", path)
    assert again["status"] == "done" and (again["unchanged"], again["inserted"], again["updated"]) == (3, 0, 0), again
    assert _state(shop) == before


def test_dry_run_counts_and_writes_nothing(shop, tmp_path):
    before = _state(shop)
    summary = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "d.csv", TEMPLATE_HEADER, TEMPLATE_ROWS), dry_run=True)
    assert (summary["status"], summary["dry_run"], summary["inserted"]) == ("done", True, 3), summary
    assert _state(shop) == before


def test_a_category_code_names_the_stored_category(shop, tmp_path):
    stored = Category.objects.filter(shop=shop).first()
    rows = [[stored.code, "CI-CODE", "按编码", "", "CI-CODE-1", "", "", "5.00", "", "", "", ""]]
    count = Category.objects.filter(shop=shop).count()
    summary = import_file(shop, "catalog-xlsx", write_csv(tmp_path / "code.csv", TEMPLATE_HEADER, rows))
    assert summary["status"] == "done", summary["errors"]
    assert Product.objects.get(shop=shop, spu_code="CI-CODE").category == stored
    assert Category.objects.filter(shop=shop).count() == count


def test_the_job_page_and_the_command_line_tell_a_catalog_import_s_changes(client_as, shop, tmp_path):
    """A re-import whose price changed: the job page lists created/updated/unchanged per kind and names the
    changed field; the command line's summary says the same."""
    path = write_csv(tmp_path / "items.csv", TAOBAO_HEADER, TAOBAO_ROWS)
    import_file(shop, "taobao-items", path)
    changed = [[*TAOBAO_ROWS[0][:8], "119.00", *TAOBAO_ROWS[0][9:]], *TAOBAO_ROWS[1:]]
    summary = import_file(shop, "taobao-items", write_csv(tmp_path / "items2.csv", TAOBAO_HEADER, changed))
    assert summary["changes"]["skus"] == {"created": 0, "updated": 1, "unchanged": 2}
    job = ImportJob.objects.filter(shop=shop).latest("pk")
    page = client_as("operator").get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    table = page[page.index("data-changes"):]
    assert "SKU" in table and "类目" in table and "价格 1" in table  # the changed field by its name, with its count
    cheaper = [[*TAOBAO_ROWS[0][:8], "109.00", *TAOBAO_ROWS[0][9:]], *TAOBAO_ROWS[1:]]
    out = io.StringIO()
    call_command("import", "taobao-items", str(write_csv(tmp_path / "items3.csv", TAOBAO_HEADER, cheaper)),
                 shop=shop.code, stdout=out)
    text = out.getvalue()
    assert "skus: 0 created, 1 updated, 2 unchanged" in text and "products: 0 created, 0 updated" in text
