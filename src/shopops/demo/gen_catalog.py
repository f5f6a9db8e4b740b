"""Catalog generation: SPUs, SKUs, barcodes and per-channel listings (商品上架) for the demo brand.

Titles follow each platform's habits (docs/rules/platforms.md#listing-titles): Tmall titles are
keyword-stuffed up to 30 汉字 / 60 bytes (核心词 + 属性词 + 场景词, no spaces); 抖店 names stay within 30 characters; JD
uses the 短标题 shape 品牌名 + 产品词 + 规格. A few listings deliberately carry audit findings (a 广告法 极限词 in a title, a
missing video) so the listing audit has something real to show.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

import numpy as np

from shopops.demo import gen_catalog_data as data
from shopops.demo.gen_calendar import SPRING_FESTIVAL
from shopops.demo.gen_channels import CHANNEL_PLANS
from shopops.demo.spec import CategorySpec, ListingSpec, ProductSpec, SkuSpec

TMALL_TITLE_BYTES = 60  # 30 汉字 = 60 字符 (docs/rules/platforms.md#listing-titles)
DOUYIN_TITLE_CHARS = 30  # 抖店 name: 最多30个字符 (docs/rules/platforms.md#listing-titles)
PDD_TITLE_CHARS = 40
MEDIA_HOST = "https://img.shanchaji.example"  # where the demo's gallery files would be served
NEW_PRODUCT_BOOST = 1.5  # extra demand at launch (新品首发), decaying over about a month
NEW_PRODUCT_DECAY_DAYS = 30.0


@dataclass(frozen=True, slots=True)
class Catalog:
    """The catalog as specs plus the numeric arrays the order generator samples from."""

    categories: list[CategorySpec]
    products: list[ProductSpec]
    skus: list[SkuSpec]
    sku_product: np.ndarray  # product index per SKU (SKUs are ordered by category)
    sku_category: np.ndarray  # category index per SKU
    sku_price: np.ndarray  # list price in fen
    sku_weight: np.ndarray  # base popularity of the SKU
    category_bounds: np.ndarray  # [n_categories + 1]: SKUs of category c are sku_start[c]:sku_start[c+1]
    product_launch_day: np.ndarray  # launch day relative to the window start (negative = before)
    product_new: np.ndarray  # launched inside the window
    channel_affinity: np.ndarray  # [channel, product] demand weight, 0 where the product is not listed
    line_titles: list[list[str]]  # [channel][product] listing title used on order lines
    category_season: np.ndarray  # [12, n_categories]
    category_related: np.ndarray  # [n_categories, n_categories] co-purchase weights
    category_refund: np.ndarray  # [n_categories] relative after-sales rate


def gbk_bytes(text: str) -> int:
    """Length as Taobao counts it: a 汉字 is 2 characters, ASCII is 1
    (docs/rules/platforms.md#listing-titles)."""
    return sum(1 if ord(ch) < 128 else 2 for ch in text)


def _fill(head: str, words: list[str], fits) -> str:
    """Append keywords to ``head`` while the title still fits (关键词堆叠)."""
    title = head
    for word in words:
        if word not in title and fits(title + word):
            title += word
    return title


def ean13_check_digit(first12: str) -> int:
    """GS1 check digit: weights 1,3,1,3… from the left over the first 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def _barcodes(rng: np.random.Generator, count: int) -> list[str]:
    """EAN-13 codes under one GS1 China company prefix (69x…, 9 digits) with 3-digit item references."""
    company = "69" + str(int(rng.integers(2, 10))) + "".join(str(d) for d in rng.integers(0, 10, 6))
    items = np.sort(rng.choice(1000, size=count, replace=False))
    codes = []
    for item in items:
        first12 = f"{company}{int(item):03d}"
        codes.append(first12 + str(ean13_check_digit(first12)))
    return codes


def _size_hint(product: data.ProductData) -> str:
    attrs = product.variants[0][0]
    return attrs.get("规格") or attrs.get("片数") or attrs.get("套装") or ""


def _listing(channel: str, product: data.ProductData, cat: data.CategoryData, thin_gallery: bool,
             flaws: set[str]) -> ListingSpec:
    brand, name = data.BRAND, product.name.removeprefix(data.BRAND)
    words = list(product.words) + list(cat.words)
    selling = "｜".join(product.words[:3])
    keywords = tuple(dict.fromkeys([product.words[-1], *product.words[:2], *cat.words[:2]]))
    if channel == "tmall":
        title = _fill(brand + name, [*words, "官方正品"], lambda t: gbk_bytes(t) <= TMALL_TITLE_BYTES)
        media = ("main_1.jpg", "main_2.jpg", "main_3.jpg", "main_4.jpg", "main_5.jpg", "white.jpg", "video.mp4",
                 "detail_1.jpg", "detail_2.jpg", "detail_3.jpg", "detail_4.jpg")
        subtitle = f"{selling}｜正品保障 假一赔十"
    elif channel == "jd":
        title = f"{brand}（{data.BRAND_LATIN}）{name}{_size_hint(product)} {product.words[0]}{product.words[1]}"
        media = ("main_1.jpg", "main_2.jpg", "main_3.jpg", "main_4.jpg", "main_5.jpg", "white.jpg",
                 "detail_1.jpg", "detail_2.jpg", "detail_3.jpg")
        subtitle = f"{selling}｜京东物流 次日达"
    elif channel == "douyin":
        head = ("顶级" if "douyin-absolute" in flaws else "") + brand + name
        spoken = [f" {w}" for w in (*product.words[:3], "直播间专享")]
        title = _fill(head, spoken, lambda t: len(t) <= DOUYIN_TITLE_CHARS)
        media = ("main_1.jpg", "main_2.jpg", "main_3.jpg", "main_4.jpg", "main_5.jpg", "white.jpg", "video.mp4",
                 "detail_1.jpg")
        subtitle = f"直播间专享｜{selling}"
    elif channel == "pdd":
        claim = ["全网最低价"] if "pdd-absolute" in flaws else []
        title = _fill(f"【官方正品】{brand}{name}", [*claim, *words], lambda t: len(t) <= PDD_TITLE_CHARS)
        media = ("main_1.jpg", "main_2.jpg", "main_3.jpg", "main_4.jpg", "main_5.jpg", "main_6.jpg", "white.jpg",
                 "detail_1.jpg", "detail_2.jpg")
        subtitle = f"品牌直供｜{selling}｜退货包运费"
    elif channel == "xiaohongshu":
        title = f"{brand}｜{name} {product.words[0]} {product.words[1]}"
        media = ("cover.jpg", "note_1.jpg", "note_2.jpg", "note_3.jpg", "video.mp4")
        subtitle = f"{selling}｜真实测评"
    elif channel == "wecom":
        title = f"【会员专享】{name}"
        media = ("main_1.jpg",)
        subtitle = "会员专享价｜积分可抵现"
    else:
        title = name
        media = ("main_1.jpg", "main_2.jpg", "main_3.jpg", "detail_1.jpg")
        subtitle = selling
    if "no-video" in flaws and channel in ("tmall", "douyin"):
        media = tuple(m for m in media if m != "video.mp4")
    if thin_gallery and channel == "tmall":
        media = media[:2] + media[5:]  # a thin gallery: only two main images
    return ListingSpec(channel=channel, title=title, subtitle=subtitle, keywords=keywords,
                       media=tuple(media_item(channel, name) for name in media))


def media_item(channel: str, name: str) -> dict[str, object]:
    """One entry of a listing's ``media`` (docs/rules/listings.md#media) for a file name of the demo's
    galleries: its kind from the name, the pixels and bytes the platform would record (stable per channel and
    name, no random draw: the catalog stream stays as it was). 小红书 covers are 3:4, detail sections 750 wide."""
    spread = zlib.crc32(f"{channel}/{name}".encode())
    url = f"{MEDIA_HOST}/{channel}/{name}"
    if name.endswith(".mp4"):
        return {"kind": "video", "url": url, "bytes": 3_000_000 + spread % 5_000_000, "seconds": 15 + spread % 40}
    if name.startswith("detail_"):
        return {"kind": "detail", "url": url, "width": 750, "height": 1000 + spread % 800,
                "bytes": 150_000 + spread % 250_000}
    kind = "white" if name.startswith("white") else "main"
    width, height = (1080, 1440) if channel == "xiaohongshu" else (800, 800)
    return {"kind": kind, "url": url, "width": width, "height": height, "bytes": 120_000 + spread % 280_000}


def _description(product: data.ProductData, cat: data.CategoryData) -> str:
    specs = "、".join(dict.fromkeys("/".join(v[0].values()) for v in product.variants))
    return (f"{data.BRAND}{product.name.removeprefix(data.BRAND)}：{cat.benefit}，"
            f"主打{product.words[0]}、{product.words[1]}。适用：{cat.who}。用法：{cat.usage}。可选：{specs}。")


def _launch_days(rng: np.random.Generator, start: dt.date, days: int) -> np.ndarray:
    launch = np.empty(len(data.PRODUCTS), dtype=np.int64)
    for i, product in enumerate(data.PRODUCTS):
        if not product.new:
            launch[i] = -int(rng.integers(60, 1500))
            continue
        offset = int(rng.uniform(0.05, 0.85) * max(days - 1, 1))
        if product.category == "giftsets":  # the 新春 gift box goes on sale five weeks before 春节
            for year in (start.year, start.year + 1, start.year + 2):
                cny = SPRING_FESTIVAL.get(year)
                if cny is not None and 0 <= (cny - start).days - 35 < days:
                    offset = (cny - start).days - 35
                    break
        launch[i] = offset
    return launch


def _channel_affinity(rng: np.random.Generator) -> np.ndarray:
    """Which products each channel lists, and how well they sell there (PDD favours cheap sizes, Douyin
    gift sets and new launches, Xiaohongshu fragrance; the private domain favours core skin care)."""
    n = len(data.PRODUCTS)
    min_price = np.array([min(v[1] for v in p.variants) for p in data.PRODUCTS], dtype=np.float64)
    popularity = np.array([p.popularity for p in data.PRODUCTS])
    category = [p.category for p in data.PRODUCTS]
    new = np.array([p.new for p in data.PRODUCTS])
    affinity = np.ones((len(CHANNEL_PLANS), n))
    for c, plan in enumerate(CHANNEL_PLANS):
        listed = np.ones(n, dtype=bool)
        weight = np.ones(n)
        if plan.code == "douyin":
            listed = (popularity >= 3.0) | new | (rng.random(n) < 0.5)
            weight *= np.where(new, 1.6, 1.0) * np.where([k == "giftsets" for k in category], 1.5, 1.0)
        elif plan.code == "pdd":
            listed = (min_price <= 200) & ((popularity >= 4.0) | (rng.random(n) < 0.6))
            weight *= (min_price / 150.0) ** -0.7
        elif plan.code == "xiaohongshu":
            scented = np.array([k in ("fragrance", "home-fragrance", "bodycare") for k in category])
            listed = scented | new | (popularity >= 6.0) | (rng.random(n) < 0.3)
            weight *= np.where(scented, 1.8, 1.0)
        elif plan.code in ("own-site", "wecom"):
            weight *= np.where([k in ("skincare", "cleansing") for k in category], 1.3, 1.0)
        affinity[c] = listed * weight
    return affinity


@dataclass(slots=True)
class _SkuColumns:
    """The SKUs built product by product, with the per-SKU numbers the order generator samples from."""

    skus: list[SkuSpec] = field(default_factory=list)
    product: list[int] = field(default_factory=list)
    category: list[int] = field(default_factory=list)
    price: list[int] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)


def build_catalog(rng: np.random.Generator, start: dt.date, days: int) -> Catalog:
    """The demo brand's catalog for a window starting at ``start``; products sorted by category.

    Draws from ``rng`` in a fixed order (launch days, channel affinity, flawed listings, barcodes, then per
    product its cost rate, variant shares, popularity and variant costs): the same seed gives the same shop."""
    cat_index = {c.code: i for i, c in enumerate(data.CATEGORIES)}
    categories = [CategorySpec(code=c.code, name=c.name) for c in data.CATEGORIES]
    order = sorted(range(len(data.PRODUCTS)), key=lambda i: cat_index[data.PRODUCTS[i].category])
    assert order == list(range(len(data.PRODUCTS))), "catalog data must be grouped by category"

    launch = _launch_days(rng, start, days)
    affinity = _channel_affinity(rng)
    flaws, thin_gallery = _listing_flaws(rng, len(data.PRODUCTS))
    barcodes = _barcodes(rng, sum(len(p.variants) for p in data.PRODUCTS))
    counters: dict[str, int] = {}
    products: list[ProductSpec] = []
    columns = _SkuColumns()
    line_titles: list[list[str]] = [[] for _ in CHANNEL_PLANS]
    for p_idx, product in enumerate(data.PRODUCTS):
        cat = data.CATEGORIES[cat_index[product.category]]
        counters[cat.code] = counters.get(cat.code, 100) + 1
        spu_code = f"SC{cat.spu_prefix}{counters[cat.code]}"
        listings = []
        for c, plan in enumerate(CHANNEL_PLANS):
            listing = _listing(plan.code, product, cat, p_idx in thin_gallery, flaws.get(p_idx, set()))
            line_titles[c].append(listing.title)
            if affinity[c, p_idx] > 0:
                listings.append(listing)
        products.append(ProductSpec(
            spu_code=spu_code, title=f"{data.BRAND}{product.name.removeprefix(data.BRAND)}",
            category_code=cat.code, brand=data.BRAND, description=_description(product, cat),
            launched_on=start + dt.timedelta(days=int(launch[p_idx])), listings=tuple(listings)))
        _add_skus(rng, columns, product, p_idx, cat_index[cat.code], spu_code, barcodes)
    return Catalog(
        categories=categories, products=products, skus=columns.skus,
        sku_product=np.array(columns.product, dtype=np.int64), sku_category=np.array(columns.category, dtype=np.int64),
        sku_price=np.array(columns.price, dtype=np.int64), sku_weight=np.array(columns.weight),
        category_bounds=_category_bounds(columns.category), product_launch_day=launch,
        product_new=np.array([p.new for p in data.PRODUCTS]), channel_affinity=affinity,
        line_titles=line_titles,
        category_season=np.array([c.season for c in data.CATEGORIES]).T,
        category_related=_related_categories(cat_index),
        category_refund=np.array([c.refund_mult for c in data.CATEGORIES]))


def _listing_flaws(rng: np.random.Generator, n_products: int) -> tuple[dict[int, set[str]], set[int]]:
    """Six distinct products whose listings carry audit findings (a 极限词 on PDD / Douyin, no video, a thin
    gallery), so the listing audit has something real to show: (flaws by product, thin-gallery products)."""
    flawed = rng.choice(n_products, size=6, replace=False)
    flaws: dict[int, set[str]] = {int(flawed[0]): {"pdd-absolute"}, int(flawed[1]): {"douyin-absolute"},
                                  int(flawed[2]): {"no-video"}, int(flawed[3]): {"no-video"}}
    return flaws, {int(flawed[4]), int(flawed[5])}


def _add_skus(rng: np.random.Generator, columns: _SkuColumns, product: data.ProductData, p_idx: int,
              category: int, spu_code: str, barcodes: list[str]) -> None:
    """The product's variants as SKUs: one cost rate per product (each variant within ±7 %, at most 45 % of
    the price), popularity split over the variants with the first sizes favoured."""
    cost_rate = rng.uniform(0.2, 0.42)
    shares = rng.gamma(3.0, 1.0, len(product.variants)) * np.linspace(1.2, 0.7, len(product.variants))
    shares = shares / shares.sum()
    popularity = product.popularity * rng.lognormal(0.0, 0.25)
    for v_idx, (attributes, price_yuan) in enumerate(product.variants):
        price_fen = price_yuan * 100
        cost_fen = int(round(price_fen * min(0.45, cost_rate * rng.uniform(0.93, 1.07)) / 10) * 10)
        columns.skus.append(SkuSpec(sku_code=f"{spu_code}-{v_idx + 1:02d}", spu_code=spu_code,
                                    attributes=dict(attributes), price_fen=price_fen, cost_fen=cost_fen,
                                    barcode=barcodes[len(columns.skus)]))
        columns.product.append(p_idx)
        columns.category.append(category)
        columns.price.append(price_fen)
        columns.weight.append(popularity * shares[v_idx])


def _category_bounds(sku_category: list[int]) -> np.ndarray:
    """[n_categories + 1] offsets: the SKUs of category c are bounds[c]:bounds[c + 1] (SKUs are grouped)."""
    return np.searchsorted(np.array(sku_category, dtype=np.int64), np.arange(len(data.CATEGORIES) + 1),
                           side="left")


def _related_categories(cat_index: dict[str, int]) -> np.ndarray:
    """Co-purchase weights between categories (共购), symmetric; gift sets go with everything alike."""
    n_cat = len(data.CATEGORIES)
    related = np.full((n_cat, n_cat), data.RELATED_DEFAULT)
    for (a, b), weight in data.RELATED.items():
        related[cat_index[a], cat_index[b]] = related[cat_index[b], cat_index[a]] = weight
    gift = cat_index["giftsets"]
    related[gift, :] = related[:, gift] = data.RELATED_GIFT
    return related


def sku_day_weights(catalog: Catalog, month: np.ndarray) -> np.ndarray:
    """Demand weight per [day, channel, SKU]: listing × popularity × category season × launch curve."""
    days = np.arange(len(month))
    since = days[:, None] - catalog.product_launch_day[None, :]  # [day, product]
    launched = since >= 0
    boost = np.where(catalog.product_new[None, :] & launched,
                     1.0 + NEW_PRODUCT_BOOST * np.exp(-np.maximum(since, 0) / NEW_PRODUCT_DECAY_DAYS), 1.0)
    product_day = launched * boost  # [day, product]
    season = catalog.category_season[month][:, catalog.sku_category]  # [day, sku]
    sku_day = product_day[:, catalog.sku_product] * season * catalog.sku_weight[None, :]
    channel_sku = catalog.channel_affinity[:, catalog.sku_product]  # [channel, sku]
    return sku_day[:, None, :] * channel_sku[None, :, :]
