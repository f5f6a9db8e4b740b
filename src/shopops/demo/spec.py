"""What the demo world produces: plain, immutable records with no Django in them.

The world (``demo.world.build_world``) is one generative model of a brand; sinks (``demo.sinks``) turn
its output into DB records, export files or lake rows. New components (ads, events, stock,
tickets, members) are added as new fields here and new generator modules, each drawing from its own random
stream so that adding one never changes the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class WorldConfig:
    seed: int = 42
    days: int = 365
    end_date: dt.date | None = None  # last simulated business date (inclusive); None = yesterday in Asia/Shanghai
    scale: float = 1.0  # multiplies traffic and customer acquisition (1.0 gives >= 50,000 orders a year)
    tz: str = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    code: str  # one of shopops.channels.domain.CHANNEL_CODES
    account_name: str  # e.g. "山茶集天猫旗舰店"
    share: float  # share of the brand's traffic


@dataclass(frozen=True, slots=True)
class CategorySpec:
    code: str  # slug, e.g. "skincare"
    name: str  # e.g. "护肤"


@dataclass(frozen=True, slots=True)
class ListingSpec:
    channel: str
    # platform-style title (<= 30 Chinese characters on Taobao/Tmall, docs/rules/platforms.md#listing-titles)
    title: str
    subtitle: str
    keywords: tuple[str, ...]
    # pictures and video in display order, docs/rules/listings.md#media: {"kind", "url", "width", "height", "bytes"}
    media: tuple[dict[str, object], ...]
    external_id: str = ""  # the platform's item id (商品ID), as search-term reports name the item
    flaws: tuple[str, ...] = ()  # audit findings planted on purpose (demo.gen_listings.FLAWS)


@dataclass(frozen=True, slots=True)
class ProductSpec:
    spu_code: str
    title: str
    category_code: str
    brand: str
    description: str
    launched_on: dt.date
    listings: tuple[ListingSpec, ...]


@dataclass(frozen=True, slots=True)
class SkuSpec:
    sku_code: str
    spu_code: str
    attributes: dict[str, str]  # e.g. {"规格": "50ml"} or {"颜色": "雾霾蓝", "尺码": "M"}
    price_fen: int
    cost_fen: int
    barcode: str


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    code: str
    name: str  # nickname
    phone_masked: str  # e.g. "138****5678"
    province: str
    city: str
    created_at: dt.datetime  # aware, UTC
    identities: tuple[tuple[str, str], ...]  # (channel code, channel-side id)


@dataclass(frozen=True, slots=True)
class LineSpec:
    sku_code: str
    title: str
    qty: int
    unit_price_fen: int
    discount_fen: int  # this line's share of the order discount (largest remainder, sums to the order's)


@dataclass(frozen=True, slots=True)
class OrderSpec:
    order_no: str
    channel: str
    customer_code: str
    placed_at: dt.datetime  # aware, UTC
    paid_at: dt.datetime  # aware, UTC
    status: str  # "paid" | "shipped" | "completed" | "closed"
    lines: tuple[LineSpec, ...]
    shipping_fen: int
    promotions: tuple[str, ...]  # labels of the promotions applied, e.g. ("双11 满300减50",)
    source: str  # traffic source code, see TrafficSpec.source
    province: str
    city: str

    @property
    def goods_fen(self) -> int:
        return sum(line.unit_price_fen * line.qty for line in self.lines)

    @property
    def discount_fen(self) -> int:
        return sum(line.discount_fen for line in self.lines)

    @property
    def paid_fen(self) -> int:
        return self.goods_fen - self.discount_fen + self.shipping_fen


@dataclass(frozen=True, slots=True)
class RefundSpec:
    refund_no: str
    order_no: str
    channel: str
    line_index: int | None  # index into OrderSpec.lines, None for a whole-order refund
    kind: str  # "refund_only" | "return_refund"
    amount_fen: int  # > 0 and never more than what was paid for the line (or order)
    reason: str  # one of orders.models.Refund.Reason values
    status: str  # "pending" | "success" | "rejected" | "closed"
    requested_at: dt.datetime
    completed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class TrafficSpec:
    """Platform-reported daily aggregates by date × channel × source (like 生意参谋 exports)."""

    date: dt.date
    channel: str
    source: str  # e.g. "search", "recommend", "ads", "live", "content", "direct", "private"
    uv: int
    pv: int
    buyers: int  # distinct paying buyers that day from that source (consistent with orders)
    paid_fen: int


@dataclass(frozen=True, slots=True)
class CampaignDay:
    date: dt.date
    name: str  # "618", "双11", "年货节", "双12", "38节", "会员日"
    intensity: float  # traffic multiplier applied that day


@dataclass(frozen=True, slots=True)
class SearchTermSpec:
    """One 生意参谋 搜索词 row: a day's search term that brought visitors to one item (search-terms format)."""

    date: dt.date
    channel: str
    term: str
    item_id: str  # the listing's external_id
    impressions: int
    visitors: int  # 访客数, never above item_uv
    clicks: int
    orders: int
    sales_fen: int
    rank: int
    item_uv: int  # the item's visitors that day (all sources): the ceiling of its search terms' visitors
    in_title: bool  # False: a converting term the listing's title lacks (a keyword gap)


@dataclass(frozen=True, slots=True)
class RivalSnapshotSpec:
    """One competitor-snapshot row: a rival shop's item as seen on one day."""

    date: dt.date
    channel: str
    shop: str
    item_id: str
    title: str
    category: str
    price_fen: int  # 一口价
    promo_price_fen: int  # 到手价
    sales_estimate: int
    reviews: int
    rank: int


@dataclass(frozen=True, slots=True)
class ShopWordSpec:
    word: str
    kind: str  # listings.models.ShopWord.Kind: brand, model, term, rival_brand, allowed
    note: str = ""


@dataclass(slots=True)
class World:
    config: WorldConfig
    start_date: dt.date
    end_date: dt.date
    brand: str
    shop_name: str
    channels: list[ChannelSpec] = field(default_factory=list)
    categories: list[CategorySpec] = field(default_factory=list)
    products: list[ProductSpec] = field(default_factory=list)
    skus: list[SkuSpec] = field(default_factory=list)
    customers: list[CustomerSpec] = field(default_factory=list)
    orders: list[OrderSpec] = field(default_factory=list)
    refunds: list[RefundSpec] = field(default_factory=list)
    traffic: list[TrafficSpec] = field(default_factory=list)
    campaign_days: list[CampaignDay] = field(default_factory=list)
    search_terms: list[SearchTermSpec] = field(default_factory=list)
    rival_snapshots: list[RivalSnapshotSpec] = field(default_factory=list)
    shop_words: list[ShopWordSpec] = field(default_factory=list)
