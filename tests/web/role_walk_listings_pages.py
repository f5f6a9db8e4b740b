"""Role-walk table of the listing health page (商品体检) and a listing's page (merged by test_role_walk.py): every
role with ``VIEW_PRODUCTS`` reads, operators and admins (``CHANGE_PRODUCTS``) run the audit.

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)
EDITORS = ("admin", "operator")

PAGES: dict[str, tuple[dict[str, int], int]] = {
    "listings:health": (ALL_OK, 302),
    "listings:health_progress": (ALL_OK, 302),
    "listings:health_audit": ({r: (405 if r in EDITORS else 403) for r in ROLES}, 302),  # POST only
    "listings:detail": (ALL_OK, 302),
    "listings:media_add": ({r: (405 if r in EDITORS else 403) for r in ROLES}, 302),  # POST only
    "listings:media_remove": ({r: (405 if r in EDITORS else 403) for r in ROLES}, 302),  # POST only
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {}


def samples(shop) -> dict[str, object]:
    """A listing of the test world (its page)."""
    from shopops.catalog.models import Listing

    listing = Listing.objects.filter(shop=shop).order_by("pk").first()
    return {"listings:detail": listing.pk, "listings:media_add": listing.pk,
            "listings:media_remove": [listing.pk, 0]}  # competitors:detail has the short name too
