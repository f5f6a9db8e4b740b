"""The campaigns API's bodies and queries. Bodies are the write models of ``campaigns.inputs`` (the pages and
the CLI read the same ones), so the OpenAPI document shows their fields; queries are bounded."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from shopops.campaigns.inputs import (
    CalendarEntryIn,
    CampaignIn,
    CampaignSkuIn,
    ChecklistItemIn,
    DrawIn,
    GoalsIn,
    LotteryIn,
    PrizeIn,
)
from shopops.core.schemas import PageParams

__all__ = ["AssetIn", "AssetPatch", "CalendarEntryIn", "CampaignFilters", "CampaignIn", "CampaignSkuIn", "ChecklistItemIn", "DrawIn",
           "GoalsIn", "LotteryIn", "PrizeIn", "SimulationQuery"]


class CampaignFilters(PageParams):
    q: str = Field("", max_length=100)
    status: str = Field("", pattern="^(|upcoming|running|ended)$")


class SimulationQuery(PageParams):
    """limit/offset over the rows, most risky first."""

    limit: int = Field(200, ge=1, le=100_000)


class AssetIn(Schema):
    """One asset of the plan (店铺视觉); codes as in the page's lists, ``owner`` a user name of this shop."""

    kind: str = Field("other", max_length=20, description="banner | main_image | detail_page | video | other")
    title: str = Field("", max_length=200, description="required (checked after the campaign is found)")
    channel: str | None = Field(None, max_length=20, description="a channel code; empty: every channel")
    owner: str | None = Field(None, max_length=150, description="User name of someone working in this shop")
    due_date: dt.date | None = None
    status: str = Field("planned", max_length=20, description="planned | in_progress | done | cancelled")
    note: str = Field("", max_length=1000)


class AssetPatch(Schema):
    """The fields to change; the others stay."""

    kind: str | None = Field(None, max_length=20)
    title: str | None = Field(None, max_length=200)
    channel: str | None = Field(None, max_length=20)
    owner: str | None = Field(None, max_length=150)
    due_date: dt.date | None = None
    status: str | None = Field(None, max_length=20)
    note: str | None = Field(None, max_length=1000)
