"""Product analysis: sales per SKU from the lake, then ABC by GMV, 动销率, sell-through, price bands and new vs
old products (docs/metrics.md; docs/rules/analytics.md).

Definitions:

* ABC by GMV (80/15/5): SKUs sorted by GMV (desc, then code); a SKU is **A** while the cumulative share of
  the SKUs before it is < 80 %, **B** while < 95 %, else **C**; SKUs without sales are C.
* 动销率 (sell rate) = SKUs on sale with at least one unit sold in the period / SKUs on sale.
* Sell-through = units sold / (units sold + on hand); on hand is the stock now (the stock ledger keeps no
  end-of-period snapshot here), so it is exact for a period that ends today.
* Price bands by the SKU's list price; new products = launched in the 90 days up to the period's end.

:func:`sku_sales` is the Ibis query (runs on DuckDB and Spark alike); :func:`analyze` is pure Python over its
rows and the catalog/stock the selector passes in. Money is integer fen (``gmv``, ``price``); the JSON edge
(:func:`shopops.analytics.schemas.products_json`) writes it in yuan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import ibis.expr.types as ir

from shopops.analytics.engine import Tables

A_SHARE = Fraction(80, 100)
B_SHARE = Fraction(95, 100)
NEW_DAYS = 90
PRICE_BANDS_FEN = (0, 5_000, 10_000, 20_000, 50_000)  # 0–50, 50–100, 100–200, 200–500, 500+ yuan


def sku_sales(tables: Tables, *, date_from: dt.date, date_to: dt.date) -> ir.Table:
    """Per SKU code: units, gmv_fen (lines' paid amount), orders and buyers (distinct) in the period.

    Always the raw lines, not ``sku_day``: buyers are distinct customers per SKU over the period, and sku_day
    keeps no customer (a sum of its rows would count a buyer of several days or channels more than once);
    units, GMV and orders from sku_day next to buyers from the lines would scan the lines all the same.
    """
    li = tables["order_lines_fact"]
    li = li.filter(li.paid_date.between(date_from, date_to) & li.sku_id.notnull())  # unmatched lines: not a SKU's
    return li.group_by([li.sku_code, li.spu_code, li.category]).aggregate(
        units=li.qty.sum().cast("int64"), gmv_fen=li.paid_fen.sum().cast("int64"),
        orders=li.order_id.nunique().cast("int64"), buyers=li.customer_id.nunique().cast("int64"))


@dataclass(frozen=True)
class CatalogSku:
    sku: str
    spu: str
    title: str
    category: str
    price_fen: int
    on_sale: bool
    launched_on: dt.date | None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def _band(price_fen: int | None) -> str:
    if price_fen is None:
        return "?"
    edges = PRICE_BANDS_FEN
    for lo, hi in zip(edges, edges[1:], strict=False):
        if lo <= price_fen < hi:
            return f"{lo // 100}-{hi // 100}"
    return f"{edges[-1] // 100}+"


_NO_SALES = {"units": 0, "gmv_fen": 0, "orders": 0, "buyers": 0, "spu": "", "category": ""}


def analyze(sales: list[dict], catalog: dict[str, CatalogSku], stock: dict[str, int] | None, *,
            date_from: dt.date, date_to: dt.date) -> dict:
    """The product analysis JSON (see the module docstring); ``stock`` is None when it is not available."""
    by_sku = _sales_by_sku(sales)
    codes = set(by_sku) | {c for c, s in catalog.items() if s.on_sale}
    new_since = date_to - dt.timedelta(days=NEW_DAYS - 1)
    items = [_item(code, by_sku.get(code, _NO_SALES), catalog.get(code), stock, new_since) for code in codes]
    items.sort(key=lambda i: (-i["gmv_fen"], i["sku"]))
    total_gmv = sum(i["gmv_fen"] for i in items)
    _rank(items, total_gmv)
    on_sale = [i for i in items if i["on_sale"]]
    sold_on_sale = [i for i in on_sale if i["units"] > 0]
    units = sum(i["units"] for i in items)
    on_hand_total = sum(i["on_hand"] or 0 for i in items) if stock is not None else None
    abc = {k: _group([i for i in items if i["abc"] == k], total_gmv) for k in ("A", "B", "C")}
    band_names = [_band(lo) for lo in PRICE_BANDS_FEN] + (["?"] if any(i["price"] is None for i in items)
                                                          else [])
    bands = [{"band": b, **_group([i for i in items if i["price_band"] == b], total_gmv)} for b in band_names]
    new_old = [{"group": "new", **_group([i for i in items if i["new"]], total_gmv)},
               {"group": "old", **_group([i for i in items if not i["new"]], total_gmv)}]
    notes = _notes(items, stock)
    for item in items:
        item.pop("gmv_fen")
    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "totals": {"skus_on_sale": len(on_sale), "skus_sold": sum(1 for i in items if i["units"] > 0),
                   "sell_rate": _share(len(sold_on_sale), len(on_sale)), "units": units,
                   "gmv": total_gmv, "on_hand": on_hand_total,
                   "sell_through": (_share(units, units + on_hand_total) if on_hand_total is not None else None)},
        "abc": abc, "price_bands": bands, "new_vs_old": new_old, "skus": items, "notes": notes,
        "new_since": new_since.isoformat(),
    }


def _sales_by_sku(sales: list[dict]) -> dict[str, dict]:
    """The query's rows summed per SKU code (an engine may split a SKU over several (spu, category) rows)."""
    by_sku: dict[str, dict] = {}
    for r in sales:
        key = r["sku_code"] or ""
        row = by_sku.setdefault(key, {"units": 0, "gmv_fen": 0, "orders": 0, "buyers": 0,
                                      "spu": r.get("spu_code") or "", "category": r.get("category") or ""})
        row["units"] += int(r["units"] or 0)
        row["gmv_fen"] += int(r["gmv_fen"] or 0)
        row["orders"] += int(r["orders"] or 0)  # a SKU has one (spu, category) in practice
        row["buyers"] += int(r["buyers"] or 0)
    return by_sku


def _item(code: str, sold: dict, cat: CatalogSku | None, stock: dict[str, int] | None, new_since: dt.date) -> dict:
    """One SKU's row: the catalog's facts where it knows the SKU (else what the sales say), its sales, stock
    and sell-through (None without stock)."""
    on_hand = stock.get(code, 0) if stock is not None else None
    return {
        "sku": code, "spu": cat.spu if cat else sold["spu"], "title": cat.title if cat else "",
        "category": cat.category if cat else sold["category"],
        "price": cat.price_fen if cat else None,
        "on_sale": bool(cat and cat.on_sale), "in_catalog": cat is not None,
        "units": sold["units"], "orders": sold["orders"], "buyers": sold["buyers"], "gmv_fen": sold["gmv_fen"],
        "on_hand": on_hand,
        "sell_through": _share(sold["units"], sold["units"] + on_hand) if on_hand is not None else None,
        "new": bool(cat and cat.launched_on and cat.launched_on >= new_since),
        "launched_on": cat.launched_on.isoformat() if cat and cat.launched_on else None,
    }


def _rank(items: list[dict], total_gmv: int) -> None:
    """ABC class, share, cumulative share, GMV and price band of each item, in place; ``items`` sorted by GMV.
    The class is judged on the share of the SKUs *before* the item (exact fractions), so the SKU that crosses
    80 % is still an A."""
    cumulative = 0
    for item in items:
        before = Fraction(cumulative, total_gmv) if total_gmv else Fraction(1)
        if item["gmv_fen"] <= 0:
            item["abc"] = "C"
        else:
            item["abc"] = "A" if before < A_SHARE else ("B" if before < B_SHARE else "C")
        cumulative += item["gmv_fen"]
        item["share"] = _share(item["gmv_fen"], total_gmv)
        item["cumulative_share"] = _share(cumulative, total_gmv)
        item["gmv"] = item["gmv_fen"]
        item["price_band"] = _band(item["price"])


def _group(rows: list[dict], total_gmv: int) -> dict:
    """A group's SKUs, SKUs sold, units, GMV and share of the total GMV."""
    gmv = sum(r["gmv_fen"] for r in rows)
    return {"skus": len(rows), "skus_sold": sum(1 for r in rows if r["units"] > 0),
            "units": sum(r["units"] for r in rows), "gmv": gmv, "share": _share(gmv, total_gmv)}


def _notes(items: list[dict], stock: dict[str, int] | None) -> list[str]:
    """What the reader must know to trust the figures: no stock data, sales of SKUs the catalog lacks."""
    notes = []
    if stock is None:
        notes.append("stock_absent")
    if any(not i["in_catalog"] for i in items):
        notes.append("skus_not_in_catalog")
    return notes
