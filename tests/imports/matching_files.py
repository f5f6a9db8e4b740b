"""A small Taobao order report with its item report for the SKU matching tests: a known seller code, an unknown
one and an empty one (docs/rules/sku-matching.md)."""

from __future__ import annotations

import csv
from pathlib import Path

ORDER_HEADER = ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "收货地址", "订单创建时间", "订单付款时间",
                "宝贝标题", "宝贝总数量"]
ITEM_HEADER = ["订单编号", "标题", "价格", "购买数量", "商家编码", "商品属性"]
UNKNOWN = "NEW-001"
NO_CODE_TITLE = "无码羊毛围巾 冬季加厚"
NO_CODE_SPEC = "颜色:红色"


def orders_and_items(tmp_path: Path, known: str, *, day: str = "2026-12-02", prefix: str = "88",
                     buyer: str = "买家") -> tuple[Path, Path, dict[str, int]]:
    """Four orders: T1 a known code, T2 an unknown code, T3 no code (title + spec), T4 the known and the unknown
    code. Returns the two files and the file's own numbers (orders, buyers, GMV in fen, lines)."""
    orders = [
        # number, buyer, paid, items [(title, price, qty, code, spec)]
        (f"{prefix}01", f"{buyer}甲", "100.00", [("已知商品", "100.00", 1, known, "")]),
        (f"{prefix}02", f"{buyer}乙", "59.80", [("新款商品 未建档", "29.90", 2, UNKNOWN, "")]),
        (f"{prefix}03", f"{buyer}丙", "45.00", [(NO_CODE_TITLE, "45.00", 1, "", NO_CODE_SPEC)]),
        (f"{prefix}04", f"{buyer}甲", "120.00", [("已知商品", "100.00", 1, known, ""),
                                               ("新款商品 未建档", "29.90", 1, UNKNOWN, "")]),
    ]
    order_path, item_path = tmp_path / f"orders-{prefix}.csv", tmp_path / f"items-{prefix}.csv"
    write_order_report(order_path, item_path, orders, day=day)
    numbers = {"orders": len(orders), "buyers": len({o[1] for o in orders}),
               "gmv_fen": sum(round(float(o[2]) * 100) for o in orders), "lines": sum(len(o[3]) for o in orders)}
    return order_path, item_path, numbers


Order = tuple[str, str, str, list[tuple[str, str, int, str, str]]]


def write_order_report(order_path: Path, item_path: Path, orders: list[Order], *, day: str,
                       encoding: str = "utf-8") -> None:
    """A Taobao 订单报表 and its 宝贝报表 of ``orders`` — (number, buyer, paid, [(title, price, quantity, seller
    code, spec)]) — each created and paid on ``day`` and a success."""
    with order_path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ORDER_HEADER)
        for number, who, paid, items in orders:
            writer.writerow([number, who, paid, "交易成功", "浙江省 杭州市 西湖区", f"{day} 10:00:00",
                             f"{day} 10:01:00", items[0][0], sum(i[2] for i in items)])
    with item_path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ITEM_HEADER)
        for number, _who, _paid, items in orders:
            for title, price, qty, code, spec in items:
                writer.writerow([number, title, price, qty, code, spec])
