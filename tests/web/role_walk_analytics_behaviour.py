"""Role-walk table of the analytics behaviour pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
Funnels, paths and retention need ``analytics.view_analytics`` (admin, operator, ads, viewer; not service).
The endpoints are walked without their required ``from``/``to``, so readers get 422 after the permission check.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)
READERS = ("admin", "operator", "ads", "viewer")  # roles.VIEW_ANALYTICS


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:analytics_funnel": (_only(*READERS), 302),
    "web:analytics_paths": (_only(*READERS), 302),
    "web:analytics_retention": (_only(*READERS), 302),
    # Saving and deleting funnels: POST only (405 on GET) for roles that may save (not the read-only viewer).
    "web:analytics_funnel_save": (_only("admin", "operator", "ads", ok=405), 302),
    "web:analytics_funnel_delete": (_only("admin", "operator", "ads", ok=405), 302),
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/analytics/funnel"): (_only(*READERS, ok=422), 401),
    ("GET", "/api/v1/analytics/paths"): (_only(*READERS, ok=422), 401),
    ("GET", "/api/v1/analytics/retention"): (_only(*READERS, ok=422), 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.analytics.services.funnels import saved_funnel_save

    funnel = saved_funnel_save(shop=shop, name="role walk", steps=["pv", "buy"])
    return {"analytics_funnel_delete": funnel.pk}
