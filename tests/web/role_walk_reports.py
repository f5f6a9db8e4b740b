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
    "web:todo_snooze": (dict.fromkeys(ROLES, 405), 302),  # POST only
    "web:todo_assign": (dict.fromkeys(ROLES, 405), 302),  # POST only
    "web:todo_due_date": (dict.fromkeys(ROLES, 405), 302),  # POST only
    "web:todo_comment_add": (dict.fromkeys(ROLES, 405), 302),  # POST only
}

ALL_422 = dict.fromkeys(ROLES, 422)  # every role has its own list; an empty body is refused

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/todos"): (ALL_OK, 401),
    ("POST", "/api/v1/todos/{item_id}/status"): (ALL_422, 401),
    ("POST", "/api/v1/todos/{item_id}/snooze"): (ALL_422, 401),
    ("POST", "/api/v1/todos/{item_id}/assign"): (ALL_422, 401),
    ("POST", "/api/v1/todos/{item_id}/due"): (ALL_422, 401),
    ("GET", "/api/v1/todos/{item_id}/comments"): (ALL_OK, 401),
    ("POST", "/api/v1/todos/{item_id}/comments"): (ALL_422, 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.reports.services import todo_upsert

    item = todo_upsert(shop=shop, source="test", key="role-walk", title="role walk")
    return {"todo_set_status": item.pk, "todo_snooze": item.pk, "todo_assign": item.pk, "todo_due_date": item.pk,
            "todo_comment_add": item.pk, "item_id": item.pk}
