"""Role-walk table of competitor tracking: the /competitors/ pages (every role that sees products reads; those
who may change products add and edit; the observation and image forms are POST only: 405 to a GET for them),
the ``rivals`` fragment of a listing, and /api/v1/competitors (adding: 422 for an empty body after the
permission check). samples(shop) makes a rival with an item linked to a listing (the two-shop walk then
proves another shop's are 404)."""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
EDITORS = ("admin", "operator")
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "competitors:list": (ALL_OK, 302),
    "competitors:add": (_only(*EDITORS), 302),
    "competitors:detail": (ALL_OK, 302),
    "competitors:edit": (_only(*EDITORS), 302),
    "competitors:item_add": (_only(*EDITORS), 302),
    "competitors:item": (ALL_OK, 302),
    "competitors:item_edit": (_only(*EDITORS), 302),
    "competitors:observation_add": (_only(*EDITORS, ok=405), 302),  # POST only
    "competitors:image_upload": (_only(*EDITORS, ok=405), 302),  # POST only
    "competitors:rivals": (ALL_OK, 302),
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/competitors"): (ALL_OK, 401),
    ("POST", "/api/v1/competitors"): (_only(*EDITORS, ok=422), 401),
    ("GET", "/api/v1/competitors/{competitor_id}"): (ALL_OK, 401),
    ("GET", "/api/v1/competitors/{competitor_id}/items/{competitor_item_id}/timeline"): (ALL_OK, 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.catalog.models import Listing
    from shopops.listings.services.competitors import competitor_item_save, competitor_save

    listing = Listing.objects.filter(shop=shop).order_by("id").first()
    competitor = competitor_save(shop=shop, data={"name": "角色巡检对手", "channel": "tmall"})
    item = competitor_item_save(competitor=competitor, data={"item_id": "walk-1", "title": "巡检竞品",
                                                              "rivals": [listing.pk]})
    pair = [competitor.pk, item.pk]
    return {"detail": competitor.pk, "edit": competitor.pk, "item_add": competitor.pk, "item": pair,
            "item_edit": pair, "observation_add": pair, "image_upload": pair, "rivals": listing.pk,
            "competitor_id": competitor.pk, "competitor_item_id": item.pk}
