"""Role-walk table of the settings pages (shop profile, channel accounts, the setup checklist) and the
channel-account endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
POST endpoints are walked with an empty JSON body (422 after the permission check); PATCH with an empty body
is a no-op (200).
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:settings_shop": (_only("admin"), 302),
    "web:settings_channels": (_only("admin"), 302),
    "web:setup": (ALL_OK, 302),  # the checklist, read-only for all but administrators
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/channel-accounts"): (_only("admin", "operator", "ads", "viewer"), 401),
    ("POST", "/api/v1/channel-accounts"): (_only("admin", ok=422), 401),
    ("PATCH", "/api/v1/channel-accounts/{account_id}"): (_only("admin"), 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.channels.selectors import channel_accounts

    return {"account_id": channel_accounts(shop=shop).first().pk}
