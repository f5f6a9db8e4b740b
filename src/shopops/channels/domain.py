"""The sales channels ShopOps knows (Taobao/Tmall, JD, Douyin, PDD, Xiaohongshu, own sites, WeCom)."""

from __future__ import annotations

from dataclasses import dataclass

from shopops.core.text import Text, gettext_noop


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """``name_zh`` is the stored name (model choices, account names); ``name`` is the English label that
    faces say in the user's language (its zh-Hans msgstr is ``name_zh``)."""

    code: str
    name_zh: str
    name: Text
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


def channel_name(code: str) -> str:
    """The channel's English label (a ``Text`` a face says with ``core.i18n.say``); an unknown code as is."""
    info = CHANNELS_BY_CODE.get(code)
    return code if info is None else info.name


# Where a visitor came from (the traffic reports' ``source`` column) and the paid-traffic products the ad
# reports come from (the ad-report import's ``platform`` option). One home for their names, beside the
# channels they belong to: faces say them with ``labels.source_label`` / ``labels.ad_platform_label``.
TRAFFIC_SOURCES: dict[str, Text] = {
    "search": gettext_noop("Search"),
    "recommend": gettext_noop("Recommendations"),
    "ads": gettext_noop("Paid ads"),
    "ad": gettext_noop("Paid ads"),
    "live": gettext_noop("Live streams"),
    "content": gettext_noop("Content"),
    "direct": gettext_noop("Direct visits"),
    "private": gettext_noop("Private domain"),
    "home": gettext_noop("Home page"),
    "share": gettext_noop("Shared links"),
}
AD_PLATFORMS: dict[str, Text] = {
    "ztc": gettext_noop("Zhitongche (Taobao search ads)"),
    "ylmf": gettext_noop("Yinli Mofang (Taobao display ads)"),
    "wxt": gettext_noop("Wanxiangtai (Taobao smart ads)"),
    "jdkc": gettext_noop("JD Kuaiche"),
    "qianchuan": gettext_noop("Juliang Qianchuan (Douyin ads)"),
    "amazon-sp": gettext_noop("Amazon Sponsored Products"),
}


def source_name(code: str) -> str:
    """A traffic source's English label (a ``Text``); a source an import wrote in words (手淘搜索) as is."""
    return TRAFFIC_SOURCES.get(code, code)


def ad_platform_name(code: str) -> str:
    """An ad product's English label (a ``Text``); an unknown code as is."""
    return AD_PLATFORMS.get(code, code)
