"""Listings dressed for the listing audit (商品诊断): platform item ids, image URLs, and findings planted on purpose.

The catalog (gen_catalog) writes clean listings within each platform's budget; a shop's real listings are not
all clean, so this component plants, on products drawn from its own random stream (the catalog's draws stay as
they were), the findings the audit must show (``FLAWS``):

* ``too-long``: a 天猫 title over 60 GBK-style bytes (docs/rules/platforms.md#listing-titles: 30 汉字 = 60), a
  抖店 title over 30 characters — 关键词堆叠 gone too far;
* ``absolute``: a 广告法 极限词 (最好, 第一, 顶级, 全网最低价) in the title (docs/rules/ad-law.md);
* ``rival-brand``: another brand's name in the title (“雪域集同款”), which the shop dictionary lists as a rival;
* ``no-attributes``: the brand word missing from the title, no keywords and no subtitle;
* ``no-images`` / ``no-white`` / ``small-image``: no main image at all (details only), no 白底图, a 600×600 主图.

``shop_words`` is the demo brand's shop dictionary (店铺词库): brand words, a model number, rival brands.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from shopops.demo import gen_catalog_data as data
from shopops.demo.gen_catalog import DOUYIN_TITLE_CHARS, PDD_TITLE_CHARS, TMALL_TITLE_BYTES, gbk_bytes
from shopops.demo.spec import ListingSpec, ProductSpec, ShopWordSpec

ABSOLUTE_CLAIMS = ("效果最好", "销量第一", "顶级", "全网最低价")  # 广告法 极限词: 最好, 第一, 顶级, 全网最低价
RIVAL_BRANDS = ("雪域集", "青禾良品", "木兰记")  # fictional rival brands (their shops are in gen_rivals)
MODEL_NUMBER = "SCJ-2026A"  # a model number the tokenizer must keep whole
STUFFING = ("2026新款", "官方正品", "旗舰店同款", "大容量", "送女友", "礼盒装", "包邮")
FLAWS = ("too-long", "absolute", "rival-brand", "no-attributes", "no-images", "no-white", "small-image")
ID_PREFIX = {"tmall": "6", "jd": "10", "douyin": "35", "pdd": "48", "xiaohongshu": "64", "own-site": "9",
             "wecom": "8"}


def shop_words() -> list[ShopWordSpec]:
    """The demo brand's dictionary: its brand words, a model number and the rival brands."""
    return [ShopWordSpec(data.BRAND, "brand", "品牌名"), ShopWordSpec(data.BRAND_LATIN, "brand", "品牌英文名"),
            ShopWordSpec("山茶花", "term", "核心成分"), ShopWordSpec(MODEL_NUMBER, "model", "礼盒型号"),
            *(ShopWordSpec(rival, "rival_brand", "竞品品牌") for rival in RIVAL_BRANDS)]


def _pick(rng: np.random.Generator, pool: list[int], count: int) -> list[int]:
    """``count`` distinct products from ``pool`` (all of them when the pool is small)."""
    if len(pool) <= count:
        return list(pool)
    return sorted(int(i) for i in rng.choice(pool, size=count, replace=False))


def _plan(rng: np.random.Generator, products: list[ProductSpec]) -> dict[tuple[int, str], set[str]]:
    """(product index, channel) → flaws to plant. Draws in a fixed order, so one seed gives one shop."""
    on = {ch: [i for i, p in enumerate(products) if any(li.channel == ch for li in p.listings)]
          for ch in ("tmall", "jd", "douyin", "pdd")}
    plan: dict[tuple[int, str], set[str]] = {}

    def plant(channel: str, flaw: str, count: int) -> None:
        for i in _pick(rng, on[channel], count):
            plan.setdefault((i, channel), set()).add(flaw)

    plant("tmall", "too-long", 4)
    plant("douyin", "too-long", 3)
    plant("tmall", "absolute", 2)
    plant("jd", "absolute", 2)
    plant("tmall", "rival-brand", 2)
    plant("pdd", "rival-brand", 1)
    plant("jd", "no-attributes", 2)
    plant("tmall", "no-attributes", 1)
    plant("tmall", "no-images", 1)
    plant("pdd", "no-images", 1)
    plant("tmall", "no-white", 2)
    plant("jd", "small-image", 2)
    return plan


def _overlong(title: str, channel: str) -> str:
    """Keep stuffing keywords past the platform's budget (the over-long title an operator pastes)."""
    for word in STUFFING:
        if channel == "tmall" and gbk_bytes(title) > TMALL_TITLE_BYTES + 6:
            break
        if channel == "douyin" and len(title) > DOUYIN_TITLE_CHARS + 3:
            break
        if word not in title:
            title += (" " if channel == "douyin" else "") + word
    return title


def _too_long(title: str, channel: str) -> bool:
    return ((channel == "tmall" and gbk_bytes(title) > TMALL_TITLE_BYTES)
            or (channel == "douyin" and len(title) > DOUYIN_TITLE_CHARS)
            or (channel == "pdd" and len(title) > PDD_TITLE_CHARS))


def _fit(title: str, channel: str, words: tuple[str, ...]) -> str:
    """Drop stuffed keywords from the tail (whole words, as an operator would) so a planted claim or rival name
    does not also make the title too long; cut characters only when no keyword is left to drop."""
    while _too_long(title, channel):
        tail = next((w for w in words if title.rstrip().endswith(w)), None)
        title = title.rstrip()[: -len(tail)] if tail else title[:-1]
        title = title.rstrip()
    return title


def _words(product: ProductSpec) -> tuple[str, ...]:
    """The selling and category words the catalog stuffs titles with (gen_catalog._listing)."""
    item = next(p for p in data.PRODUCTS if product.title == data.BRAND + p.name.removeprefix(data.BRAND))
    category = next(c for c in data.CATEGORIES if c.code == item.category)
    return (*item.words, *category.words)


def _dress(listing: ListingSpec, product: ProductSpec, flaws: set[str], n: int, item_id: str) -> ListingSpec:
    """The listing with its item id and gallery URLs, and the planted ``flaws`` applied (``n`` picks the
    claim or rival brand, so neighbouring products differ)."""
    title, subtitle, keywords = listing.title, listing.subtitle, listing.keywords
    media = [{**item, "url": str(item["url"]).replace(f"/{listing.channel}/", f"/{listing.channel}/{item_id}/")}
             for item in listing.media]
    if "absolute" in flaws:
        title = ABSOLUTE_CLAIMS[n % len(ABSOLUTE_CLAIMS)] + title
    if "rival-brand" in flaws:
        name = product.title.removeprefix(data.BRAND)
        rival = RIVAL_BRANDS[n % len(RIVAL_BRANDS)] + "同款"
        title = title.replace(name, name + rival, 1) if name in title else title + rival
    if "too-long" in flaws:
        title = _overlong(title, listing.channel)
    else:
        title = _fit(title, listing.channel, (*_words(product), "官方正品", "直播间专享"))
    if "no-attributes" in flaws:
        title = title.replace(f"（{data.BRAND_LATIN}）", "").replace(data.BRAND, "").strip()
        subtitle, keywords = "", ()
    if "no-images" in flaws:
        media = [item for item in media if item["kind"] == "detail"]
    if "no-white" in flaws:
        media = [item for item in media if item["kind"] != "white"]
    if "small-image" in flaws:
        first = next(i for i, item in enumerate(media) if item["kind"] == "main")
        media[first] = {**media[first], "width": 600, "height": 600}
    return dataclasses.replace(listing, title=title, subtitle=subtitle, keywords=keywords, media=tuple(media),
                               external_id=item_id, flaws=tuple(f for f in FLAWS if f in flaws))


def dress_listings(rng: np.random.Generator, products: list[ProductSpec]) -> list[ProductSpec]:
    """The products with their listings dressed: item ids on every listing, flaws on a few (``FLAWS``)."""
    plan = _plan(rng, products)
    ids = rng.integers(10**9, 10**10, size=(len(products), len(ID_PREFIX)))
    channels = list(ID_PREFIX)
    out = []
    for i, product in enumerate(products):
        listings = tuple(
            _dress(li, product, plan.get((i, li.channel), set()), i,
                   f"{ID_PREFIX[li.channel]}{int(ids[i, channels.index(li.channel)])}")
            for li in product.listings)
        out.append(dataclasses.replace(product, listings=listings))
    return out
