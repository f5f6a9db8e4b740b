"""Role-walk table of the keywords page, the title-suggestion fragment and their endpoints (merged by
test_role_walk.py): all need roles.VIEW_ANALYTICS (the search terms' orders and GMV), so service gets 403.

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ANALYSTS = ("admin", "operator", "ads", "viewer")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:keywords": (_only(*ANALYSTS), 302),
    "web:keywords_suggestion": (_only(*ANALYSTS), 302),  # a fragment the listing page fetches
}

# Walked without query parameters: the keywords endpoint needs from/to (422 naming them).
ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/keywords"): (_only(*ANALYSTS, ok=422), 401),
    ("GET", "/api/v1/listings/{listing_id}/suggestion"): (_only(*ANALYSTS), 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.catalog.models import Listing

    listing = Listing.objects.filter(shop=shop).order_by("pk").first()
    assert listing is not None, "the demo shop has channel listings"
    return {"keywords_suggestion": listing.pk, "listing_id": listing.pk}
