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
