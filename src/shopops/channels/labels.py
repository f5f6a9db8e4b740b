"""A channel's name in the user's language: the face-side step of ``domain.channel_name`` (gettext)."""

from __future__ import annotations

from shopops.channels.domain import channel_name, source_name
from shopops.core.i18n import say


def channel_label(code: str) -> str:
    """The channel's name in the active language (zh-Hans: the stored Chinese name); an unknown code as is."""
    return say(channel_name(code))


def source_label(code: str) -> str:
    """A traffic source's name in the active language (搜索, 推荐…); a platform's own source name as is."""
    return say(source_name(code))
