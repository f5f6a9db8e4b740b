"""Product analysis on hand-checked data: ABC by GMV (80/15/5), 动销率, sell-through, price bands, new vs old."""

from __future__ import annotations

import datetime as dt

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.queries.products import CatalogSku, analyze, sku_sales
from shopops.analytics.schemas import products_json
from tests.analytics.metrics_data import D1, D2, shop_data

END = dt.date(2026, 11, 30)


def _sku(code, price, on_sale=True, launched=None):
    return CatalogSku(sku=code, spu=code[0], title=f"t{code}", category="c", price_fen=price, on_sale=on_sale,
                      launched_on=launched)


def _sales(**gmv):
    return [{"sku_code": k, "spu_code": k[0], "category": "c", "units": v // 1000, "gmv_fen": v, "orders": 1,
             "buyers": 1} for k, v in gmv.items()]


def test_abc_classes_follow_cumulative_gmv_share():
    """Shares 50/25/10/8/5/2 %: cumulative before = 0, 50, 75 → A; 85, 93 → B; 98 → C; no sales → C."""
    catalog = {c: _sku(c, 9900) for c in ("a1", "a2", "a3", "b1", "b2", "c1", "z0")}
    sales = _sales(a1=50_000, a2=25_000, a3=10_000, b1=8_000, b2=5_000, c1=2_000)
    result = analyze(sales, catalog, dict.fromkeys(catalog, 10), date_from=D1, date_to=END)
    classes = {i["sku"]: i["abc"] for i in result["skus"]}
    assert classes == {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C", "z0": "C"}
    assert result["abc"]["A"] == {"skus": 3, "skus_sold": 3, "units": 85, "gmv": 85000, "share": 0.85}
    assert result["skus"][0]["cumulative_share"] == 0.5 and result["skus"][-1]["sku"] == "z0"


def test_sell_rate_and_sell_through():
    """动销率 = SKUs on sale with sales / SKUs on sale; sell-through = sold / (sold + on hand)."""
    catalog = {"s1": _sku("s1", 1000), "s2": _sku("s2", 1000), "s3": _sku("s3", 1000),
               "off": _sku("off", 1000, on_sale=False)}
    sales = _sales(s1=3000, off=1000)  # an off-shelf SKU that still sold counts in sales, not in 动销率
    result = analyze(sales, catalog, {"s1": 1, "s2": 5, "s3": 0, "off": 0}, date_from=D1, date_to=END)
    t = result["totals"]
    assert t["skus_on_sale"] == 3 and t["skus_sold"] == 2 and t["sell_rate"] == round(1 / 3, 6)
    assert t["units"] == 4 and t["on_hand"] == 6 and t["sell_through"] == 0.4
    by_sku = {i["sku"]: i for i in result["skus"]}
    assert by_sku["s1"]["sell_through"] == 0.75 and by_sku["s2"]["sell_through"] == 0.0


def test_stock_absent_is_said():
    result = analyze(_sales(s1=1000), {"s1": _sku("s1", 1000)}, None, date_from=D1, date_to=END)
    assert result["totals"]["sell_through"] is None and result["notes"] == ["stock_absent"]


def test_price_bands_and_new_vs_old():
    catalog = {"cheap": _sku("cheap", 4_999, launched=dt.date(2026, 11, 1)),
               "mid": _sku("mid", 5_000, launched=dt.date(2026, 9, 2)),  # 90 days up to 11-30 start 09-02
               "lux": _sku("lux", 80_000, launched=dt.date(2026, 9, 1))}
    result = analyze(_sales(cheap=2000, mid=6000, lux=80000), catalog, {}, date_from=D1, date_to=END)
    bands = {b["band"]: b for b in result["price_bands"]}
    assert bands["0-50"]["skus"] == 1 and bands["50-100"]["gmv"] == 6000 and bands["500+"]["units"] == 80
    assert sum(b["skus"] for b in result["price_bands"]) == 3
    groups = {g["group"]: g for g in result["new_vs_old"]}
    assert groups["new"]["skus"] == 2 and groups["new"]["gmv"] == 8000 and groups["old"]["gmv"] == 80000


def test_sku_sales_query():
    tables = MemoryTables(get_engine("duckdb"), shop_data())
    rows = sorted(get_engine("duckdb").rows(sku_sales(tables, date_from=D1, date_to=D2)), key=lambda r: r["sku_code"])
    assert rows == [
        {"sku_code": "A-1", "spu_code": "A", "category": "c-a", "units": 3, "gmv_fen": 11000, "orders": 2, "buyers": 1},
        {"sku_code": "B-1", "spu_code": "B", "category": "c-b", "units": 2, "gmv_fen": 5000, "orders": 2, "buyers": 2},
    ]


def test_money_is_fen_inside_and_yuan_text_in_the_json():
    sales = [{"sku_code": "A1", "spu_code": "A", "category": "c", "units": 2, "gmv_fen": 12345, "orders": 2,
              "buyers": 2}]
    result = analyze(sales, {"A1": _sku("A1", 6990)}, None, date_from=D1, date_to=D2)
    assert result["totals"]["gmv"] == 12345 and result["skus"][0]["gmv"] == 12345
    assert result["skus"][0]["price"] == 6990 and result["abc"]["A"]["gmv"] == 12345
    data = products_json(result)
    assert data["totals"]["gmv"] == "123.45" and data["abc"]["A"]["gmv"] == "123.45"
    assert data["skus"][0]["price"] == "69.90" and data["skus"][0]["gmv"] == "123.45"
    assert data["price_bands"][1]["gmv"] == "123.45" and data["new_vs_old"][1]["gmv"] == "123.45"
    assert result["totals"]["gmv"] == 12345  # the result itself is left as numbers
