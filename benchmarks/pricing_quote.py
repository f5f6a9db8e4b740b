"""Benchmark: one 到手价 quote of a typical cart (3 lines, 5 promotions), pure Python, no database.

Prints JSON: the median time of ``quote`` on a parsed cart and of ``quote_from_json`` (parse + quote +
render, what the CLI/API call), next to a baseline measured in the same run: a naive Decimal per-line loop
that computes only the item-level prices of the same cart. Also the batch engine (``quote_batch``, numpy):
the same cart 10,000 times in one call, per cart, checked against ``quote``.

    .venv/bin/python benchmarks/pricing_quote.py [--batches 200] [--per-batch 200] [--batch-carts 10000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shopops.pricing.contract import parse_cart, quote_from_json
from shopops.pricing.domain import columns_of, quote, quote_batch

CART = {
    "at": "2026-11-11T00:05:00+08:00",
    "lines": [
        {"line": "1", "sku": "A1", "shop": "S1", "price": "299.00", "qty": 1},
        {"line": "2", "sku": "B2", "shop": "S1", "price": "59.90", "qty": 3},
        {"line": "3", "sku": "C3", "shop": "S2", "price": "128.00", "qty": 2},
    ],
    "promotions": [
        {"id": "p1", "type": "item_discount", "skus": ["A1"], "percent_off": 15},
        {"id": "p2", "type": "item_price", "skus": ["C3"], "price": "109.00"},
        {"id": "p3", "type": "threshold_off", "shop": "S1",
         "tiers": [{"threshold": "300.00", "off": "30.00"}, {"threshold": "400.00", "off": "50.00"}]},
        {"id": "p4", "type": "coupon", "shop": "S1", "threshold": "200.00", "off": "20.00"},
        {"id": "p5", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00", "cap": None},
    ],
}


def baseline_item_prices(data: dict) -> list[Decimal]:
    """Naive reference: Decimal per line, best of the item_discount/item_price offers that cover it."""
    prices = []
    for line in data["lines"]:
        price = Decimal(line["price"])
        best = price
        for promo in data["promotions"]:
            if promo["type"] not in ("item_discount", "item_price") or line["sku"] not in promo.get("skus", []):
                continue
            if promo["type"] == "item_discount":
                off = (price * Decimal(promo["percent_off"]) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                candidate = price - off
            else:
                candidate = min(price, Decimal(promo["price"]))
            best = min(best, candidate)
        prices.append(best * line["qty"])
    return prices


def median_us(call: Callable[[], object], batches: int, per_batch: int) -> float:
    call()  # warm-up
    samples = []
    for _ in range(batches):
        started = time.perf_counter_ns()
        for _ in range(per_batch):
            call()
        samples.append((time.perf_counter_ns() - started) / per_batch / 1000)
    return round(statistics.median(samples), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--per-batch", type=int, default=200)
    parser.add_argument("--batch-carts", type=int, default=10_000)
    args = parser.parse_args()
    cart = parse_cart(CART)
    expected = quote_from_json(CART)
    baseline = baseline_item_prices(CART)
    assert [Decimal(r["item_price"]) * r["qty"] for r in expected["lines"]] == baseline  # same item prices
    columns = columns_of([cart.lines] * args.batch_carts, cart.promotions)

    def batch() -> object:
        return quote_batch(columns, cart.promotions, at=cart.at, member=cart.member)

    assert set(batch().total_pay.tolist()) == {quote(cart).total_pay}  # the batch engine agrees with quote
    result = {
        "cart": {"lines": len(CART["lines"]), "promotions": len(CART["promotions"]),
                 "total_pay": expected["total_pay"]},
        "batches": args.batches,
        "per_batch": args.per_batch,
        "quote_median_us": median_us(lambda: quote(cart), args.batches, args.per_batch),
        "quote_from_json_median_us": median_us(lambda: quote_from_json(CART), args.batches, args.per_batch),
        "baseline_decimal_item_prices_median_us": median_us(lambda: baseline_item_prices(CART), args.batches,
                                                            args.per_batch),
        "batch_carts": args.batch_carts,
        "quote_batch_per_cart_us": round(median_us(batch, 5, 1) / args.batch_carts, 3),
        "python": sys.version.split()[0],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
