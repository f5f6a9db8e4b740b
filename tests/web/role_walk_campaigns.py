"""Role-walk table of the campaigns pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
POST endpoints are walked with an empty JSON body, so they should answer 422 after the permission check.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)
PLANNERS = ("admin", "operator")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:campaign_list": (ALL_OK, 302),
    "web:campaign_calendar": (ALL_OK, 302),
    "web:campaign_calendar_save": (_only(*PLANNERS, ok=405), 302),  # POST only
    "web:campaign_create": (_only(*PLANNERS), 302),
    "web:campaign_detail": (ALL_OK, 302),
    "web:campaign_checklist": (dict.fromkeys(ROLES, 405), 302),  # POST only; owners may tick their own items
    "web:campaign_assets": (dict.fromkeys(ROLES, 405), 302),  # POST only; owners may move their own assets
    "web:campaign_simulate": (ALL_OK, 302),  # costs and margins only for roles with catalog.view_cost
    "web:campaign_review": (ALL_OK, 302),
    "web:campaign_lottery": (ALL_OK, 302),
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/campaigns"): (ALL_OK, 401),
    ("POST", "/api/v1/campaigns"): (_only(*PLANNERS, ok=422), 401),
    ("GET", "/api/v1/campaigns/{campaign_id}"): (ALL_OK, 401),
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): (_only(*PLANNERS), 401),  # an empty body changes nothing
    ("GET", "/api/v1/campaigns/{campaign_id}/simulate"): (ALL_OK, 401),
    ("GET", "/api/v1/campaigns/{campaign_id}/review"): (ALL_OK, 401),
    ("POST", "/api/v1/campaigns/{campaign_id}/lotteries"): (_only(*PLANNERS, ok=422), 401),
    ("GET", "/api/v1/campaigns/{campaign_id}/assets"): (ALL_OK, 401),
    ("POST", "/api/v1/campaigns/{campaign_id}/assets"): (_only(*PLANNERS, ok=422), 401),
    ("PATCH", "/api/v1/campaigns/{campaign_id}/assets/{asset_id}"): (_only(*PLANNERS), 401),  # empty: no change
    ("POST", "/api/v1/campaigns/{campaign_id}/lotteries/{lottery_id}/draw"): (_only(*PLANNERS), 401),
}


def samples(shop) -> dict[str, object]:
    """A small campaign over the test world's 双11 with one undrawn lottery (created in the test's transaction)."""
    from shopops.campaigns import services
    from shopops.campaigns.models import Campaign
    from shopops.catalog.selectors import skus_by_code

    campaign = Campaign.objects.filter(shop=shop, name="role-walk").first()
    if campaign is None:
        codes = sorted(skus_by_code(shop=shop))[:5]
        campaign = services.campaign_save(shop=shop, data={
            "name": "role-walk", "warmup_start": "2026-10-20", "main_start": "2026-10-31", "main_end": "2026-11-11",
            "return_end": "2026-11-12", "channels": ["tmall", "jd"], "skus": codes,
            "promotions": [{"id": "p1", "type": "item_discount", "percent_off": 15},
                           {"id": "p2", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00"}],
            "checklist": [{"kind": "assets", "title": "素材", "owner": "service", "due_date": "2026-10-15"}]})
        services.lottery_create(campaign=campaign, data={"name": "抽奖", "min_paid": "100.00",
                                                         "prizes": [{"name": "礼盒", "value": "199.00", "count": 2}]})
        services.campaign_asset_add(campaign=campaign, kind="banner", title="会场 banner", due_date=None)
    lottery = campaign.lotteries.first()
    asset = campaign.assets.first()
    pages = dict.fromkeys(("campaign_detail", "campaign_checklist", "campaign_assets", "campaign_simulate",
                           "campaign_review", "campaign_lottery"), campaign.pk)
    return {**pages, "campaign_id": campaign.pk, "lottery_id": lottery.pk, "asset_id": asset.pk}
