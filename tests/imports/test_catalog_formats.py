"""Every catalog format (catalog-xlsx, taobao-items, shopify-products, jd-items, douyin-items, pdd-items) against
the same hostile files: the other encoding, a missing required column, a SKU code twice, a category too deep or
inside itself, formulas in text cells, negative and garbled prices — each refused with row, column and why, and
nothing written — plus re-import (nothing changes) and updates (the summary says exactly what changed)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from shopops.catalog.models import Category, Listing, ListingSku, Product, Sku
from shopops.core.models import AuditEntry
from shopops.imports.services import export_sample
from tests.import_files import import_file, write_csv


@dataclass(frozen=True)
class Spec:
    """A format's good file (product A with two SKUs, product B with one) and where its fields sit."""

    name: str
    header: list[str]
    rows: list[list[str]]
    encoding: str
    sku: str
    category: str
    price: str
    title: str
    brand: str
    required: str  # a required column to leave out
    barcode: str | None = None
    sku_id: str | None = None
    spu: tuple[str, str] | None = None  # the products' SPU codes as stored
    price_named: str = ""  # the price column as errors name it (its name, when the file uses an alias)

    def col(self, name: str) -> int:
        return self.header.index(name)

    def spu_codes(self) -> tuple[str, str]:
        assert self.spu is not None
        return self.spu


SPECS = [
    Spec("catalog-xlsx",
         ["类目", "SPU编码", "商品名称", "品牌", "SKU编码", "规格", "条码", "售价", "成本", "状态", "平台商品ID", "平台SKU ID"],
         [["服饰/女装/连衣裙", "XA", "碎花裙", "花间", "XA-S", "颜色:红;尺码:S", "6901234500011", "199.00", "80.00", "在售",
           "7001", "7001-1"],
          ["服饰/女装/连衣裙", "XA", "碎花裙", "花间", "XA-M", "颜色:红;尺码:M", "6901234500028", "199.00", "80.00", "在售",
           "7001", "7001-2"],
          ["家居/杯具", "XB", "保温杯", "", "XB-1", "", "", "49.00", "", "在售", "", ""]],
         "utf-8-sig", sku="SKU编码", category="类目", price="售价", title="商品名称", brand="品牌", required="售价",
         barcode="条码", sku_id="平台SKU ID", spu=("XA", "XB")),
    Spec("taobao-items",
         ["宝贝名称", "宝贝类目", "价格", "数量", "商家编码", "销售属性", "SKU商家编码", "SKU ID", "SKU价格", "宝贝ID", "宝贝状态",
          "品牌"],
         [["加绒卫衣", "男装/卫衣", "129.00", "30", "TA", "颜色:黑;尺码:L", "TA-L", "5001", "129.00", "660001", "出售中",
           "北岭"],
          ["加绒卫衣", "男装/卫衣", "129.00", "20", "TA", "颜色:黑;尺码:XL", "TA-XL", "5002", "139.00", "660001", "出售中",
           "北岭"],
          ["保温杯", "家居/杯具", "49.00", "100", "TB", "颜色:白", "TB-1", "5003", "49.00", "660002", "出售中", ""]],
         "gbk", sku="SKU商家编码", category="宝贝类目", price="SKU价格", title="宝贝名称", brand="品牌", required="宝贝ID",
         sku_id="SKU ID", spu=("TA", "TB")),
    Spec("shopify-products",
         ["Handle", "Title", "Vendor", "Product Category", "Type", "Option1 Name", "Option1 Value", "Variant SKU",
          "Variant Price", "Variant Barcode", "Cost per item", "Status"],
         [["linen-a", "Linen Shirt", "Mori", "Apparel > Clothing > Shirts", "Shirts", "Size", "S", "SA-S", "39.00",
           "0001", "12.50", "active"],
          ["linen-a", "Linen Shirt", "", "Apparel > Clothing > Shirts", "", "", "M", "SA-M", "41.00", "0002", "12.50",
           ""],
          ["mug-b", "Mug", "Mori", "Home > Mugs", "Mugs", "Title", "Default Title", "SB-1", "10.00", "", "", "active"]],
         "utf-8", sku="Variant SKU", category="Product Category", price="Variant Price", title="Title", brand="Vendor",
         required="Variant SKU", barcode="Variant Barcode", spu=("linen-a", "mug-b")),
    Spec("jd-items",
         ["商品编号", "商品名称", "类目", "SKU编号", "销售属性", "京东价", "库存", "商家SKU", "条形码", "商品状态", "品牌"],
         [["10001", "京造加湿器", "家用电器>生活电器>加湿器", "100011", "颜色:白", "199.00", "20", "JA-W", "6901", "上柜",
           "京造"],
          ["10001", "京造加湿器", "家用电器>生活电器>加湿器", "100012", "颜色:黑", "209.00", "5", "JA-B", "6902", "上柜",
           "京造"],
          ["10002", "保温杯", "家居>杯具", "100021", "", "49.00", "50", "JB-1", "", "上柜", ""]],
         "gbk", sku="商家SKU", category="类目", price="京东价", title="商品名称", brand="品牌", required="商品编号",
         barcode="条形码", sku_id="SKU编号", spu=("JD-10001", "JD-10002")),
    Spec("douyin-items",
         ["商品ID", "商品名称", "类目", "SKU ID", "规格", "价格", "库存", "商家编码", "条码", "商品状态", "品牌"],
         [["\t3601", "山茶面霜", "美妆>面部护肤>面霜", "\t36011", "规格:50ml", "¥199.00", "10", "DA-50", "6911", "在线", "山茶集"],
          ["\t3601", "山茶面霜", "美妆>面部护肤>面霜", "\t36012", "规格:100ml", "¥299.00", "10", "DA-100", "6912", "在线",
           "山茶集"],
          ["\t3602", "洗面奶", "美妆>洁面", "\t36021", "-", "¥59.00", "10", "DB-1", "-", "在线", "-"]],
         "utf-8-sig", sku="商家编码", category="类目", price="价格", title="商品名称", brand="品牌", required="商品ID",
         barcode="条码", sku_id="SKU ID", spu=("DY-3601", "DY-3602")),
    Spec("pdd-items",
         ["商品ID", "商品名称", "类目", "SKU ID", "规格", "拼单价(元)", "单买价(元)", "库存", "商家编码", "条码", "商品状态",
          "品牌"],
         [["8801", "纸巾 3层", "日用>纸品>抽纸", "88011", "规格:10包", "19.90", "25.90", "100", "PA-10", "6921", "在售中",
           "清风"],
          ["8801", "纸巾 3层", "日用>纸品>抽纸", "88012", "规格:20包", "35.90", "45.90", "100", "PA-20", "6922", "在售中",
           "清风"],
          ["8802", "垃圾袋", "日用>清洁", "88021", "", "9.90", "12.90", "100", "PB-1", "", "在售中", ""]],
         "gbk", sku="商家编码", category="类目", price="拼单价(元)", title="商品名称", brand="品牌", required="商品ID",
         barcode="条码", sku_id="SKU ID", spu=("PDD-8801", "PDD-8802"), price_named="拼单价"),
]
IDS = [s.name for s in SPECS]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _state(shop) -> tuple:
    """Every catalog row count and what a write would change (nothing written: the same tuple)."""
    return (Category.objects.filter(shop=shop).count(), Product.objects.filter(shop=shop).count(),
            sorted(Product.objects.filter(shop=shop).values_list("spu_code", "title", "category_id", "brand")),
            sorted(Sku.objects.filter(shop=shop).values_list("sku_code", "price_fen", "cost_fen", "barcode", "active")),
            Listing.objects.filter(shop=shop).count(),
            sorted(ListingSku.objects.filter(shop=shop).values_list("platform_sku_id", "price_fen", "status")))


def _rows(spec: Spec) -> list[list[str]]:
    return [list(row) for row in spec.rows]


def _refused(shop, spec: Spec, path: Path, column: str) -> list[dict]:
    before = _state(shop)
    summary = import_file(shop, spec.name, path)
    assert summary["status"] == "rejected", summary
    assert _state(shop) == before  # all or nothing: not one row written
    named = [e for e in summary["errors"] if e["column"] == column]
    assert named, summary["errors"]
    return named


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_good_file_imports_and_the_same_file_again_changes_nothing(shop, tmp_path, spec):
    path = write_csv(tmp_path / "good.csv", spec.header, _rows(spec), encoding=spec.encoding)
    first = import_file(shop, spec.name, path)
    assert first["status"] == "done", first["errors"]
    assert (first["rows"], first["inserted"]) == (3, 3)
    product = Product.objects.get(shop=shop, spu_code=spec.spu_codes()[0])
    assert product.skus.count() == 2
    before = _state(shop)
    audit = AuditEntry.objects.filter(shop=shop).count()
    again = import_file(shop, spec.name, path)
    assert again["status"] == "done", again["errors"]
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    changes = again["changes"]
    assert all(changes[kind]["created"] == changes[kind]["updated"] == 0
               for kind in ("categories", "products", "skus", "listings", "listing_skus")), changes
    assert changes["fields"] == {}
    assert _state(shop) == before and AuditEntry.objects.filter(shop=shop).count() == audit


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_changed_file_updates_and_says_exactly_what_changed(shop, tmp_path, spec):
    assert import_file(shop, spec.name, write_csv(tmp_path / "a.csv", spec.header, _rows(spec), encoding=spec.encoding))[
        "status"] == "done"
    rows = _rows(spec)
    added = list(rows[1])
    added[spec.col(spec.sku)] = rows[1][spec.col(spec.sku)] + "X"
    if spec.sku_id:
        added[spec.col(spec.sku_id)] = rows[1][spec.col(spec.sku_id)] + "9"
    rows.insert(2, added)  # a new SKU under product A
    for row in rows[:3]:
        row[spec.col(spec.title)] = row[spec.col(spec.title)] and "新名字"
        row[spec.col(spec.category)] = row[spec.col(spec.category)] and "新类目>子类"
    rows[0][spec.col(spec.price)] = "88.00"  # product A's first SKU: a new price
    if spec.barcode:
        rows[1][spec.col(spec.barcode)] = "6999999999999"  # its second: a new barcode
    summary = import_file(shop, spec.name, write_csv(tmp_path / "b.csv", spec.header, rows, encoding=spec.encoding))
    assert summary["status"] == "done", summary["errors"]
    changes = summary["changes"]
    assert changes["products"] == {"created": 0, "updated": 1, "unchanged": 1}
    barcode = 1 if spec.barcode else 0
    assert changes["skus"] == {"created": 1, "updated": 1 + barcode, "unchanged": 2 - barcode}
    expected = {"product.title": 1, "product.category": 1, "sku.price": 1, **({"sku.barcode": 1} if barcode else {})}
    assert {k: v for k, v in changes["fields"].items() if not k.startswith("listing.")} == expected
    assert (summary["inserted"], summary["updated"], summary["unchanged"]) == (1, 2, 1)
    product = Product.objects.get(shop=shop, spu_code=spec.spu_codes()[0])
    assert product.title == "新名字" and product.category.name == "子类" and product.category.parent.name == "新类目"
    assert product.skus.count() == 3
    assert product.skus.get(sku_code=spec.rows[0][spec.col(spec.sku)]).price_fen == 8800
    assert AuditEntry.objects.filter(shop=shop, action="sku.update",
                                     object_repr=spec.rows[0][spec.col(spec.sku)]).exists()


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_the_other_encoding_is_read_alike_and_utf16_is_refused(shop, tmp_path, spec):
    """The readers detect UTF-8 (with or without BOM) and GBK/GB18030 themselves: a GBK file where the platform
    writes UTF-8 (and the other way round) imports the same. UTF-16 (Excel's “Unicode text”) is refused."""
    other = "utf-8" if spec.encoding == "gbk" else "gb18030"  # GB18030: GBK that also has ¥
    summary = import_file(shop, spec.name, write_csv(tmp_path / "other.csv", spec.header, _rows(spec), encoding=other))
    assert (summary["status"], summary["inserted"]) == ("done", 3), summary["errors"]
    assert Product.objects.get(shop=shop, spu_code=spec.spu_codes()[1]).skus.count() == 1
    before = _state(shop)
    refused = import_file(shop, spec.name, write_csv(tmp_path / "u16.csv", spec.header, _rows(spec), encoding="utf-16"))
    assert refused["status"] == "rejected" and CHINESE.search(refused["errors"][0]["message"]), refused
    assert _state(shop) == before


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_missing_required_column_is_refused(shop, tmp_path, spec):
    drop = spec.col(spec.required)
    header = [h for i, h in enumerate(spec.header) if i != drop]
    rows = [[c for i, c in enumerate(r) if i != drop] for r in spec.rows]
    _refused(shop, spec, write_csv(tmp_path / "m.csv", header, rows, encoding=spec.encoding), spec.required)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_sku_code_twice_is_refused_on_its_row(shop, tmp_path, spec):
    rows = _rows(spec)
    rows[2][spec.col(spec.sku)] = rows[0][spec.col(spec.sku)]
    errors = _refused(shop, spec, write_csv(tmp_path / "d.csv", spec.header, rows, encoding=spec.encoding), spec.sku)
    assert any(e["row"] == 4 for e in errors), errors


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@pytest.mark.parametrize("path", ["一/二/三/四/五/六", "服饰/女装/服饰", "服饰/" + "长" * 81],
                         ids=["six-levels", "loop", "name-too-long"])
def test_a_category_too_deep_or_inside_itself_is_refused(shop, tmp_path, spec, path):
    rows = _rows(spec)
    rows[2][spec.col(spec.category)] = path
    errors = _refused(shop, spec, write_csv(tmp_path / "c.csv", spec.header, rows, encoding=spec.encoding), spec.category)
    assert errors[0]["row"] == 4 and CHINESE.search(errors[0]["message"])


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@pytest.mark.parametrize("price", ["-5.00", "十九块", "1.2.3"])
def test_a_negative_or_garbled_price_is_refused_in_chinese(shop, tmp_path, spec, price):
    rows = _rows(spec)
    rows[1][spec.col(spec.price)] = price
    errors = _refused(shop, spec, write_csv(tmp_path / "p.csv", spec.header, rows, encoding=spec.encoding),
                      spec.price_named or spec.price)
    assert errors[0]["row"] == 3 and CHINESE.search(errors[0]["message"]), errors


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_formulas_are_stored_as_text_and_escaped_when_exported(shop, tmp_path, spec):
    rows = _rows(spec)
    for row in rows[:2]:
        row[spec.col(spec.title)] = row[spec.col(spec.title)] and '=HYPERLINK("http://evil.example","点我")'
        row[spec.col(spec.brand)] = row[spec.col(spec.brand)] and "+cmd|' /C calc'!A0"
    rows[2][spec.col(spec.title)] = "@SUM(A1)"
    summary = import_file(shop, spec.name, write_csv(tmp_path / "f.csv", spec.header, rows, encoding=spec.encoding))
    assert summary["status"] == "done", summary["errors"]
    first, second = (Product.objects.get(shop=shop, spu_code=code) for code in spec.spu_codes())
    assert first.title == '\'=HYPERLINK("http://evil.example","点我")' and first.brand.startswith("'+")
    assert second.title == "'@SUM(A1)"
    out = tmp_path / "export.csv"
    export_sample(shop=shop, format_name=spec.name, path=str(out))
    with out.open(encoding="gb18030" if spec.encoding == "gbk" else "utf-8-sig", newline="") as f:
        cells = [cell.strip() for row in csv.reader(f) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and len(c) > 1)]


@pytest.mark.parametrize("spec", [s for s in SPECS if s.name in ("jd-items", "douyin-items", "pdd-items")],
                         ids=["jd-items", "douyin-items", "pdd-items"])
def test_an_empty_seller_code_is_derived_from_the_platform_sku_id(shop, tmp_path, spec):
    """docs/formats.md#platform-item-codes: 商家编码 empty → the SKU is PREFIX-<SKU ID>; both empty → refused."""
    assert spec.sku_id is not None
    rows = _rows(spec)
    rows[2][spec.col(spec.sku)] = ""
    summary = import_file(shop, spec.name, write_csv(tmp_path / "e.csv", spec.header, rows, encoding=spec.encoding))
    assert summary["status"] == "done", summary["errors"]
    prefix = spec.spu_codes()[1].split("-")[0]
    code = f"{prefix}-{spec.rows[2][spec.col(spec.sku_id)].strip()}"
    assert Sku.objects.get(shop=shop, sku_code=code).listing_skus.get().platform_sku_id == code.split("-", 1)[1]
    rows[2][spec.col(spec.sku_id)] = ""
    rows[2][spec.col(spec.sku)] = ""
    errors = _refused(shop, spec, write_csv(tmp_path / "e2.csv", spec.header, rows, encoding=spec.encoding), spec.sku)
    assert errors[0]["row"] == 4


def test_a_platform_file_without_spu_attaches_its_listing_to_the_stored_product(shop, tmp_path):
    """A JD file naming SKUs the catalog already holds (imported from the template) lists that product on the
    JD account and leaves its title, category and prices to the catalog of record."""
    template = SPECS[0]
    assert import_file(shop, template.name, write_csv(tmp_path / "t.csv", template.header, _rows(template),
                                                encoding=template.encoding))["status"] == "done"
    jd = SPECS[3]
    rows = _rows(jd)[:2]
    rows[0][jd.col(jd.sku)], rows[1][jd.col(jd.sku)] = "XA-S", "XA-M"
    before = sorted(Sku.objects.filter(shop=shop, sku_code__in=["XA-S", "XA-M"]).values_list("sku_code", "price_fen"))
    summary = import_file(shop, jd.name, write_csv(tmp_path / "jd.csv", jd.header, rows, encoding=jd.encoding))
    assert summary["status"] == "done", summary["errors"]
    assert summary["changes"]["products"] == {"created": 0, "updated": 0, "unchanged": 1}
    product = Product.objects.get(shop=shop, spu_code="XA")
    assert product.title == "碎花裙" and not Product.objects.filter(shop=shop, spu_code="JD-10001").exists()
    listing = product.listings.get(channel_account__channel="jd")
    assert listing.external_id == "10001" and listing.title == "京造加湿器"
    assert sorted(listing.skus.values_list("platform_sku_id", "price_fen")) == [("100011", 19900), ("100012", 20900)]
    assert sorted(Sku.objects.filter(shop=shop, sku_code__in=["XA-S", "XA-M"]).values_list(
        "sku_code", "price_fen")) == before


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_export_sample_imports_back_into_the_same_shop_unchanged(shop, tmp_path, spec):
    out = tmp_path / "sample.csv"
    written = export_sample(shop=shop, format_name=spec.name, path=str(out), limit=20)
    assert written["rows"] > 0
    first = import_file(shop, spec.name, out)
    assert first["status"] == "done" and first["changes"]["products"]["created"] == 0, first["errors"]
    assert first["changes"]["skus"]["created"] == 0 and first["changes"]["skus"]["updated"] == 0, first["changes"]
    again = import_file(shop, spec.name, out)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, again["rows"]), again["changes"]
