"""The order import's common-order path says what the format's ``build`` says (for speed:
benchmarks/import_taobao_orders.py): ``plain_taobao`` either returns exactly the values ``build_taobao``'s
draft holds, or None and leaves the order to ``build_taobao`` (errors, skips, refunds); row views read as the
row dicts they replace."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.imports.columns import Column, ColumnConverter, resolve_columns
from shopops.imports.formats.base import RowProblem, Skip
from shopops.imports.formats.orders_formats import TAOBAO_STATUS, build_taobao, plain_taobao
from shopops.imports.order_merge import draft_of_plain

STATUSES = [*TAOBAO_STATUS, "未知状态", "", None, "交易成功（部分退款）"]
MONEY = st.one_of(st.none(), st.integers(0, 10**6))
TEXT = st.one_of(st.none(), st.just(""), st.sampled_from(["SKU-A", "SKU-B", "商品 甲", "x" * 250]))
AT = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
    lambda d: d.replace(tzinfo=dt.UTC))


@st.composite
def _order(draw):
    record = {
        "_row": 2, "订单编号": "3800000001", "买家会员名": draw(st.one_of(st.none(), st.just("tb_buyer"))),
        "买家应付邮费": draw(MONEY), "买家实际支付金额": draw(st.integers(0, 10**6)),
        "订单状态": draw(st.sampled_from(STATUSES)),
        "收货地址": draw(st.one_of(st.none(), st.sampled_from(["浙江省 杭州市 西湖区", "上海 上海市", "北京市 ***"]))),
        "订单创建时间": draw(AT), "订单付款时间": draw(st.one_of(st.none(), AT)), "宝贝标题": draw(TEXT),
        "宝贝总数量": draw(st.one_of(st.none(), st.integers(1, 5))), "商家编码": draw(TEXT), "店铺名称": None,
        "退款金额": draw(st.one_of(st.none(), st.just(0), st.integers(1, 10**6))),
    }
    items = [{"_row": 10 + i, "订单编号": "3800000001", "标题": draw(TEXT), "价格": draw(st.integers(0, 10**5)),
              "购买数量": draw(st.integers(1, 4)), "商家编码": draw(TEXT), "外部系统编号": draw(TEXT),
              "商品属性": draw(st.one_of(TEXT, st.just("颜色:黑;尺码:XL")))}
             for i in range(draw(st.integers(0, 3)))]
    records = [record] if draw(st.integers(0, 9)) else [record, {**record, "_row": 3}]
    return records, items


@settings(max_examples=1500, deadline=None)
@given(_order())
def test_plain_taobao_agrees_with_build_taobao(order):
    records, items = order
    plain = plain_taobao(records, items)
    try:
        draft = build_taobao(records, items)
    except (Skip, RowProblem):
        assert plain is None
        return
    if plain is None:  # build's business (a refund, or a line without seller code): nothing to compare
        assert draft.refunds or any(not line.sku_code for line in draft.lines)
        return
    assert not draft.refunds and draft.promotions == () and draft.source == ""
    assert (plain.order_no, plain.row, plain.buyer, plain.buyer, plain.placed_at, plain.paid_at, plain.status,
            plain.paid_fen, plain.shipping_fen, plain.province, plain.city, plain.rows) == (
        draft.order_no, draft.row, draft.buyer_id, draft.buyer_name, draft.placed_at, draft.paid_at, draft.status,
        draft.paid_fen, draft.shipping_fen, draft.province, draft.city, draft.rows)
    assert list(zip(plain.codes, plain.titles, plain.units, plain.qtys, plain.line_rows, strict=True)) == [
        (line.sku_code, line.title, line.unit_price_fen, line.qty, line.row) for line in draft.lines]
    # the draft a common order turns into when a code is not in the catalog keeps each line's spec (SKU matching)
    assert [(line.sku_code, line.spec) for line in draft_of_plain(plain).lines] == [
        (line.sku_code, line.spec) for line in draft.lines]


def test_a_common_order_takes_the_plain_path():
    at = dt.datetime(2026, 11, 11, 1, 2, tzinfo=dt.UTC)
    record = {"_row": 2, "订单编号": "38001", "买家会员名": "tb", "买家应付邮费": 600, "买家实际支付金额": 10000,
              "订单状态": "交易成功", "收货地址": "浙江省 杭州市 西湖区", "订单创建时间": at, "订单付款时间": at,
              "宝贝标题": "t", "宝贝总数量": 1, "商家编码": None, "店铺名称": None, "退款金额": None}
    items = [{"_row": 5, "订单编号": "38001", "标题": "甲", "价格": 5000, "购买数量": 2, "商家编码": "SKU-A",
              "外部系统编号": None}]
    plain = plain_taobao([record], items)
    assert plain is not None and (plain.codes, plain.units, plain.qtys, plain.rows) == (("SKU-A",), (5000,), (2,),
                                                                                        (2, 5))
    assert (plain.province, plain.city, plain.status) == ("浙江省", "杭州市", "completed")
    assert plain_taobao([{**record, "退款金额": 100}], items) is None  # a refund: build_taobao's way
    assert plain_taobao([{**record, "买家实际支付金额": 99999}], items) is None  # pays more than goods + shipping


def test_row_views_read_as_the_row_dicts():
    spec = (Column("a", kind="int"), Column("b"), Column("c", kind="money"))

    class _Batch:
        row_numbers = [2, 3, 5]

        def column(self, key: int) -> list[object]:
            return [["1", "2", "3"], ["x", "y", ""], ["1.50", "bad", "2"]][key]

    converter = ColumnConverter(spec, resolve_columns(["a", "b", "c"], spec))
    converted = converter.convert(_Batch())
    assert [view.as_dict() for view in converted.views(include_bad=True)] == converted.records(include_bad=True)
    assert converted.views() == converted.records()
    view = converted.views()[0]
    assert (view["_row"], view["a"], view.get("b"), view.get("missing", "-"), "c" in view, len(view)) == (
        2, 1, "x", "-", True, 4)
