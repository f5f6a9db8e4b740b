"""A corrected-order re-import replaces its refunds with the ones the latest file states (a file that states
none keeps them), and refunds never exceed what was paid — a row saying otherwise is rejected with
its row and column, and nothing is written."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from shopops.catalog.selectors import skus_by_code
from shopops.core.errors import InvalidInput
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.orders.domain import RefundInput, UpsertCounts
from shopops.orders.models import Order, Refund
from shopops.orders.services import orders_upsert
from tests.orders.test_orders import _order

TAOBAO_HEADER = ["订单编号", "买家会员名", "买家应付邮费", "买家实际支付金额", "订单状态", "收货地址 ", "订单创建时间",
                 "订单付款时间 ", "宝贝标题 ", "宝贝总数量", "商家编码", "退款金额"]


def _taobao(path: Path, shop, orders: list[tuple[str, str, str]]) -> Path:
    """A single-file taobao order report (SKU codes on the order rows): (order no, paid, refund) per order."""
    code = sorted(skus_by_code(shop=shop))[0]
    with path.open("w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(TAOBAO_HEADER)
        for number, paid, refund in orders:
            writer.writerow([f'="{number}"', "tb_refund_buyer", "0.00", paid, "交易成功", "浙江省 杭州市 西湖区",
                             "2026-10-03 10:00:00", "2026-10-03 10:01:00", "测试商品", "1", code, refund])
    return path


def _import(shop, path: Path, name: str = "taobao-orders") -> dict:
    job = import_job_create(shop=shop, format_name=name, path=str(path))
    return import_summary(import_job_run(job_id=job.pk))


def _refunds(shop, number: str) -> list[tuple[str, int, str]]:
    order = Order.objects.get(shop=shop, order_no=number)
    return sorted(Refund.objects.filter(order=order).values_list("refund_no", "amount_fen", "status"))


def test_a_corrected_reimport_replaces_the_orders_refunds(shop, tmp_path):
    path = tmp_path / "orders.csv"
    _taobao(path, shop, [("9100000000001", "100.00", "30.00"), ("9100000000002", "80.00", "")])
    first = _import(shop, path)
    assert first["status"] == "done" and first["inserted"] == 2, first["errors"]
    assert _refunds(shop, "9100000000001") == [("tmall-9100000000001-R1", 3000, "success")]
    assert _refunds(shop, "9100000000002") == []
    assert Order.objects.get(shop=shop, order_no="9100000000001").refunded_fen == 3000

    again = _import(shop, path)  # the same file: nothing changes, the refund is not duplicated
    assert again["unchanged"] == again["rows"] == 2
    assert _refunds(shop, "9100000000001") == [("tmall-9100000000001-R1", 3000, "success")]

    # The refund grew, and the other order got one: both orders are updated, their refunds replaced.
    _taobao(path, shop, [("9100000000001", "100.00", "50.00"), ("9100000000002", "80.00", "80.00")])
    corrected = _import(shop, path)
    assert corrected["status"] == "done" and corrected["updated"] == 2 and corrected["inserted"] == 0
    assert _refunds(shop, "9100000000001") == [("tmall-9100000000001-R1", 5000, "success")]
    assert _refunds(shop, "9100000000002") == [("tmall-9100000000002-R1", 8000, "success")]
    assert Order.objects.get(shop=shop, order_no="9100000000002").refunded_fen == 8000

    # A report that states no refund (empty or 0: most exports carry none) keeps the recorded refunds
    # (docs/formats.md, re-import): a re-import never loses a refund the file does not contradict.
    _taobao(path, shop, [("9100000000001", "100.00", ""), ("9100000000002", "80.00", "0")])
    kept = _import(shop, path)
    assert kept["updated"] == 0 and kept["unchanged"] == 2
    assert _refunds(shop, "9100000000001") == [("tmall-9100000000001-R1", 5000, "success")]
    assert Order.objects.get(shop=shop, order_no="9100000000002").refunded_fen == 8000


def test_a_refund_above_what_was_paid_rejects_the_row_and_writes_nothing(shop, tmp_path):
    path = _taobao(tmp_path / "orders.csv", shop, [("9100000000011", "100.00", "30.00")])
    assert _import(shop, path)["status"] == "done"
    _taobao(path, shop, [("9100000000011", "100.00", "100.01"), ("9100000000012", "20.00", "")])
    summary = _import(shop, path)
    assert summary["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(2, "退款金额")]
    assert "100.01" in summary["errors"][0]["message"] and "100.00" in summary["errors"][0]["message"]
    # The previous state is untouched: the old refund stays, the second order was not written.
    assert _refunds(shop, "9100000000011") == [("tmall-9100000000011-R1", 3000, "success")]
    assert not Order.objects.filter(shop=shop, order_no="9100000000012").exists()


def test_shopify_refunded_amount_is_capped_at_paid_when_it_is_the_tax(shop, tmp_path):
    """Shopify's Refunded Amount of a tax-exclusive order includes the tax, which is not in the paid amount."""
    code = sorted(skus_by_code(shop=shop))[0]
    path = tmp_path / "orders_export.csv"
    header = ["Name", "Email", "Financial Status", "Paid at", "Created at", "Currency", "Shipping", "Taxes",
              "Total", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku", "Refunded Amount"]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerow(["#9101", "a@example.com", "refunded", "2026-10-03 10:00:00 +0800",
                         "2026-10-03 09:59:00 +0800", "CNY", "0.00", "13.00", "113.00", "1", "x", "100.00", code,
                         "113.00"])
    summary = _import(shop, path, "shopify-orders")
    assert summary["status"] == "done", summary["errors"]
    order = Order.objects.get(shop=shop, order_no="#9101")
    assert order.paid_fen == order.refunded_fen == 10000


def test_upsert_replaces_refunds_and_refuses_refunds_above_paid(shop):
    at = dt.datetime(2026, 11, 12, tzinfo=dt.UTC)
    base = _order(shop, order_no="RR-1")
    paid = sum(line.unit_price_fen * line.qty - line.discount_fen for line in base.lines) + base.shipping_fen
    first = dataclasses.replace(base, refunds=(RefundInput("RR-1-a", None, "refund_only", 500, "", "success", at, at),))
    assert orders_upsert(shop=shop, orders=[first]) == UpsertCounts(inserted=1)
    second = dataclasses.replace(base, refunds=(RefundInput("RR-1-b", None, "refund_only", 700, "", "success", at, at),))
    assert orders_upsert(shop=shop, orders=[second]) == UpsertCounts(updated=1)
    assert _refunds(shop, "RR-1") == [("RR-1-b", 700, "success")]
    too_much = dataclasses.replace(base, refunds=(
        RefundInput("RR-1-c", None, "refund_only", paid + 1, "", "success", at, at),))
    with pytest.raises(InvalidInput) as exc:
        orders_upsert(shop=shop, orders=[too_much])
    assert any(e.field.endswith("refunds") for e in exc.value.errors)
    assert _refunds(shop, "RR-1") == [("RR-1-b", 700, "success")]
