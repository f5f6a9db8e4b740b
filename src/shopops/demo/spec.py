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
    media: tuple[str, ...]  # file names of main images / video, e.g. ("main_1.jpg", "video.mp4")


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
