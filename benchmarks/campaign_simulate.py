"""Benchmark: the campaign simulation before launch, vectorised (numpy: the pricing engine's batch form
``pricing.domain.quote_batch``, margins and flags on top), for a typical 双11 stack.

100,000 SKUs, each simulated as one unit and in its typical basket, for a member and a non-member, under 官方立减
15 % (all SKUs), 单品直降 on a tenth of them (a SKU-scoped offer), 会员价 on a few hundred, a shop 满减 with tiers, a
shop coupon, 跨店每满300减50 and a platform coupon (docs/rules/pricing.md#cross-store-offers-by-year), plus the
margin per channel (3 channels) and the flags. No database: arrays in, arrays out.

Baseline, measured in the same run: the per-SKU Python loop over the pricing engine (``pricing.quote`` of
the same carts), timed on a sample and extrapolated to all SKUs. ``agree`` checks that both give the same
worst-case pay on the sample. Also: the median of one cart quote (pricing engine, 3 lines, 7 promotions).

    .venv/bin/python benchmarks/campaign_simulate.py [--skus 100000] [--sample 2000]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shopops.campaigns import domain, simulation
from shopops.pricing.domain import (
    PLATFORM,
    Coupon,
    EveryOff,
    ItemDiscount,
    ItemPrice,
    Line,
    MemberPrice,
    Scope,
    ThresholdOff,
    Tier,
    quote,
)
from shopops.pricing.domain import Cart as EngineCart

SHOP = "S1"


def build(n: int, seed: int = 11) -> simulation.SimulationInput:
    rng = np.random.default_rng(seed)
    skus = [f"SKU{i:06d}" for i in range(n)]
    price = rng.choice([3_900, 5_900, 9_900, 12_900, 19_900, 29_900, 39_900, 59_900, 99_900], n).astype(np.int64)
    cost = (price * rng.uniform(0.25, 0.6, n)).astype(np.int64)
    direct = frozenset(skus[i] for i in rng.choice(n, n // 10, replace=False))
    members = frozenset(skus[i] for i in rng.choice(n, min(n, 300), replace=False))
    promotions = [
        ItemDiscount("official-15", 1500, stackable=True),  # 官方立减 15 %
        ItemPrice("direct-20", off=2_000, scope=Scope(None, direct)),  # 单品直降 ¥20 on a tenth
        MemberPrice("member", 8_800, scope=Scope(None, members)),
        ThresholdOff("shop-tiers", (Tier(19_900, 2_000), Tier(39_900, 5_000)), scope=Scope(SHOP)),
        Coupon("shop-coupon", 29_900, 3_000, scope=Scope(SHOP)),
        EveryOff("cross-300-50", 30_000, 5_000, None, PLATFORM),  # 跨店每满300减50
        Coupon("platform-coupon", 50_000, 4_000, PLATFORM),
    ]
    channels = ["tmall", "jd", "douyin"]
    return simulation.SimulationInput(
        shop=SHOP, skus=skus, price=price, cost=cost, floor=price // 2, claimed=price,
        reference=np.where(rng.random(n) < 0.1, price - 500, price), basket_qty=rng.choice([1, 1, 1, 2, 3], n),
        basket_rest=rng.choice([0, 0, 9_900, 19_900, 39_900], n), promotions=promotions, channels=channels,
        costs={c: domain.DEFAULT_CHANNEL_COSTS[c] for c in channels})


def engine_loop(data: simulation.SimulationInput, indices: np.ndarray) -> list[int]:
    """The baseline: per SKU, quote each cart with the pricing engine and keep the lowest unit pay."""
    worst = []
    for i in indices.tolist():
        best = None
        for member in (False, True):
            for qty, rest in ((1, 0), (int(data.basket_qty[i]), int(data.basket_rest[i]))):
                cart = simulation.engine_cart(shop=SHOP, sku=data.skus[i], price=int(data.price[i]), qty=qty, rest=rest,
                                          promotions=data.promotions, member=member)
                pay = quote(cart).lines[0].pay
                if best is None or pay * best[1] < best[0] * qty:
                    best = (pay, qty)
        worst.append(best[0] // best[1])
    return worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    data = build(args.skus)
    simulation.simulate(build(1000))  # warm up numpy
    start = time.perf_counter()
    result = simulation.simulate(data)
    vectorised = time.perf_counter() - start

    sample = np.random.default_rng(5).choice(args.skus, min(args.sample, args.skus), replace=False)
    start = time.perf_counter()
    loop_worst = engine_loop(data, sample)
    loop_sample = time.perf_counter() - start
    agree = loop_worst == result.worst_unit_pay[sample].tolist()

    cart = EngineCart(tuple(Line(str(k), data.skus[k], SHOP, int(data.price[k]), 1 + k % 2) for k in range(3)),
                      tuple(data.promotions), member=True)
    times = []
    for _ in range(200):
        t0 = time.perf_counter()
        for _ in range(50):
            quote(cart)
        times.append((time.perf_counter() - t0) / 50)
    print(json.dumps({
        "benchmark": "campaign_simulate",
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpu": platform.processor() or
                    platform.machine()},
        "skus": args.skus, "promotions": len(data.promotions), "channels": len(data.channels),
        "scenarios_per_sku": result.scenarios,
        "vectorised_seconds": round(vectorised, 3),
        "target_seconds": 5.0,
        "baseline_engine_loop": {"sample_skus": len(sample), "sample_seconds": round(loop_sample, 3),
                                 "extrapolated_seconds": round(loop_sample / len(sample) * args.skus, 2)},
        "speedup": round(loop_sample / len(sample) * args.skus / vectorised, 1),
        "agree_on_sample": agree,
        "flag_counts": {k: int(v.sum()) for k, v in result.flags.items()},
        "cart_quote_median_ms": round(statistics.median(times) * 1000, 4),
        "cart_quote_target_ms": 1.0,
    }, indent=2))


if __name__ == "__main__":
    main()
