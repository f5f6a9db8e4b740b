"""The sales channels ShopOps knows (Taobao/Tmall, JD, Douyin, PDD, Xiaohongshu, own sites, WeCom)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    code: str
    name_zh: str
    name_en: str
    private_domain: bool = False


CHANNELS: tuple[ChannelInfo, ...] = (
    ChannelInfo("tmall", "天猫", "Tmall"),
    ChannelInfo("taobao", "淘宝", "Taobao"),
    ChannelInfo("jd", "京东", "JD"),
    ChannelInfo("douyin", "抖音", "Douyin"),
    ChannelInfo("pdd", "拼多多", "Pinduoduo"),
    ChannelInfo("xiaohongshu", "小红书", "Xiaohongshu"),
    ChannelInfo("shopify", "Shopify 独立站", "Shopify"),
    ChannelInfo("amazon", "亚马逊", "Amazon"),
    ChannelInfo("own-site", "自有小程序", "Own site"),
    ChannelInfo("wecom", "企业微信私域", "WeCom private domain", private_domain=True),
)
CHANNEL_CODES = tuple(c.code for c in CHANNELS)
CHANNELS_BY_CODE = {c.code: c for c in CHANNELS}
CHANNEL_CHOICES = [(c.code, c.name_zh) for c in CHANNELS]  # the models' choices (Chinese names, as stored)


def channel_label(code: str, language: str) -> str:
    info = CHANNELS_BY_CODE.get(code)
    if info is None:
        return code
    return info.name_en if language.startswith("en") else info.name_zh
