"""Names in the user's language of the codes that belong to channels: the channel itself, a traffic source,
an ad product (the face-side step of ``domain.channel_name`` / ``source_name`` / ``ad_platform_name``)."""

from __future__ import annotations

from shopops.channels.domain import AD_PLATFORMS, TRAFFIC_SOURCES, ad_platform_name, channel_name, source_name
from shopops.core.i18n import say

TRAFFIC_SOURCE_CODES = tuple(s.code for s in TRAFFIC_SOURCES)
AD_PLATFORM_CODES = tuple(AD_PLATFORMS)


def channel_label(code: str) -> str:
    """The channel's name in the active language (zh-Hans: the stored Chinese name); an unknown code as is."""
    return say(channel_name(code))


def source_label(code: str) -> str:
    """The traffic source's name in the active language; a source already in words as is."""
    return say(source_name(code))


def ad_platform_label(code: str) -> str:
    """The ad product's name in the active language (zh-Hans: 直通车, 引力魔方…); an unknown code as is."""
    return say(ad_platform_name(code))
