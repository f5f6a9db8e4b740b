"""Role-walk table of the analytics metrics pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


ANALYSTS = ("admin", "operator", "ads", "viewer")  # roles.VIEW_ANALYTICS; service gets 403

PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:analytics_traffic": (_only(*ANALYSTS), 302),
    "web:analytics_products": (_only(*ANALYSTS), 302),
    "web:analytics_gmv_explain": (_only(*ANALYSTS), 302),
    "web:analytics_traffic_panel": (_only(*ANALYSTS), 302),  # the page's numbers, loaded after it
    "web:analytics_gmv_explain_panel": (_only(*ANALYSTS), 302),
}

# Walked without query parameters: from/to are required, so allowed roles get 422 naming the fields.
ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/analytics/metrics"): (_only(*ANALYSTS, ok=422), 401),
    ("GET", "/api/v1/analytics/metrics/definitions"): (_only(*ANALYSTS), 401),
    ("GET", "/api/v1/analytics/products"): (_only(*ANALYSTS, ok=422), 401),
    ("GET", "/api/v1/analytics/gmv-explain"): (_only(*ANALYSTS, ok=422), 401),
}


def samples(shop) -> dict[str, object]:
    return {}
