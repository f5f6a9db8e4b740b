"""Role-walk table of title editing and the shop dictionary (merged by test_role_walk.py): every role with
``VIEW_PRODUCTS`` reads, operators and admins (``CHANGE_PRODUCTS``) change.

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)
EDITORS = ("admin", "operator")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "listings:title_history": (ALL_OK, 302),
    "listings:title_edit": (_only(*EDITORS, ok=405), 302),  # POST only
    "listings:dictionary": (ALL_OK, 302),
    "listings:dictionary_add": (_only(*EDITORS, ok=405), 302),  # POST only
    "listings:dictionary_delete": (_only(*EDITORS, ok=405), 302),  # POST only
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/listings/dictionary"): (ALL_OK, 401),
    ("POST", "/api/v1/listings/dictionary"): (_only(*EDITORS, ok=422), 401),  # an empty word
    ("DELETE", "/api/v1/listings/dictionary/{word_id}"): (_only(*EDITORS, ok=204), 401),
    ("PATCH", "/api/v1/listings/{listing_id}/title"): (_only(*EDITORS, ok=422), 401),  # unchanged: refused
    ("GET", "/api/v1/listings/{listing_id}/history"): (ALL_OK, 401),
}


def samples(shop) -> dict[str, object]:
    """A listing of the test world and one dictionary word (created in the test's transaction)."""
    from shopops.catalog.models import Listing
    from shopops.listings.models import ShopWord

    listing = Listing.objects.filter(shop=shop).order_by("pk").first()
    word, _created = ShopWord.objects.get_or_create(shop=shop, word="role-walk", defaults={"kind": "term"})
    return {"title_history": listing.pk, "title_edit": listing.pk, "dictionary_delete": word.pk,
            "listing_id": listing.pk, "word_id": word.pk}
