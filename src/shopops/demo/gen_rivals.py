"""Rivals (竞品): four rival shops × three items each, as a competitor-tracking tool would snapshot them.

Snapshots are weekly, and daily in the fortnight around 618 (6月18日) and 双11 (11月11日), which keeps the files
small while the promotions stay visible. The 到手价 follows the platforms' rhythm: a small coupon on ordinary
days, a deeper cut in the warm-up (预热, ten days before), the deepest on the day itself and the day before, then
back to normal two days after. Every item changes its title once, half of them twice (a 大促 title before the
event). The 一口价 stays put; sales estimates rise around the events; reviews only grow.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from shopops.demo.spec import RivalSnapshotSpec

# (shop, channel, brand, [(category, item name, 一口价 in yuan)])
RIVAL_SHOPS: tuple[tuple[str, str, str, tuple[tuple[str, str, int], ...]], ...] = (
    ("雪域集官方旗舰店", "tmall", "雪域集", (("护肤", "雪莲焕亮精华液30ml", 279), ("护肤", "雪莲修护面霜50g", 319),
                                        ("防晒", "雪域清透防晒乳50ml", 159))),
    ("青禾良品旗舰店", "tmall", "青禾良品", (("洁面卸妆", "青禾氨基酸洁面乳120g", 89), ("面膜", "青禾补水面膜10片", 129),
                                        ("身体护理", "青禾香氛身体乳250ml", 119))),
    ("木兰记美妆旗舰店", "tmall", "木兰记", (("香水", "木兰花淡香水50ml", 399), ("家居香氛", "木兰无火香薰200ml", 199),
                                        ("礼盒", "木兰记护肤礼盒", 599))),
    ("雪域集京东自营旗舰店", "jd", "雪域集", (("护肤", "雪莲焕亮精华液30ml", 279), ("护肤", "雪莲保湿水150ml", 149),
                                        ("防晒", "雪域清透防晒乳50ml", 159))),
)
EVENTS = ((6, 18), (11, 11))  # 618, 双11
WARMUP_DAYS = 10
ORDINARY_OFF = (0.03, 0.08)  # the everyday coupon
WARMUP_OFF = (0.12, 0.18)
PEAK_OFF = (0.22, 0.30)


def _events_in(start: dt.date, end: dt.date) -> list[dt.date]:
    return [dt.date(y, m, d) for y in range(start.year, end.year + 1) for m, d in EVENTS
            if start <= dt.date(y, m, d) <= end]


def _phase(day: dt.date, events: list[dt.date]) -> str:
    """ordinary, warmup or peak (the event day and the day before)."""
    for event in events:
        lead = (event - day).days
        if 0 <= lead <= 1:
            return "peak"
        if 0 <= lead <= WARMUP_DAYS:
            return "warmup"
    return "ordinary"


def snapshot_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Weekly from ``start``, daily from 14 days before to 3 days after each event inside the window."""
    days = {start + dt.timedelta(days=k) for k in range(0, (end - start).days + 1, 7)}
    for event in _events_in(start, end):
        for k in range(-14, 4):
            day = event + dt.timedelta(days=k)
            if start <= day <= end:
                days.add(day)
    return sorted(days)


def rival_snapshots(rng: np.random.Generator, start: dt.date, end: dt.date) -> list[RivalSnapshotSpec]:
    """Every rival item on every snapshot day (see the module's docstring)."""
    events = _events_in(start, end)
    days = snapshot_days(start, end)
    out: list[RivalSnapshotSpec] = []
    for s, (shop, channel, brand, items) in enumerate(RIVAL_SHOPS):
        for i, (category, name, price_yuan) in enumerate(items):
            item_id = f"{'6' if channel == 'tmall' else '10'}{int(rng.integers(10**10, 10**11))}"
            titles = _titles(rng, brand, name, category, days, events, twice=(s + i) % 2 == 0)
            base_sales = int(rng.integers(800, 6000))
            reviews = int(rng.integers(2000, 40000))
            rank = int(rng.integers(5, 60))
            for day in days:
                phase = _phase(day, events)
                off = rng.uniform(*{"ordinary": ORDINARY_OFF, "warmup": WARMUP_OFF, "peak": PEAK_OFF}[phase])
                price_fen = price_yuan * 100
                promo = int(round(price_fen * (1 - off) / 100)) * 100  # 到手价 in whole yuan
                lift = {"ordinary": 1.0, "warmup": 1.8, "peak": 3.0}[phase]
                reviews += int(rng.integers(5, 60))
                out.append(RivalSnapshotSpec(
                    date=day, channel=channel, shop=shop, item_id=item_id, title=titles[day], category=category,
                    price_fen=price_fen, promo_price_fen=promo,
                    sales_estimate=int(base_sales * lift * rng.uniform(0.85, 1.15)), reviews=reviews,
                    rank=max(1, rank + int(rng.integers(-4, 5)) - (3 if phase != "ordinary" else 0))))
    return out


def _titles(rng: np.random.Generator, brand: str, name: str, category: str, days: list[dt.date],
            events: list[dt.date], *, twice: bool) -> dict[dt.date, str]:
    """The item's title on each snapshot day: changed once (a reworded keyword tail), with ``twice`` also a
    大促 title from the warm-up of the last event inside the window."""
    first = f"{brand}{name} {category}正品 补水保湿"
    second = f"{brand}{name} 新升级 {category}官方正品"
    change = days[int(rng.integers(len(days) // 4, max(len(days) // 4 + 1, len(days) // 2)))]
    promo_from = events[-1] - dt.timedelta(days=WARMUP_DAYS) if twice and events else None
    label = "双11" if events and events[-1].month == 11 else "618"
    out = {}
    for day in days:
        title = first if day < change else second
        if promo_from is not None and day >= promo_from:
            title = f"【{label}预售】{second}"
        out[day] = title
    return out
