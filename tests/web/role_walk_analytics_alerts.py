"""Role-walk table of the analytics alerts pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
POST endpoints are walked with an empty JSON body, so they answer 422 (no date) after the permission check.
The dashboard's KPI cards live on the home page (web:dashboard, walked by the core table).
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


ANALYSTS = ("admin", "operator", "ads", "viewer")  # analytics.view_analytics
ALERT_RUNNERS = ("admin", "operator")  # analytics.run_alerts

PAGES: dict[str, tuple[dict[str, int], int]] = {}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/analytics/alerts"): (_only(*ANALYSTS), 401),  # default date: yesterday; writes nothing
    ("POST", "/api/v1/analytics/alerts/run"): (_only(*ALERT_RUNNERS, ok=422), 401),
}


def samples(shop) -> dict[str, object]:
    return {}
