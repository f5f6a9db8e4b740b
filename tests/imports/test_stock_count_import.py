"""The stock-count import (盘点表): checked row by row, then one count applied through the import pipeline."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from shopops.core.errors import InvalidInput
from shopops.imports.formats import FORMATS
from shopops.imports.services import export_sample, import_job_create, import_job_run, import_summary
from shopops.inventory import services as inventory_services
from shopops.inventory.models import Balance, StockMove


@pytest.fixture
def skus(shop):
    from shopops.catalog.selectors import skus_by_code

    return sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)[:2]


def _on_hand(shop, sku, code=None) -> int:
    location = inventory_services.location_default(shop=shop) if code is None else None
    balance = Balance.objects.filter(sku=sku, **({"location": location} if location else {"location__code": code})).first()
    return balance.on_hand if balance else 0


def _import(shop, path: Path, **options) -> dict:
    job = import_job_create(shop=shop, format_name="stock-count", path=str(path), **options)
    return import_summary(import_job_run(job_id=job.pk))


def _write(path: Path, rows: list[str], encoding: str = "gbk") -> Path:
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return path


def test_a_gbk_count_file_posts_the_differences_once(shop, skus, tmp_path):
    a, b = skus
    inventory_services.location_create(shop=shop, code="store-9", name="九号门店", kind="store")
    before = _on_hand(shop, a)
    path = _write(tmp_path / "盘点.csv", ["商家编码,库位,盘点数量,备注", f"{a.sku_code},,{before + 4},期初",
                                         f"{b.sku_code},九号门店,6,", f"{a.sku_code},store-9,0,"])
    checked = _import(shop, path, dry_run=True)
    assert checked["status"] == "done" and (checked["updated"], checked["unchanged"]) == (2, 1)
    assert _on_hand(shop, a) == before
    summary = _import(shop, path)
    assert summary["status"] == "done", summary["errors"]
    assert (summary["rows"], summary["updated"], summary["unchanged"]) == (3, 2, 1)
    assert summary["changes"] == {"adjustments": 2}
    moves = StockMove.objects.filter(shop=shop, ref=f"stock-count:{summary['job']}").order_by("line")
    assert [(m.sku_id, m.qty, m.type) for m in moves] == [(a.pk, 4, "adjustment"), (b.pk, 6, "adjustment")]
    assert moves[0].note.endswith("· 期初")
    assert (_on_hand(shop, a), _on_hand(shop, b, "store-9")) == (before + 4, 6)
    again = _import(shop, path)  # the same file again: counted = on hand everywhere
    assert again["status"] == "done" and (again["updated"], again["unchanged"]) == (0, 3)
    assert not StockMove.objects.filter(shop=shop, ref=f"stock-count:{again['job']}").exists()


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(shop, skus, tmp_path):
    a = skus[0]
    moves = StockMove.objects.filter(shop=shop).count()
    path = _write(tmp_path / "bad.csv", ["SKU编码,仓库,盘点数量", f"{a.sku_code},,5", "NO-SUCH-SKU,,1",
                                         f"{a.sku_code},nowhere,1", f"{a.sku_code},,-3"], encoding="utf-8")
    summary = _import(shop, path)
    assert summary["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(5, "盘点数量")]  # cells first
    path = _write(tmp_path / "bad.csv", ["SKU编码,仓库,盘点数量", f"{a.sku_code},,5", "NO-SUCH-SKU,,1",
                                         f"{a.sku_code},nowhere,1"], encoding="utf-8")
    summary = _import(shop, path)
    assert summary["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(3, "SKU编码"), (4, "仓库")]
    assert "NO-SUCH-SKU" in summary["errors"][0]["message"]
    assert StockMove.objects.filter(shop=shop).count() == moves
    missing = _import(shop, _write(tmp_path / "cols.csv", ["SKU编码,仓库", "x,"]))
    assert missing["status"] == "rejected" and any(e["column"] == "盘点数量" for e in missing["errors"])


def test_the_cli_imports_a_count_and_exits_2_on_a_bad_file(shop, skus, tmp_path):
    a = skus[0]
    path = _write(tmp_path / "count.csv", ["SKU编码,盘点数量", f"{a.sku_code},{_on_hand(shop, a) + 1}"])
    out = io.StringIO()
    call_command("import", "stock-count", str(path), "--shop", shop.code, stdout=out)
    assert "stock-count" in out.getvalue() and "1 updated" in out.getvalue()
    _write(path, ["SKU编码,盘点数量", "NO-SUCH-SKU,1"])
    with pytest.raises(SystemExit) as info:
        call_command("import", "stock-count", str(path), "--shop", shop.code, stdout=io.StringIO())
    assert info.value.code == 2


def test_the_web_upload_runs_the_count_and_others_cannot(shop, skus, client_as, django_capture_on_commit_callbacks):
    a = skus[0]
    before = _on_hand(shop, a)
    body = f"SKU编码,盘点数量\r\n{a.sku_code},{before + 2}\r\n".encode("gbk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("operator").post("/imports/new/", {
            "format": "stock-count", "file": SimpleUploadedFile("count.csv", body)})
    assert response.status_code == 302
    assert _on_hand(shop, a) == before + 2
    denied = client_as("viewer").post("/imports/new/", {"format": "stock-count",
                                                        "file": SimpleUploadedFile("count.csv", body)})
    assert denied.status_code == 403
    ads = client_as("ads").post("/imports/new/", {"format": "stock-count",  # runs imports, may not change stock
                                                  "file": SimpleUploadedFile("count.csv", body)})
    assert ads.status_code == 422 and _on_hand(shop, a) == before + 2


def test_docs_describe_the_stock_count_format():
    text = (Path(__file__).resolve().parents[2] / "docs/formats.md").read_text(encoding="utf-8")
    fmt = FORMATS["stock-count"]
    assert "`stock-count`" in text and fmt.target == "stock"
    for column in fmt.required:
        assert f"| {column} | yes |" in text, column
    for column in fmt.optional:
        assert f"| {column} |  |" in text, column
    for quirk in fmt.quirks:
        assert f"- {quirk}" in text, quirk


def test_a_count_below_the_reserved_units_rejects_the_file_even_in_a_dry_run(shop, skus, tmp_path):
    a = skus[0]
    inventory_services.stock_move(shop=shop, sku_code=a.sku_code, qty=4, type="receipt", ref="rc-count-import")
    inventory_services.reservation_create(shop=shop, sku_code=a.sku_code, qty=2, ref="o-count-import",
                                          now=dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))
    before = _on_hand(shop, a)
    path = _write(tmp_path / "count.csv", ["SKU编码,盘点数量", f"{a.sku_code},1"])
    for options in ({"dry_run": True}, {}):
        summary = _import(shop, path, **options)
        assert summary["status"] == "rejected"
        assert [(e["row"], e["column"]) for e in summary["errors"]] == [(2, "盘点数量")]
    assert _on_hand(shop, a) == before


def test_export_sample_has_no_stock_count_file_and_says_so(shop, tmp_path):
    """A count is a file the operator makes: export-sample refuses it with the formats it can write."""
    with pytest.raises(InvalidInput) as caught:
        export_sample(shop=shop, format_name="stock-count", path=str(tmp_path / "x.csv"))
    assert caught.value.errors[0].field == "format" and "jd-orders" in caught.value.errors[0].message
    assert not (tmp_path / "x.csv").exists()
