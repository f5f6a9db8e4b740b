"""API schemas of channel accounts (/api/v1/channel-accounts)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from shopops.channels.domain import CHANNEL_CODES


class ChannelAccountOut(Schema):
    id: int
    channel: str = Field(description=f"The platform's code, one of {', '.join(CHANNEL_CODES)}")
    channel_name: str = Field(description="The platform's name in the caller's language, e.g. 天猫")
    name: str
    external_id: str = Field(description="The shop's id on the platform; empty when unknown")
    active: bool


class ChannelAccountPage(Schema):
    items: list[ChannelAccountOut]
    count: int


class ChannelAccountIn(Schema):
    # Lengths and the channel are checked by the service, which says so in the user's language.
    channel: str = Field(max_length=100, description=f"One of {', '.join(CHANNEL_CODES)}")
    name: str = Field(max_length=1000, description="The account's name, e.g. 山茶集天猫旗舰店 (at most 80 characters)")
    external_id: str = Field("", max_length=1000, description="The shop's id on the platform (optional)")


class ChannelAccountPatch(Schema):
    name: str | None = Field(None, max_length=1000, description="A new name (absent: unchanged)")
    external_id: str | None = Field(None, max_length=1000, description="The platform shop id (absent: unchanged)")
    active: bool | None = Field(None, description="false: deactivate (never deleted: orders point at it)")
