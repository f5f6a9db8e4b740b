"""The order import writes without per-row foreign key checks on SQLite (for speed, benchmarks/
import_taobao_orders.py): what it looked up before its write transaction — the SKUs and the channel account —
is checked again under the write lock, and anything deleted meanwhile rejects the file with nothing written."""

from __future__ import annotations

from shopops.channels import selectors as channel_selectors
from shopops.members.models import Customer
from shopops.orders.models import Order
from tests.lake.test_inserted_facts import _import, _write


def _counts(shop) -> tuple[int, int]:
    return Order.objects.filter(shop=shop).count(), Customer.objects.filter(shop=shop).count()


def test_a_sku_deleted_after_the_lookup_rejects_the_file_and_writes_nothing(shop, tmp_path, monkeypatch):
    """SKUs are looked up before the write transaction; the import checks them again under its write lock
    (it writes without per-row foreign key checks), so a SKU gone meanwhile cannot leave a dangling line."""
    from shopops.catalog import selectors as catalog_selectors

    real = catalog_selectors.sku_ids_by_code
    missing_id = 10**9

    def one_vanished(*, shop, codes):
        found = real(shop=shop, codes=codes)
        first = sorted(found)[0]
        return {**found, first: missing_id}

    monkeypatch.setattr(catalog_selectors, "sku_ids_by_code", one_vanished)
    before = _counts(shop)
    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 50, prefix="80", buyers="vanished_buyer"))
    assert summary["status"] == "rejected"
    assert summary["inserted"] == 0 and summary["errors"][1]["column"] == "sku"
    assert "SKU" in summary["errors"][0]["message"]
    assert _counts(shop) == before


def test_a_channel_account_deleted_after_the_lookup_rejects_the_file_and_writes_nothing(shop, tmp_path, monkeypatch):
    monkeypatch.setattr(channel_selectors, "channel_account_ids_in_shop", lambda *, shop, ids: set())
    before = _counts(shop)
    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 20, prefix="81", buyers="account_gone"))
    assert summary["status"] == "rejected" and summary["inserted"] == 0
    assert any(error["column"] == "channel_account" for error in summary["errors"])
    assert _counts(shop) == before
