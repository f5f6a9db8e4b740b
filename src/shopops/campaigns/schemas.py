"""The campaigns API's bodies and queries. Bodies are the write models of ``campaigns.inputs`` (the pages and
the CLI read the same ones), so the OpenAPI document shows their fields; queries are bounded."""

from __future__ import annotations

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

__all__ = ["CalendarEntryIn", "CampaignFilters", "CampaignIn", "CampaignSkuIn", "ChecklistItemIn", "DrawIn",
           "GoalsIn", "LotteryIn", "PrizeIn", "SimulationQuery"]


class CampaignFilters(PageParams):
    q: str = Field("", max_length=100)
    status: str = Field("", pattern="^(|upcoming|running|ended)$")


class SimulationQuery(PageParams):
    """limit/offset over the rows, most risky first."""

    limit: int = Field(200, ge=1, le=100_000)
