"""The brand's channels (渠道) and how shoppers arrive on each (流量来源), as plain data.

Source mixes follow the platforms' own traffic reports (生意参谋 / 京东商智 / 抖店罗盘,
docs/rules/platforms.md#traffic-sources): Tmall and JD are search-led (搜索) with 推荐 (猜你喜欢) and paid ads
(直通车/万相台, 京东快车); Douyin is live-led (直播) with short video (内容) and 千川 ads; Xiaohongshu is content-led (笔记);
the own mini-program and WeCom live on direct visits and the private domain (私域). New and returning buyers
arrive differently: returning ones come back through 收藏/购物车/已购 (direct) and private-domain pushes.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES: tuple[str, ...] = ("search", "recommend", "ads", "live", "content", "direct", "private")

# New-visitor conversion (支付转化率) by source before channel and campaign adjustments.
SOURCE_CVR: dict[str, float] = {
    "search": 0.028, "recommend": 0.009, "ads": 0.016, "live": 0.024,
    "content": 0.011, "direct": 0.035, "private": 0.05,
}
# Page views per visitor (PV/UV, 人均浏览量) by source.
SOURCE_PV_PER_UV: dict[str, float] = {
    "search": 3.2, "recommend": 2.1, "ads": 2.4, "live": 1.6, "content": 1.8, "direct": 4.5, "private": 3.8,
}


@dataclass(frozen=True, slots=True)
class ChannelPlan:
    code: str
    account_suffix: str  # account name = brand + suffix
    base_uv: float  # new-visitor UV on an ordinary day at scale 1.0 (before rhythm, trend and noise)
    cvr_mult: float  # the platform's conversion level relative to SOURCE_CVR
    campaign_response: float  # exponent on the calendar intensity (marketplaces react most to 大促)
    growth: float  # yearly log-growth of new-visitor traffic (Douyin and Xiaohongshu grow fastest)
    sources: tuple[tuple[str, float], ...]  # new-visitor source mix
    repeat_sources: tuple[tuple[str, float], ...]  # how returning buyers arrive
    switch_weight: float  # attractiveness as a *second* channel for a returning buyer


CHANNEL_PLANS: tuple[ChannelPlan, ...] = (
    ChannelPlan("tmall", "官方旗舰店", 3600, 1.0, 1.0, 0.05,
                (("search", 0.38), ("recommend", 0.22), ("ads", 0.22), ("live", 0.08), ("content", 0.04),
                 ("direct", 0.06)),
                (("search", 0.33), ("direct", 0.42), ("recommend", 0.15), ("ads", 0.05), ("live", 0.05)),
                0.20),
    ChannelPlan("jd", "京东旗舰店", 1500, 1.1, 1.0, 0.0,
                (("search", 0.45), ("recommend", 0.20), ("ads", 0.25), ("direct", 0.10)),
                (("search", 0.40), ("direct", 0.45), ("recommend", 0.10), ("ads", 0.05)), 0.10),
    ChannelPlan("douyin", "抖音官方旗舰店", 2600, 0.9, 0.85, 0.35,
                (("live", 0.45), ("content", 0.25), ("ads", 0.20), ("search", 0.10)),
                (("live", 0.50), ("content", 0.15), ("direct", 0.25), ("search", 0.10)), 0.10),
    ChannelPlan("pdd", "拼多多官方旗舰店", 1200, 1.35, 0.8, 0.10,
                (("search", 0.40), ("recommend", 0.30), ("ads", 0.25), ("direct", 0.05)),
                (("search", 0.40), ("direct", 0.35), ("recommend", 0.25)), 0.05),
    ChannelPlan("xiaohongshu", "小红书官方店", 900, 0.8, 0.7, 0.25,
                (("content", 0.55), ("search", 0.20), ("live", 0.15), ("direct", 0.10)),
                (("content", 0.40), ("direct", 0.40), ("search", 0.20)), 0.05),
    ChannelPlan("own-site", "会员商城小程序", 350, 1.1, 0.6, 0.20,
                (("direct", 0.45), ("private", 0.35), ("content", 0.20)),
                (("direct", 0.50), ("private", 0.50)), 0.15),
    ChannelPlan("wecom", "企业微信福利官", 150, 1.2, 0.6, 0.30,
                (("private", 1.0),),
                (("private", 1.0),), 0.35),
)

# Probability that a returning buyer buys again on the channel of the previous purchase.
STAY_ON_CHANNEL = 0.8


def channel_sources(plan: ChannelPlan) -> tuple[str, ...]:
    """All traffic sources reported for a channel, in SOURCES order."""
    used = {s for s, _ in plan.sources} | {s for s, _ in plan.repeat_sources}
    return tuple(s for s in SOURCES if s in used)
