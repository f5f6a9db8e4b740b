"""Role-walk table of the analytics behaviour pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {}


def samples(shop) -> dict[str, object]:
    return {}
