"""The after-sale import formats (taobao-refunds, jd-aftersale, douyin-aftersale): a realistic and a hostile file
each (docs/formats.md#returns), created then updated idempotently by the after-sale number; no money and no
stock move (docs/rules/returns.md#imported-returns)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopops.channels.selectors import channel_account_default
from shopops.core.models import Shop
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.inventory.models import StockMove
from shopops.orders.domain import LineInput, OrderInput
from shopops.orders.models import Order, OrderLine, Refund
from shopops.orders.services import orders_create_bulk
from shopops.service import selectors
from shopops.service.models import ReturnRequest
from tests.service.returns_world import PAID_AT, new_shop_with_order

REFUNDS = "退款编号,订单编号,商家编码,宝贝标题,是否需要退货,退款状态,退款原因,买家退款金额,退款的申请时间,退款完结时间,退货物流公司,退货运单号"
JD = "服务单号,订单号,商品编号,商品名称,申请数量,服务类型,服务单状态,申请原因,退款金额,申请时间,物流公司,运单号,审核意见"
DOUYIN = "售后单号,订单编号,商家编码,商品名称,售后数量,售后类型,售后状态,售后原因,退款金额,申请时间,售后完结时间,退货物流公司,退货物流单号"


@pytest.fixture
def world(db):
    new_shop_with_order("rt-import")
    shop = Shop.objects.get(code="rt-import")
    first = Order.objects.get(shop=shop, order_no="RT-1")
    lines = list(OrderLine.objects.filter(order=first).order_by("pk"))
    for channel, number in (("jd", "JD-1"), ("douyin", "DY-1")):
        account = channel_account_default(shop=shop, channel=channel)
        orders_create_bulk(shop=shop, orders=[OrderInput(
            order_no=number, channel_account_id=account.pk, channel=channel, customer_id=first.customer_id,
            placed_at=PAID_AT, paid_at=PAID_AT, status="completed",
            lines=tuple(LineInput(li.sku_id, li.title, li.unit_price_fen, li.qty, li.discount_fen) for li in lines))])
    return shop


def _file(tmp_path: Path, name: str, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def _import(shop, fmt: str, path: Path, **options) -> dict:
    job = import_job_create(shop=shop, format_name=fmt, path=str(path), **options)
    return import_summary(import_job_run(job_id=job.pk))


def _returns(shop, channel: str) -> dict[str, tuple]:
    return {r.external_no: (r.kind, r.status, r.reason.code, [(li.sku.sku_code, li.qty, li.amount_fen, li.refunded_fen)
                                                             for li in r.lines.all()])
            for r in ReturnRequest.objects.filter(shop=shop, channel=channel).select_related("reason")}


def test_taobao_refunds_realistic_then_updated(world, tmp_path):
    shop = world
    path = _file(tmp_path, "退款管理.csv", REFUNDS, [
        "T9001,RT-1,RT-B,退货测试商品 B,否,退款成功,少件/漏发,45.00,2026-11-12 10:00:00,2026-11-12 18:00:00,,",
        "T9002,RT-1,RT-A,退货测试商品 A,是,卖家已经同意退款，等待买家退货,尺码拍错了,270.00,2026-11-13 09:30:00,,,",
    ], encoding="gbk")
    moves_before = StockMove.objects.filter(shop=shop).count()
    summary = _import(shop, "taobao-refunds", path)
    assert summary["status"] == "done", summary["errors"]
    assert (summary["rows"], summary["inserted"]) == (2, 2)
    assert _returns(shop, "tmall") == {
        "T9001": ("refund_only", "refunded", "missing_item", [("RT-B", 1, 4500, 4500)]),
        "T9002": ("return_refund", "approved", "size", [("RT-A", 3, 27000, 0)]),
    }
    assert StockMove.objects.filter(shop=shop).count() == moves_before  # no stock moves
    assert not Refund.objects.filter(shop=shop).exists()  # money comes with the order report
    assert _import(shop, "taobao-refunds", path)["unchanged"] == 2  # the same file: nothing changes

    newer = _file(tmp_path, "退款管理2.csv", REFUNDS, [
        "T9002,RT-1,RT-A,退货测试商品 A,是,买家已经退货，等待卖家确认收货,尺码拍错了,270.00,2026-11-13 09:30:00,,"
        "中通快递,ZT7788",
    ])
    again = _import(shop, "taobao-refunds", newer)
    assert (again["updated"], again["inserted"]) == (1, 0)
    shipped = ReturnRequest.objects.get(shop=shop, external_no="T9002")
    assert (shipped.status, shipped.logistics_no) == ("shipped", "ZT7788")
    assert _import(shop, "taobao-refunds", path)["unchanged"] == 2  # the older export does not move it back
    assert [r["reason"] for r in selectors.returns_by_reason(shop=shop)] == ["size", "missing_item"]


def test_taobao_refunds_hostile(world, tmp_path):
    shop = world
    path = _file(tmp_path, "hostile.csv", REFUNDS, [
        "T9101,RT-1,RT-B,退货测试商品 B,否,退款成功,\"=HYPERLINK(\"\"http://x\"\")\",999.00,2026-11-12 10:00:00,,,",
        "T9102,NOPE-1,RT-A,x,是,退款成功,质量问题,1.00,2026-11-12 10:00:00,,,",
        "T9103,RT-1,RT-A,x,是,买家要求,质量问题,1.00,2026-11-12 10:00:00,,,",
        "T9104,RT-1,RT-A,x,是,退款成功,质量问题,-5.00,2026-11-12 10:00:00,,,",
        "T9104,RT-1,RT-A,x,是,退款成功,质量问题,1.00,昨天,,,",
        "T9105,RT-1,RT-A,退货测试商品 A,是,退款成功,\"=cmd|' /C calc'!A0\",1.00,2026-11-12 10:00:00,,,",
    ])
    summary = _import(shop, "taobao-refunds", path)
    assert summary["status"] == "rejected" and not ReturnRequest.objects.filter(shop=shop).exists()
    columns = {(e["row"], e["column"]) for e in summary["errors"]}
    assert {(2, "买家退款金额"), (3, "订单编号"), (4, "退款状态"), (5, "买家退款金额"), (6, "退款的申请时间")} <= columns
    partial = _import(shop, "taobao-refunds", path, skip_invalid=True)
    assert partial["status"] == "done" and partial["inserted"] == 1  # T9105 only, its formula stored as text
    stored = ReturnRequest.objects.get(shop=shop, external_no="T9105")
    assert stored.note.startswith("'=") and stored.reason.code == "other"  # stored as text, never a formula


def test_jd_aftersale(world, tmp_path):
    shop = world
    path = _file(tmp_path, "售后服务单.csv", JD, [
        "JS1,JD-1,RT-A,退货测试商品 A,1,退货,待审核,商品质量问题,,2026-11-14 08:00:00,,,",
        "JS2,JD-1,RT-B,退货测试商品 B,1,换货,已完成,尺码不合适,,2026-11-14 09:00:00,京东物流,JDV001,",
        "JS3,JD-1,RT-A,退货测试商品 A,1,维修,待审核,开线,,2026-11-14 09:00:00,,,",
        "JS4,JD-1,RT-A,退货测试商品 A,1,退货,审核不通过,七天无理由,,2026-11-14 10:00:00,,,已拆封",
    ])
    summary = _import(shop, "jd-aftersale", path)
    assert summary["status"] == "done", summary["errors"]
    assert (summary["inserted"], summary["skipped"]) == (3, 1)  # 维修 is no return
    got = _returns(shop, "jd")
    assert got["JS1"][:3] == ("return_refund", "requested", "quality")
    assert got["JS2"][:3] == ("exchange", "exchanged", "size")
    assert got["JS4"][:3] == ("return_refund", "rejected", "no_reason_7d")
    assert ReturnRequest.objects.get(shop=shop, external_no="JS4").reject_reason == "已拆封"
    hostile = _file(tmp_path, "hostile-jd.csv", JD, [
        "JS9,JD-1,RT-A,退货测试商品 A,4,退货,待审核,质量,,2026-11-14 08:00:00,,,",  # the line has 3 units
        "JS10,JD-1,NOPE,不存在的商品,1,退货,待审核,质量,,2026-11-14 08:00:00,,,",  # no such line
        "JS11,JD-1,RT-A,退货测试商品 A,1,保价,待审核,质量,,2026-11-14 08:00:00,,,",  # unknown type
    ])
    refused = _import(shop, "jd-aftersale", hostile)
    assert refused["status"] == "rejected"
    assert {(e["row"], e["column"]) for e in refused["errors"]} == {(2, "申请数量"), (3, "商家编码"), (4, "服务类型")}
    assert set(_returns(shop, "jd")) == {"JS1", "JS2", "JS4"}


def test_douyin_aftersale(world, tmp_path):
    shop = world
    path = _file(tmp_path, "抖店售后.csv", DOUYIN, [
        "DS1,DY-1,RT-A,退货测试商品 A,2,退货退款,待商家收货,不想要了,180.00,2026-11-15 12:00:00,,顺丰速运,SF001",
        "DS2,DY-1,RT-B,退货测试商品 B,1,已发货仅退款,退款成功,商品破损,45.00,2026-11-15 12:30:00,"
        "2026-11-15 20:00:00,,",
    ])
    summary = _import(shop, "douyin-aftersale", path)
    assert summary["status"] == "done", summary["errors"]
    assert _returns(shop, "douyin") == {
        "DS1": ("return_refund", "shipped", "changed_mind", [("RT-A", 2, 18000, 0)]),
        "DS2": ("refund_only", "refunded", "damaged", [("RT-B", 1, 4500, 4500)]),
    }
    hostile = _file(tmp_path, "hostile-douyin.csv", DOUYIN, [
        "DS3,DY-1,RT-A,退货测试商品 A,2,退货退款,待商家处理,质量问题,999999.00,2026-11-15 12:00:00,,,",
        "DS4,DY-1,RT-A,退货测试商品 A,1.5,退货退款,待商家处理,质量问题,1.00,2026-11-15 12:00:00,,,",
    ])
    refused = _import(shop, "douyin-aftersale", hostile)
    assert refused["status"] == "rejected"
    # 2 more units than the 1 DS1 leaves; a refund above what the line paid; not a whole number
    assert {(e["row"], e["column"]) for e in refused["errors"]} >= {(3, "售后数量")}
    assert {e["row"] for e in refused["errors"]} == {2, 3}
    assert set(_returns(shop, "douyin")) == {"DS1", "DS2"}
    assert dt.date(2026, 11, 15) == ReturnRequest.objects.get(shop=shop, external_no="DS1").requested_date


def test_docs_describe_the_after_sale_formats():
    from shopops.imports.formats import FORMATS

    text = (Path(__file__).resolve().parents[2] / "docs/formats.md").read_text(encoding="utf-8")
    for name in ("taobao-refunds", "jd-aftersale", "douyin-aftersale"):
        fmt = FORMATS[name]
        assert f"### `{name}`" in text and fmt.target == "returns"
        for column in fmt.required:
            assert f"| {column} | yes |" in text, column
        for column in fmt.optional:
            assert f"| {column} |  |" in text, column
        for quirk in fmt.quirks:
            assert f"- {quirk}" in text, quirk
