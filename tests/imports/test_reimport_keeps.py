"""A re-imported report changes exactly what it states (imports/order_merge.py) and says so (the summary's
``changes``): a buyer id seen before keeps its customer, refunds the file does not contradict stay, a corrected
field is reported by name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shopops.channels.models import ChannelAccount
from shopops.imports.formats.samples import SAMPLE_WRITERS, items_path_for
from shopops.imports.services import export_sample, import_job_create, import_job_run, import_summary
from shopops.members.models import Customer, CustomerIdentity
from shopops.orders.models import Order, Refund


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")


def _export(shop, name: str, channel: str, path: Path) -> ChannelAccount:
    account = ChannelAccount.objects.filter(shop=shop, channel=channel).order_by("pk").first()
    export_sample(shop=shop, format_name=name, path=str(path), limit=1_000_000, channel_account=account.name)
    return account


def _edit(name: str, path: Path, order_no: str, **cells: str) -> None:
    """Set ``cells`` (header → value) on the rows of ``order_no`` in an exported file."""
    encoding = SAMPLE_WRITERS[name].encoding
    with path.open(encoding=encoding, newline="") as f:
        rows = list(csv.reader(f))
    header = [cell.strip() for cell in rows[0]]
    key = 0
    for row in rows[1:]:
        if row[key].strip().removeprefix('="').removesuffix('"') == order_no:
            for column, value in cells.items():
                row[header.index(column)] = value
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


def _import(shop, name: str, path: Path, account: ChannelAccount) -> dict:
    items = items_path_for(path)
    job = import_job_create(shop=shop, format_name=name, path=str(path), channel_account=account.name,
                            items_path=str(items) if name == "taobao-orders" else None)
    summary = import_summary(import_job_run(job_id=job.pk))
    assert summary["status"] == "done", summary["errors"][:5]
    return summary


def _refunds(order: Order) -> list[tuple]:
    return sorted((r.refund_no, r.kind, r.amount_fen, r.reason, r.status, r.completed_at,
                   r.line.sku_id if r.line else None) for r in order.refunds.select_related("line"))


def _refunded_order(shop, channel: str) -> Order:
    refund = Refund.objects.filter(shop=shop, order__channel=channel, status="success").order_by("pk").first()
    assert refund is not None
    return refund.order


def test_a_corrected_status_updates_that_field_only_and_keeps_the_refunds(shop, tmp_path):
    order = _refunded_order(shop, "jd")
    refunds = _refunds(order)
    path = tmp_path / "jd.csv"
    account = _export(shop, "jd-orders", "jd", path)
    new_status = "closed" if order.status != "closed" else "completed"
    _edit("jd-orders", path, order.order_no, 订单状态={"closed": "已取消", "completed": "完成"}[new_status])

    summary = _import(shop, "jd-orders", path, account)

    changes = summary["changes"]
    assert changes["orders"]["updated"] == 1 and changes["orders"]["created"] == 0
    assert changes["fields"] == {"status": 1}
    assert changes["updated_orders"] == [{"order_no": order.order_no, "fields": ["status"]}]
    assert changes["refunds"]["deleted"] == changes["refunds"]["created"] == 0
    assert summary["updated"] == order.lines.count()  # rows of the file
    order.refresh_from_db()
    assert order.status == new_status and _refunds(order) == refunds


def test_a_different_refund_amount_replaces_the_refunds_and_an_equal_one_keeps_them(shop, tmp_path):
    order = _refunded_order(shop, "tmall")
    refunds = _refunds(order)
    path = tmp_path / "taobao.csv"
    account = _export(shop, "taobao-orders", "tmall", path)
    again = _import(shop, "taobao-orders", path, account)  # 退款金额 written as recorded: nothing changes
    assert again["changes"]["orders"]["updated"] == 0 and _refunds(order) == refunds
    _edit("taobao-orders", path, order.order_no, 退款金额="1.00")

    summary = _import(shop, "taobao-orders", path, account)

    assert summary["changes"]["fields"] == {"refunds": 1}
    assert summary["changes"]["refunds"]["created"] == 1
    assert summary["changes"]["refunds"]["deleted"] == len(refunds)
    order.refresh_from_db()
    assert order.refunded_fen == 100
    assert [(r[2], r[4]) for r in _refunds(order)] == [(100, "success")]


def test_a_buyer_id_seen_before_keeps_its_customer_and_another_one_moves_the_order(shop, tmp_path):
    first, second = Order.objects.filter(shop=shop, channel="jd").order_by("pk")[:2]
    other = CustomerIdentity.objects.filter(shop=shop, channel="jd").exclude(
        customer_id=first.customer_id).values_list("external_id", "customer_id").first()
    path = tmp_path / "jd.csv"
    account = _export(shop, "jd-orders", "jd", path)
    _edit("jd-orders", path, first.order_no, 下单帐号=other[0])
    _edit("jd-orders", path, second.order_no, 下单帐号="")  # the file names no buyer: the order keeps its own
    customers = Customer.objects.filter(shop=shop).count()

    summary = _import(shop, "jd-orders", path, account)

    assert summary["changes"]["fields"] == {"customer": 1}
    assert summary["changes"]["customers"]["created"] == 0
    assert Customer.objects.filter(shop=shop).count() == customers
    stored_second = second.customer_id
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.customer_id == other[1] and second.customer_id == stored_second


def test_an_unknown_buyer_id_is_a_new_customer_unless_the_stored_one_had_no_id_on_the_channel(shop, tmp_path):
    first = Order.objects.filter(shop=shop, channel="jd").order_by("pk").first()
    second = Order.objects.filter(shop=shop, channel="jd").exclude(customer_id=first.customer_id).order_by("pk").first()
    path = tmp_path / "jd.csv"
    account = _export(shop, "jd-orders", "jd", path)
    _edit("jd-orders", path, first.order_no, 下单帐号="jd_brand_new_buyer")
    # the second's customer loses its jd id: the file's id for it is recorded, the order stays
    second_ids = CustomerIdentity.objects.filter(shop=shop, channel="jd", customer_id=second.customer_id)
    kept_id = second_ids.values_list("external_id", flat=True).get()
    second_ids.delete()

    summary = _import(shop, "jd-orders", path, account)

    customers = summary["changes"]["customers"]
    assert customers["created"] == 1 and customers["linked"] == 1
    assert summary["changes"]["fields"] == {"customer": 1}
    first_customer = first.customer_id
    first.refresh_from_db()
    second_customer = second.customer_id
    second.refresh_from_db()
    assert first.customer_id != first_customer
    assert CustomerIdentity.objects.get(shop=shop, channel="jd", external_id="jd_brand_new_buyer").customer_id \
        == first.customer_id
    assert second.customer_id == second_customer
    assert CustomerIdentity.objects.get(shop=shop, channel="jd", external_id=kept_id).customer_id == second_customer


def test_the_import_page_shows_what_changed(client_as, shop, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "jd.csv"
    _export(shop, "jd-orders", "jd", path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("operator").post("/imports/new/", {
            "format": "jd-orders", "file": SimpleUploadedFile("jd.csv", path.read_bytes())})
    assert response.status_code == 302
    page = client_as("operator").get(response["Location"]).content.decode()
    table = page[page.index("data-changes"):]
    table = table[: table.index("</table>")]
    orders = Order.objects.filter(shop=shop, channel="jd").count()
    assert f'<td class="num">0</td><td class="num">0</td><td class="num">{orders}</td>' in table
