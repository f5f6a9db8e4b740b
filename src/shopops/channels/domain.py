"""The sales channels ShopOps knows (Taobao/Tmall, JD, Douyin, PDD, Xiaohongshu, own sites, WeCom)."""

from __future__ import annotations

from dataclasses import dataclass

from shopops.core.text import Text, gettext_noop


@dataclass(frozen=True, slots=True)
class NamedCode:
    """A code with its names: ``name_zh`` is the stored Chinese name; ``name`` is the English label that faces
    say in the user's language (its zh-Hans msgstr is ``name_zh``)."""

    code: str
    name_zh: str
    name: Text


@dataclass(frozen=True, slots=True)
class ChannelInfo(NamedCode):
    """A sales channel (name_zh: the model choices' and account names' Chinese name)."""

    private_domain: bool = False


CHANNELS: tuple[ChannelInfo, ...] = (
    ChannelInfo("tmall", "天猫", gettext_noop("Tmall")),
    ChannelInfo("taobao", "淘宝", gettext_noop("Taobao")),
    ChannelInfo("jd", "京东", gettext_noop("JD")),
    ChannelInfo("douyin", "抖音", gettext_noop("Douyin")),
    ChannelInfo("pdd", "拼多多", gettext_noop("Pinduoduo")),
    ChannelInfo("xiaohongshu", "小红书", gettext_noop("Xiaohongshu")),
    ChannelInfo("shopify", "Shopify 独立站", gettext_noop("Shopify")),
    ChannelInfo("amazon", "亚马逊", gettext_noop("Amazon")),
    ChannelInfo("own-site", "自有小程序", gettext_noop("Own site")),
    ChannelInfo("wecom", "企业微信私域", gettext_noop("WeCom private domain"), private_domain=True),
)
CHANNEL_CODES = tuple(c.code for c in CHANNELS)
CHANNELS_BY_CODE = {c.code: c for c in CHANNELS}
CHANNEL_CHOICES = [(c.code, c.name_zh) for c in CHANNELS]  # the models' choices (Chinese names, as stored)


def channel_code_of(text: str) -> str | None:
    """The channel code a person typed: the code (any case), the Chinese name (天猫) or the English label
    (Tmall); None when it names no known channel."""
    wanted = (text or "").strip().casefold()
    for info in CHANNELS:
        if wanted in (info.code, info.name_zh.casefold(), info.name.casefold()):
            return info.code
    return None


# Traffic source codes (流量来源) as the demo world (demo.gen_channels.SOURCES) and the own-site log write them.
# Platform reports carry their own Chinese source names (手淘搜索, 直通车…), which are shown as they are.
TRAFFIC_SOURCES: tuple[NamedCode, ...] = (
    NamedCode("search", "搜索", gettext_noop("Search")),
    NamedCode("recommend", "推荐", gettext_noop("Recommendations")),
    NamedCode("ads", "付费推广", gettext_noop("Paid ads")),
    NamedCode("live", "直播", gettext_noop("Live streams")),
    NamedCode("content", "内容", gettext_noop("Content")),
    NamedCode("direct", "直接访问", gettext_noop("Direct visits")),
    NamedCode("private", "私域", gettext_noop("Private domain")),
    NamedCode("ad", "付费推广", gettext_noop("Paid ads")),
    NamedCode("home", "首页", gettext_noop("Home page")),
    NamedCode("share", "分享", gettext_noop("Shared links")),
)
TRAFFIC_SOURCES_BY_CODE = {s.code: s for s in TRAFFIC_SOURCES}


def source_name(code: str) -> str:
    """A traffic source's English label (a ``Text``); any other value (a platform's own 来源 name) as is."""
    if not code:
        return gettext_noop("No source recorded")
    info = TRAFFIC_SOURCES_BY_CODE.get(code)
    return code if info is None else info.name


def channel_name(code: str) -> str:
    """The channel's English label (a ``Text`` a face says with ``core.i18n.say``); an unknown code as is."""
    info = CHANNELS_BY_CODE.get(code)
    return code if info is None else info.name


# The paid-traffic products the ad reports come from (the ad-report import's ``platform`` option): one home
# for their names, beside the channels they belong to; faces say them with ``labels.ad_platform_label``.
AD_PLATFORMS: dict[str, Text] = {
    "ztc": gettext_noop("Zhitongche (Taobao search ads)"),
    "ylmf": gettext_noop("Yinli Mofang (Taobao display ads)"),
    "wxt": gettext_noop("Wanxiangtai (Taobao smart ads)"),
    "jdkc": gettext_noop("JD Kuaiche"),
    "qianchuan": gettext_noop("Juliang Qianchuan (Douyin ads)"),
    "amazon-sp": gettext_noop("Amazon Sponsored Products"),
}


def ad_platform_name(code: str) -> str:
    """An ad product's English label (a ``Text``); an unknown code as is."""
    return AD_PLATFORMS.get(code, code)
