"""Search terms (生意参谋 搜索词): which searches brought visitors to the best-selling items, day by day.

Consistent with the world's traffic and orders: an item's visitors of the day (``item_uv``) are its channel's
visitors times the item's share of the channel's order lines over the window (at least its buyers that day);
search brings 30–50 % of them, split over the item's terms, so a term's visitors — and their sum — never exceed
the item's UV. Terms are the title's own words plus two converting terms the title lacks (keyword gaps, the
title suggestions' raw material); a term's orders are drawn from its visitors at the item's conversion rate
(gaps convert better: they are what buyers really type). Only the top items per channel (``TOP_ITEMS``) get
rows, which keeps the demo's build time in check.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import numpy as np

from shopops.demo import gen_catalog_data as data
from shopops.demo.spec import OrderSpec, ProductSpec, SearchTermSpec, SkuSpec, TrafficSpec

SEARCH_CHANNELS = ("tmall", "jd", "douyin", "pdd")  # the channels whose back office exports search terms
TOP_ITEMS = 4
SEARCH_SHARE = (0.30, 0.50)  # share of an item's visitors that come from search, uniform per item-day
GAP_MODIFIERS = ("平价", "学生党", "送女友", "孕妇可用", "敏感肌", "大容量", "秋冬", "新款")
GAP_LIFT = 1.6  # a gap term converts this much better than the item's average


def _terms(product: ProductSpec, cat_words: tuple[str, ...], words: tuple[str, ...], title: str
           ) -> list[tuple[str, bool]]:
    """(term, in the title) for one listing: up to four title words, then two converting terms it lacks."""
    core = words[-1]
    in_title = [w for w in dict.fromkeys([data.BRAND + core, *words, *cat_words]) if w in title][:4]
    gaps = [core + m for m in GAP_MODIFIERS if m not in title and core + m not in title][:2]
    return [(t, True) for t in in_title] + [(t, False) for t in gaps]


def search_term_specs(rng: np.random.Generator, products: list[ProductSpec], skus: list[SkuSpec],
                      orders: list[OrderSpec], traffic: list[TrafficSpec], dates: tuple[dt.date, ...],
                      tz: str) -> list[SearchTermSpec]:
    """Daily search-term rows for the top items of each search channel (see the module's docstring); days are
    business dates in the shop's time zone ``tz``, as the traffic report's."""
    spu_of = {sku.sku_code: sku.spu_code for sku in skus}
    zone = ZoneInfo(tz)
    lines: Counter[tuple[str, str]] = Counter()
    day_orders: Counter[tuple[dt.date, str, str]] = Counter()
    day_paid: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for order in orders:
        if order.channel not in SEARCH_CHANNELS:
            continue
        day = order.placed_at.astimezone(zone).date()
        for line in order.lines:
            spu = spu_of[line.sku_code]
            lines[(order.channel, spu)] += 1
            day_orders[(day, order.channel, spu)] += 1
            day_paid[(order.channel, spu)].append(line.unit_price_fen)
    channel_uv: Counter[tuple[dt.date, str]] = Counter()
    for row in traffic:
        channel_uv[(row.date, row.channel)] += row.uv
    by_spu = {p.spu_code: p for p in products}
    product_words = {f"{data.BRAND}{p.name.removeprefix(data.BRAND)}": p.words for p in data.PRODUCTS}
    cat_words = {c.code: c.words for c in data.CATEGORIES}
    out: list[SearchTermSpec] = []
    for channel in SEARCH_CHANNELS:
        total = sum(n for (ch, _spu), n in lines.items() if ch == channel)
        top = sorted(((n, spu) for (ch, spu), n in lines.items() if ch == channel), reverse=True)[:TOP_ITEMS]
        for count, spu in top:
            product = by_spu[spu]
            listing = next((li for li in product.listings if li.channel == channel), None)
            if listing is None or not total:
                continue
            terms = _terms(product, cat_words[product.category_code], product_words[product.title], listing.title)
            price = int(np.median(day_paid[(channel, spu)]))
            out.extend(_item_rows(rng, channel, listing.external_id, terms, count / total, price, dates,
                                  channel_uv, day_orders, spu))
    return out


def _item_rows(rng: np.random.Generator, channel: str, item_id: str, terms: list[tuple[str, bool]], share: float,
               price_fen: int, dates: tuple[dt.date, ...], channel_uv: Counter, day_orders: Counter,
               spu: str) -> list[SearchTermSpec]:
    """One item's rows over the window: visitors split over its terms, orders drawn at its conversion rate."""
    weights = rng.dirichlet(np.full(len(terms), 2.0), size=len(dates))
    search = rng.uniform(*SEARCH_SHARE, len(dates))
    rank = rng.integers(1, 40, size=len(terms))
    lift = np.array([1.0 if in_title else GAP_LIFT for _t, in_title in terms])
    rows = []
    for d, day in enumerate(dates):
        bought = day_orders[(day, channel, spu)]
        item_uv = max(bought, round(channel_uv[(day, channel)] * share))
        if item_uv == 0:
            continue
        visitors = rng.multinomial(int(item_uv * search[d]), weights[d])
        cvr = np.minimum(1.0, bought / item_uv * lift)
        term_orders = rng.binomial(visitors, cvr)
        clicks = visitors + rng.poisson(visitors * 0.3)
        shown = np.rint(clicks * rng.uniform(8, 25, len(terms))).astype(np.int64)
        for k, (term, in_title) in enumerate(terms):
            if visitors[k] == 0:
                continue
            rows.append(SearchTermSpec(
                date=day, channel=channel, term=term, item_id=item_id, impressions=int(shown[k]),
                visitors=int(visitors[k]), clicks=int(clicks[k]), orders=int(term_orders[k]),
                sales_fen=int(term_orders[k]) * price_fen, rank=int(rank[k]), item_uv=int(item_uv),
                in_title=in_title))
    return rows

