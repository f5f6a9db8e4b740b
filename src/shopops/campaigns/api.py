"""/api/v1/campaigns: list, read, create and change campaign plans; simulate before launch; review after;
lotteries. Money as strings with two decimals, rates as numbers in 0..1."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from shopops.campaigns import selectors, services
from shopops.campaigns.models import Campaign, Lottery
from shopops.campaigns.schemas import (
    AssetIn,
    AssetPatch,
    CampaignFilters,
    CampaignIn,
    DrawIn,
    LotteryIn,
    SimulationQuery,
)
from shopops.core import selectors as core_selectors
from shopops.core.api_auth import current_shop, needs
from shopops.core.clock import today
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import User
from shopops.core.money import format_fen
from shopops.core.roles import CHANGE_CAMPAIGNS, VIEW_CAMPAIGNS, VIEW_COSTS, VIEW_CUSTOMERS
from shopops.core.schemas import ERRORS, MAX_DB_ID

router = Router(tags=["campaigns"])

CampaignId = Path(..., ge=1, le=MAX_DB_ID)
LotteryId = Path(..., ge=1, le=MAX_DB_ID)
AssetId = Path(..., ge=1, le=MAX_DB_ID)


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = selectors.campaign_detail(shop=current_shop(request), pk=campaign_id)
    if campaign is None:
        raise HttpError(404, _("No such campaign."))
    return campaign


@router.get("", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_CAMPAIGNS))
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> dict:
    qs = selectors.campaign_list(shop=current_shop(request), q=filters.q, status=filters.status)
    page = qs.select_related("shop")[filters.offset : filters.offset + filters.limit]
    return {"items": [selectors.campaign_dict(c, full=False) for c in page], "count": qs.count()}


@router.post("", response={201: dict[str, Any], **ERRORS}, auth=needs(CHANGE_CAMPAIGNS))
def create_campaign(request: HttpRequest, payload: CampaignIn) -> tuple[int, dict]:
    """Create a plan. Promotions are the pricing contract's JSON (see /pricing/quote), checked on save:
    an invalid one answers 422 naming the field (``promotions[1].off``)."""
    campaign = services.campaign_save(shop=current_shop(request), data=payload, actor=request.auth)
    return 201, selectors.campaign_dict(selectors.campaign_detail(shop=campaign.shop, pk=campaign.pk))


@router.get("/{campaign_id}", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_CAMPAIGNS))
def get_campaign(request: HttpRequest, campaign_id: int = CampaignId) -> dict:
    return selectors.campaign_dict(_campaign(request, campaign_id))


@router.patch("/{campaign_id}", response={200: dict[str, Any], **ERRORS}, auth=needs(CHANGE_CAMPAIGNS))
def update_campaign(request: HttpRequest, payload: CampaignIn, campaign_id: int = CampaignId) -> dict:
    """Change the fields given (the others stay); ``skus`` and ``checklist`` replace the lists."""
    campaign = services.campaign_save(shop=current_shop(request), data=payload, actor=request.auth,
                                      campaign=_campaign(request, campaign_id))
    return selectors.campaign_dict(selectors.campaign_detail(shop=campaign.shop, pk=campaign.pk))


@router.get("/{campaign_id}/simulate", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_CAMPAIGNS))
def simulate(request: HttpRequest, query: Query[SimulationQuery], campaign_id: int = CampaignId) -> dict:
    """Worst-case 到手价 and margin per SKU in scope, with flags, most risky first. Cost and margin numbers
    only for roles that may see costs."""
    report = selectors.campaign_simulation(campaign=_campaign(request, campaign_id))
    report["rows"] = report["rows"][query.offset : query.offset + query.limit]
    return report if request.auth.has_perm(VIEW_COSTS) else selectors.strip_costs(report)


@router.get("/{campaign_id}/review", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_CAMPAIGNS))
def review(request: HttpRequest, campaign_id: int = CampaignId) -> dict:
    """The post-mortem: KPIs vs goals and vs a weekday-aligned baseline, incremental GMV, what carried it."""
    return selectors.campaign_review(campaign=_campaign(request, campaign_id))


@router.post("/{campaign_id}/lotteries", response={201: dict[str, Any], **ERRORS}, auth=needs(CHANGE_CAMPAIGNS))
def create_lottery(request: HttpRequest, payload: LotteryIn, campaign_id: int = CampaignId) -> tuple[int, dict]:
    """{name, min_paid, prizes: [{name, value, count}]}; a prize above ¥50,000 answers 422."""
    lottery = services.lottery_create(campaign=_campaign(request, campaign_id), data=payload, actor=request.auth)
    return 201, _lottery_out(request, lottery)


@router.post("/{campaign_id}/lotteries/{lottery_id}/draw", response={200: dict[str, Any], **ERRORS},
             auth=needs(CHANGE_CAMPAIGNS))
def draw_lottery(request: HttpRequest, payload: DrawIn, campaign_id: int = CampaignId,
                 lottery_id: int = LotteryId) -> dict:
    """Draw once with ``seed`` (random when absent); the seed and the eligible-list hash are recorded."""
    lottery = selectors.lottery_detail(campaign=_campaign(request, campaign_id), pk=lottery_id)
    if lottery is None:
        raise HttpError(404, _("No such lottery."))
    return _lottery_out(request, services.lottery_draw(lottery=lottery, seed=payload.seed, actor=request.auth))


def _lottery_out(request: HttpRequest, lottery: Lottery) -> dict:
    show = request.auth.has_perm(VIEW_CUSTOMERS)
    return {"id": lottery.pk, "name": lottery.name, "min_paid": format_fen(lottery.min_paid_fen),
            "prizes": [{"name": p["name"], "value": format_fen(p["value_fen"]), "count": p["count"]}
                       for p in lottery.prizes],
            "seed": lottery.seed, "eligible_hash": lottery.eligible_hash, "eligible_count": lottery.eligible_count,
            "drawn_at": lottery.drawn_at,
            "winners": [{"prize": w["prize"], "customer": w["customer_code"] if show else None}
                        for w in lottery.winners]}


# --- the asset plan (店铺视觉) ----------------------------------------------------------------------------------


def _owner(request: HttpRequest, name: str | None) -> User | None:
    """The shop's user of that name (None for none); an unknown name answers 422 naming ``owner``."""
    if not name:
        return None
    user = core_selectors.users_of_shop(shop=current_shop(request)).filter(username=name).first()
    if user is None:
        raise InvalidInput(_("The asset was not saved."),
                           [FieldError("owner", _("This user does not work in this shop."))])
    return user


@router.get("/{campaign_id}/assets", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_CAMPAIGNS))
def list_assets(request: HttpRequest, campaign_id: int = CampaignId) -> dict:
    """The campaign's asset plan, soonest due first; ``overdue`` is judged in the shop's time zone."""
    campaign = _campaign(request, campaign_id)
    day = today(campaign.shop.timezone)
    items = [selectors.asset_dict(a, day) for a in selectors.campaign_assets(campaign=campaign)]
    return {"items": items, "count": len(items)}


@router.post("/{campaign_id}/assets", response={201: dict[str, Any], **ERRORS}, auth=needs(CHANGE_CAMPAIGNS))
def create_asset(request: HttpRequest, payload: AssetIn, campaign_id: int = CampaignId) -> tuple[int, dict]:
    """Add an asset; a wrong field answers 422 naming it and nothing is saved."""
    campaign = _campaign(request, campaign_id)
    asset = services.campaign_asset_add(campaign=campaign, kind=payload.kind, title=payload.title,
                                        channel=payload.channel or "", owner=_owner(request, payload.owner),
                                        due_date=payload.due_date, status=payload.status, note=payload.note)
    return 201, selectors.asset_dict(asset, today(campaign.shop.timezone))


@router.patch("/{campaign_id}/assets/{asset_id}", response={200: dict[str, Any], **ERRORS},
              auth=needs(CHANGE_CAMPAIGNS))
def update_asset(request: HttpRequest, payload: AssetPatch, campaign_id: int = CampaignId,
                 asset_id: int = AssetId) -> dict:
    """Change the fields given (``null`` clears owner, channel or due date)."""
    campaign = _campaign(request, campaign_id)
    asset = selectors.campaign_asset(campaign=campaign, pk=asset_id)
    if asset is None:
        raise HttpError(404, _("No such asset."))
    given = payload.model_dump(exclude_unset=True)
    if "owner" in given:
        given["owner"] = _owner(request, given["owner"])
    for name in ("kind", "title", "status"):  # these cannot be cleared
        if name in given and given[name] is None:
            del given[name]
    asset = services.campaign_asset_update(asset=asset, **given)
    return selectors.asset_dict(asset, today(campaign.shop.timezone))
