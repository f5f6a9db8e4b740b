"""Reads for the campaign pages, API and CLI: plans, and the calendar, simulation and review from
``analysis``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from shopops.campaigns import domain
from shopops.campaigns.analysis import (  # noqa: F401 — the faces read these through selectors
    calendar_entries,
    calendar_entry,
    calendar_occurrences,
    campaign_review,
    campaign_simulation,
    campaign_skus,
    lottery_eligible,
    phases_of,
    promotion_days,
    strip_costs,
)
from shopops.campaigns.models import Campaign, CampaignAsset, ChecklistItem, Lottery
from shopops.core.clock import today
from shopops.core.models import Shop
from shopops.core.money import format_fen

# --- campaigns --------------------------------------------------------------------------------------------


def campaign_list(*, shop: Shop, q: str = "", status: str = "") -> QuerySet[Campaign]:
    qs = Campaign.objects.filter(shop=shop).select_related("shop")  # campaign_dict reads the shop's time zone
    if q:
        qs = qs.filter(name__icontains=q.strip())
    day = today(shop.timezone)
    if status == "upcoming":
        qs = qs.filter(warmup_start__gt=day)
    elif status == "running":
        qs = qs.filter(warmup_start__lte=day, return_end__gte=day)
    elif status == "ended":
        qs = qs.filter(return_end__lt=day)
    return qs


def campaign_detail(*, shop: Shop, pk: int) -> Campaign | None:
    return (
        Campaign.objects.filter(shop=shop, pk=pk)
        .prefetch_related("skus", Prefetch("checklist", queryset=ChecklistItem.objects.select_related("owner")),
                          "lotteries")
        .first()
    )


def campaign_by_name(*, shop: Shop, name: str) -> Campaign | None:
    """The shop's campaign of that exact name (the demo seeds by name, so it can run twice)."""
    return Campaign.objects.filter(shop=shop, name=name).order_by("pk").first()


def checklist_item(*, campaign: Campaign, pk: int) -> ChecklistItem | None:
    return ChecklistItem.objects.filter(campaign=campaign, pk=pk).select_related("owner").first()


def campaign_assets(*, campaign: Campaign) -> QuerySet[CampaignAsset]:
    """The campaign's asset plan (店铺视觉), soonest due first (no due date last)."""
    return (CampaignAsset.objects.filter(campaign=campaign).select_related("owner")
            .order_by(F("due_date").asc(nulls_last=True), "id"))


def campaign_asset(*, campaign: Campaign, pk: int) -> CampaignAsset | None:
    return CampaignAsset.objects.filter(campaign=campaign, pk=pk).select_related("owner").first()


def asset_overdue(asset: CampaignAsset, day: dt.date) -> bool:
    """Past its due date and neither done nor cancelled."""
    return (asset.due_date is not None and asset.due_date < day
            and asset.status in (CampaignAsset.Status.PLANNED, CampaignAsset.Status.IN_PROGRESS))


def asset_dict(asset: CampaignAsset, day: dt.date) -> dict[str, Any]:
    """One asset as JSON (the API's shape): codes, the owner's user name, ISO dates, ``overdue`` on ``day``."""
    return {"id": asset.pk, "kind": asset.kind, "title": asset.title, "channel": asset.channel or None,
            "owner": asset.owner.get_username() if asset.owner else None,
            "due_date": asset.due_date.isoformat() if asset.due_date else None, "status": asset.status,
            "note": asset.note, "overdue": asset_overdue(asset, day)}


def lottery_detail(*, campaign: Campaign, pk: int) -> Lottery | None:
    return Lottery.objects.filter(campaign=campaign, pk=pk).first()


def campaign_dict(campaign: Campaign, *, full: bool = True) -> dict:
    """A campaign as JSON (money as strings); ``full`` adds promotions, SKUs, checklist and lotteries."""
    phases = phases_of(campaign)
    out: dict[str, Any] = {
        "id": campaign.pk, "name": campaign.name, "kind": campaign.kind, "preset": campaign.preset,
        "status": domain.campaign_status(phases, today(campaign.shop.timezone)),
        "warmup_start": campaign.warmup_start, "main_start": campaign.main_start, "main_end": campaign.main_end,
        "return_end": campaign.return_end,
        "goals": {"gmv": format_fen(campaign.goal_gmv_fen) if campaign.goal_gmv_fen is not None else None,
                  "uv": campaign.goal_uv, "new_buyers": campaign.goal_new_buyers},
        "budget": format_fen(campaign.budget_fen), "channels": list(campaign.channels),
    }
    if not full:
        return out
    out.update({
        "promotions": campaign.promotions,
        "skus": [{"sku": s.sku_code, "floor": format_fen(s.floor_fen) if s.floor_fen is not None else None,
                  "claimed_original": format_fen(s.claimed_fen) if s.claimed_fen is not None else None}
                 for s in campaign.skus.all()],
        "checklist": [{"id": i.pk, "kind": i.kind, "title": i.title,
                       "owner": i.owner.get_username() if i.owner else None, "due_date": i.due_date, "done": i.done}
                      for i in campaign.checklist.all()],
        "costs": campaign.costs, "min_margin": campaign.min_margin_bp / 10_000,
        "default_floor": campaign.floor_bp / 10_000, "reference_days": campaign.reference_days,
        "reference_basis": campaign.reference_basis, "notes": campaign.notes,
        "simulated_at": campaign.simulated_at, "reviewed_at": campaign.reviewed_at,
        "lotteries": [{"id": lot.pk, "name": lot.name, "drawn_at": lot.drawn_at, "eligible_count": lot.eligible_count}
                      for lot in campaign.lotteries.all()],
    })
    return out


def sku_floors(*, shop: Shop, day: Any, prices: dict[str, int]) -> dict[str, int]:
    """Per SKU code, its price floor (最低到手价, the lowest price the operator allows) as of ``day``: from the
    latest campaign started by then that has the SKU in scope — its own floor, else the campaign's share of the
    list price in ``prices`` (the simulation's rule, ``analysis.simulation_input``). SKUs no campaign covers
    have no floor. Competitor tracking compares rivals' prices with it (docs/rules/listings.md#competitors)."""
    floors: dict[str, int] = {}
    campaigns = Campaign.objects.filter(shop=shop, warmup_start__lte=day).order_by("-main_start", "-id")
    for campaign in campaigns.prefetch_related("skus"):
        for row in campaign.skus.all():
            if row.sku_code in floors:
                continue
            if row.floor_fen is not None:
                floors[row.sku_code] = row.floor_fen
            elif row.sku_code in prices:
                floors[row.sku_code] = prices[row.sku_code] * campaign.floor_bp // 10_000
    return floors
