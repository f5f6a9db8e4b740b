"""Role-walk table of listing audits (merged by test_role_walk.py): every role with ``VIEW_PRODUCTS`` reads and
checks a title, operators and admins (``CHANGE_PRODUCTS``) start a shop-wide audit.

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)
EDITORS = ("admin", "operator")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/listings"): (ALL_OK, 401),
    ("POST", "/api/v1/listings/check"): (dict.fromkeys(ROLES, 422), 401),  # no channel, no title
    ("POST", "/api/v1/listings/audit"): (_only(*EDITORS, ok=202), 401),
    ("GET", "/api/v1/listings/audit"): (ALL_OK, 401),
    ("GET", "/api/v1/listings/{listing_id}"): (ALL_OK, 401),
}


def samples(shop) -> dict[str, object]:
    return {}
