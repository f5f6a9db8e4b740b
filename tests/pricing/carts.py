"""Small builders for JSON carts in the pricing tests (the contract's input shape)."""

from __future__ import annotations


def line(line_id: str, sku: str, price: str, qty: int = 1, shop: str = "S1") -> dict:
    return {"line": line_id, "sku": sku, "shop": shop, "price": price, "qty": qty}


def cart(lines: list[dict], *promotions: dict, **extra: object) -> dict:
    return {"at": "2026-11-11T00:05:00+08:00", "lines": lines, "promotions": list(promotions), **extra}


def pays(result: dict) -> dict[str, str]:
    """line id → what the line pays."""
    return {row["line"]: row["pay"] for row in result["lines"]}


def discounts(result: dict, line_id: str) -> dict[str, str]:
    """promotion id → amount taken off one line."""
    row = next(r for r in result["lines"] if r["line"] == line_id)
    return {d["promotion"]: d["amount"] for d in row["discounts"]}


def rejected(result: dict) -> dict[str, str]:
    return {r["promotion"]: r["reason"] for r in result["rejected"]}
