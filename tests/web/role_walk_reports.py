"""Role-walk table of the reports pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
POST endpoints are walked with an empty JSON body, so they should answer 422 after the permission check.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:todo_list": (ALL_OK, 302),
    "web:todo_set_status": (dict.fromkeys(ROLES, 405), 302),  # POST only
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {}


def samples(shop) -> dict[str, object]:
    from shopops.reports.services import todo_upsert

    item = todo_upsert(shop=shop, source="test", key="role-walk", title="role walk")
    return {"todo_set_status": item.pk}
